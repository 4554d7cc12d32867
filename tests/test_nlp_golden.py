"""Golden tests: the rule tagger on real annotated corpora (MatScholar NER dev, synthesis procedures dev).

Floors sit a few points below what ner.rules.v1 measured when it was written (MatScholar dev:
micro F1 0.724, MAT F1 0.815; synthesis dev Material recall 0.552), so a change that makes the
baseline clearly worse fails here; see benchmarks/ner_rules_f1.py for the full numbers.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from nlp.conll import entity_f1, read_conll, tag_batch
from nlp.registry import create
from nlp.sentences import split_sentences
from tests.conftest import need_corpus

MICRO_F1_FLOOR = 0.69
MAT_F1_FLOOR = 0.78
SYNTHESIS_MATERIAL_RECALL_FLOOR = 0.50


@pytest.fixture(scope="module")
def tagger():
    return create("ner.rules.v1")


def test_matscholar_dev_f1(tagger) -> None:
    data = read_conll(need_corpus("matscholar-ner", "dev.txt"))
    assert len(data) > 500
    pred = tag_batch([tokens for tokens, _ in data], tagger)
    res = entity_f1([tags for _, tags in data], pred)
    micro, per_type = res["micro"], res["per_type"]
    assert isinstance(micro, dict) and isinstance(per_type, dict)
    assert micro["f1"] > MICRO_F1_FLOOR, micro
    assert per_type["MAT"]["f1"] > MAT_F1_FLOOR, per_type["MAT"]


def _brat_materials(ann: Path) -> set[tuple[int, int]]:
    """(start, end) of the Material entities of a BRAT .ann file (contiguous spans only)."""
    out = set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        _, info, _text = line.split("\t", 2)
        etype, _, offsets = info.partition(" ")
        if etype == "Material" and ";" not in offsets:
            start, end = offsets.split()
            out.add((int(start), int(end)))
    return out


def test_synthesis_procedures_material_recall(tagger) -> None:
    root = need_corpus("synthesis-procedures")
    names = (root / "ner-dev-fnames.txt").read_text(encoding="utf-8").split()
    found = total = 0
    for name in names:
        text = (root / "data" / f"{name}.txt").read_text(encoding="utf-8")
        gold = _brat_materials(root / "data" / f"{name}.ann")
        spans = split_sentences(text)
        pred = set()
        for (a, _b), mentions in zip(spans, tagger.tag([text[a:b] for a, b in spans])):
            pred |= {(a + m.start, a + m.end) for m in mentions if m.type == "MAT"}
        found += len(gold & pred)
        total += len(gold)
    assert total > 200
    assert found / total > SYNTHESIS_MATERIAL_RECALL_FLOOR, (found, total)
