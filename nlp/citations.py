"""Reference numbers glued to a formula by text extraction: "HoBe2275" is HoBe2 and reference 275.

PDF and HTML extraction often loses the superscript of a citation, so "Fe2O3 [12]" arrives as
"Fe2O312". The element counts give it away: no common compound has 312 oxygen atoms per two
iron atoms, and Fe2O3 balances with iron's usual charges while Fe2O31 does not. A token is
split only when the whole is implausible and a split is plausible; organic formulas (C and H),
single elements ("C60") and symbolic counts are never split.
"""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.formula import Formula, parse_formula

# Lowest and highest common oxidation state; elements not listed may take almost anything.
_STATES: dict[str, tuple[int, int]] = {}
for _range, _symbols in {
    (1, 1): "Li Na K Rb Cs Ag", (2, 2): "Be Mg Ca Sr Ba Zn Cd", (3, 3): "Sc Y La Nd Gd Dy Ho Er Tm Lu Al",
    (3, 4): "Ce Pr Tb", (2, 3): "Sm Eu Yb Fe", (2, 4): "Ti Zr Co Ni Sn Pb Pd Pt", (4, 4): "Hf Th",
    (2, 5): "V Nb", (3, 5): "Ta Bi", (2, 6): "Cr Mo W", (2, 7): "Mn Re", (1, 3): "Cu Au Ga In Tl",
    (1, 2): "Hg", (-4, 4): "Si Ge C", (-3, 3): "B", (-3, 5): "N P As Sb", (-1, 1): "H",
    (2, 8): "Ru Os", (1, 4): "Rh", (1, 6): "Ir", (3, 6): "U", (-2, -1): "O", (-1, -1): "F",
}.items():
    for _s in _symbols.split():
        _STATES[_s] = _range
_HALOGENS = frozenset("Cl Br I".split())  # -1 in halides, positive only beside oxygen (ClO4-)
_CHALCOGENS = frozenset("S Se Te".split())  # -2 in chalcogenides, positive beside oxygen (SO4 2-)
_ANIONS = frozenset({"O", "F"}) | _HALOGENS | _CHALCOGENS
_DEFAULT = (-4, 8)
_MAX_COUNT = 40  # Sm2Co17, ZrBe13 and NaZn13 are real; "HoBe2275" is not
_TRAILING = re.compile(r"(?P<body>.*[A-Za-z\])])(?P<digits>\d{2,})$")


def _states(el: str, has_oxygen: bool) -> tuple[int, int]:
    if el in _HALOGENS:
        return (-1, 7) if has_oxygen else (-1, -1)
    if el in _CHALCOGENS:
        return (-2, 6) if has_oxygen else (-2, -2)
    return _STATES.get(el, _DEFAULT)


def _counts(f: Formula) -> dict[str, float] | None:
    out = {}
    for el, c in f.counts:
        if not isinstance(c, float):
            return None
        out[el] = c
    return out


def plausible(f: Formula) -> bool:
    """Whether a formula's counts could belong to a real compound (see the module docstring)."""
    counts = _counts(f)
    if counts is None or len(counts) < 2 or f.mixed_sites:
        return True  # nothing to judge: symbolic, one element, or a mixed site
    if "C" in counts and "H" in counts:
        return max(counts.values()) <= 200
    if max(counts.values()) > _MAX_COUNT:
        return False
    if not any(el in _ANIONS for el in counts) or not all(c.is_integer() for c in counts.values()):
        return True
    oxygen = "O" in counts
    low = sum(n * _states(el, oxygen)[0] for el, n in counts.items())
    high = sum(n * _states(el, oxygen)[1] for el, n in counts.items())
    return low <= 0 <= high


@lru_cache(maxsize=16384)
def split_citation(token: str) -> tuple[str, str] | None:
    """(formula, reference digits) when `token` is a formula with a citation glued on, else None."""
    m = _TRAILING.fullmatch(token)
    if m is None:
        return None
    whole = parse_formula(token)
    if whole is None or whole.charge is not None or plausible(whole):
        return None
    body, digits = m.group("body"), m.group("digits")
    # a count of one digit first (the common case), then two, then none ("LaFeO3" + "12")
    for k in (1, 2, 0):
        if k >= len(digits) or digits[k] == "0" or digits[:k] == "1":
            continue  # a reference never starts with 0, and nobody writes a count of 1
        head = body + digits[:k]
        f = parse_formula(head)
        if f is not None and f.charge is None and len(f.counts) > 1 and plausible(f):
            return head, digits[k:]
    return None
