"""Synthesis operations in procedure text ("stirred", "calcined", "ball milled") and their conditions.

Each operation word maps to a normalised type; its temperature, time and atmosphere are the
ones written after it and before the next operation of the sentence ("calcined at 600 °C for
8 h in air"), or before it when nothing follows ("After 5 h at 80 °C, the gel was dried").
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from nlp.records import Operation, Quantity, Sentence
from nlp.units import dimension

# Operation type -> the words that name it (verb forms and nominalisations).
_TYPES = {
    "purchase": "purchased supplied",
    "procedure": "used performed conducted|carried out",
    "synthesis": "prepared prepare preparation synthesized synthesised synthesize synthesis fabricated produced "
    "produce obtained obtain formed formation",
    "mixing": "mixed mixing mix blended combined",
    "adding": "added adding addition dropped dropping introduced poured impregnated diluted",
    "dissolving": "dissolved dissolving dissolve dissolution dispersed dispersing dispersion suspended",
    "stirring": "stirred stirring agitated",
    "sonication": "sonicated sonication ultrasonicated ultrasonication",
    "grinding": "ground grinding milled milling ball-milled pulverized crushed sieved|ball milled|ball milling",
    "heating": "heated heating refluxed reflux kept maintained held treated melted|hydrothermally treated",
    "calcination": "calcined calcination calcining calcinated",
    "sintering": "sintered sintering fired firing",
    "annealing": "annealed annealing heat-treated|heat treated|heat treatment",
    "drying": "dried drying freeze-dried freeze-drying evaporated evaporation",
    "cooling": "cooled cooling quenched quenching",
    "washing": "washed washing wash rinsed rinsing cleaned purified purification polished",
    "separation": "filtered filtration centrifuged centrifugation collected separated isolated removed remove "
    "extracted recovered|suction filtration",
    "pressing": "pressed pelletized pelletised compacted cold-pressed",
    "transfer": "transferred placed put sealed loaded immersed soaked dipped",
    "deposition": "deposited deposition spin-coated coated sputtered grown",
    "reaction": "reduced reduction oxidized oxidised precipitated co-precipitated precipitation coprecipitated aged "
    "aging ageing activated carbonized hydrolysis",
    "weighing": "weighed",
}
# Steps that say what was made or bought, not how: kept as mentions, left out of recipes.
META_TYPES = frozenset({"purchase", "synthesis", "procedure"})
HEAT_TYPES = frozenset({"heating", "calcination", "sintering", "annealing", "drying"})

_GASES: dict[str, str] = {
    "air": "air", "vacuum": "vacuum", "argon": "Ar", "ar": "Ar", "nitrogen": "N2", "n2": "N2",
    "oxygen": "O2", "o2": "O2", "hydrogen": "H2", "h2": "H2", "helium": "He", "he": "He",
    "ammonia": "NH3", "nh3": "NH3", "h2/ar": "H2/Ar", "ar/h2": "H2/Ar", "h2/n2": "H2/N2", "n2/h2": "H2/N2",
    "co2": "CO2", "co": "CO", "h2s": "H2S",
}
_ATMOSPHERE = re.compile(
    r"\b(?:in|under|with)\s+(?:(?:an?|the|flowing|static|pure|dry|ambient|high|reducing|oxidizing|"
    r"\d+(?:\.\d+)?\s*%|a\s+flow\s+of|a\s+stream\s+of)\s+)*"
    r"(?P<gas>H2/Ar|Ar/H2|H2/N2|N2/H2|air|vacuum|argon|Ar|nitrogen|N2|oxygen|O2|hydrogen|H2|helium|He|ammonia|NH3|"
    r"CO2|CO|H2S)(?![\w/])",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over every form; in _TYPES single words come first, "|" then multi-word forms."""
    forms: dict[str, str] = {}
    for etype, spec in _TYPES.items():
        words, *phrases = spec.split("|")
        forms.update({w: etype for w in words.split()})
        forms.update({p.strip(): etype for p in phrases})
    alts = "|".join(re.escape(f).replace(r"\ ", r"[\s-]") for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE), forms


def find_operations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, type) of every operation word in `text`."""
    pattern, forms = _pattern()
    out = []
    for m in pattern.finditer(text):
        etype = forms.get(m.group().lower()) or forms.get(re.sub(r"[\s-]+", " ", m.group().lower()))
        if etype is not None:
            out.append((m.start(), m.end(), etype))
    return out


def atmosphere(text: str) -> str | None:
    m = _ATMOSPHERE.search(text)
    return _GASES.get(m.group("gas").lower()) if m else None


def _condition(qs: Sequence[Quantity], dim: str) -> Quantity | None:
    return next((q for q in qs if dimension(q.unit) == dim), None)


def sentence_operations(index: int, s: Sentence) -> list[Operation]:
    """The operations of one sentence, each with its conditions and the materials of its stretch."""
    found = find_operations(s.text)
    out = []
    for k, (a, b, etype) in enumerate(found):
        stop = found[k + 1][0] if k + 1 < len(found) else len(s.text)
        start = found[k - 1][1] if k > 0 else 0
        after = [q for q in s.quantities if b <= q.start < stop]
        before = [q for q in s.quantities if start <= q.start and q.end <= a]
        if k > 0:
            before = []  # only a sentence's first step takes conditions written before it
        temp = _condition(after, "temperature") or _condition(before, "temperature")
        time = _condition(after, "time") or _condition(before, "time")
        gas = atmosphere(s.text[b:stop]) or (atmosphere(s.text[start:a]) if k == 0 else None)
        mats = tuple(m for m in s.mentions if m.type == "MAT" and start <= m.start and m.end <= stop)
        out.append(Operation(index, s.text[a:b], a, b, etype, temp, time, gas, mats))
    return out
