"""MeasEval conventions by rule: quantity spans, their units and modifiers, and the rule baseline's links.

MeasEval (SemEval-2021 Task 8) marks quantities more widely than nlp.quantities does: a
comparator or hedge in front belongs to the span ("approximately 50%", "≥11.1 mmol/L", "between
05:28 UT and 05:47 UT"), counted nouns are units ("5318 participants"), and spelled-out numbers
are counts ("seven"). The unit is the text after the last number, as written. The baseline links
each quantity to mattermine's own fact (material, property) when there is one, else to the
nearest property and material mentions of the rule tagger in its sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.quantities import find_quantities
from nlp.records import AnnotatedDocument

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S")
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion dozen half single double triple".split())
_TIME_WORDS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years "
                        "decade decades century centuries".split())
_NOT_COUNTED = frozenset(
    "and or of in on at to by for with from the a an as is are was were be been has have had than that which who "
    "per vs times samples sample fig figure table eq ref et al".split())
_APPROX = r"approximately|approx\.|about|around|nearly|almost|roughly|circa|ca\.|some|[~∼≈]"
_BOUND = (r"up to|less than|more than|greater than|fewer than|higher than|lower than|larger than|smaller than|"
          r"at least|at most|above|below|over|under|within|exceeding|[<>≤≥⩽⩾]")
_PREFIX = re.compile(rf"(?:(?:{_APPROX}|{_BOUND}|between|from)\s?)+$", re.IGNORECASE)
_APPROX_RE = re.compile(rf"^(?:{_APPROX})", re.IGNORECASE)
_BOUND_RE = re.compile(rf"(?:^|\s)(?:{_BOUND})(?:\s|$|\d)|^[<>≤≥⩽⩾]", re.IGNORECASE)
_NUMBER = re.compile(r"[-−+]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:\s?[×x]\s?10[-−+]?\d*)?")
_RANGE_INSIDE = re.compile(r"\d\s?(?:–|—|-|−|to|and)\s?[-−]?\.?\d")
_LIST = re.compile(r"\d\S*\s*(?:,|and|or)\s+\S*\d")
_HYPHEN_COUNT = re.compile(r"(?<![\w.])(\d+)-([a-z]+)\b")
_WORD_NUMBER = re.compile(r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class QuantitySpan:
    start: int
    end: int
    unit: str | None
    mods: tuple[str, ...]


def unit_of(span: str) -> str | None:
    """The unit as written: what follows the last number of the span, without trailing punctuation."""
    ends = [m.end() for m in _NUMBER.finditer(span)] + [m.end() for m in _WORD_NUMBER.finditer(span)]
    rest = span[max(ends):] if ends else ""
    rest = rest.strip().strip(".,;:)(").strip()
    if rest.startswith("-"):
        rest = rest[1:]
    return rest or None


def mods_of(span: str, unit: str | None) -> tuple[str, ...]:
    """IsApproximate, IsRange, HasTolerance, IsCount and IsList as the span's wording says."""
    mods = []
    if _APPROX_RE.search(span):
        mods.append("IsApproximate")
    if "±" in span or "+/-" in span:
        mods.append("HasTolerance")
    elif _LIST.search(span) and not span.lower().startswith("between"):
        mods.append("IsList")  # "1000 and 2000 ppm", "2619.60, 2617.35 and 2614.71 m"
    elif _RANGE_INSIDE.search(span) or _BOUND_RE.search(span) or span.lower().startswith("between"):
        mods.append("IsRange")
    digits = _NUMBER.findall(span)
    if unit is None and (all("." not in d for d in digits) and digits or _WORD_NUMBER.fullmatch(span.strip())):
        mods.append("IsCount")
    return tuple(mods)


def _span(text: str, start: int, end: int) -> QuantitySpan:
    body = text[start:end]
    unit = unit_of(body)
    return QuantitySpan(start, end, unit, mods_of(body, unit))


def _with_prefix(text: str, start: int) -> int:
    m = _PREFIX.search(text[max(0, start - 30):start])
    if m is None or not m.group().strip():
        return start
    return start - len(m.group())


def _counted_noun(text: str, end: int) -> int:
    """`end` moved past a counted noun right after a bare number ("30 vertices")."""
    m = re.match(r" ([a-z]{3,})\b", text[end:end + 40])
    if m and m.group(1) not in _NOT_COUNTED and not m.group(1).endswith(("ly", "ed")):
        return end + m.end()
    return end


def rule_quantities(text: str) -> list[QuantitySpan]:
    """MeasEval-style quantity spans of a paragraph, left to right."""
    spans: list[tuple[int, int]] = []
    for q in find_quantities(text):
        start, end = _with_prefix(text, q.start), q.end
        if q.unit is None and q.low is None and q.error is None:
            end = _counted_noun(text, end)
        spans.append((start, end))
    for m in _HYPHEN_COUNT.finditer(text):  # "5-year", "30-item"
        spans.append((m.start(), m.end()))
    for m in _WORD_NUMBER.finditer(text):
        end = m.end()
        after = re.match(r" ([a-z]+)\b", text[end:end + 20])
        if after and after.group(1) in _TIME_WORDS:
            end += after.end()
        spans.append((_with_prefix(text, m.start()), end))
    out: list[QuantitySpan] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1].end:
            continue  # the longer span that starts first wins
        out.append(_span(text, start, end))
    return out


def _nearest(cands: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The candidate closest to [start, end), preferring ones before it."""
    def dist(c: tuple[int, int]) -> int:
        return start - c[1] if c[1] <= start else (c[0] - end) * 2
    ok = [c for c in cands if c[1] <= start or c[0] >= end]
    return min(ok, key=dist) if ok else None


Link = tuple[tuple[int, int] | None, tuple[int, int] | None]  # (entity, property) paragraph offsets


def rule_links(doc: AnnotatedDocument, spans: list[QuantitySpan]) -> list[Link]:
    """(entity, property) paragraph offsets for each quantity span, from the pipeline's facts and mentions."""
    facts: dict[tuple[int, int], Link] = {}
    for f in doc.measurements:
        s = doc.sentences[f.sentence]
        if s.table is None:
            facts[(s.start + f.quantity.start, s.start + f.quantity.end)] = (
                (s.start + f.material.start, s.start + f.material.end),
                (s.start + f.property.start, s.start + f.property.end))
    out: list[Link] = []
    for q in spans:
        fact = next((v for k, v in facts.items() if k[0] < q.end and q.start < k[1]), None)
        if fact:
            out.append(fact)
            continue
        sent = next((s for s in doc.sentences if s.table is None and s.start <= q.start < s.end), None)
        if sent is None:
            out.append((None, None))
            continue
        def of(types: tuple[str, ...]) -> list[tuple[int, int]]:
            return [(sent.start + m.start, sent.start + m.end) for m in sent.mentions if m.type in types]
        prop = _nearest(of(("PRO",)), q.start, q.end)
        ent = _nearest(of(("MAT", "SMT", "DSC", "APL", "SPL", "CMT")), q.start, q.end)
        out.append((ent, prop))
    return out
