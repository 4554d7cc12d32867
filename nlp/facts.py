"""Property facts: a material, a property and a value with a fitting unit, found in one sentence.

A number is a property's value only when its unit fits the property (a band gap takes an
energy, a Curie temperature a temperature), so "p-type", "grain boundaries" or "at 25 °C"
never give a fact. Lists pair in order ("the band gaps of A, B and C are 6.1, 3.4 and 0.7 eV,
respectively"; phases such as anatase and rutile stand for the material they are phases of).
Otherwise the material is the one the value is attached to ("1.12 eV for Si", "GaN (25 meV)",
"the ZT of SnSe is ..."), or the subject of the value's clause, "it" and "its" resolved to the
subject before (nlp.discourse). No subject, no fact: a missing fact is better than a wrong one.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.discourse import METHOD, Clause, clause_at, clauses, coordinated_runs, is_specific_material, topic
from nlp.quantities import LIST_JOIN
from nlp.records import Measurement, Mention, Quantity, Sentence
from nlp.units import dimension

__all__ = ["METHOD", "PROPERTY_DIMENSIONS", "SentenceLinks", "attached", "fits", "is_value", "labelled",
           "link_measurements", "main_material", "properties", "property_dimensions", "property_for", "sentence_links"]

# Property key (as nlp.lexicon normalises it) -> unit dimensions it can be measured in.
# "none" stands for a unitless number (ZT, a dielectric constant).
PROPERTY_DIMENSIONS: dict[str, frozenset[str]] = {}
for _dims, _keys in {
    "energy": "band gap|activation energy|formation energy|binding energy|adsorption energy|work function|"
    "exciton binding energy|urbach energy|barrier height|fermi level|stacking fault energy|"
    "ionization potential|electron affinity",
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
    "compressive strength|flexural strength|strength|residual stress|elastic constants",
    "toughness": "fracture toughness",
    "magnetization magnetic": "magnetization|remanent magnetization",
    "magnetic": "coercivity",
    "charge_density magnetic": "polarization",
    "density": "density",
    "surface_area": "surface area",
    "length": "grain size|particle size|crystallite size|lattice parameter|pore size",
    "fraction": "efficiency|power conversion efficiency|conversion efficiency|quantum efficiency|"
    "coulombic efficiency|capacity retention|porosity|relative density|fill factor|quantum yield",
    "mobility": "mobility",
    "specific_capacitance": "specific capacitance",
    "energy_density": "energy density",
    "power_density power_density_area": "power density",
    "current_density": "current density|exchange current density|short-circuit current",
    "electrical": "open-circuit voltage|overpotential",
    "area_resistance": "area-specific resistance|polarization resistance|ohmic resistance",
    "tafel_slope": "tafel slope",
    "heat_capacity": "heat capacity",
    "number_density": "carrier concentration|hole concentration|electron concentration",
    "wavenumber": "absorption coefficient",
    "inverse_temperature": "thermal expansion",
    "electric_field": "breakdown field",
}.items():
    for _k in _keys.split("|"):
        PROPERTY_DIMENSIONS[_k] = PROPERTY_DIMENSIONS.get(_k, frozenset()) | frozenset(_dims.split())

# For keys the table does not list ("lithium ion conductivity", "intrinsic strength"): the head noun.
_HEAD_DIMENSIONS: dict[str, frozenset[str]] = {
    head: frozenset(dims.split()) for head, dims in {
        "conductivity": "conductivity", "resistivity": "resistivity", "temperature": "temperature",
        "energy": "energy", "gap": "energy", "strength": "pressure", "modulus": "pressure",
        "hardness": "pressure", "capacity": "specific_capacity capacity", "efficiency": "fraction",
        "mobility": "mobility", "magnetization": "magnetization magnetic", "size": "length",
        "thickness": "length", "resistance": "area_resistance electrical", "voltage": "electrical",
    }.items()
}
_SUPERCONDUCTING = frozenset({"superconductivity", "superconducting"})
# "superconducting at 39 K", "superconductivity with an onset near 93 K": the critical temperature
_SC_VALUE = re.compile(
    r"\s+(?:with\s+(?:an\s+)?onset\s+)?(?:at|below|near|around|up\s+to|close\s+to|of)\s+"
    r"(?:(?:ca\.|about|approximately|around|roughly|nearly|~|≈)\s*)?"
)
# "a gap of about 1.3 eV", "an optical gap of ca. 1.8 eV": a band gap the tagger did not mark
_GAP = re.compile(
    r"(?<![\w-])(?<!superconducting )(?<!spin )(?<!charge )(?:(?:optical|direct|indirect|energy|fundamental)\s+)?"
    r"gaps?(?=\s+(?:of|is|was|=|≈|~)\s)",
    re.IGNORECASE,
)
# A change or a difference, not a value: "about 1 K higher than", "lowers Tc by 5 K".
_DIFFERENCE_AFTER = re.compile(r"\s*(?:higher|lower|larger|smaller|more|less|greater|above|below)\s+than\b")
_DIFFERENCE_BEFORE = re.compile(
    r"\bby\s+(?:(?:some|about|ca\.|roughly|approximately|nearly|more\s+than|up\s+to|~|≈)\s*)*$"
)
# How a value points at its material: "1.12 eV for Si", "GaN (ca. 25 meV)", "the Tc of MgB2 is".
_FOR_MATERIAL = re.compile(r"\s*,?\s*(?:for|of|in)\s+(?:[\w-]+\s+){0,2}")
_CLOSES = re.compile(r"(?:\s*,?\s*(?:at|in|under)\s+[^()]{1,30})?\)")  # "(4.2 Ω cm2 at 700 °C)"
# Gases name the atmosphere a value was measured in, never its material.
GASES = frozenset("H2 O2 N2 CH4 CO CO2 NH3 H2O Ar He air C2H6 C3H8 H2S".split())
_CONDITION_GAP = re.compile(r"\s*,?\s*(?:at|in|under|after|for)\s+(?:[\w-]+\s+){0,2}")
_IN_BRACKETS = re.compile(r"\s*\(\s*(?:(?:ca\.|about|approx\.|approximately|~|≈)\s*)?")
_PROPERTY_OF = re.compile(r"\s+(?:of|in|for)\s+(?:[\w-]+\s+){0,3}")
_VALUE_OF = re.compile(r"\s*(?:\(|of|is|was|=|:|,)?\s*(?:(?:ca\.|about|approximately|nearly|~|∼|≈)\s*)?")
# Words that may follow a value without saying what it is the value of ("1.12 eV at 300 K").
_FUNCTION_WORDS = frozenset(
    "at and or in for of to with without from by than near above below under over after before "
    "between which that whereas while is are was were be been has have had respectively along "
    "across just only when where as on upon into during within higher lower larger smaller more "
    "less up down even also then but so compared versus vs per due close around about nearly the "
    "a an it its this these their since until beyond both each along whose if ca".split()
)
_ADJACENT = re.compile(r"\s+(?:[\w-]+\s+)?")  # "26% efficiency", "a 3.4 eV direct band gap"
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_MAX_PROPERTY_GAP = 150  # characters from a property to its value
_MAX_UNITLESS_GAP = 40  # a bare number must follow its property closely ("ZT of 2.6")


def property_dimensions(key: str) -> frozenset[str]:
    """Unit dimensions a property takes; empty for properties that take no value (p-type)."""
    if key in PROPERTY_DIMENSIONS:
        return PROPERTY_DIMENSIONS[key]
    words = key.split()
    if words and words[-1] == "conductivity" and "thermal" in words:
        return frozenset({"thermal_conductivity"})
    return _HEAD_DIMENSIONS.get(words[-1], frozenset()) if words else frozenset()


def fits(prop: Mention, q: Quantity) -> bool:
    """Whether the quantity's unit is one the property is measured in."""
    dim = "none" if q.unit is None else dimension(q.unit)
    return dim in property_dimensions(prop.key)


@dataclass(frozen=True)
class SentenceLinks:
    """What the rules decided for one sentence, kept for the learned linker (nlp.relations),
    which uses the clauses and the rules' facts as features."""

    clauses: tuple[Clause, ...]
    previous: tuple[Mention, ...]  # the material an "it" here would stand for
    facts: tuple[Measurement, ...]


def sentence_links(sentences: Sequence[Sentence]) -> list[SentenceLinks | None]:
    """The rules' clauses and facts per sentence; None for table rows (nlp.tables links those)."""
    out: list[SentenceLinks | None] = []
    topics: list[tuple[Mention, ...]] = []  # what each earlier sentence is about
    main = main_material(sentences)
    for i, s in enumerate(sentences):
        if s.table is not None:
            topics.append(())
            out.append(None)
            continue
        previous = topics[-1] if topics and len({m.key for m in topics[-1]}) == 1 else main
        cls = clauses(s.text, s.mentions, s.quantities, previous)
        out.append(SentenceLinks(tuple(cls), previous, tuple(_dedupe(_link_sentence(i, s, cls, topics)))))
        topics.append(topic(cls))
    return out


def link_measurements(sentences: Sequence[Sentence]) -> list[Measurement]:
    """Measurements of every sentence; `Measurement.sentence` indexes into `sentences`.

    A material written as a pronoun ("its band gap") or a phase ("anatase") is a Mention over
    those words in the fact's own sentence, with the key of the material it stands for.
    """
    return [m for links in sentence_links(sentences) if links is not None for m in links.facts]


def main_material(sentences: Sequence[Sentence]) -> tuple[Mention, ...]:
    """The material a document is plainly about (named far more often than any other), for an
    "it" whose sentence before names no single material."""
    counts: dict[str, list[Mention]] = {}
    for s in sentences:
        for m in s.mentions if s.table is None else ():
            if is_specific_material(m, s.text):
                counts.setdefault(m.key, []).append(m)
    ranked = sorted(counts.values(), key=len, reverse=True)
    if not ranked or len(ranked[0]) < 3 or (len(ranked) > 1 and len(ranked[0]) < 1.5 * len(ranked[1])):
        return ()
    return (ranked[0][0],)


def _link_sentence(index: int, s: Sentence, cls: list[Clause], topics: list[tuple[Mention, ...]]) -> list[Measurement]:
    props = _properties(s)
    qs = [q for q in s.quantities if _is_value(s.text, q)]
    if not props or not qs:
        return []
    mats = [m for m in s.mentions if is_specific_material(m, s.text)]
    out, used = _lists(index, s, mats, props, qs, cls, topics)
    valued: set[tuple[Mention, str]] = set()  # a property in the singular has one value per material
    for q in qs:
        if q in used:
            continue
        prop = _property_for(s.text, q, props, qs)
        if prop is None or _owned_by_other(s, q, prop) or _labelled(s.text, q, prop):
            continue
        attached = _attached(s.text, q, mats)
        found = [(attached, 0.75)] if attached else _material_for(s.text, q, prop, mats, cls)
        conf_drop = 0.1 if q.start - prop.end > 60 else 0.0
        for mat, conf in found:
            if (prop, mat.key) in valued:
                continue  # "1.12 eV at 300 K and rises to 1.17 eV", "60 meV, twice kT (26 meV)"
            out.append(Measurement(index, mat, prop, q, METHOD, round(conf - conf_drop, 2)))
            if not _plural(prop):
                valued.add((prop, mat.key))
    return out


def _properties(s: Sentence) -> list[Mention]:
    """Properties that take a value, with "superconducting at 39 K" and "a gap of" made explicit."""
    out = []
    for p in s.mentions:
        if p.type != "PRO":
            continue
        if p.key in _SUPERCONDUCTING:
            m = _SC_VALUE.match(s.text, p.end)
            if m and any(q.start == m.end() and dimension(q.unit) == "temperature" for q in s.quantities):
                out.append(Mention("PRO", p.text, p.start, p.end, "critical temperature", METHOD, 0.6))
        elif property_dimensions(p.key):
            out.append(p)
    for g in _GAP.finditer(s.text):
        if not any(p.start <= g.start() < p.end for p in s.mentions):
            out.append(Mention("PRO", g.group(), g.start(), g.end(), "band gap", METHOD, 0.6))
    return sorted(out, key=lambda p: p.start)


def properties(s: Sentence) -> list[Mention]:
    """The sentence's properties that take a value (see _properties)."""
    return _properties(s)


def is_value(text: str, q: Quantity) -> bool:
    """Whether a quantity states a value rather than a change ("1 K higher than", "by 5 K")."""
    return _is_value(text, q)


def property_for(text: str, q: Quantity, props: list[Mention], qs: list[Quantity]) -> Mention | None:
    """The property a value belongs to (see _property_for)."""
    return _property_for(text, q, props, qs)


def attached(text: str, q: Quantity, mats: list[Mention]) -> Mention | None:
    """The material a value is written for ("1.12 eV for Si", "GaN (25 meV)"), see _attached."""
    return _attached(text, q, mats)


def labelled(text: str, q: Quantity, prop: Mention) -> bool:
    """Whether a noun right after the value says what it measures ("92% conversion")."""
    return _labelled(text, q, prop)


def _is_value(text: str, q: Quantity) -> bool:
    return not (_DIFFERENCE_AFTER.match(text, q.end) or _DIFFERENCE_BEFORE.search(text[max(0, q.start - 40) : q.start]))


def _plural(prop: Mention) -> bool:
    return len(prop.text) > 3 and prop.text.endswith("s")


def _property_for(text: str, q: Quantity, props: list[Mention], qs: list[Quantity]) -> Mention | None:
    """The property a value belongs to: the nearest fitting one before it, or one right after."""
    fitting = [p for p in props if fits(p, q)]
    after = [p for p in fitting if p.start >= q.end and _ADJACENT.fullmatch(text, q.end, p.start)]
    if after:
        return after[0]
    before = [p for p in fitting if p.end <= q.start and q.start - p.end <= _MAX_PROPERTY_GAP]
    if not before:
        return None
    prop = max(before, key=lambda p: p.end)
    if q.unit is None and (q.start - prop.end > _MAX_UNITLESS_GAP or any(prop.end <= o.start < q.start for o in qs)):
        return None
    return prop


def _owned_by_other(s: Sentence, q: Quantity, prop: Mention) -> bool:
    """"selectivity (45%)", "a Debye temperature of 300 K" the tagger missed: the value right
    after another property word is that property's, even when no unit check can say so."""
    before = [p for p in s.mentions if p.type == "PRO" and p.end <= q.start and p.end > prop.end]
    return bool(before) and bool(_VALUE_OF.fullmatch(s.text, before[-1].end, q.start))


def _labelled(text: str, q: Quantity, prop: Mention) -> bool:
    """"92% conversion", "5 wt% Li2CO3": a noun right after the value says what it measures."""
    m = re.match(r"\s?([A-Za-z][\w-]*)", text[q.end :])
    if m is None or prop.start >= q.end:
        return False
    return m.group(1).lower() not in _FUNCTION_WORDS


def _attached(text: str, q: Quantity, mats: list[Mention]) -> Mention | None:
    """A material the value is written for: "1.12 eV for Si", "GaN (ca. 25 meV)"."""
    for m in mats:
        if m.start >= q.end and _FOR_MATERIAL.fullmatch(text, q.end, m.start):
            if m.key in GASES and re.match(r"\s*,?\s*in\b", text[q.end : m.start]):
                continue  # "0.057 Ω cm2 in H2": the atmosphere, not the material
            return m
        if m.end <= q.start and _IN_BRACKETS.fullmatch(text, m.end, q.start) and _CLOSES.match(text, q.end):
            return m
    return None


def _material_for(text: str, q: Quantity, prop: Mention, mats: list[Mention],
                  cls: list[Clause]) -> list[tuple[Mention, float]]:
    """The material of "the <property> of <material> ... <value>", else the clause's subject."""
    if prop.end <= q.start:
        between = [m for m in mats if prop.end <= m.start and m.end <= q.start]
        if between and _PROPERTY_OF.fullmatch(text, prop.end, between[0].start):
            run = next(r for r in coordinated_runs(mats, text) if between[0] in r)
            return [(between[0], 0.8)] if len(run) == 1 else []
    clause = clause_at(cls, q.start)
    if clause is None or not clause.subject:
        return []
    conf = 0.75 if clause.own else 0.6
    if len(clause.subject) > 1:
        conf -= 0.1
    return [(m, conf) for m in clause.subject]


def _lists(index: int, s: Sentence, mats: list[Mention], props: list[Mention], qs: list[Quantity],
           cls: list[Clause], topics: list[tuple[Mention, ...]]) -> tuple[list[Measurement], set[Quantity]]:
    """Lists of values: paired in order with a list of materials, phases or properties, else dropped."""
    out: list[Measurement] = []
    used: set[Quantity] = set()
    for run in coordinated_runs(qs, s.text, LIST_JOIN):
        if len(run) < 2:
            continue
        used.update(run)
        out.extend(_pair(index, s, run, mats, props, cls, topics))
    return out, used


def _pair(index: int, s: Sentence, run: list[Quantity], mats: list[Mention], props: list[Mention],
          cls: list[Clause], topics: list[tuple[Mention, ...]]) -> list[Measurement]:
    text, n = s.text, len(run)
    resp = _RESPECTIVELY.search(text, run[-1].end)
    in_order = resp is not None
    if resp is not None and re.search(r"\band\b", text[run[-1].end : resp.start()]):
        # "300 and 550 S cm-1 in Bi-doped and Sb-doped samples, respectively": the list is after,
        # and only a list of conditions ("at 500, 600 and 700 °C") pairs with the values here
        before = [p for p in props if p.end <= run[0].start and all(fits(p, q) for q in run)]
        return _condition_list(index, s, run, max(before, key=lambda p: p.end), mats, cls) if before else []
    prop_runs = [r for r in coordinated_runs([p for p in props if p.end <= run[0].start], text) if len(r) == n]
    if in_order and prop_runs and all(fits(p, q) for p, q in zip(prop_runs[-1], run)):
        found = _material_for(text, run[0], prop_runs[-1][-1], mats, cls)  # "the gap and Tc of X are ..."
        return [Measurement(index, m, p, q, METHOD, 0.75) for m, _ in found[:1] for p, q in zip(prop_runs[-1], run)]
    fitting = [p for p in props if p.end <= run[0].start and all(fits(p, q) for q in run)]
    if not fitting:
        return []
    prop = max(fitting, key=lambda p: p.end)
    phases = [m for m in s.mentions if m.type == "SPL"]
    items = [r for r in coordinated_runs(mats + phases, text) if len(r) == n and r[-1].end <= run[0].start]
    if not items or not (in_order or items[-1][0].start > prop.end):
        return _condition_list(index, s, run, prop, mats, cls) if in_order else []
    chosen = items[-1]
    if all(m.type == "MAT" for m in chosen):
        return [Measurement(index, m, prop, q, METHOD, 0.8) for m, q in zip(chosen, run)]
    if all(m.type == "SPL" for m in chosen):
        owner = _phase_owner(run[0], cls, topics)
        if owner is not None:
            return [Measurement(index, Mention("MAT", ph.text, ph.start, ph.end, owner.key, METHOD, 0.6), prop, q,
                                METHOD, 0.6) for ph, q in zip(chosen, run)]
    return []


def _condition_list(index: int, s: Sentence, run: list[Quantity], prop: Mention, mats: list[Mention],
                    cls: list[Clause]) -> list[Measurement]:
    """"0.01, 0.025 and 0.054 S cm-1 at 500, 600 and 700 °C, respectively": the values pair with
    conditions, so all belong to the one material the property is stated for."""
    later = [q for q in s.quantities if q.start >= run[-1].end]
    conds = next((r for r in coordinated_runs(later, s.text, LIST_JOIN) if len(r) == len(run)), None)
    if conds is None or any(fits(prop, c) for c in conds) or not _CONDITION_GAP.fullmatch(s.text, run[-1].end, conds[0].start):
        return []
    found = _material_for(s.text, run[0], prop, mats, cls)
    return [Measurement(index, m, prop, q, METHOD, 0.7) for m, _ in found[:1] for q in run]


def _phase_owner(q: Quantity, cls: list[Clause], topics: list[tuple[Mention, ...]]) -> Mention | None:
    """The material that phases belong to: this clause's subject, else that of the last sentences."""
    clause = clause_at(cls, q.start)
    candidates = [clause.subject] if clause is not None else []
    candidates += list(reversed(topics[-2:]))
    for subject in candidates:
        if subject:
            return subject[0] if len({m.key for m in subject}) == 1 else None
    return None


def _dedupe(ms: list[Measurement]) -> list[Measurement]:
    """One fact per material key, property and value ("Magnetite, Fe3O4, ..." is one material)."""
    seen: set[tuple[str, str, int]] = set()
    out = []
    for m in ms:
        k = (m.material.key, m.property.key, m.quantity.start)
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out
