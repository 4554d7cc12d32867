"""Material-property-value facts scored against SOFC-Exp (Friedrich et al., ACL 2020).

SOFC-Exp annotates experiment frames in sentences of fuel-cell papers: an evoking word with
slots, each slot a MATERIAL, VALUE or DEVICE span. Scoring rule:

* Documents: those whose `set` is the requested split in SOFC-Exp-Metadata.csv. Each annotated
  sentence is given to the pipeline as its own paragraph, in document order, so offsets line up
  with the gold and facts may still reach back to the sentence before ("Its conductivity ...").
* Scored properties: the frame slots conductivity, resistance, power_density, current_density,
  open_circuit_voltage, voltage and degradation_rate. working_temperature and time_of_operation
  are conditions of an experiment, not properties of a material, and are not scored. A
  predicted fact takes part when its property maps onto one of these slots (PROPERTY_SLOTS).
* A gold fact is a (frame, value slot) whose frame also has a material slot
  (anode/cathode/electrolyte/interlayer/support/interconnect material).
* A predicted fact is correct when it lies in the same sentence as a gold fact, its property
  maps onto that value's slot, its value overlaps the gold VALUE span by at least one
  character, and its material overlaps one of the frame's material spans or has the same
  normalised key (nlp.keys.material_key) as one of them.
* A predicted fact whose value overlaps a gold value of a frame with no material slot can be
  judged neither right nor wrong: it is counted apart ("unverifiable"), not in precision.
* precision = correct predictions / other predictions counted; recall = gold facts hit by at
  least one correct prediction / gold facts. "values" scores the same way without the
  material: does the pipeline find the property value at all.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.evaluation import prf
from nlp.keys import material_key
from nlp.pipeline import annotate
from nlp.records import AnnotatedDocument, Measurement
from nlp.registry import Tagger

SLOTS = ("conductivity", "resistance", "power_density", "current_density", "open_circuit_voltage", "voltage",
         "degradation_rate")


def property_slot(key: str) -> str | None:
    """The SOFC-Exp slot a property key fills, or None when it fills none."""
    if "open-circuit voltage" in key or "open circuit voltage" in key or key == "ocv":
        return "open_circuit_voltage"
    for words, slot in (("conductivit", "conductivity"), ("resistan", "resistance"), ("resistivit", "resistance"),
                        ("power density", "power_density"), ("current density", "current_density"),
                        ("degradation", "degradation_rate")):
        if words in key:
            return slot
    return "voltage" if key.endswith("voltage") else None


@dataclass
class Span:
    type: str
    sentence: int
    start: int  # offsets into the sentence
    end: int
    text: str


@dataclass
class Frame:
    values: list[tuple[str, Span]] = field(default_factory=list)  # (slot, span)
    materials: list[Span] = field(default_factory=list)


@dataclass
class GoldDocument:
    name: str
    sentences: dict[int, str]  # sentence id -> text
    frames: list[Frame]


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n").split("\t")


def read_document(root: Path, name: str) -> GoldDocument:
    text = (root / "texts" / f"{name}.txt").read_text(encoding="utf-8")
    sentences = {int(r[0]): text[int(r[2]) : int(r[3])] for r in _read_tsv(root / "annotations" / "sentences" / f"{name}.csv")}
    spans: dict[int, Span] = {}
    frames: list[Frame] = []
    for r in _read_tsv(root / "annotations" / "frames" / f"{name}.csv"):
        if r[0] == "SPAN":
            sid, a, b = int(r[3]), int(r[4]), int(r[5])
            spans[int(r[1])] = Span(r[2], sid, a, b, sentences[sid][a:b])
        elif r[0] == "EXPERIMENT":
            frames.append(Frame())
        elif r[0] == "" and len(r) >= 3 and frames:
            slot, span = r[1], spans.get(int(r[2]))
            if span is None:
                continue
            if slot.endswith("_material"):
                frames[-1].materials.append(span)
            elif slot in SLOTS:
                frames[-1].values.append((slot, span))
    return GoldDocument(name, sentences, frames)


def split_names(root: Path, split: str) -> list[str]:
    with (root / "SOFC-Exp-Metadata.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    head = rows[0]
    return sorted(r[head.index("name")] for r in rows[1:] if len(r) > head.index("set") and r[head.index("set")] == split)


def annotate_gold(gold: GoldDocument, tagger: Tagger) -> tuple[AnnotatedDocument, list[int]]:
    """The pipeline over the gold sentences, one paragraph each; block b is gold sentence ids[b]."""
    ids = sorted(gold.sentences)
    doc = ParsedDocument(source_path=gold.name, content_hash=content_hash(gold.name.encode()), format="text",
                         reader="sofc-exp", paragraphs=tuple(Paragraph(gold.sentences[i]) for i in ids))
    return next(annotate([doc], tagger)), ids


def _overlap(a: int, b: int, span: Span) -> bool:
    return a < span.end and span.start < b


def _judge(m: Measurement, ann: AnnotatedDocument, ids: list[int], gold: GoldDocument,
           slot: str) -> tuple[str, list[tuple[int, int]]]:
    """("hit", gold facts hit) | ("value_only", [...]) | ("unverifiable", []) | ("wrong", [])."""
    s = ann.sentences[m.sentence]
    sid = ids[s.block]
    qa, qb = s.start + m.quantity.start, s.start + m.quantity.end
    ma, mb = s.start + m.material.start, s.start + m.material.end
    hits, values, unverifiable = [], [], False
    for f_index, frame in enumerate(gold.frames):
        for v_index, (v_slot, v) in enumerate(frame.values):
            if v.sentence != sid or v_slot != slot or not _overlap(qa, qb, v):
                continue
            values.append((f_index, v_index))
            if not frame.materials:
                unverifiable = True
            elif any((g.sentence == sid and _overlap(ma, mb, g)) or material_key(g.text) == m.material.key
                     for g in frame.materials):
                hits.append((f_index, v_index))
    if hits:
        return "hit", hits
    if unverifiable and not any(gold.frames[f].materials for f, _ in values):
        return "unverifiable", values
    return ("value_only", values) if values else ("wrong", [])


def evaluate(root: Path, tagger: Tagger, split: str = "test") -> dict[str, object]:
    correct = counted = unverifiable = value_correct = value_counted = 0
    gold_facts = gold_values = facts_hit = values_hit = 0
    for name in split_names(root, split):
        gold = read_document(root, name)
        ann, ids = annotate_gold(gold, tagger)
        hit_facts: set[tuple[int, int]] = set()
        hit_values: set[tuple[int, int]] = set()
        for m in ann.measurements:
            slot = property_slot(m.property.key)
            if slot is None:
                continue
            verdict, found = _judge(m, ann, ids, gold, slot)
            value_counted += 1
            if verdict != "wrong":
                value_correct += 1
                hit_values.update(found)
            if verdict == "unverifiable":
                unverifiable += 1
                continue
            counted += 1
            if verdict == "hit":
                correct += 1
                hit_facts.update(found)
        for f_index, frame in enumerate(gold.frames):
            for v_index, _ in enumerate(frame.values):
                gold_values += 1
                values_hit += (f_index, v_index) in hit_values
                if frame.materials:
                    gold_facts += 1
                    facts_hit += (f_index, v_index) in hit_facts
    facts = prf(correct, counted - correct, 0)
    facts["recall"] = round(facts_hit / gold_facts, 4) if gold_facts else 0.0
    p, r = facts["precision"], facts["recall"]
    facts["f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    facts["support"] = gold_facts
    values = prf(value_correct, value_counted - value_correct, 0)
    values["recall"] = round(values_hit / gold_values, 4) if gold_values else 0.0
    vp, vr = values["precision"], values["recall"]
    values["f1"] = round(2 * vp * vr / (vp + vr), 4) if vp + vr else 0.0
    values["support"] = gold_values
    return {"facts": facts, "values": values, "predicted": counted + unverifiable, "unverifiable": unverifiable,
            "documents": len(split_names(root, split))}
