"""Compositional phrases: descriptive modifiers followed by a head noun that fixes the type.

A phrase list cannot hold every "tensile stress", "reactive DC magnetron sputtering" or
"electrochemical measurements"; the head noun says what kind of thing is meant (a property,
a method, a characterisation, an application) and the modifiers say which one.
"""
from __future__ import annotations

import re

from nlp.formula import parse_formula
from nlp.lexicon import normalize_key, singular
from nlp.materials import Candidate
from nlp.pieces import Piece

# Head noun (singular) -> entity type.
HEADS: dict[str, str] = {}
for _t, _words in {
    "PRO": "properties property behavior characteristic performance mechanism concentration "
    "stress temperature transition modulus strength activity efficiency ordering order "
    "permeability susceptibility hardness resistance conductivity stability anisotropy "
    "constant coefficient loss structure parameter moment toughness roughness deficiency "
    "magnetization polarization ability capability content rate level quality purity factor "
    "effect ratio",
    "CMT": "measurement analysis analyses characterization characterisation study studies "
    "spectroscopy spectrometry microscopy diffraction diffractometry calculation simulation "
    "test testing calorimetry magnetometry microanalysis tomography",
    "SMT": "sputtering deposition annealing sintering irradiation implantation epitaxy "
    "evaporation nitriding melting pressing spraying bombardment treatment synthesis "
    "rolling casting quenching milling cycling ablation",
    "APL": "cell battery device sensor electrode catalyst photocatalyst application reaction "
    "transistor diode detector photodetector capacitor supercapacitor tool laser",
}.items():
    HEADS.update({w: _t for w in _words.split()})

MODIFIERS = frozenset(
    """
    magnetic electrical electric optical thermal mechanical structural electronic dielectric
    ferroelectric piezoelectric tribological electrochemical photocatalytic catalytic
    thermoelectric multiferroic magnetoelectric physical chemical elastic plastic tensile
    compressive residual intrinsic ionic crystalline crystallographic microstructural
    morphological microwave transport vibrational thermodynamic superconducting ferromagnetic
    antiferromagnetic ferrimagnetic paramagnetic luminescent optoelectronic photoelectrochemical
    photovoltaic spectroscopic surface interfacial domain crystal defect grain corrosion wear
    fatigue doping carrier formation glass solidus liquidus melting
    magnetization impedance raman infrared mossbauer neutron electron ion plasma laser
    magnetron reactive pulsed flash isothermal vacuum hydrothermal solvothermal solution vapor
    atomic beam air uv ultraviolet rapid dc rf r.f. static dynamic abrasive salt spray band
    offset density functional atomistic molecular hybrid isothermal nonisothermal
    non-isothermal cyclic oxygen nitrogen hydrogen lithium sodium gas humidity temperature
    fracture impact creep bending flexural shear hall seebeck curie neel néel debye
    solar fuel energy storage conversion biomedical dental protective sensing
    photoluminescence cathodoluminescence absorption emission excitation reflectance
    transmission x-ray thermogravimetric calorimetric voltammetric galvanostatic potentiostatic
    potentiodynamic spin orbital lattice phonon photonic plasmonic photothermal anodic cathodic
    oxidation reduction evolution water splitting dopant doping stacking fault hyperfine
    resonant friction detection leakage conduction kondo erosion pitting thermal
    ablation sensing field gas electromechanical physicochemical photophysical
    """.split()
)
# Modifiers too vague to start a phrase on their own ("oxidation behavior" is fine, "water
# reaction" is not).
_WEAK_ALONE = frozenset("water oxygen nitrogen hydrogen gas temperature energy band reduction evolution".split())


def phrase_candidates(pieces: list[Piece]) -> list[Candidate]:
    out = []
    n = len(pieces)
    for j in range(1, n):
        head = singular(pieces[j].fold)
        etype = HEADS.get(head) or HEADS.get(pieces[j].fold)
        if etype is None:
            continue
        i = j
        while i - 1 >= 0 and pieces[i - 1].fold in MODIFIERS and j - (i - 1) <= 4:
            i -= 1
        if i == j or (j - i == 1 and pieces[i].fold in _WEAK_ALONE):
            continue
        text = " ".join(p.fold for p in pieces[i : j + 1])
        out.append(Candidate(i, j, etype, normalize_key(text), 0, 0.6))
    return out


# Hermann–Mauguin space-group symbols: "Pnma", "P21/m", "I4/mmm", "Fd-3m", "P63/mmc", "R-3c";
# lattice letter then rotation/screw digits, bars and mirror/glide letters.
_SPACE_GROUP = re.compile(
    r"(?<![\w/¯-])(?P<sg>[PIFCRABHpifcrabh](?:[-¯]?\d{1,2}|[mnabcde])(?:\s?/\s?[mnabcde]|[-¯]?\d|[mnabcde])*)(?![\w/])"
)


_LOWER_ALL_LETTER_GROUPS = frozenset("pnma pbnm cmcm cmca pnnm pmmm immm fmmm cccm pbam ibam pccn".split())


def _is_space_group(sg: str) -> bool:
    tight = sg.replace(" ", "")
    if len(tight) > 10 or not re.search(r"[mnabcde]|[-¯]\d", tight[1:]):
        return False
    if tight[0].islower():
        # lower-cased text: shapes no English word or unit has ("fd-3m", "i4/mmm"), or a
        # common all-letter orthorhombic group
        if tight in _LOWER_ALL_LETTER_GROUPS:
            return True
        return bool(re.search(r"[mn]", tight)) and bool(re.search(r"[\d/]", tight)) and not tight.startswith("cm")
    if "/" in tight or re.search(r"[-¯]\d", tight):
        return True
    # "Pnma", "P63mc", "R3m"; but never something that reads as a formula ("Cm", "Fe1", "Ce")
    return parse_formula(tight) is None and (len(tight) >= 4 or bool(re.search(r"\d", tight)))


def space_group_candidates(sentence: str, pieces: list[Piece]) -> list[Candidate]:
    starts = {p.start: i for i, p in enumerate(pieces)}
    ends = {p.end: i for i, p in enumerate(pieces)}
    out = []
    for m in _SPACE_GROUP.finditer(sentence):
        if m.start() in starts and m.end() in ends and _is_space_group(m.group()):
            key = re.sub(r"\s", "", m.group()).replace("¯", "-")
            out.append(Candidate(starts[m.start()], ends[m.end()], "SPL", key, 3, 0.8))
    return out
