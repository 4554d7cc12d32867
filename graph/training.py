"""Curators' decisions as training data: one JSONL record per reviewed fact (relation extraction:
accepted and corrected facts are positives, rejected ones negatives) and the sentences of accepted
and corrected facts as CoNLL for the entity tagger (`mattermine nlp train --data`)."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from graph.curation import Fact, Span, fact_spans, load_facts
from graph.schema import ENTITY_LABELS
from graph.store import GraphStore

JSONL_NAME = "reviewed-facts.jsonl"
CONLL_NAME = "reviewed-sentences.conll"
_TYPE_OF_LABEL = {label: etype for etype, label in ENTITY_LABELS.items()}  # "Material" -> "MAT"


def _span(spans: dict[str, Span], kind: str) -> list[int] | None:
    return list(spans[kind]) if kind in spans else None


def fact_record(fact: Fact) -> dict[str, Any]:
    """A reviewed fact with its sentence and the character spans of its parts (null: not found)."""
    spans = fact_spans(fact)
    extracted = None
    if fact.extracted_material is not None:
        extracted = {"material": fact.extracted_material, "material_text": fact.extracted_material_text,
                     "property": fact.extracted_property, "value": fact.extracted_value, "unit": fact.extracted_unit}
    return {
        "id": fact.id, "decision": fact.review, "label": fact.review != "rejected",
        "reviewer": fact.reviewer, "reviewed_at": fact.reviewed_at,
        "doc": fact.doc, "doi": fact.doi, "path": fact.path, "sentence": fact.sentence,
        "material": {"text": fact.material, "key": fact.material_key, "span": _span(spans, "material")},
        "property": {"key": fact.property, "span": _span(spans, "property")},
        "value": {"text": fact.text, "value": fact.value, "unit": fact.unit, "si_value": fact.si_value,
                  "si_unit": fact.si_unit, "span": _span(spans, "value")},
        "extracted": extracted,
    }


def _entity_spans(facts: list[Fact]) -> list[tuple[int, int, str]]:
    """Typed spans of one sentence: the reviewed facts' materials and properties first, then the
    tagger's other mentions where they do not overlap them. A reviewed span the tagger tagged
    exactly keeps the tagger's type, so the scheme's conventions hold ("anatase" standing for
    TiO2 stays a phase, SPL); one it missed becomes MAT or PRO."""
    tagged = {(s, e): _TYPE_OF_LABEL.get(uid.split(":", 1)[0]) for s, e, uid in facts[0].mentions}
    chosen: list[tuple[int, int, str]] = []

    def add(start: int, end: int, etype: str) -> None:
        if start < end and not any(start < e and s < end for s, e, _ in chosen):
            chosen.append((start, end, etype))

    for fact in facts:
        spans = fact_spans(fact)
        for kind, etype in (("material", "MAT"), ("property", "PRO")):
            if kind in spans:
                add(*spans[kind], tagged.get(spans[kind]) or etype)
    for (start, end), maybe in tagged.items():
        if maybe:
            add(start, end, maybe)
    return sorted(chosen)


def conll_sentence(sentence: str, entities: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """(token, IOB2 tag) pairs; a token overlapping an entity takes its type."""
    from nlp.tokenizer import tokenize  # the tokenizer the tagger uses

    out: list[tuple[str, str]] = []
    inside: tuple[int, int, str] | None = None
    for text, start, end in tokenize(sentence):
        for piece in text.split():  # compound units ("mA h g-1") are several CoNLL tokens
            hit = next((e for e in entities if start < e[1] and e[0] < end), None)
            tag = "O" if hit is None else ("I-" if hit == inside else "B-") + hit[2]
            out.append((piece, tag))
            inside = hit
    return out


def conll_lines(facts: Iterable[Fact]) -> Iterator[str]:
    """CoNLL text ("token TAG" lines, a blank line after each sentence) of the sentences that hold
    accepted or corrected facts, each sentence once."""
    by_sentence: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.sentence and fact.review in ("accepted", "corrected"):
            by_sentence[fact.sentence_id or fact.sentence].append(fact)
    for group in by_sentence.values():
        for token, tag in conll_sentence(group[0].sentence or "", _entity_spans(group)):
            yield f"{token} {tag}"
        yield ""


def export_training(store: GraphStore, out_dir: str | Path) -> dict[str, int]:
    """Writes JSONL_NAME and CONLL_NAME into out_dir; returns what was written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    facts = load_facts(store, reviewed=True, limit=1_000_000)
    with (out / JSONL_NAME).open("w", encoding="utf-8") as fh:
        for fact in facts:
            fh.write(json.dumps(fact_record(fact), ensure_ascii=False) + "\n")
    lines = list(conll_lines(facts))
    (out / CONLL_NAME).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return {"facts": len(facts), "rejected": sum(f.review == "rejected" for f in facts),
            "sentences": sum(1 for line in lines if not line)}
