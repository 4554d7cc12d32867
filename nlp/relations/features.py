"""Numbers describing one candidate link: distances in tokens and clauses, what lies between, list
positions and "respectively", unit-property fit, how specific the material is, and what the rules
decided. Every feature is a float; names are fixed so a saved model knows its columns."""
from __future__ import annotations

import math
import re

from nlp.components import is_component
from nlp.discourse import coordinated_runs, is_specific_material
from nlp.facts import GASES, attached, labelled, property_dimensions, property_for
from nlp.records import Mention, Quantity
from nlp.relations.candidates import METHOD, ORIGINS, MaterialCandidate, PropertyCandidate
from nlp.relations.context import DocumentView, SentenceView
from nlp.units import dimension

# Small vocabularies turned into integer codes (trees split on them).
DIMENSIONS = ("none", "other", "energy", "temperature", "conductivity", "area_resistance", "power_density_area",
              "current_density", "electrical", "fraction", "length", "pressure", "capacity", "specific_capacity",
              "resistivity", "time", "mobility", "magnetic", "magnetization", "density", "frequency")
_WORDS_BEFORE_VALUE = ("", "at", "of", "to", "from", "is", "was", "are", "were", "=", "(", "about", "by", "and",
                       "than", "reached", "with", "in", "for", "between", "only", "up", ",", "as", "above", "below")
_WORDS_BEFORE_MATERIAL = ("", "of", "for", "in", "with", "on", "using", "and", "the", "by", "to", "from", "than",
                          "as", "based", "(", ",", "a", "an", "pure", "doped", "undoped", "that", "this")
_VERB = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had|can|could|may|shows?|exhibits?|reach(?:es)?|"
                   r"gives?|yields?|achieves?|displays?|delivers?|[a-z]{3,}ed)\b", re.IGNORECASE)
_FORMULA = re.compile(r"(?:[A-Z][a-z]?[\d.]*)+")
_PAREN = re.compile(r"[()]")
# Whether a sentence reports the paper's own measurement or cites, compares or generalises:
# SOFC-Exp annotates the former only, and a cited value is more often misattributed.
_CITATION = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]|\bet al\b|\b(?:19|20)\d\d\)|[a-z)]\d{1,3}(?:[,–-]\d{1,3})*(?=[\s,.;])")
_OWN_WORK = re.compile(r"\b(?:we|our|this work|this study|the present|here(?:in)?|in this)\b", re.IGNORECASE)
_COMPARISON = re.compile(r"\b(?:compared|comparable|than|whereas|similar|such as|e\.g\.|for instance|for example|"
                         r"previous(?:ly)?|reported|literature|typically|usually|commonly|widely)\b", re.IGNORECASE)
_FIGURE = re.compile(r"\b(?:Fig(?:ure)?s?\.?|Tables?)\s*\d", re.IGNORECASE)
# "It can be seen that", "It is clear that": an "it" that stands for no material
_EXPLETIVE = re.compile(r"it\s+(?:(?:is|was|has\s+been|can\s+be|could\s+be|should\s+be|may\s+be|must\s+be)\s+"
                        r"\w+\s+(?:that|to)\b|(?:can|could)\s+be\s+\w+|shows?\s+that|seems|appears|has\s+attracted)",
                        re.IGNORECASE)
_CAP = 60.0  # token distances beyond this say nothing more


def _code(value: str, vocab: tuple[str, ...]) -> float:
    return float(vocab.index(value)) if value in vocab else float(len(vocab))


def _dim(q: Quantity) -> str:
    return "none" if q.unit is None else (dimension(q.unit) or "other")


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"(\w+|[^\w\s])\s*$", text[:pos])
    return m.group(1).lower() if m else ""


def _depth(text: str, pos: int) -> int:
    """How many brackets are open at `pos`."""
    depth = 0
    for ch in _PAREN.findall(text[:pos]):
        depth = depth + 1 if ch == "(" else max(0, depth - 1)
    return depth


def _between(view: SentenceView, a: int, b: int) -> dict[str, float]:
    lo, hi = min(a, b), max(a, b)
    gap = view.sentence.text[lo:hi]
    return {
        "tokens": min(abs(view.token_at(b) - view.token_at(a)), _CAP),
        "chars": min(hi - lo, 300),
        "commas": float(gap.count(",")),
        "stops": float(gap.count(";") + gap.count(":")),
        "verbs": float(len(_VERB.findall(gap))),
        "values": float(sum(lo <= q.start < hi for q in view.values)),
        "materials": float(sum(lo <= m.start < hi and m.end > m.start for m in view.materials)),
        "properties": float(sum(lo <= p.start < hi for p in view.properties)),
        "clauses": float(abs(view.clause_index(b) - view.clause_index(a))),
    }


def _value_features(view: SentenceView, q: Quantity, doc: DocumentView) -> dict[str, float]:
    text = view.sentence.text
    pos, n = view.value_runs.get(q, (0, 1))
    return {
        "q_dim": _code(_dim(q), DIMENSIONS), "q_unitless": float(q.unit is None), "q_range": float(q.low is not None),
        "q_error": float(q.error is not None),
        "q_magnitude": math.log10(abs(q.si_value if q.si_value is not None else q.value) + 1e-12),
        "q_list_len": float(n), "q_list_pos": float(pos),
        "q_list_last": float(pos == n - 1), "q_word_before": _code(_word_before(text, q.start), _WORDS_BEFORE_VALUE),
        "q_in_brackets": float(_depth(text, q.start) > 0), "q_rel_pos": q.start / max(len(text), 1),
        "respectively_after": float(view.respectively >= q.end),
        "s_values": float(len(view.values)), "s_materials": float(len(view.materials)),
        "s_tokens": float(len(view.token_starts)), "s_properties": float(len(view.properties)),
        "s_citation": float(len(_CITATION.findall(text))), "s_own_work": float(bool(_OWN_WORK.search(text))),
        "s_comparison": float(len(_COMPARISON.findall(text))), "s_figure": float(bool(_FIGURE.search(text))),
        "s_experiment": doc.experiment.get(view.index, -1.0),
    }


PROPERTY_FEATURES: tuple[str, ...] = (
    "implied", "symbol", "q_magnitude", "p_before", "tokens", "chars", "commas", "stops", "verbs", "values",
    "materials", "properties",
    "clauses", "rule_choice", "rule_fact", "p_fits_dims", "p_plural", "p_confidence", "n_candidates",
    "rank", "labelled", "adjacent_after", "q_dim", "q_unitless", "q_range", "q_error", "q_list_len", "q_list_pos",
    "q_list_last", "q_word_before", "q_in_brackets", "q_rel_pos", "respectively_after", "s_values",
    "s_materials", "s_tokens", "s_properties", "p_list_len", "p_list_pos", "p_list_aligned",
    "s_citation", "s_own_work", "s_comparison", "s_figure", "s_experiment",
)


def property_features(view: SentenceView, doc: DocumentView, cands: list[PropertyCandidate]) -> list[dict[str, float]]:
    """Features of every property candidate of one value (they share the value's features)."""
    if not cands:
        return []
    q = cands[0].quantity
    text = view.sentence.text
    written = [c.property for c in cands if not c.implied]
    rule = property_for(text, q, written, list(view.values)) if written else None
    rule_keys = {f.property.key for f in view.rule_facts if f.quantity == q}
    order = sorted(cands, key=lambda c: abs(c.property.start - q.start))
    base = _value_features(view, q, doc)
    prop_runs = _property_runs(view, written)
    out = []
    for c in cands:
        p = c.property
        ppos, plen = prop_runs.get(p, (0, 1))
        f = dict(base)
        f.update(_between(view, p.end if p.end <= q.start else p.start, q.start))
        qpos, qlen = view.value_runs.get(q, (0, 1))
        f.update({
            "implied": float(c.implied), "symbol": float(not c.implied and p.method == METHOD),
            "p_before": float(p.end <= q.start), "rule_choice": float(p == rule),
            "rule_fact": float(p.key in rule_keys), "p_fits_dims": float(len(property_dimensions(p.key))),
            "p_plural": float(len(p.text) > 3 and p.text.endswith("s")), "p_confidence": p.confidence,
            "n_candidates": float(len(cands)), "rank": float(order.index(c)),
            "labelled": float(labelled(text, q, p)),
            "adjacent_after": float(p.start >= q.end and bool(re.fullmatch(r"\s+(?:[\w-]+\s+)?", text[q.end:p.start]))),
            "p_list_len": float(plen), "p_list_pos": float(ppos), "p_list_aligned": float(plen == qlen and ppos == qpos),
        })
        out.append(f)
    return out


def _property_runs(view: SentenceView, props: list[Mention]) -> dict[Mention, tuple[int, int]]:
    out = {}
    for run in coordinated_runs([p for p in view.properties], view.sentence.text):
        for i, p in enumerate(run):
            out[p] = (i, len(run))
    return {p: out.get(p, (0, 1)) for p in props}


MATERIAL_FEATURES: tuple[str, ...] = (
    "origin", "m_before", "tokens", "chars", "commas", "stops", "verbs", "values", "materials", "properties",
    "clauses", "rule_fact", "rule_confidence", "attached", "specific", "generic_conf", "gas", "formula",
    "elements", "m_len", "component", "subject", "own_subject", "first_subject", "m_word_before", "m_in_brackets",
    "same_brackets", "key_count", "is_main", "rank_before", "rank_after", "n_candidates",
    "m_list_len", "m_list_pos", "list_aligned", "list_same_len", "m_between_pq", "p_between_mq", "property_of",
    "has_property", "p_implied", "q_dim", "q_unitless", "q_range", "q_error", "q_list_len", "q_list_pos",
    "q_list_last", "q_word_before", "q_in_brackets", "q_rel_pos", "respectively_after", "s_values", "s_materials",
    "s_tokens", "s_properties", "same_key_candidates", "q_magnitude", "p_symbol",
    "s_citation", "s_own_work", "s_comparison", "s_figure", "expletive", "s_experiment",
)


def material_features(view: SentenceView, doc: DocumentView, cands: list[MaterialCandidate],
                      prop: PropertyCandidate | None) -> list[dict[str, float]]:
    """Features of every material candidate of one value, given the property chosen for it."""
    if not cands:
        return []
    q = cands[0].quantity
    s = view.sentence
    text = s.text
    base = _value_features(view, q, doc)
    rules = {f.material.key: f.confidence for f in view.rule_facts if f.quantity == q}
    here = [c.material for c in cands if c.material.end > c.material.start]
    stuck = attached(text, q, [m for m in here if m.type == "MAT"])
    before = sorted((m for m in here if m.end <= q.start), key=lambda m: -m.end)
    after = sorted((m for m in here if m.start >= q.end), key=lambda m: m.start)
    first_subject = next((c.subject for c in view.clauses if c.subject), ())
    q_clause = view.clause_index(q.start)
    subject = view.clauses[q_clause].subject if q_clause >= 0 else ()
    own = view.clauses[q_clause].own if q_clause >= 0 else False
    qpos, qlen = view.value_runs.get(q, (0, 1))
    keys = [c.material.key for c in cands]
    top = max(doc.key_counts.values(), default=0)
    p = prop.property if prop is not None else None
    out = []
    for c in cands:
        m = c.material
        spanned = m.end > m.start
        f = dict(base)
        f.update(_between(view, m.end if m.end <= q.start else m.start, q.start) if spanned else
                 {"tokens": _CAP, "chars": 300.0, "commas": -1.0, "stops": -1.0, "verbs": -1.0, "values": -1.0,
                  "materials": -1.0, "properties": -1.0, "clauses": -1.0})
        mpos, mlen = view.material_runs.get(m, (0, 1))
        f.update({
            "origin": float(ORIGINS.index(c.origin)), "m_before": float(m.end <= q.start),
            "rule_fact": float(m.key in rules), "rule_confidence": rules.get(m.key, 0.0),
            "attached": float(stuck is not None and stuck.key == m.key),
            "specific": float(spanned and is_specific_material(m, text)), "generic_conf": m.confidence,
            "gas": float(m.key in GASES), "formula": float(bool(_FORMULA.fullmatch(m.key))),
            "elements": float(sum(ch.isupper() for ch in m.key)), "m_len": float(len(m.text)),
            "component": float(spanned and m.type == "MAT" and is_component(s, m)),
            "subject": float(any(x.key == m.key for x in subject)), "own_subject": float(own and m in subject),
            "first_subject": float(any(x.key == m.key for x in first_subject)),
            "m_word_before": _code(_word_before(text, m.start), _WORDS_BEFORE_MATERIAL) if spanned else -1.0,
            "m_in_brackets": float(spanned and _depth(text, m.start) > 0),
            "same_brackets": float(spanned and _depth(text, m.start) > 0 and _depth(text, q.start) > 0
                                   and "(" not in text[min(m.end, q.start):max(m.start, q.end)]),
            "key_count": float(doc.key_counts.get(m.key, 0)),
            "is_main": float(top > 0 and doc.key_counts.get(m.key, 0) == top),
            "rank_before": float(before.index(m)) if m in before else -1.0,
            "rank_after": float(after.index(m)) if m in after else -1.0,
            "n_candidates": float(len(cands)), "m_list_len": float(mlen), "m_list_pos": float(mpos),
            "list_aligned": float(mlen == qlen > 1 and mpos == qpos), "list_same_len": float(mlen == qlen > 1),
            "m_between_pq": float(p is not None and spanned and min(p.end, q.start) <= m.start < max(p.start, q.end)),
            "p_between_mq": float(p is not None and spanned and min(m.end, q.start) <= p.start < max(m.start, q.end)),
            "property_of": float(p is not None and spanned and p.end <= m.start
                                 and bool(re.fullmatch(r"\s+(?:of|in|for)\s+(?:[\w-]+\s+){0,3}", text[p.end:m.start]))),
            "has_property": float(p is not None), "p_implied": float(prop is not None and prop.implied),
            "p_symbol": float(prop is not None and not prop.implied and prop.property.method == METHOD),
            "same_key_candidates": float(keys.count(m.key)),
            "expletive": float(c.origin == "pronoun" and bool(_EXPLETIVE.match(text, m.start))),
        })
        out.append(f)
    return out


def vector(f: dict[str, float], names: tuple[str, ...]) -> list[float]:
    return [f.get(n, 0.0) for n in names]
