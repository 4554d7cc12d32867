"""Chemical formulas: parse a written formula into element counts and give it a canonical key.

Handles integer and decimal counts, nested groups with multipliers, hydrates (· or *), mixed
sites such as (Bi,Sb)2Te3, non-stoichiometric counts (O3-δ, Li1+x, SiOx), charges and
oxidation states (kept apart from the formula), in any element order (MatScholar's
normalised tokens such as "O2Si" parse like "SiO2").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

ELEMENTS: tuple[str, ...] = (
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S",
    "Cl", "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga",
    "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd",
    "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm",
    "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re", "Os",
    "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa",
    "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg",
    "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
)
_ELEMENT_SET = frozenset(ELEMENTS)

# Letters that stand for an unknown amount in non-stoichiometric formulas. Lower-case only,
# so they can never be confused with the start of an element symbol.
VARIABLES = frozenset("xyzδ")

Count = float | str  # a number, or a symbolic expression kept as written ("1-x", "3-δ")

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_MINUS = str.maketrans({"−": "-", "–": "-", "‐": "-", "‑": "-"})
_HYDRATE_SEPARATORS = "·•∙⋅*"
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_ROMAN = re.compile(r"\((?:I|II|III|IV|V|VI|VII|VIII|0)\)$")
# A surface or plane written after a formula: Si(100), Pt(111), GaN(11-20).
_MILLER = re.compile(r"\((?=(?:-?\d){3,4}\))[\d-]{3,7}\)$")
_SUPERSCRIPT_CHARGE = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]*[⁺⁻]$")


@dataclass(frozen=True)
class Formula:
    """A parsed formula. `counts` pairs each element (first-seen order) with its total count."""

    written: str
    counts: tuple[tuple[str, Count], ...]
    charge: str | None = None  # "3+", "2-": ions keep their charge out of the formula
    mixed_sites: bool = False  # (Bi,Sb)2Te3: site shared by several elements

    def as_dict(self) -> dict[str, Count]:
        return dict(self.counts)

    @property
    def symbolic(self) -> bool:
        return any(isinstance(c, str) for _, c in self.counts)


class _Fail(Exception):
    pass


def _fmt(n: float) -> str:
    if float(n).is_integer():
        return str(int(n))
    return f"{n:.6f}".rstrip("0").rstrip(".")


def _scale(count: Count, factor: Count) -> Count:
    if isinstance(count, float) and isinstance(factor, float):
        return count * factor
    if factor == 1.0:
        return count
    if count == 1.0:
        return factor
    wrapped = count.startswith("(") and count.endswith(")") if isinstance(count, str) else True
    c = _fmt(count) if isinstance(count, float) else (count if wrapped else f"({count})")
    f = _fmt(factor) if isinstance(factor, float) else f"({factor})"
    return f"{f}{c}"


def _add(a: Count, b: Count) -> Count:
    if isinstance(a, float) and isinstance(b, float):
        return a + b
    sa = _fmt(a) if isinstance(a, float) else a
    sb = _fmt(b) if isinstance(b, float) else b
    return f"{sa}+{sb}"


class _Parser:
    """Recursive descent over one formula string; raises _Fail on anything it does not accept."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.mixed = False

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def element(self) -> str | None:
        s, i = self.s, self.i
        if i >= len(s) or not s[i].isupper():
            return None
        if i + 1 < len(s) and s[i + 1].islower() and s[i : i + 2] in _ELEMENT_SET:
            self.i += 2
            return s[i : i + 2]
        if s[i] in _ELEMENT_SET:
            self.i += 1
            return s[i]
        raise _Fail

    def term(self) -> str | None:
        """A number, a variable, or a number times a variable ("2x", "0.5δ")."""
        m = _NUMBER.match(self.s, self.i)
        num = m.group() if m else ""
        j = m.end() if m else self.i
        var = self.s[j] if j < len(self.s) and self.s[j] in VARIABLES else ""
        if not num and not var:
            return None
        j += len(var)
        frac = re.compile(r"/\d+").match(self.s, j) if var else None  # x/2
        if frac:
            var += frac.group()
            j = frac.end()
        self.i = j
        return num + var

    def count(self) -> Count:
        first = self.term()
        if first is None:
            return 1.0
        parts = [first]
        while self.peek() in ("+", "-"):
            save = self.i
            op = self.peek()
            self.i += 1
            t = self.term()
            if t is None:  # a trailing sign is a charge, not part of the count
                self.i = save
                break
            parts.append(op + t)
        if len(parts) == 1 and _NUMBER.fullmatch(first):
            return float(first)
        return "".join(parts)

    def sequence(self, closers: str) -> list[tuple[str, Count]]:
        out: list[tuple[str, Count]] = []
        while self.i < len(self.s) and self.peek() not in closers:
            out.extend(self.group())
        return out

    def group(self) -> list[tuple[str, Count]]:
        ch = self.peek()
        if ch in "([":
            close = ")" if ch == "(" else "]"
            self.i += 1
            inner = self.mixed_site(close)
            if inner is None:
                inner = self.sequence(close + ",")
            if self.peek() != close or not inner:
                raise _Fail
            self.i += 1
            mult = self.count()
            return [(el, _scale(c, mult)) for el, c in inner]
        el = self.element()
        if el is None:
            raise _Fail
        return [(el, self.count())]

    def mixed_site(self, close: str) -> list[tuple[str, Count]] | None:
        """(Bi,Sb): several elements sharing one site; each gets a symbolic share of it."""
        m = re.compile(r"((?:[A-Z][a-z]?\d*(?:\.\d+)?,\s?)+[A-Z][a-z]?\d*(?:\.\d+)?)" + re.escape(close)).match(
            self.s, self.i
        )
        if not m:
            return None
        names = [re.match(r"[A-Z][a-z]?", p.strip()).group() for p in m.group(1).split(",")]  # type: ignore[union-attr]
        if any(n not in _ELEMENT_SET for n in names):
            raise _Fail
        self.i = m.end() - 1
        self.mixed = True
        site = "(" + ",".join(names) + ")"
        return [(n, site) for n in names]


def _merge(pairs: list[tuple[str, Count]]) -> tuple[tuple[str, Count], ...]:
    totals: dict[str, Count] = {}
    for el, c in pairs:
        totals[el] = _add(totals[el], c) if el in totals else c
    return tuple(totals.items())


def _strip_charge(s: str) -> tuple[str, str | None]:
    """Split off an ion's charge or oxidation state: Fe3+ -> Fe "3+", Mn(IV) -> Mn "IV"."""
    m = _ROMAN.search(s)
    if m and m.start() > 0:
        return s[: m.start()], m.group()[1:-1]
    m = _SUPERSCRIPT_CHARGE.search(s)
    if m and m.start() > 0:
        return s[: m.start()], m.group().translate(_SUPERSCRIPTS)
    m = re.search(r"(\^?)(\d*)([+-])$", s)
    if m and m.start() > 0:
        body, digits, sign = s[: m.start()], m.group(2), m.group(3)
        if m.group(1):  # Fe^3+
            return body, (digits or "1") + sign
        if len(digits) == 1 and re.fullmatch(r"[A-Z][a-z]?", body):  # Fe3+, O2-: a lone ion
            return body, digits + sign
        if len(digits) >= 2 and body[-1:].isalpha():  # SO42-, PO43-: last digit is the charge
            return body + digits[:-1], digits[-1] + sign
        return body + digits, sign  # NH4+, OH-
    return s, None


def _parse_component(text: str, hydrate: bool) -> tuple[list[tuple[str, Count]], bool]:
    p = _Parser(text)
    coeff: Count = 1.0
    if hydrate:  # "6H2O", "xH2O", "nH2O"
        m = re.match(r"(\d+(?:\.\d+)?|[xyzn])(?=[A-Z(\[])", text)
        if m:
            coeff = float(m.group(1)) if m.group(1)[0].isdigit() else m.group(1)
            p.i = m.end()
    pairs = p.sequence("")
    if p.i != len(text) or not pairs:
        raise _Fail
    return [(el, _scale(c, coeff)) for el, c in pairs], p.mixed


def parse_formula(s: str) -> Formula | None:
    """Parse a written formula; None when `s` is not one (unknown symbols, stray characters)."""
    text = s.strip().translate(_SUBSCRIPTS).translate(_MINUS).replace(" ", "")
    if not text or not text[0] in "([" and not text[0].isupper():
        return None
    text = _MILLER.sub("", text) or text
    text, charge = _strip_charge(text)
    parts = [p for p in re.split("[" + re.escape(_HYDRATE_SEPARATORS) + "]", text)]
    if any(not p for p in parts):
        return None
    pairs: list[tuple[str, Count]] = []
    mixed = False
    try:
        for n, part in enumerate(parts):
            got, m = _parse_component(part, hydrate=n > 0)
            pairs.extend(got)
            mixed = mixed or m
    except (_Fail, ValueError):
        return None
    return Formula(written=s.strip(), counts=_merge(pairs), charge=charge, mixed_sites=mixed)


def elements(formula: Formula) -> tuple[str, ...]:
    """The formula's element set, alphabetically."""
    return tuple(sorted(el for el, _ in formula.counts))


def canonical_key(formula: Formula) -> str:
    """Order-independent key: elements alphabetically, integer counts reduced by their GCD.

    SiO2 and Si2O4 -> "O2Si"; decimals are kept ("Ba0.95..."), symbolic counts kept as written.
    A single element is not reduced (C60 is not graphite), and mixed-site formulas such as
    (Bi,Sb)2Te3 keep their written form, because splitting the site would lose its meaning.
    """
    if formula.mixed_sites:
        return formula.written.replace(" ", "")
    counts = dict(formula.counts)
    numeric = [c for c in counts.values() if isinstance(c, float)]
    divisor = 1
    if len(counts) > 1 and len(numeric) == len(counts) and all(c.is_integer() for c in numeric):
        divisor = math.gcd(*(int(c) for c in numeric)) or 1
    out = []
    for el in sorted(counts):
        c = counts[el]
        if isinstance(c, float):
            c = c / divisor
            out.append(el if c == 1.0 else el + _fmt(c))
        else:
            out.append(el + c)
    return "".join(out)


# Bare element symbols that, standing alone, almost always mean the element or metal in
# materials text. Left out on purpose: symbols that are also English words or sentence
# starters (In, As, At, Be, He, No, I), units or variables (C, K, V, W, S, N, H, B, P, O, F, U,
# Pa, T-like Tc/Tm used for temperatures, Ra for roughness, Cm/Pm as space groups) and gases
# usually named as atmospheres (Ar, Ne, Kr, Xe).
BARE_ELEMENTS = frozenset(
    "Li Na Mg Al Si Ca Sc Ti Cr Mn Fe Co Ni Cu Zn Ga Ge Se Rb Sr Y Zr Nb Mo Ru Rh Pd Ag Cd "
    "Sn Sb Te Cs Ba La Ce Pr Nd Sm Eu Gd Tb Dy Ho Er Yb Lu Hf Ta Re Os Ir Pt Au Hg Tl Pb "
    "Bi Th Pu".split()
)
# Elemental molecules written with a count: common enough to accept on their own.
MOLECULES = frozenset("H2 N2 O2 O3 F2 Cl2 Br2 I2 S8 P4 C60 C70 D2".split())
# Upper-case-only letter strings that are real compounds; every other one (UV, IV, SPS, HCP,
# SOFC, SHE ...) is far more often an abbreviation.
UPPER_COMPOUNDS = frozenset("CO NO BN WC HF KF KI VC BP UN OH KOH".split())


def looks_like_formula(token: str) -> bool:
    """Whether a token, taken alone, is very probably a chemical formula (guards in the docs above)."""
    f = parse_formula(token)
    if f is None:
        return False
    core = _MILLER.sub("", token)
    if len(f.counts) == 1 and f.charge is None:
        el, c = f.counts[0]
        if c == 1.0:
            return core in BARE_ELEMENTS
        if core not in MOLECULES and (isinstance(c, float) or not re.match(r"\d", c)):
            return False  # "C1", "S2" are labels; "Hz", "Ox" units or words
    if core.isalpha() and core.isupper() and core not in UPPER_COMPOUNDS:
        return False
    return True
