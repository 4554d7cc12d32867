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
  least one correct prediction / gold facts. Only sentences the annotators marked as describing
  an experiment have frames, so a right fact stated elsewhere (a cited value) counts as wrong;
  `precision_experiment_sentences` also reports precision over the marked sentences alone.
  "values" scores the same way without the material: does the pipeline find the property value at all.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.evaluation import prf
from nlp.keys import material_key
from nlp.pipeline import annotate
from nlp.records import AnnotatedDocument, Measurement
from nlp.registry import Tagger
from nlp.relations.linker import Linker

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
    experiment: frozenset[int] = frozenset()  # sentences the annotators marked as describing an experiment


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n").split("\t")


def read_document(root: Path, name: str) -> GoldDocument:
    text = (root / "texts" / f"{name}.txt").read_text(encoding="utf-8")
    rows = list(_read_tsv(root / "annotations" / "sentences" / f"{name}.csv"))
    sentences = {int(r[0]): text[int(r[2]) : int(r[3])] for r in rows}
    experiment = frozenset(int(r[0]) for r in rows if r[1] == "1")
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
    return GoldDocument(name, sentences, frames, experiment)


def split_names(root: Path, split: str) -> list[str]:
    with (root / "SOFC-Exp-Metadata.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    head = rows[0]
    return sorted(r[head.index("name")] for r in rows[1:] if len(r) > head.index("set") and r[head.index("set")] == split)


def annotate_gold(gold: GoldDocument, tagger: Tagger, linker: Linker | None = None) -> tuple[AnnotatedDocument, list[int]]:
    """The pipeline over the gold sentences, one paragraph each; block b is gold sentence ids[b]."""
    ids = sorted(gold.sentences)
    doc = ParsedDocument(source_path=gold.name, content_hash=content_hash(gold.name.encode()), format="text",
                         reader="sofc-exp", paragraphs=tuple(Paragraph(gold.sentences[i]) for i in ids))
    return next(annotate([doc], tagger, linker=linker)), ids


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


@dataclass
class Judged:
    """A split's scored predictions with their verdicts and the gold facts each one hits."""

    # (fact, verdict, (document, frame, value) hit, whether its sentence is marked as an experiment)
    predictions: list[tuple[Measurement, str, tuple[tuple[str, int, int], ...], bool]] = field(default_factory=list)
    gold_facts: int = 0  # (frame, value) pairs whose frame has a material
    gold_values: int = 0
    documents: int = 0


def judge(root: Path, tagger: Tagger, split: str = "test", linker: Linker | None = None,
          names: Sequence[str] | None = None) -> Judged:
    """Every scored prediction of the split with its verdict ("hit", "value_only", "unverifiable",
    "wrong") and the (document, frame, value) it hits: what `evaluate` counts, and what
    calibration is fit on."""
    out = Judged()
    for name in split_names(root, split) if names is None else names:
        gold = read_document(root, name)
        ann, ids = annotate_gold(gold, tagger, linker)
        add_document(out, gold, ann, ids)
    return out


def add_document(out: Judged, gold: GoldDocument, ann: AnnotatedDocument, ids: list[int]) -> None:
    """Judge one annotated gold document's predictions into `out`."""
    out.documents += 1
    for m in ann.measurements:
        slot = property_slot(m.property.key)
        if slot is None:
            continue
        verdict, found = _judge(m, ann, ids, gold, slot)
        experiment = ids[ann.sentences[m.sentence].block] in gold.experiment
        out.predictions.append((m, verdict, tuple((gold.name, f, v) for f, v in found), experiment))
    for frame in gold.frames:
        out.gold_values += len(frame.values)
        out.gold_facts += len(frame.values) if frame.materials else 0


def score(judged: Judged, min_confidence: float = 0.0) -> dict[str, object]:
    """Precision and recall of the predictions whose confidence reaches `min_confidence`."""
    kept = [(v, found) for m, v, found, _ in judged.predictions if m.confidence >= min_confidence]
    in_experiments = [v for m, v, _, e in judged.predictions if e and m.confidence >= min_confidence and v != "unverifiable"]
    counted = [v for v, _ in kept if v != "unverifiable"]
    correct = sum(v == "hit" for v in counted)
    value_correct = sum(v != "wrong" for v, _ in kept)
    facts_hit = {k for v, found in kept if v == "hit" for k in found}
    values_hit = {k for v, found in kept if v != "wrong" for k in found}
    facts = prf(correct, len(counted) - correct, 0)
    facts["recall"] = round(len(facts_hit) / judged.gold_facts, 4) if judged.gold_facts else 0.0
    p, r = facts["precision"], facts["recall"]
    facts["f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    facts["support"] = judged.gold_facts
    values = prf(value_correct, len(kept) - value_correct, 0)
    values["recall"] = round(len(values_hit) / judged.gold_values, 4) if judged.gold_values else 0.0
    vp, vr = values["precision"], values["recall"]
    values["f1"] = round(2 * vp * vr / (vp + vr), 4) if vp + vr else 0.0
    values["support"] = judged.gold_values
    # Only sentences marked as describing an experiment have frames, so a right fact elsewhere
    # counts as wrong above; this precision leaves those sentences out (recall is the same).
    facts["precision_experiment_sentences"] = prf(sum(v == "hit" for v in in_experiments),
                                                  sum(v != "hit" for v in in_experiments), 0)["precision"]
    return {"facts": facts, "values": values, "predicted": len(kept),
            "unverifiable": sum(v == "unverifiable" for v, _ in kept), "documents": judged.documents}


def evaluate(root: Path, tagger: Tagger, split: str = "test", linker: Linker | None = None) -> dict[str, object]:
    return score(judge(root, tagger, split, linker))
