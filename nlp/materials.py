"""Material (MAT) candidates over sentence pieces: formulas, compound names, alloy and dopant systems.

Names from the tables in nlp.names are matched by the lexicon tries in nlp.rules; this module
adds what a phrase list cannot enumerate: any formula, "lead iron tungstate"-style names,
"Ti–6Al–4V" and "Nd–Fe–B" systems, "Y2O3:Eu" dopant notation and "α-Fe2O3" phase prefixes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.formula import BARE_ELEMENTS, canonical_key, looks_like_formula, parse_formula
from nlp.lexicon import normalize_key
from nlp.names import ELEMENT_NAMES, abbreviation_keys, binary_name_formula, material_names
from nlp.pieces import Piece


@dataclass(frozen=True)
class Candidate:
    """A typed span over pieces [first, last] (inclusive) before overlaps are resolved."""

    first: int
    last: int
    type: str
    key: str
    priority: int  # breaks ties between candidates of equal length
    confidence: float


_CATION_ADJECTIVES = frozenset(
    "ferric ferrous cupric cuprous stannic stannous cobaltous cobaltic manganous manganic "
    "nickelous plumbous plumbic mercuric mercurous chromic chromous titanous vanadyl".split()
)
_CATION_WORDS = frozenset("metal transition rare earth alkali alkaline lanthanide noble mixed".split())
_ANIONS = frozenset(
    "oxide dioxide trioxide tetroxide pentoxide monoxide sesquioxide suboxide hydroxide "
    "oxyhydroxide peroxide superoxide nitride carbide boride diboride hexaboride silicide "
    "disilicide sulfide disulfide selenide diselenide telluride ditelluride phosphide arsenide "
    "antimonide fluoride chloride bromide iodide hydride oxynitride carbonitride oxycarbide "
    "oxysulfide oxyfluoride oxychloride oxycarbonate carbonate bicarbonate nitrate nitrite "
    "sulfate sulfite phosphate pyrophosphate silicate aluminate titanate zirconate niobate "
    "tantalate ferrite chromite manganite manganate cobaltite cobaltate nickelate cuprate "
    "vanadate molybdate tungstate borate germanate stannate gallate indate halide chalcogenide "
    "dichalcogenide pnictide acetate oxalate citrate hydrate tellurite selenite arsenate "
    "chromate dichromate permanganate cyanide thiocyanate silicide orthoborate orthophosphate "
    "orthosilicate metasilicate hexaferrite garnet".split()
)
# Waters of crystallisation that may follow an anion ("nickel nitrate hexahydrate").
_HYDRATES = frozenset(
    "hydrate monohydrate dihydrate trihydrate tetrahydrate pentahydrate hexahydrate "
    "heptahydrate octahydrate nonahydrate decahydrate".split()
)
# Phase or structure prefixes glued to a formula: α-Fe2O3, a-Si, nc-Si, c-BN, h-BN, 4H-SiC, 1T-MoS2.
_PHASE_PREFIX = re.compile(r"[α-ωΑ-Ω]|[a-z]{1,2}[α-ω]?|\d[A-Z]|μc")
# A number in a composition; "<nUm>" is how the MatScholar corpus writes every number.
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:wt|at)?\.?|<nUm>")
_ALLOY_COMPONENT = re.compile(r"(?:\d+(?:\.\d+)?|[xyz])?([A-Z][a-z]?)")
_COMPONENT = re.compile(r"(?:\d+(?:\.\d+)?|[xyz])?(?P<f>[A-Z(\[].*)")


@lru_cache(maxsize=65536)
def formula_key(text: str) -> str | None:
    """MAT key of a piece that reads as a material formula on its own, else None."""
    if not looks_like_formula(text):
        return None
    f = parse_formula(text)
    if f is None or (f.charge and f.charge[-1] in "+-"):
        return None  # ions (Fe3+, SO42-) name species in a material, not the material
    return canonical_key(f)


@lru_cache(maxsize=65536)
def _component_key(text: str) -> str | None:
    """A formula inside a system or dopant notation, where single letters count (Nd–Fe–B, Si:H)."""
    m = _COMPONENT.fullmatch(text)
    if not m:
        return None
    f = parse_formula(m.group("f"))
    if f is None or (f.charge and f.charge[-1] in "+-"):
        return None
    return canonical_key(f)


def formula_candidates(pieces: list[Piece]) -> list[Candidate]:
    out = []
    for i, p in enumerate(pieces):
        key = formula_key(p.text)
        if key is None:
            continue
        bare = p.text in BARE_ELEMENTS
        if bare and i > 0 and re.search(r"\d$", pieces[i - 1].text):
            continue  # "5 Y", "10 Pd": a label after a number
        out.append(Candidate(_with_prefix(pieces, i), i, "MAT", key, 2, 0.75 if bare else 0.95))
    return out + _carbon_candidates(pieces)


def _with_prefix(pieces: list[Piece], i: int) -> int:
    p = pieces[i]
    if i > 0 and p.dash_before and p.glued and _PHASE_PREFIX.fullmatch(pieces[i - 1].text):
        return i - 1
    return i


def _carbon_candidates(pieces: list[Piece]) -> list[Candidate]:
    """A bare "C" is carbon unless it is a unit ("25 °C", "° C"), a C-rate ("1 C") or a label."""
    out = []
    for i, p in enumerate(pieces):
        if p.text != "C":
            continue
        prev = pieces[i - 1].text if i > 0 else ""
        nxt = pieces[i + 1].text if i + 1 < len(pieces) else ""
        if prev in ("°", "º", "deg") or re.search(r"[\d°]$", prev) or p.dash_before or nxt in ("-", "=", ")"):
            continue
        if prev in ("/", "of", "and", "or", "with", "by", "on", "in", ",", "(") or nxt in ("/", "composite", "composites"):
            out.append(Candidate(_with_prefix(pieces, i), i, "MAT", "C", 2, 0.6))
    return out


def compound_name_candidates(pieces: list[Piece]) -> list[Candidate]:
    """Cation word(s) then anion word(s): "zinc oxide", "lead strontium zirconium titanate"."""
    names = material_names()
    out = []
    i = 0
    while i < len(pieces):
        j = i
        while j < len(pieces) and _is_cation(pieces[j]):
            j += 1
        k = j
        while k < len(pieces) and _is_anion(pieces[k].fold):
            k += 1
        if k > j and k < len(pieces) and pieces[k].fold in _HYDRATES:
            k += 1
        if j > i and k > j:
            phrase = " ".join(p.fold for p in pieces[i:k])
            key = names.get(phrase) or names.get(normalize_key(phrase)) or _binary_key(phrase) or normalize_key(phrase)
            out.append(Candidate(i, k - 1, "MAT", key, 2, 0.85))
            i = k
        else:
            i = max(j, i + 1)
    return out


def _binary_key(phrase: str) -> str | None:
    formula = binary_name_formula(phrase)
    parsed = parse_formula(formula) if formula else None
    return canonical_key(parsed) if parsed else None


def _is_cation(p: Piece) -> bool:
    w = re.sub(r"\([iv]+\)$", "", p.fold)  # copper(ii) nitrate
    return w in ELEMENT_NAMES or w in _CATION_ADJECTIVES or w in _CATION_WORDS or p.text in BARE_ELEMENTS


def _is_anion(word: str) -> bool:
    return word in _ANIONS or (word.endswith("s") and word[:-1] in _ANIONS)


def anion_candidates(pieces: list[Piece]) -> list[Candidate]:
    """A class name on its own ("the nitride", "silicides") is a material too, at lower confidence."""
    return [Candidate(i, i, "MAT", normalize_key(p.fold), 0, 0.6)
            for i, p in enumerate(pieces) if _is_anion(p.fold) and p.fold.isalpha()]


_GRADE_PREFIXES = frozenset("AISI SAE SUS ASTM UNS".split())


def steel_grade_candidates(pieces: list[Piece]) -> list[Candidate]:
    """Designated grades: "AISI 316L", "AISI 304 stainless steel"."""
    out = []
    for i in range(len(pieces) - 1):
        if pieces[i].text not in _GRADE_PREFIXES or not re.fullmatch(r"[A-Z]?\d+[A-Z]?|<nUm>", pieces[i + 1].text):
            continue
        j = i + 1
        if j + 2 < len(pieces) and pieces[j + 1].fold == "stainless" and pieces[j + 2].fold in ("steel", "steels"):
            j += 2
        elif j + 1 < len(pieces) and pieces[j + 1].fold in ("steel", "steels"):
            j += 1
        key = " ".join(p.text for p in pieces[i : i + 2]).lower()
        out.append(Candidate(i, j, "MAT", key, 3, 0.9))
    return out


def system_candidates(pieces: list[Piece]) -> list[Candidate]:
    """Alloy systems joined by dashes (Ti–6Al–4V) and dopant notation joined by colons (Y2O3:Eu)."""
    out: list[Candidate] = []
    i = 0
    while i < len(pieces):
        end = _dash_run(pieces, i)
        if end is None:
            end = _colon_run(pieces, i)
        if end is not None:
            key = "".join(p.text for p in pieces[i : end + 1] if p.text != "<nUm>").replace(" ", "")
            text_key = re.sub(r"[–—‐‑−]", "-", key)
            out.append(Candidate(i, end, "MAT", text_key, 3, 0.85))
            i = end + 1
        else:
            i += 1
    return out


def _is_component(p: Piece) -> bool:
    return _component_key(p.text) is not None or p.text in abbreviation_keys()


def _percent_step(pieces: list[Piece], j: int) -> int | None:
    """After a component at j: "– 10 % V", "– 30wt. % Zn", "- 5 wt % Nb"; index of the next component."""
    k = j + 1
    if k >= len(pieces) or not pieces[k].dash_before or not _NUMBER.fullmatch(pieces[k].text):
        return None
    k += 1
    while k < len(pieces) and pieces[k].fold in ("wt", "wt.", "at", "at.", "mass", "vol", "mol", "."):
        k += 1
    if k + 1 < len(pieces) and pieces[k].text == "%" and _ALLOY_COMPONENT.fullmatch(pieces[k + 1].text):
        return k + 1
    return None


def _dash_run(pieces: list[Piece], i: int) -> int | None:
    if not _is_component(pieces[i]):
        return None
    j = i
    components = [i]
    while j + 1 < len(pieces):
        if pieces[j + 1].dash_before and _is_component(pieces[j + 1]):
            j += 1
        else:
            step = _percent_step(pieces, j)
            if step is None:
                break
            j = step
        components.append(j)
    if j == i:
        return None
    run = [pieces[k].text for k in components]
    # Only element systems are joined (Nd–Fe–B, Ti–6Al–4V): "Al2O3–ZrO2" is two materials,
    # "Fe–O–Fe" a bond, and "I–V", "C–V" (single capitals only) are measurements.
    elems = [_ALLOY_COMPONENT.fullmatch(t) for t in run]
    if not all(elems) or all(re.fullmatch(r"[A-Z]", t) for t in run):
        return None
    symbols = [m.group(1) for m in elems if m]
    if len(set(symbols)) < len(symbols) or "O" in symbols[:-1] or (symbols[-1] == "O" and len(symbols) < 3):
        return None  # oxygen only closes a system of three or more (Li–Ti–O), never "Fe–O"
    return j


def _colon_run(pieces: list[Piece], i: int) -> int | None:
    if not _is_component(pieces[i]):
        return None
    j = i
    while j + 2 < len(pieces) and pieces[j + 1].text == ":" and _is_component(pieces[j + 2]):
        j += 2
        while j + 2 < len(pieces) and pieces[j + 1].text == "," and _component_key(pieces[j + 2].text):
            if not re.fullmatch(r"[A-Z][a-z]?", pieces[j + 2].text):
                break
            j += 2  # "Y2O3:Yb,Ho": a list of dopants
    return j if j > i else None
