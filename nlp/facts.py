"""Property facts: a material, a property and a value with a fitting unit, found in one sentence.

"The band gaps of A, B and C are 1.1, 1.4 and 2.0 eV, respectively" pairs in order; otherwise
each quantity goes to the nearest property whose unit fits and that property to the nearest
material. Confidence drops for the weaker links (several candidate materials, unknown units).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.records import Measurement, Mention, Quantity, Sentence
from nlp.units import dimension

METHOD = "facts.rules.v1"

# Property key (as nlp.lexicon normalises it) -> unit dimensions it can be measured in.
# "none" stands for a unitless number (ZT, a dielectric constant).
PROPERTY_DIMENSIONS: dict[str, frozenset[str]] = {}
for _dims, _keys in {
    "energy": "band gap|activation energy|formation energy|binding energy|adsorption energy|work function|"
    "exciton binding energy|urbach energy|barrier height|fermi level|stacking fault energy",
    "temperature": "critical temperature|curie temperature|neel temperature|néel temperature|"
    "transition temperature|superconducting transition temperature|glass transition temperature|"
    "melting point|blocking temperature|debye temperature",
    "specific_capacity capacity": "capacity",
    "conductivity": "conductivity|electrical conductivity|ionic conductivity",
    "resistivity": "resistivity",
    "thermal_conductivity": "thermal conductivity",
    "seebeck": "seebeck coefficient",
    "power_factor": "power factor",
    "none": "figure of merit|dielectric constant|poisson's ratio|piezoelectric coefficient",
    "pressure": "hardness|young's modulus|bulk modulus|shear modulus|tensile strength|yield strength|"
    "compressive strength|flexural strength|strength|residual stress|elastic constants|fracture toughness",
    "toughness": "fracture toughness",
    "magnetization magnetic": "magnetization|remanent magnetization",
    "magnetic": "coercivity",
    "density": "density",
    "surface_area": "surface area",
    "length": "grain size|particle size|crystallite size|lattice parameter|pore size",
    "fraction none": "efficiency|power conversion efficiency|conversion efficiency|quantum efficiency|"
    "coulombic efficiency|capacity retention|porosity|relative density|fill factor|quantum yield",
    "mobility": "mobility",
    "specific_capacitance": "specific capacitance",
    "energy_density": "energy density",
    "power_density": "power density",
    "current_density": "current density|exchange current density|short-circuit current",
    "electrical": "open-circuit voltage|overpotential",
    "tafel_slope": "tafel slope",
    "heat_capacity": "heat capacity",
}.items():
    for _k in _keys.split("|"):
        PROPERTY_DIMENSIONS[_k] = PROPERTY_DIMENSIONS.get(_k, frozenset()) | frozenset(_dims.split())

_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def unit_fits(prop: Mention, q: Quantity) -> bool | None:
    """True/False when the property's dimensions are known, None when any unit would do."""
    allowed = PROPERTY_DIMENSIONS.get(prop.key)
    if allowed is None:
        return None if q.unit is not None else False
    dim = "none" if q.unit is None else dimension(q.unit)
    return dim in allowed


def link_measurements(sentences: Sequence[Sentence]) -> list[Measurement]:
    """Measurements of every sentence; `Measurement.sentence` indexes into `sentences`."""
    out: list[Measurement] = []
    for i, s in enumerate(sentences):
        out.extend(_link_sentence(i, s))
    return out


def _link_sentence(index: int, s: Sentence) -> list[Measurement]:
    mats = [m for m in s.mentions if m.type == "MAT"]
    props = [m for m in s.mentions if m.type == "PRO"]
    if not mats or not props or not s.quantities:
        return []
    if _RESPECTIVELY.search(s.text):
        paired = _respectively(index, s, mats, props)
        if paired:
            return paired
    return _nearest(index, s, mats, props)


def _respectively(index: int, s: Sentence, mats: list[Mention], props: list[Mention]) -> list[Measurement]:
    """"The band gaps of A, B and C are 1.1, 1.4 and 2.0 eV, respectively" (or one material, many properties)."""
    # properties with known units first: "the band gaps ... are 1.1 and 1.4 eV" beats "semiconducting"
    for prop in sorted(props, key=lambda p: p.key not in PROPERTY_DIMENSIONS):
        qs = _share_unit([q for q in s.quantities if q.start > prop.end])
        qs = [q for q in qs if unit_fits(prop, q) is not False]
        ms = [m for m in mats if m.start < qs[0].start] if qs else []
        if len(qs) >= 2 and len(ms) == len(qs):
            return [Measurement(index, m, prop, q, METHOD, 0.8) for m, q in zip(ms, qs)]
    if len(mats) == 1 and len(props) >= 2:
        qs = _share_unit([q for q in s.quantities if q.start > props[-1].end])
        if len(qs) == len(props) and all(unit_fits(p, q) is not False for p, q in zip(props, qs)):
            return [Measurement(index, mats[0], p, q, METHOD, 0.8) for p, q in zip(props, qs)]
    return []


def _share_unit(qs: list[Quantity]) -> list[Quantity]:
    """In "1.1, 1.4 and 2.0 eV" only the last number carries the unit; lend it to the others."""
    if len(qs) < 2 or qs[-1].unit is None:
        return qs
    unit = qs[-1].unit
    return [q if q.unit is not None else Quantity(q.text, q.start, q.end, q.value, unit, q.low, q.high, q.error) for q in qs]


def _nearest(index: int, s: Sentence, mats: list[Mention], props: list[Mention]) -> list[Measurement]:
    out = []
    for q in s.quantities:
        fitting = [(unit_fits(p, q), p) for p in props]
        known = [p for fit, p in fitting if fit]
        open_ = [p for fit, p in fitting if fit is None]
        pool, base = (known, 0.75) if known else (open_, 0.45)
        if not pool:
            continue
        prop = min(pool, key=lambda p: _gap(p, q))
        mat = min(mats, key=lambda m: _gap(m, prop) + (0 if m.start < q.start else 5))
        conf = base - (0.15 if len(mats) > 1 else 0.0) - (0.1 if _gap(prop, q) > 60 else 0.0)
        out.append(Measurement(index, mat, prop, q, METHOD, round(max(conf, 0.1), 2)))
    return out


def _gap(a: Mention | Quantity, b: Mention | Quantity) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0
