"""Labelled candidate rows for training the fact scorers, from gold documents (nlp.relations.gold).

A candidate is labelled only where its corpus says something about it:

* property (value, property): SOFC-Exp judges any property that maps onto one of its slots
  (a value outside every frame is no fact there); SC-CoMIcs and MeasEval judge a value that has
  a gold property span (right when the property overlaps it).
* material (value, material): every corpus judges a value that has gold materials (right when
  the material overlaps one or has the same key); MeasEval only where the measured entity
  overlaps a material mention, since most of its entities are not materials.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nlp.evaluation.sofc import property_slot
from nlp.keys import material_key
from nlp.records import Mention, Quantity
from nlp.relations.candidates import MaterialCandidate, PropertyCandidate, material_candidates, property_candidates
from nlp.relations.context import SentenceView, document_view
from nlp.relations.features import MATERIAL_FEATURES, PROPERTY_FEATURES, material_features, property_features, vector
from nlp.relations.gold import GoldDoc, GoldSpan, GoldValue


@dataclass
class Examples:
    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # document name, for document-level splits

    def add(self, row: list[float], label: int, group: str) -> None:
        self.rows.append(row)
        self.labels.append(label)
        self.groups.append(group)

    def extend(self, other: Examples) -> None:
        self.rows += other.rows
        self.labels += other.labels
        self.groups += other.groups


def _overlap(block: int, a: int, b: int, span: GoldSpan) -> bool:
    return block == span.block and a < span.end and span.start < b


def _gold_for(doc: GoldDoc, sv: SentenceView, q: Quantity) -> list[GoldValue]:
    s = sv.sentence
    return [g for g in doc.values if _overlap(s.block, s.start + q.start, s.start + q.end, g.value)]


def property_label(doc: GoldDoc, sv: SentenceView, gold: list[GoldValue], p: Mention) -> int | None:
    if doc.corpus == "sofc":
        slot = property_slot(p.key)
        if slot is None:
            return None
        return int(any(g.slot == slot for g in gold))
    spans = [ps for g in gold for ps in g.properties]
    if not spans:
        return None
    s = sv.sentence
    return int(p.end > p.start and any(_overlap(s.block, s.start + p.start, s.start + p.end, ps) for ps in spans))


def material_label(doc: GoldDoc, sv: SentenceView, gold: list[GoldValue], m: Mention,
                   cands: list[MaterialCandidate]) -> int | None:
    spans = [ms for g in gold for ms in g.materials]
    if not spans:
        return None
    s = sv.sentence

    def right(x: Mention) -> bool:
        if x.end > x.start and any(_overlap(s.block, s.start + x.start, s.start + x.end, ms) for ms in spans):
            return True
        return x.type == "MAT" and any(material_key(ms.text) == x.key for ms in spans)

    if doc.corpus == "measeval" and not any(right(c.material) for c in cands):
        return None  # the measured entity is no material the tagger found: nothing to learn here
    return int(right(m))


def _chosen(cands: list[PropertyCandidate], labels: list[int | None]) -> PropertyCandidate:
    """The property the material features are computed against: the right one when known, else
    the written one nearest before the value, as the trained property scorer would mostly pick."""
    for c, y in zip(cands, labels):
        if y == 1:
            return c
    q = cands[0].quantity
    written = [c for c in cands if not c.implied and c.property.end <= q.start]
    return max(written, key=lambda c: c.property.end) if written else cands[0]


def fact_examples(doc: GoldDoc, classifier: Any = None) -> tuple[Examples, Examples]:
    """(property examples, material examples) of one gold document; `classifier` scores its
    sentences (nlp.relations.experiment) and must not have been trained on this document."""
    props, mats = Examples(), Examples()
    view = document_view(doc.sentences, classifier)
    for sv in view.sentences:
        if sv is None:
            continue
        for q in sv.values:
            cands = property_candidates(sv, q)
            if not cands:
                continue
            gold = _gold_for(doc, sv, q)
            labels = [property_label(doc, sv, gold, c.property) for c in cands]
            for f, y in zip(property_features(sv, view, cands), labels):
                if y is not None:
                    props.add(vector(f, PROPERTY_FEATURES), y, doc.name)
            if not gold:
                continue
            mc = material_candidates(sv, view, q)
            feats = material_features(sv, view, mc, _chosen(cands, labels))
            for c, f in zip(mc, feats):
                y = material_label(doc, sv, gold, c.material, mc)
                if y is not None:
                    mats.add(vector(f, MATERIAL_FEATURES), y, doc.name)
    return props, mats
