"""Facts as a curator sees them: value, review state, source sentence and document, and where the
material, property and value sit in that sentence (for highlighting and for training data)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from graph import cypher
from graph.schema import entity_uid
from graph.store import GraphStore

Span = tuple[int, int]


@dataclass(frozen=True)
class Fact:
    """One Measurement with its context; the columns of cypher.FACT_DETAILS plus the mentions."""

    id: str
    material_key: str
    material: str | None  # as written in the sentence, or as the curator typed it
    property: str
    value: float | None
    unit: str | None
    text: str | None  # the quantity as written
    si_value: float | None = None
    si_unit: str | None = None
    phase: str | None = None
    method: str | None = None
    confidence: float | None = None
    source: str | None = None  # linked data (`mattermine link`) instead of a sentence
    review: str | None = None  # the newest decision: accepted, rejected, corrected
    reviewer: str | None = None
    reviewed_at: str | None = None
    extracted_material: str | None = None  # set by the first correction: what extraction found
    extracted_material_text: str | None = None
    extracted_property: str | None = None
    extracted_value: float | None = None
    extracted_unit: str | None = None
    sentence_id: str | None = None
    sentence: str | None = None
    doc: str | None = None
    title: str | None = None
    doi: str | None = None
    path: str | None = None
    year: int | None = None
    mentions: tuple[tuple[int, int, str], ...] = field(default=())  # (start, end, entity uid)


_COLUMNS = frozenset(f.name for f in fields(Fact))


def load_facts(store: GraphStore, *, fact_id: str | None = None, material: str | None = None,
               prop: str | None = None, reviewed: bool = False, limit: int = 500) -> list[Fact]:
    """Facts by id, material key or property key (None: any), rejected ones included."""
    result = store.read(cypher.FACT_DETAILS, {"id": fact_id, "material": material, "property": prop,
                                              "reviewed": reviewed, "limit": limit})
    rows = [dict(zip(result.columns, row)) for row in result.rows]
    mentions = _mentions(store, sorted({r["sentence_id"] for r in rows if r["sentence_id"]}))
    return [Fact(**{k: v for k, v in r.items() if k in _COLUMNS},
                 mentions=tuple(mentions.get(r["sentence_id"], ()))) for r in rows]


def _mentions(store: GraphStore, sentence_ids: list[str]) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    if sentence_ids:
        for sid, uid, start, end in store.read(cypher.SENTENCE_MENTIONS, {"ids": sentence_ids}).rows:
            out[sid].append((int(start), int(end), str(uid)))
    return out


def _value_span(fact: Fact) -> Span | None:
    text, sentence = fact.text, fact.sentence or ""
    if not text:
        return None
    # extraction writes the quantity's offset at the end of the fact id (graph.batch)
    tail = fact.id.rsplit(":", 1)[-1]
    if tail.isdigit() and sentence[int(tail):int(tail) + len(text)] == text:
        return int(tail), int(tail) + len(text)
    at = sentence.find(text)
    return (at, at + len(text)) if at >= 0 else None


def _occurrences(sentence: str, text: str | None) -> list[Span]:
    if not text:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(text), sentence, re.IGNORECASE)]


def _nearest(candidates: list[Span], anchor: int, taken: list[Span]) -> Span | None:
    free = [c for c in candidates if not any(c[0] < t[1] and t[0] < c[1] for t in taken)]
    return min(free, key=lambda c: (abs(c[0] - anchor), c[0])) if free else None


def fact_spans(fact: Fact) -> dict[str, Span]:
    """Where the fact's "value", "material" and "property" sit in its sentence: each one that can be
    found, never overlapping. The material is its tagged mention nearest the value, else the text
    as written; the property likewise."""
    sentence = fact.sentence or ""
    spans: dict[str, Span] = {}
    value = _value_span(fact)
    if value is not None:
        spans["value"] = value
    anchor = value[0] if value else 0
    tagged = {"material": entity_uid("Material", fact.material_key), "property": entity_uid("Property", fact.property)}
    written = {"material": fact.material, "property": fact.property}
    for kind in ("material", "property"):
        candidates = [(s, e) for s, e, uid in fact.mentions if uid == tagged[kind]]
        candidates = candidates or _occurrences(sentence, written[kind])
        span = _nearest(candidates, anchor, list(spans.values()))
        if span is not None:
            spans[kind] = span
    return spans


def as_dict(fact: Fact) -> dict[str, Any]:
    """The fact as plain values (mentions left out), for JSON."""
    return {f.name: getattr(fact, f.name) for f in fields(Fact) if f.name != "mentions"}
