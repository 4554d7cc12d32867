"""Candidate links for every value: each property it could be a value of and each material it could
belong to, wider than what the rules choose, so that recall is not capped by their decisions.

Properties: every written property in the sentence whose unit dimensions fit the value, plus the
property the unit itself names ("mW cm-2" is a power density) when no word is written.
Materials: every MAT mention of the sentence, the pronouns the rules resolved, the materials the
rules linked (phases standing for their material), and the material the sentence before (or the
whole document) is about, which has no span here and gets an empty one at the sentence start.
"""
from __future__ import annotations

from dataclasses import dataclass

from nlp.facts import GASES, fits
from nlp.records import Mention, Quantity
from nlp.relations.context import DocumentView, SentenceView
from nlp.units import dimension

METHOD = "facts.linker.v1"

# Units that name their property when the text does not ("149 mW cm-2", "0.15 Ω cm2").
_IMPLIED_BY_DIMENSION: dict[str, str] = {
    "power_density_area": "power density", "area_resistance": "area-specific resistance",
    "current_density": "current density", "conductivity": "conductivity", "resistivity": "resistivity",
    "thermal_conductivity": "thermal conductivity", "seebeck": "seebeck coefficient",
    "specific_capacity": "capacity", "mobility": "mobility", "specific_capacitance": "specific capacitance",
    "energy_density": "energy density", "tafel_slope": "tafel slope", "surface_area": "surface area",
    "power_factor": "power factor",
}
_VOLTS = frozenset({"V", "mV", "kV", "µV"})
_OHMS = frozenset({"Ω", "mΩ", "kΩ", "MΩ"})

ORIGINS = ("here", "pronoun", "rule", "before")


@dataclass(frozen=True)
class PropertyCandidate:
    sentence: int
    quantity: Quantity
    property: Mention
    implied: bool  # named by the unit, not written


@dataclass(frozen=True)
class MaterialCandidate:
    sentence: int
    quantity: Quantity
    material: Mention
    origin: str  # one of ORIGINS


def implied_property(q: Quantity) -> Mention | None:
    """The property a unit names by itself, as an empty mention at the value."""
    key = _IMPLIED_BY_DIMENSION.get(dimension(q.unit) or "")
    if key is None and q.unit in _VOLTS:
        key = "voltage"
    if key is None and q.unit in _OHMS:
        key = "resistance"
    if key is None:
        return None
    return Mention("PRO", q.text, q.start, q.start, key, METHOD, 0.5)


def property_candidates(view: SentenceView, q: Quantity) -> list[PropertyCandidate]:
    out = [PropertyCandidate(view.index, q, p, False) for p in view.properties if fits(p, q)]
    out += [PropertyCandidate(view.index, q, p, False) for p in view.symbols
            if fits(p, q) and not (p.start < q.end and q.start < p.end)]
    implied = implied_property(q)
    if implied is not None:
        out.append(PropertyCandidate(view.index, q, implied, True))
    return out


def material_candidates(view: SentenceView, doc: DocumentView, q: Quantity) -> list[MaterialCandidate]:
    out: list[MaterialCandidate] = []
    seen: set[tuple[int, int, str]] = set()

    def add(m: Mention, origin: str) -> None:
        if m.key in GASES:
            return  # the atmosphere or fuel a value was measured in, never its material
        if (m.start, m.end, m.key) in seen or (m.end > m.start and m.start < q.end and q.start < m.end):
            return
        seen.add((m.start, m.end, m.key))
        out.append(MaterialCandidate(view.index, q, m, origin))

    mention_set = set(view.sentence.mentions)
    for m in view.materials:
        add(m, "here" if m in mention_set else "pronoun")
    for f in view.rule_facts:
        if f.quantity == q:
            add(f.material, "rule")
    keys = {c.material.key for c in out}
    for m in view.previous or doc.main:
        if m.key not in keys:
            add(Mention("MAT", m.text, 0, 0, m.key, METHOD, m.confidence), "before")
    return out
