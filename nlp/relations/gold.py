"""Gold value links from the public corpora, read in place, run through the pipeline so that
candidates come from what the pipeline finds, exactly as at extraction time.

* SOFC-Exp: each frame's value slots with the frame's material slots (nlp.evaluation.sofc).
* SC-CoMIcs: Value entities, their Target materials and the SC property `Equivalent` to them.
  The corpus has no split; `sc_comics_split` draws a seeded, document-level one.
* MeasEval: each Quantity with its MeasuredProperty and MeasuredEntity (train and trial splits).
"""
from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.pipeline import annotate
from nlp.records import Sentence
from nlp.registry import Tagger

SC_SPLIT_SEED = 13
SC_SPLIT = (0.7, 0.15, 0.15)  # train, dev, test shares of the 1,000 abstracts


@dataclass(frozen=True)
class GoldSpan:
    block: int  # text block (paragraph) of the annotated document
    start: int  # offsets into the block
    end: int
    text: str


@dataclass(frozen=True)
class GoldValue:
    value: GoldSpan
    slot: str | None = None  # SOFC-Exp slot ("conductivity", ...) when the corpus names properties by slot
    properties: tuple[GoldSpan, ...] = ()
    materials: tuple[GoldSpan, ...] = ()


@dataclass
class GoldDoc:
    name: str
    corpus: str  # "sofc" | "sc" | "measeval"
    sentences: list[Sentence]
    values: list[GoldValue]
    source: Any = None  # SOFC-Exp: (nlp.evaluation.sofc.GoldDocument, gold sentence id of each block)


def _annotated(name: str, blocks: Sequence[str], tagger: Tagger) -> list[Sentence]:
    doc = ParsedDocument(source_path=name, content_hash=content_hash(name.encode()), format="text",
                         reader="gold", paragraphs=tuple(Paragraph(b) for b in blocks))
    return list(next(annotate([doc], tagger)).sentences)


def sofc_docs(root: Path, split: str, tagger: Tagger) -> Iterator[GoldDoc]:
    from nlp.evaluation.sofc import annotate_gold, read_document, split_names

    for name in split_names(root, split):
        gold = read_document(root, name)
        ann, ids = annotate_gold(gold, tagger)
        block = {sid: b for b, sid in enumerate(ids)}
        values = []
        for frame in gold.frames:
            mats = tuple(GoldSpan(block[m.sentence], m.start, m.end, m.text) for m in frame.materials)
            for slot, v in frame.values:
                values.append(GoldValue(GoldSpan(block[v.sentence], v.start, v.end, v.text), slot, (), mats))
        yield GoldDoc(name, "sofc", list(ann.sentences), values, (gold, ids))


def sc_comics_items(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))["data"]  # type: ignore[no-any-return]


def sc_comics_split(n: int, seed: int = SC_SPLIT_SEED) -> dict[str, list[int]]:
    """Document-level train/dev/test indices of the n SC-CoMIcs abstracts, the same on every run."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    a = round(n * SC_SPLIT[0])
    b = a + round(n * SC_SPLIT[1])
    return {"train": sorted(order[:a]), "dev": sorted(order[a:b]), "test": sorted(order[b:])}


def sc_comics_gold(item: dict) -> list[GoldValue]:  # type: ignore[type-arg]
    """Value entities with the SC property Equivalent to them and the material they Target."""
    text, spans, types = item["text"], item["t_span_dict"], item["t_type_dict"]

    def span(t: str) -> GoldSpan:
        a, b = spans[t]
        return GoldSpan(0, a, b, text[a:b])

    props: dict[str, list[GoldSpan]] = {}
    mats: dict[str, list[GoldSpan]] = {}
    for r, kind in item["r_type_dict"].items():
        a, b = item["r_args_dict"][r]
        if kind == "Equivalent" and types.get(b) == "Value" and a in spans:
            props.setdefault(b, []).append(span(a))
        elif kind == "Target" and types.get(a) == "Value" and types.get(b) in ("Element", "Main", "Material"):
            mats.setdefault(a, []).append(span(b))
    return [GoldValue(span(t), None, tuple(props.get(t, ())), tuple(mats.get(t, ())))
            for t, kind in types.items() if kind == "Value"]


def sc_comics_docs(path: Path, indices: Sequence[int], tagger: Tagger) -> Iterator[GoldDoc]:
    items = sc_comics_items(path)
    for i in indices:
        yield GoldDoc(f"sc-comics/{i}", "sc", _annotated(f"sc-comics/{i}", [items[i]["text"]], tagger),
                      sc_comics_gold(items[i]))


def measeval_docs(root: Path, split: str, tagger: Tagger) -> Iterator[GoldDoc]:
    """MeasEval paragraphs (split "train" or "trial"): each Quantity with its property and entity."""
    text_dir = root / split / ("txt" if split == "trial" else "text")
    for tsv in sorted((root / split / "tsv").glob("*.tsv")):
        text = (text_dir / f"{tsv.stem}.txt").read_text(encoding="utf-8")
        yield GoldDoc(f"measeval/{tsv.stem}", "measeval", _annotated(tsv.stem, [text], tagger), _measeval_values(tsv))


def _measeval_values(tsv: Path) -> list[GoldValue]:
    sets: dict[str, dict[str, list[GoldSpan]]] = {}
    with tsv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            span = GoldSpan(0, int(row["startOffset"]), int(row["endOffset"]), row["text"])
            sets.setdefault(row["annotSet"], {}).setdefault(row["annotType"], []).append(span)
    return [GoldValue(q, None, tuple(s.get("MeasuredProperty", ())), tuple(s.get("MeasuredEntity", ())))
            for s in sets.values() for q in s.get("Quantity", ())]
