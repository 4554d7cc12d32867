"""Entity F1 on the synthesis-procedures corpus (Mysore et al. 2019, BRAT standoff files).

Gold types map onto what the pipeline finds, exact character spans:

    Material                     -> MAT mentions of the tagger
    Number                       -> the number part of each quantity ("2.5", "70-80", "25 +- 2")
    Operation                    -> operation words (nlp.operations)
    Amount-Unit, Condition-Unit  -> "unit": the unit after the last number of a quantity

Other gold types (descriptors, apparatus, ...) are not scored. Discontinuous gold spans are
skipped. Each file's text is split into sentences and tagged sentence by sentence.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from nlp.evaluation import prf
from nlp.operations import find_operations
from nlp.quantities import find_quantities
from nlp.registry import Tagger
from nlp.sentences import split_sentences
from nlp.units import match_unit

TYPE_MAP = {"Material": "Material", "Number": "Number", "Operation": "Operation",
            "Amount-Unit": "unit", "Condition-Unit": "unit"}
Span = tuple[int, int, str]


def read_gold(ann: Path) -> set[Span]:
    out = set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        _, info, _text = line.split("\t", 2)
        etype, _, offsets = info.partition(" ")
        if etype in TYPE_MAP and ";" not in offsets:
            a, b = offsets.split()
            out.add((int(a), int(b), TYPE_MAP[etype]))
    return out


def predict(text: str, tagger: Tagger) -> set[Span]:
    spans = split_sentences(text)
    out: set[Span] = set()
    for (a, b), mentions in zip(spans, tagger.tag([text[a:b] for a, b in spans])):
        sentence = text[a:b]
        out |= {(a + m.start, a + m.end, "Material") for m in mentions if m.type == "MAT"}
        out |= {(a + s, a + e, "Operation") for s, e, _ in find_operations(sentence)}
        for q in find_quantities(sentence):
            unit_at = _unit_start(q.text) if q.unit is not None else None
            number_end = len(q.text[:unit_at].rstrip()) if unit_at is not None else len(q.text)
            out.add((a + q.start, a + q.start + number_end, "Number"))
            if unit_at is not None:
                out.add((a + q.start + unit_at, a + q.end, "unit"))
    return out


def _unit_start(text: str) -> int | None:
    """Where the unit that ends a quantity's text begins ("0.1 mol L-1" -> 4)."""
    for p in range(1, len(text)):
        if (text[p - 1].isdigit() or text[p - 1] == " ") and not text[p].isspace():
            hit = match_unit(text, p)
            if hit is not None and hit[0] == len(text):
                return p
    return None


def score(pairs: Iterable[tuple[set[Span], set[Span]]]) -> dict[str, object]:
    """Per-type and micro P/R/F1 over (gold, predicted) span sets of many files."""
    counts: dict[str, list[int]] = {t: [0, 0, 0] for t in sorted(set(TYPE_MAP.values()))}
    for gold, pred in pairs:
        for t, c in counts.items():
            g = {s for s in gold if s[2] == t}
            p = {s for s in pred if s[2] == t}
            c[0] += len(g & p)
            c[1] += len(p - g)
            c[2] += len(g - p)
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"micro": prf(*total), "per_type": {t: prf(*c) for t, c in counts.items()}}


def evaluate(root: Path, tagger: Tagger, split: str = "dev") -> dict[str, object]:
    names = (root / f"ner-{split}-fnames.txt").read_text(encoding="utf-8").split()
    pairs = []
    for name in names:
        text = (root / "data" / f"{name}.txt").read_text(encoding="utf-8")
        pairs.append((read_gold(root / "data" / f"{name}.ann"), predict(text, tagger)))
    result = score(pairs)
    result["files"] = len(names)
    return result
