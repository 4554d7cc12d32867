"""Facts about a device that belong to its materials: "a fuel cell with a 40-nm YSZ electrolyte
reached a power density of 35 mW cm-2", "the LSCF cathode showed an ASR of 0.15 Ω cm2".

A cell's power density, open-circuit voltage, current density or area-specific resistance is
stated about the cell, never about a material as subject, so the sentence rules of nlp.facts
find no material for it. Here such a value goes to the materials written as the cell's
components in the same stretch of text: a material followed by a component word ("YSZ
electrolyte", "GDC-based cell", "Ni-YSZ anode") or after "with", "using", "employing",
"based on" or "consisting of". The stretch runs from the previous value of the same property
to this one, so "35 mW/cm2 for the cell with YSZ, 0.01 mW/cm2 for the GDC-based one" pairs
each value with its own material. Confidence is lower than for a material named as subject.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.discourse import coordinated_runs
from nlp.facts import GASES, fits, is_value, properties, property_for
from nlp.quantities import LIST_JOIN
from nlp.records import Measurement, Mention, Quantity, Sentence
from nlp.units import dimension

METHOD = "facts.components.v1"
CONFIDENCE = 0.5
# Units that name their property: a value in mW cm-2 is a power density even where the text
# only says "the performance stayed stable around 149 mW cm-2".
IMPLIED: dict[str, str] = {
    "power_density_area": "power density", "area_resistance": "area-specific resistance",
    "current_density": "current density",
}
DEVICE_PROPERTIES = frozenset(
    "power density|open-circuit voltage|current density|area-specific resistance|polarization resistance|"
    "ohmic resistance|resistance|voltage|cell voltage|energy density|power conversion efficiency|"
    "exchange current density|short-circuit current".split("|")
)
_COMPONENT_AFTER = re.compile(
    r"[\s-]*(?:[\w-]+\s+)?(?:electrolytes?|cathodes?|anodes?|electrodes?|(?:[\w-]+\s+)?layers?|interlayers?|films?|"
    r"membranes?|supports?|composites?|based|backbones?|scaffolds?|current\s+collectors?)\b",
    re.IGNORECASE,
)
_COMPONENT_BEFORE = re.compile(
    r"\b(?:with|using|employing|based\s+on|consisting\s+of|comprising|containing)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w.-]+\s+){0,3}$",
    re.IGNORECASE,
)


def is_component(s: Sentence, m: Mention) -> bool:
    if m.type != "MAT" or m.confidence < 0.6 or m.key in GASES or m.text.lower() in ("oxide", "oxides"):
        return False
    return bool(_COMPONENT_AFTER.match(s.text, m.end)) or bool(_COMPONENT_BEFORE.search(s.text[max(0, m.start - 50) : m.start]))


def component_measurements(sentences: Sequence[Sentence], found: Sequence[Measurement]) -> list[Measurement]:
    """Facts for device-level values that no material was linked to (see the module docstring)."""
    used = {(m.sentence, m.quantity.start) for m in found}
    out: list[Measurement] = []
    for i, s in enumerate(sentences):
        if s.table is not None or not s.quantities:
            continue
        props = [p for p in properties(s) if p.key in DEVICE_PROPERTIES]
        qs = [q for q in s.quantities if is_value(s.text, q)]
        props += _implied(s, qs, properties(s))
        if not props:
            continue
        last_end: dict[str, int] = {}
        for run in coordinated_runs(qs, s.text, LIST_JOIN):  # a list of values shares its components
            prop = property_for(s.text, run[-1], props, qs)
            if prop is None:
                continue
            start = last_end.get(prop.key, 0)
            last_end[prop.key] = run[-1].end
            mats = _components(s, start, run[0].start) or _components(s, run[-1].end, _next_value(qs, run[-1], s))
            for q in run:
                if (i, q.start) in used or not fits(prop, q):
                    continue  # "1 W/cm2 at 800 °C and 1.5 A/cm2": a list may mix properties
                for m in {m.key: m for m in mats}.values():
                    out.append(Measurement(i, m, prop, q, METHOD, CONFIDENCE))
    return out


def _implied(s: Sentence, qs: list[Quantity], written: list[Mention]) -> list[Mention]:
    """A property for each value whose unit names one, where no property word owns the value."""
    out = []
    for q in qs:
        key = IMPLIED.get(dimension(q.unit) or "")
        if key is not None and property_for(s.text, q, written, qs) is None:
            out.append(Mention("PRO", q.text, q.start, q.start, key, METHOD, 0.5))
    return out


def _components(s: Sentence, start: int, end: int) -> list[Mention]:
    return [m for m in s.mentions if start <= m.start and m.end <= end and is_component(s, m)]


def _next_value(qs: list[Quantity], q: Quantity, s: Sentence) -> int:
    later = [o.start for o in qs if o.start > q.start and o.unit == q.unit]
    return later[0] if later else len(s.text)
