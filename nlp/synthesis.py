"""Synthesis recipes from procedure paragraphs: target, precursors, method and ordered steps.

A paragraph with at least two real steps (mixing, heating, washing ... not "prepared" or
"purchased"), one of them a heat treatment or a step with a condition, is one recipe. Its
target is the material the text says was made ("to obtain LaMnO3", "LaMnO3 was synthesized",
"converted to LaMnO3"), else the document's main material (named far more often than any
other); its precursors are the materials the mixing, dissolving, adding and grinding steps act
on, those after "reaction of", "a mixture of", "from" or "using", and those called precursors
or starting materials. Solvents are marked as such. No target found: the recipe keeps None.

When a synthesis tagger has run (Sentence.synthesis_materials: the multi-head encoder's `syn`
head, opt-in through nlp.hybrid), a material is a recipe's only if one of those spans overlaps
it: on synthesis-procedures dev this dropped false precursors and solvents; taking the head's
spans the rules missed as new materials added only false ones (benchmarks/synthesis_recipes.py).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from nlp.discourse import coordinated_runs, is_specific_material
from nlp.operations import HEAT_TYPES, META_TYPES, sentence_operations
from nlp.records import Mention, Operation, Sentence, Synthesis

METHOD = "synthesis.rules.v1"
_PRECURSOR_STEPS = frozenset({"mixing", "adding", "dissolving", "grinding", "stirring", "sonication"})
SOLVENTS = frozenset(
    "H2O water ethanol methanol isopropanol propanol acetone ethylene glycol toluene hexane "
    "dmf dmso thf nmp chloroform acetonitrile".split()
)
_SOLVENT_KEYS = frozenset({"H2O", "C2H6O", "CH4O", "C3H8O", "C3H6O", "C2H6O2", "C7H8", "C6H14", "C3H7NO",
                           "C2H6OS", "C4H8O", "CHCl3", "C2H3N"})
# "to obtain X", "to form X", "converted to X", "to yield X", "denoted as X", "X was prepared"
_TARGET_BEFORE = re.compile(
    r"(?:to\s+(?:obtain|form|produce|yield|get|give|synthesize|prepare)|convert(?:ed)?\s+(?:it\s+)?(?:in)?to|"
    r"denoted\s+as|labell?ed\s+as|resulting\s+in|leading\s+to)\s+(?:the\s+|a\s+|an\s+|pure\s+|final\s+|"
    r"single-phase\s+|crystalline\s+|[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_TARGET_AFTER = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:[\w-]+\s+){0,3}(?:was|were|is|are|has\s+been|have\s+been|can\s+be)\s+"
    r"(?:\w+ly\s+)?(?:prepared|synthesized|synthesised|fabricated|obtained|produced|made|grown)\b",
    re.IGNORECASE,
)
# "solid-state reaction of LiOH, La2O3 and ZrO2", "a mixture of", "from X and Y", "using X"
_PRECURSORS_AFTER = re.compile(
    r"\b(?:reactions?|reacting|mixtures?|mixing|milling|grinding|from|using|between)\s+(?:of\s+|between\s+)?"
    r"(?:(?:stoichiometric|appropriate|high-purity|the|an?)\s+(?:amounts?\s+of\s+)?)*$",
    re.IGNORECASE,
)
_RUN_JOIN = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_PRECURSOR_HINT = re.compile(r"\b(?:precursors?|starting\s+materials?|raw\s+materials?|reagents?)\b", re.IGNORECASE)


def is_solvent(m: Mention) -> bool:
    return m.key in _SOLVENT_KEYS or m.text.lower() in SOLVENTS or m.key.lower() in SOLVENTS


def find_syntheses(sentences: Sequence[Sentence]) -> list[Synthesis]:
    """One recipe per paragraph that describes one (see the module docstring)."""
    if any(s.synthesis_materials for s in sentences):
        sentences = [synthesis_view(s) for s in sentences]
    blocks: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        if s.table is None:
            blocks.setdefault(s.block, []).append(i)
    out = []
    main = _main_material(sentences)
    for indexes in blocks.values():
        recipe = _recipe(sentences, indexes, main)
        if recipe is not None:
            out.append(recipe)
    return out


def synthesis_view(s: Sentence) -> Sentence:
    """The sentence as recipe finding sees it once a synthesis tagger has run over the document:
    only the materials that one of its synthesis materials overlaps."""
    def confirmed(m: Mention) -> bool:
        return m.type != "MAT" or any(x.start < m.end and m.start < x.end for x in s.synthesis_materials)

    return replace(s, mentions=tuple(m for m in s.mentions if confirmed(m)))


def _main_material(sentences: Sequence[Sentence]) -> tuple[int, Mention] | None:
    """The material a document is plainly about (named most, at least three times and half as
    often again as the next): the target of a recipe that names none."""
    counts: dict[str, list[tuple[int, Mention]]] = {}
    for i, s in enumerate(sentences):
        for m in s.mentions if s.table is None else ():
            if is_specific_material(m, s.text) and not is_solvent(m):
                counts.setdefault(m.key, []).append((i, m))
    ranked = sorted(counts.values(), key=len, reverse=True)
    if not ranked or len(ranked[0]) < 3 or (len(ranked) > 1 and len(ranked[0]) < 1.5 * len(ranked[1])):
        return None
    return ranked[0][0]


def _recipe(sentences: Sequence[Sentence], indexes: list[int], main: tuple[int, Mention] | None) -> Synthesis | None:
    ops: list[Operation] = []
    for i in indexes:
        ops.extend(sentence_operations(i, sentences[i]))
    steps = [o for o in ops if o.type not in META_TYPES]
    conditions = any(o.temperature or o.time or o.atmosphere for o in steps)
    if len(steps) < 2 or not (conditions or any(o.type in HEAT_TYPES for o in steps)):
        return None  # "grown by MOCVD and deposited on sapphire" names methods, it is no recipe
    target = _target(sentences, indexes)
    conf = 0.7
    if target is None:
        target, conf = main, 0.5
    precursors = _precursors(sentences, indexes, steps, target[1] if target else None)
    method = next((m.key for i in indexes for m in sentences[i].mentions if m.type == "SMT"), None)
    return Synthesis(target[1] if target else None, target[0] if target else None, tuple(precursors),
                     tuple(steps), method, conf)


def _target(sentences: Sequence[Sentence], indexes: list[int]) -> tuple[int, Mention] | None:
    for i in indexes:
        s = sentences[i]
        for m in s.mentions:
            if m.type != "MAT" or not is_specific_material(m, s.text) or is_solvent(m):
                continue
            if _TARGET_BEFORE.search(s.text[max(0, m.start - 60) : m.start]) or _TARGET_AFTER.match(s.text, m.end):
                return i, m
    return None


def _precursors(sentences: Sequence[Sentence], indexes: list[int], steps: list[Operation],
                target: Mention | None) -> list[tuple[int, Mention]]:
    out: list[tuple[int, Mention]] = []
    seen: set[str] = set()

    def add(i: int, m: Mention) -> None:
        if m.key in seen or (target is not None and m.key == target.key):
            return
        if not is_specific_material(m, sentences[i].text) and not is_solvent(m):
            return
        seen.add(m.key)
        out.append((i, m))

    for op in steps:
        if op.type in _PRECURSOR_STEPS:
            for m in op.materials:
                add(op.sentence, m)
    for i in indexes:
        s = sentences[i]
        mats = [m for m in s.mentions if m.type == "MAT"]
        if _PRECURSOR_HINT.search(s.text):
            for m in mats:
                add(i, m)
        for run in coordinated_runs(mats, s.text, _RUN_JOIN):
            if _PRECURSORS_AFTER.search(s.text[max(0, run[0].start - 60) : run[0].start]):
                for m in run:
                    add(i, m)
    return out
