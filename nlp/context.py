"""Rules that retype or add mentions from their neighbours once the spans are chosen.

"remanent polarization (Pr)" makes "Pr" a property, not praseodymium; "silicon nanowires
(SiNWs)" makes "SiNWs" a material; "the Zr/Ti ratio" is a property of the sample; "the
cubic diamond structure" names a structure type, not the material diamond.
"""
from __future__ import annotations

import re

from nlp.materials import Candidate, formula_key
from nlp.pieces import Piece

_ABBREV = re.compile(r"(?=.*[A-Z])[A-Za-z][A-Za-z0-9+\-]{0,9}")
_RATIO_HEADS = ("ratio", "ratios")
# Minerals and materials whose names double as structure types ("diamond structure",
# "corundum-type"); followed by one of _STRUCTURE_NOUNS they are a symmetry label (SPL).
_PROTOTYPE_NAMES = frozenset("diamond corundum pyrite ilmenite zircon halite calcite cinnabar".split())
_STRUCTURE_NOUNS = frozenset("structure structures structured lattice lattices type polytype".split())


def abbreviation_candidates(pieces: list[Piece], chosen: list[Candidate]) -> list[Candidate]:
    """Give "LONG FORM (ABBR)" abbreviations the type of their long form, and reuse it later on."""
    by_last = {c.last: c for c in chosen}
    by_first = {c.first: c for c in chosen}
    learned: dict[str, Candidate] = {}
    out: list[Candidate] = []
    for k in range(1, len(pieces) - 2):
        if pieces[k].text != "(" or pieces[k + 2].text != ")" or k - 1 not in by_last:
            continue
        abbr = pieces[k + 1].text
        if not _ABBREV.fullmatch(abbr) or abbr.isdigit():
            continue
        long_form = _long_form(by_last, k - 1)
        if not long_form or pieces[long_form[0].first].fold[:1] != abbr[:1].lower():
            continue
        etype = "MAT" if any(c.type == "MAT" for c in long_form) else long_form[-1].type
        current = by_first.get(k + 1)
        if current is not None and (current.type == etype or current.last != k + 1):
            continue
        key = long_form[-1].key if len(long_form) == 1 else " ".join(c.key for c in long_form)
        learned[abbr] = Candidate(k + 1, k + 1, etype, key, 4, 0.7)
        out.append(learned[abbr])
    for i, p in enumerate(pieces):  # later mentions of a defined abbreviation
        if p.text in learned and not any(c.first == i for c in out):
            proto = learned[p.text]
            out.append(Candidate(i, i, proto.type, proto.key, 4, 0.7))
    return out


def _long_form(by_last: dict[int, Candidate], end: int) -> list[Candidate]:
    """Mentions that end right before the bracket, walking back over adjacent ones (≤ 3)."""
    found: list[Candidate] = []
    while end in by_last and len(found) < 3:
        c = by_last[end]
        found.insert(0, c)
        end = c.first - 1
    return found


def ratio_candidates(pieces: list[Piece]) -> list[Candidate]:
    """"Zr/Ti ratio", "C/Ti molar ratio": a composition ratio is a property."""
    out = []
    for i in range(len(pieces) - 3):
        if pieces[i + 1].text != "/" or not _element_like(pieces[i].text) or not _element_like(pieces[i + 2].text):
            continue
        j = i + 3
        if j < len(pieces) and pieces[j].fold in ("molar", "atomic", "mass", "weight"):
            j += 1
        if j < len(pieces) and pieces[j].fold in _RATIO_HEADS:
            key = f"{pieces[i].text}/{pieces[i + 2].text} ratio"
            out.append(Candidate(i, j, "PRO", key, 5, 0.7))
    return out


def _element_like(text: str) -> bool:
    return text == "C" or text == "O" or formula_key(text) is not None or bool(re.fullmatch(r"[A-Z][a-z]?", text))


def structure_type_candidates(pieces: list[Piece], chosen: list[Candidate]) -> list[Candidate]:
    """"diamond structure", "corundum-type": the material's name used as a structure type is SPL."""
    out = []
    for c in chosen:
        nxt = c.last + 1
        if c.type != "MAT" or c.first != c.last or pieces[c.first].fold not in _PROTOTYPE_NAMES:
            continue
        if nxt < len(pieces) and pieces[nxt].fold in _STRUCTURE_NOUNS:
            out.append(Candidate(c.first, c.last, "SPL", pieces[c.first].fold, 5, 0.7))
    return out


# "He" is helium only where the words around it say so; elsewhere it is a pronoun or an
# author ("He et al."). Gases it is listed with count too ("Ar and He").
_HELIUM_AFTER = frozenset(
    "gas gases atmosphere atmospheres flow flowing ion ions atom atoms plasma bubble bubbles "
    "irradiation implantation implanted pressure environment ambient carrier purge leak "
    "exchange isotope pycnometry pycnometer adsorption permeation permeability cooling "
    "bath cryostat beam".split()
)
_HELIUM_BEFORE = frozenset("liquid gaseous flowing under pure dry ultrapure superfluid".split())
_GASES = frozenset("Ar N2 H2 Ne O2 Kr Xe CO2 argon nitrogen hydrogen neon oxygen air".split())
_LIST_WORDS = frozenset({"and", "or", ",", "/"})


def helium_candidates(pieces: list[Piece]) -> list[Candidate]:
    """"He gas", "liquid He", "in flowing He", "Ar and He": helium; "He et al.", "He found": not."""
    out = []
    for i, p in enumerate(pieces):
        if p.text != "He":
            continue
        prev = pieces[i - 1] if i > 0 else None
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if nxt is not None and nxt.fold in ("et", "al", "al."):
            continue
        if nxt is not None and (nxt.fold in _HELIUM_AFTER or (nxt.dash_before and nxt.text in ("3", "4"))):
            out.append(Candidate(i, i, "MAT", "He", 2, 0.75))
        elif prev is not None and prev.fold in _HELIUM_BEFORE:
            out.append(Candidate(i, i, "MAT", "He", 2, 0.75))
        elif _listed_with_gas(pieces, i):
            out.append(Candidate(i, i, "MAT", "He", 2, 0.7))
    return out


def _listed_with_gas(pieces: list[Piece], i: int) -> bool:
    for step in (-1, 1):
        j = i + step
        seen_join = False
        while 0 <= j < len(pieces) and pieces[j].fold in _LIST_WORDS:
            seen_join, j = True, j + step
        if seen_join and 0 <= j < len(pieces) and pieces[j].text in _GASES:
            return True
    return False
