"""Dopant-host pairs: "Al-doped ZnO", "ZnO doped with Al and Ga", "Y2O3:Eu3+", "Mn doping in GaAs".

The dopant is keyed by its element symbol ("erbium", "Er3+" and "Erx" are all Er) when it is
one element, the host by its material key. Only a material mention can be a host, so
"N-doped carbon spheres" gives nothing unless "carbon" is tagged.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.discourse import coordinated_runs
from nlp.formula import parse_formula
from nlp.materials import formula_key
from nlp.names import ELEMENT_NAMES
from nlp.records import Doping, Mention, Sentence

METHOD = "doping.rules.v1"
_D = r"(?:[A-Z][a-z]?(?:\d[+-]|\+|\((?:I|II|III|IV|V|VI)\))?|[a-z]{3,13})"  # an element, ion or element name
_DOPANTS = rf"(?<![\w-])(?P<dopants>{_D}(?:\s*[-–]?\s*(?:,|/|and|or|,\s*and|,\s*or)\s*{_D}){{0,3}})"
_DOPED = r"(?:co-?)?(?:doped|substituted|incorporated|activated)"
# "Al-doped ZnO", "Eu- and Tb-codoped", "Er/Yb co-doped": dopants, the participle, then the host
_BEFORE_HOST = re.compile(
    rf"{_DOPANTS}\s*(?:\([^()]{{1,12}}\)\s*)?[-–]?\s*(?:and\s+{_D}\s*[-–]\s*)?{_DOPED}\s+(?:(?!with\b|by\b)[\w-]+\s+){{0,2}}$")
# "ZnO doped with Al", "ZnO films doped by 2 mol% Eu3+ ions"
_AFTER_HOST = re.compile(
    rf"\s*(?:\([^)]*\)\s*)?(?:[\w-]+,?\s+){{0,3}}?(?:(?:was|were|is|are|being)\s+)?{_DOPED}\s+(?:with|by)\s+"
    rf"(?:(?:various|different|small|trace)\s+(?:amounts?|concentrations?)\s+of\s+|\d[\d.,–-]*\s*(?:mol|wt|at)?\.?\s*%\s*(?:of\s+)?)?"
    rf"(?:trivalent\s+|divalent\s+|tetravalent\s+)?{_DOPANTS}"
)
# "Mn doping in GaAs", "Al incorporation into ZnO", "Ga dopant in Ge", "Er3+ ions in SrLaMgTaO6"
_DOPING_IN = re.compile(
    rf"(?:{_DOPANTS}\s*[-–]?\s*(?:doping|dopants?|substitution|incorporation)|"
    rf"(?P<ion>[A-Z][a-z]?\d?\+)(?:\s+ions?)?(?:\s+doped)?)\s+(?:in|into|of)\s+(?:the\s+)?$")
_SPLIT = re.compile(r"\s*[-–]?\s*(?:,\s*and|,\s*or|,|/|and|or)\s+|\s*/\s*|\s*,\s*")


def dopant_key(text: str) -> str | None:
    """Element symbol of a dopant as written ("erbium", "Er3+", "Erx", "Eu(III)"), else None."""
    word = text.strip()
    if word.lower() in ELEMENT_NAMES:
        return ELEMENT_NAMES[word.lower()]
    word = re.sub(r"(?:\d?[+-]|\((?:I|II|III|IV|V|VI)\)|\d+(?:\.\d+)?)$", "", word)
    # "Erx" is Er; but "Dy" and "Y" are elements themselves, so the element wins over a dropped x, y, z
    for w in (word, re.sub(r"(?<=[A-Za-z])[xyzδ]$", "", word)):
        f = parse_formula(w)
        if f is not None and len(f.counts) == 1:
            return f.counts[0][0]
    return None


def _dopants(text: str, offset: int) -> list[Mention]:
    out = []
    pos = 0
    for part in _SPLIT.split(text):
        at = text.index(part, pos)
        pos = at + len(part)
        key = dopant_key(part)
        if key is not None:
            out.append(Mention("MAT", part, offset + at, offset + at + len(part), key, METHOD, 0.7))
    return out


def _colon_pairs(m: Mention) -> list[tuple[Mention, Mention]]:
    """"Y2O3:Eu", "ZnS:Ag:Co", "SrTiO3:Tb3+": the host before the first colon, dopants after."""
    if ":" not in m.text:
        return []
    host_text, *rest = m.text.split(":")
    f = parse_formula(host_text)
    if f is None or len(f.counts) < 2:
        return []  # "N:DLC:Ni" lists dopants of a named host, it names no formula host
    host = Mention("MAT", host_text, m.start, m.start + len(host_text), _formula_key(host_text), METHOD, 0.75)
    out = []
    pos = m.start + len(host_text) + 1
    for part in rest:
        for d in _dopants(part, pos):
            out.append((host, d))
        pos += len(part) + 1
    return out


def _formula_key(text: str) -> str:
    return formula_key(text) or text


def sentence_dopings(index: int, s: Sentence) -> list[Doping]:
    hosts = [m for m in s.mentions if m.type == "MAT"]
    pairs: list[tuple[Mention, Mention, float]] = []
    for h in hosts:
        pairs += [(host, d, 0.8) for host, d in _colon_pairs(h)]
        before = _BEFORE_HOST.search(s.text[max(0, h.start - 80) : h.start])
        if before:
            base = max(0, h.start - 80) + before.start("dopants")
            pairs += [(h, d, 0.75) for d in _dopants(before.group("dopants"), base)]
        doping_in = _DOPING_IN.search(s.text[max(0, h.start - 60) : h.start])
        if doping_in:
            group = "dopants" if doping_in.group("dopants") else "ion"
            base = max(0, h.start - 60) + doping_in.start(group)
            pairs += [(h, d, 0.65) for d in _dopants(doping_in.group(group), base)]
        after = _AFTER_HOST.match(s.text, h.end)
        if after:
            run = next(r for r in coordinated_runs(hosts, s.text) if h in r)  # "SiO2 and SiOC doped with Eu"
            for host in run[: run.index(h) + 1]:
                pairs += [(host, d, 0.75) for d in _dopants(after.group("dopants"), after.start("dopants"))]
    out, seen = [], set()
    for host, d, conf in pairs:
        if host.key == d.key or (host.key, d.key) in seen:
            continue
        seen.add((host.key, d.key))
        out.append(Doping(index, host, d, METHOD, conf))
    return out


def find_dopings(sentences: Sequence[Sentence]) -> list[Doping]:
    return [d for i, s in enumerate(sentences) if s.table is None for d in sentence_dopings(i, s)]
