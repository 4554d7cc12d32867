"""What a property fact is about beyond the material: its phase, the sample's form, how it was measured.

"Anatase TiO2 films have a band gap of 3.2 eV, measured by UV-vis" keeps TiO2 as the material
(one node for every TiO2) and attaches phase "anatase", descriptor "film" and characterization
"uv-vis" to the fact, so the polymorph is never merged away. A phase or descriptor counts when
it is written next to the material (at most a few words between, "TiO2 (anatase)"), or when
the sentence names only one material and one phase; a characterization method anywhere in the
sentence counts, the one nearest the value first.
"""
from __future__ import annotations

import re
from dataclasses import replace

from nlp.records import Measurement, Mention, Sentence

# "α-Fe2O3", "β-Ga2O3", "4H-SiC", "2H-MoS2", "1T-TaS2": a phase written into the material's name
_PREFIX_PHASE = re.compile(r"(?P<p>[α-ωΑ-Ω]|\d[HTRC])[-–]")
_NEAR = re.compile(r"[\s(),-]*(?:(?:the|a|an|of|in|phase|structured?|type|form)[\s(),-]+){0,3}$", re.IGNORECASE)
_MAX_GAP = 40  # characters between a material and a phase or descriptor written beside it


def with_context(s: Sentence, m: Measurement) -> Measurement:
    """`m` with phase, descriptors and characterization filled in from its sentence."""
    phase = _phase(s, m)
    descriptors = _descriptors(s, m.material)
    characterization = _characterization(s, m)
    if phase is None and not descriptors and characterization is None:
        return m
    return replace(m, phase=phase, descriptors=descriptors, characterization=characterization)


def prefix_phase(material_text: str) -> str | None:
    """The phase written into a material's name: "β-Ga2O3" -> "β", "4H-SiC" -> "4H"."""
    m = _PREFIX_PHASE.match(material_text)
    return m.group("p") if m else None


def _beside(s: Sentence, a: Mention, b: Mention) -> bool:
    """Whether two spans are written next to each other, only filler words between."""
    left, right = (a, b) if a.end <= b.start else (b, a)
    if right.start < left.end:
        return False
    gap = s.text[left.end : right.start]
    return len(gap) <= _MAX_GAP and bool(_NEAR.fullmatch(gap))


def _phase(s: Sentence, m: Measurement) -> str | None:
    mat = m.material
    phases = [p for p in s.mentions if p.type == "SPL"]
    own = [p for p in phases if p.start == mat.start and p.end == mat.end]
    if own:
        return own[0].key  # "the band gaps of anatase and rutile": the phase stands for the material
    prefix = prefix_phase(mat.text)
    if prefix:
        return prefix
    beside = [p for p in phases if _beside(s, p, mat)]
    if beside:
        return min(beside, key=lambda p: min(abs(p.end - mat.start), abs(mat.end - p.start))).key
    materials = {x.key for x in s.mentions if x.type == "MAT"}
    keys = {p.key for p in phases}
    if len(keys) == 1 and materials <= {mat.key}:
        return keys.pop()
    return None


def _descriptors(s: Sentence, mat: Mention) -> tuple[str, ...]:
    found = [d for d in s.mentions if d.type == "DSC" and _beside(s, d, mat)]
    if not found and {x.key for x in s.mentions if x.type == "MAT"} <= {mat.key}:
        found = [d for d in s.mentions if d.type == "DSC"]
    return tuple(dict.fromkeys(d.key for d in found))


def _characterization(s: Sentence, m: Measurement) -> str | None:
    methods = [c for c in s.mentions if c.type == "CMT"]
    if not methods:
        return None
    q = m.quantity
    return min(methods, key=lambda c: min(abs(c.start - q.end), abs(q.start - c.end))).key
