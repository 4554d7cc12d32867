"""Numbers with units in running text: values, ± errors, ranges and scientific notation.

Figure, table, equation and reference numbers, DOIs, bare years and decades ("the 1950s") are
skipped, since they are labels rather than measurements. Other unitless numbers are kept with
unit None (x = 0.1). In a list "6.1, 3.4 and 0.7 eV" every number gets the final unit.
Each value with a unit pint knows also gets its SI value and unit (nlp.si).
"""
from __future__ import annotations

import re

from nlp.records import Quantity
from nlp.si import to_si
from nlp.units import match_unit

_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?|\.\d+)"
_MANTISSA_BODY = (
    rf"(?P<sign>[-−+](?=\d|\.\d))?(?P<num>{_NUM})"
    r"(?:(?P<times>\s?[×x✕*·]\s?10\s?(?:\^\s?)?)(?P<exp>[-−–+]?\d{1,3}|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|[eE](?P<eexp>[-−+]?\d{1,3})(?![\w])"
    r"|(?<=10)(?P<pow>\^[-−+]?\d{1,3}|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|−\d{1,2}(?![\d.])))?"
)
# A number that starts a quantity: not glued to a word, a formula or another number.
_MANTISSA = re.compile(r"(?<![\w.\-−/)\]])" + _MANTISSA_BODY)
# The second number of a range or error, which follows its connector directly ("600-700 °C").
_MANTISSA_AFTER = re.compile(_MANTISSA_BODY)
_ERROR = re.compile(r"\s?(?:±|\+/-|\+/−|\+-)\s?")
_RANGE = re.compile(r"\s?(?:–|—|−|-|~|to)\s?")
_BETWEEN_AND = re.compile(r"\s(?:and)\s")
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:Fig|Figs|Figure|Figures|Table|Tables|Eq|Eqs|Equation|Equations|Ref|Refs|Section|"
    r"Sect|Scheme|Chapter|No|Nos|Entry|Step|Sample|Samples|Vol|pp|p)\.?\s?\(?|\bet al\.?,?\s?)$",
    re.IGNORECASE,
)
_REF_BRACKET = re.compile(r"\[\s*\d+(?:\s*[,–\-]\s*\d+)*\s*\]")
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")  # "10.1016/j.matlet.2012.10.091" holds no measurements
_DIGITS = frozenset("123456789")
_DECADE = re.compile(r"(?:1[5-9]|20)\d0'?s(?![\w])")  # "the 1950s", "1990's": a time, not 1950 s
# What joins the items of a list of numbers: "6.1, 3.4 and 0.7 eV", "3.2 or 3.0 eV".
LIST_JOIN = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:[~∼≈]\s?)?")


def _value(m: re.Match[str]) -> float:
    v = float(m.group("num").replace(",", ""))
    if m.group("sign") in ("-", "−"):
        v = -v
    exp = m.group("exp") or m.group("eexp")
    if exp:
        v *= 10.0 ** float(exp.translate(_SUPER).replace("−", "-").replace("–", "-"))
    elif m.group("pow"):
        p = m.group("pow").lstrip("^").translate(_SUPER).replace("−", "-")
        v = 10.0 ** float(p)
    return v


def _unit_after(text: str, pos: int) -> tuple[int, str] | None:
    """A unit right after a number, allowing one space ("300 K", "300K", "25 °C")."""
    if pos < len(text) and text[pos] == " ":
        return match_unit(text, pos + 1)
    return match_unit(text, pos)


def _number_at(text: str, pos: int) -> re.Match[str] | None:
    m = _MANTISSA_AFTER.match(text, pos)
    return m if m and m.group("num") else None


def _is_label(text: str, start: int, ref_spans: list[tuple[int, int]]) -> bool:
    if any(a <= start < b for a, b in ref_spans):
        return True
    return bool(_LABEL_BEFORE.search(text[max(0, start - 14) : start]))


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in `text`, left to right, offsets into `text`."""
    ref_spans = [(m.start(), m.end()) for m in _REF_BRACKET.finditer(text)]
    ref_spans += [(m.start(), m.end()) for m in _DOI.finditer(text)]
    out: list[Quantity] = []
    pos = 0
    while True:
        m = _MANTISSA.search(text, pos)
        if m is None:
            break
        if not m.group("num"):
            pos = m.end() + 1
            continue
        q = _quantity_from(text, m, ref_spans)
        if q is None:
            pos = m.end()
            continue
        out.append(q)
        pos = q.end
    return [with_si(q) for q in _share_list_units(text, out)]


def with_si(q: Quantity) -> Quantity:
    """The quantity with si_value/si_unit filled in when its unit converts."""
    si = to_si(q.value, q.unit)
    if si is None:
        return q
    return Quantity(q.text, q.start, q.end, q.value, q.unit, q.low, q.high, q.error, si[0], si[1])


def _share_list_units(text: str, qs: list[Quantity]) -> list[Quantity]:
    """In "6.1, 3.4 and 0.7 eV" only the last number carries the unit; lend it to the others."""
    out = list(qs)
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        if q.unit is None and nxt.unit is not None and q.error is None and LIST_JOIN.fullmatch(text, q.end, nxt.start):
            out[i] = Quantity(q.text, q.start, q.end, q.value, nxt.unit, q.low, q.high, q.error)
    return out


def _quantity_from(text: str, m: re.Match[str], ref_spans: list[tuple[int, int]]) -> Quantity | None:
    start, end = m.start(), m.end()
    value = _value(m)
    low = high = error = None
    lost_minus = False
    unit_hit = _unit_after(text, end)
    unit = unit_hit[1] if unit_hit else None
    cursor = unit_hit[0] if unit_hit else end
    # ± error, before or after the unit ("5 ± 0.2 nm", "5 nm ± 0.2 nm")
    e = _ERROR.match(text, cursor) or (_ERROR.match(text, end) if unit_hit else None)
    if e:
        em = _number_at(text, e.end())
        if em:
            error = abs(_value(em))
            cursor = em.end()
            u2 = _unit_after(text, cursor)
            if u2 and (unit is None or u2[1] == unit):
                unit, cursor = u2[1], u2[0]
    # ranges "300–500 K", "300 K to 500 K", "between 300 and 500 K"
    if error is None:
        connector = _RANGE.match(text, cursor)
        if connector is None and re.search(r"between\s$", text[max(0, start - 9) : start]):
            connector = _BETWEEN_AND.match(text, cursor)
        if connector:
            rm = _number_at(text, connector.end())
            if rm:
                u2 = _unit_after(text, rm.end())
                dash = connector.group().strip() in "-–"
                if unit is None and m.group(0) == "10" and dash and rm.group(0) in _DIGITS:
                    # "10-4 S cm-1": a power of ten whose superscript minus was lost (a range
                    # never runs down from 10 to 4); "10-20 K" stays a range
                    value, lost_minus = 10.0 ** -int(rm.group(0)), True
                    cursor, unit = (u2[0], u2[1]) if u2 else (rm.end(), None)
                elif unit is None or (u2 and u2[1] == unit):
                    low, high = value, _value(rm)
                    value = (low + high) / 2
                    cursor = u2[0] if u2 else rm.end()
                    unit = u2[1] if u2 else unit
    # a number glued to letters that are not a unit is part of a word ("3D", "2θ", "B3LYP")
    if unit_hit is None and end < len(text) and (text[end].isalpha() or text[end] in "-−"):
        if low is None and error is None and not lost_minus:
            return None
    if unit is None and _is_label(text, start, ref_spans):
        return None
    if unit is None and low is None and re.fullmatch(r"(19|20)\d\d", m.group(0)):
        return None  # a year
    if _DECADE.match(text, start):
        return None
    return Quantity(text=text[start:cursor], start=start, end=cursor, value=value, unit=unit,
                    low=low, high=high, error=error)
