"""Which material a clause is about, for linking property facts.

A sentence is cut into clauses at ";", ":", ", and", ", which", "that", "whereas" ...; a
clause's subject is the first specific material near its start ("Optimized p-type (Bi,Sb)2Te3
and n-type Bi2(Te,Se)3 alloys reach ..."), or a pronoun ("it", "its", "the compound", "the
tetragonal phase") that stands for the subject of the clause or sentence before. Clauses that
go on without a subject of their own (", and is a direct-gap semiconductor") keep the one
before. Generic words ("oxides", "the metal") and materials that only modify another word
("Mg-doped", "diamond anvil cell", "titanium ions") are never subjects.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from nlp.lexicon import singular
from nlp.records import Mention, Quantity

# Mentions made here (a pronoun standing for a material) belong to the facts stage, which
# names itself with this.
METHOD = "facts.rules.v2"

# Words that name a class of materials, not one: facts about them say nothing specific.
GENERIC_WORDS = frozenset(
    "oxide metal alloy compound material sample specimen ceramic semiconductor superconductor "
    "composite film crystal phase solid salt mineral hydride nitride carbide sulfide chalcogenide "
    "dichalcogenide halide pnictide perovskite garnet spinel carbonate phosphate silicate "
    "citrate oxalate acetate nitrate sulfate mixed transition rare earth alkali alkaline noble".split()
)
# Anions that always name a family ("lead halide perovskites", "transition metal dichalcogenides").
_CLASS_ANIONS = frozenset("halide chalcogenide dichalcogenide pnictide".split())

# Words right after a material that make it a modifier of something else.
_MODIFIED = re.compile(
    r"\s*[-–]?\s*(?:anvils?|type|structures?|structured|like|based|ions?|atoms?|sites?|sublattices?|"
    r"crucibles?|precursors?|vacanc(?:y|ies)|content|doping|dopants?|substitution|substrates?|"
    r"buffer|counter|terminated|rich|free|poor|doped)\b",
    re.IGNORECASE,
)
# Words right before a material that make it a dopant, a coating or a reagent.
_AGENT_BEFORE = re.compile(
    r"(?:doped|co-doped|substituted|treated|treatment|coated|coating|coatings|alloyed|alloying|"
    r"doping|replacing|replaced)\s+(?:with|by|of)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_VARIABLE_BEFORE = re.compile(r"\b[A-Z]'?\s*=\s*(?:[A-Z][a-z]?\s*,\s*)*$")  # "(M = Nb, Ta)"
# "β-", "h-", "4H-" open a material's name rather than modify it
_PHASE_PREFIX = re.compile(r"(?:^|[\s(])(?:[α-ωΑ-Ω]|[a-z]{1,2}|\d[A-Z])[-–]$")

# Clause boundaries; the named group says what kind of clause follows.
_BOUNDARY = re.compile(
    r"(?P<colon>[;:])\s+"
    r"|,\s+(?P<embed>(?:in|on|at|of|for|by|with|from|through|during)\s+which|where|when)\b"
    r"|,\s+(?P<rel>which|whose)\b"
    r"|,\s+(?P<conj>and|but|so|whereas|while|although|though|because)\b"
    r"|\b(?P<sub>whereas|although|because)\b"
    r"|\b(?P<that>that)\b",
    re.IGNORECASE,
)
# Verbs that take a "that" clause with a subject of its own ("showed that MgB2 ...").
_SAYING = frozenset(
    "showed shown show shows found find finds reported report reports demonstrated demonstrate "
    "predicted predict suggested suggest suggests indicated indicate indicates revealed reveal "
    "proposed confirmed confirm concluded noted observed argued believed known means assumed "
    "expected claimed established so such than".split()
)
# A clause that starts with one of these goes on about the subject before (", and is ...").
_CONTINUING = frozenset(
    "is are was were has have had becomes become shows show exhibits exhibit reaches reach gives "
    "give offers offer displays display remains remain delivers deliver lies can could may also "
    "possesses possess".split()
)
# Words that, before a material, show it is not the clause's subject.
_NOT_SUBJECT_BEFORE = frozenset(
    "of by with from into in on at than as for after before to using via under over between "
    "through inside onto among during without within against versus vs per like such "
    "reported found showed shown used use uses obtained measured observed demonstrated built tested "
    "described identified prepared made grown deposited synthesized proposed predicted calculated "
    "studied investigated discovered applied combined replaced raised removing heating replacing "
    "adding is are was were has have had be been et al we they find finds show shows report reports "
    "demonstrate investigate examine examined compare compared consider considered present presented".split()
)
_PRONOUN = re.compile(
    r"(?:[A-Za-z]+\s+)?(?P<p>its?|the\s+(?:compound|material|oxide|alloy|crystals?)|"
    r"this\s+(?:compound|material|oxide|alloy)|the\s+(?:[\w-]+\s+){0,2}(?:phase|polymorph))\b"
    r"(?!\s+(?:transitions?|transformations?|diagrams?|stability|composition|formation|change|boundar|"
    r"separation|purity))",
    re.IGNORECASE,
)
_LIST_JOIN = re.compile(r"\s*,\s*(?:and\s+|or\s+)?(?:[\w-]+\s+){0,2}|\s+(?:and|or)\s+(?:[\w-]+\s+){0,2}")
_MAX_SUBJECT_PREFIX_WORDS = 6
Span = TypeVar("Span", Mention, Quantity)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    subject: tuple[Mention, ...]  # () when unknown; several for "A and B reach ..."
    own: bool  # the subject is written in the clause (not a pronoun, not carried over)


def is_specific_material(m: Mention, text: str) -> bool:
    """Whether a MAT mention can be the material of a fact in `text` (its sentence)."""
    if m.type != "MAT" or m.confidence < 0.6:
        return False
    if _is_generic(m.text):
        return False
    before, after = text[: m.start], text[m.end :]
    glued_before = re.search(r"[\w)][-–]$", before) and not _PHASE_PREFIX.search(before[-5:])
    if glued_before or re.match(r"[-–][A-Za-z]", after) or _MODIFIED.match(after):
        return False
    if before.endswith("/") or after.startswith("/"):
        return False  # one layer or electrode of "LaAlO3/SrTiO3", "Li/PPy battery"
    return not (_AGENT_BEFORE.search(before[-40:]) or _VARIABLE_BEFORE.search(before[-30:]))


def _is_generic(text: str) -> bool:
    words = [singular(w) for w in re.split(r"[\s\-–]+", text.lower()) if w]
    return bool(words) and (words[-1] in _CLASS_ANIONS or all(w in GENERIC_WORDS for w in words))


def coordinated_runs(items: Sequence[Span], text: str, join: re.Pattern[str] = _LIST_JOIN) -> list[list[Span]]:
    """Maximal runs of items joined as a list: "A, B and C", "A and n-type B"."""
    runs: list[list[Span]] = []
    for it in sorted(items, key=lambda x: x.start):
        if runs and join.fullmatch(text, runs[-1][-1].end, it.start):
            runs[-1].append(it)
        else:
            runs.append([it])
    return runs


def clauses(text: str, mentions: Sequence[Mention], quantities: Sequence[Quantity],
            previous: tuple[Mention, ...]) -> list[Clause]:
    """The clauses of a sentence with their subjects; `previous` is the last sentence's subject."""
    mats = [m for m in mentions if is_specific_material(m, text)]
    # lists are never cut: "Ti, Zr, and Hf", "6.1, 3.4, and 0.7 eV"
    protected = [(r[0].start, r[-1].end) for r in coordinated_runs(mats, text) if len(r) > 1]
    protected += [(r[0].start, r[-1].end) for r in coordinated_runs(quantities, text) if len(r) > 1]
    out: list[Clause] = []
    resume: Clause | None = None  # the clause an embedded ", in which ..." interrupts
    for start, end, kind in _spans(text, protected):
        before = out[-1] if out else None
        if kind == "resume" and resume is not None:
            subject, own = resume.subject, resume.own
        else:
            subject, own = _subject(text, start, end, kind, mentions, before, previous)
        clause = Clause(start, end, subject, own)
        if kind == "embed":
            resume = before
        out.append(clause)
    return out


def clause_at(cls: Sequence[Clause], pos: int) -> Clause | None:
    for c in cls:
        if c.start <= pos < c.end:
            return c
    return None


def topic(cls: Sequence[Clause]) -> tuple[Mention, ...]:
    """What the sentence is about, for an "it" in the next one: the first subject found."""
    for c in cls:
        if c.subject:
            return c.subject
    return ()


def _masked(text: str) -> str:
    """Parenthesised text blanked out (offsets kept), so "(Bud'ko et al., 2001)" cuts nothing."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            out.append(ch)
            continue
        out.append("_" if depth and ch != "(" else ch)
    return "".join(out)


def _spans(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each clause; an embedded ", in which ..." ends at the next comma."""
    masked = _masked(text)
    cuts: list[tuple[int, int, str]] = []  # (boundary start, clause start, kind)
    for m in _BOUNDARY.finditer(masked):
        if any(a < m.start() < b for a, b in protected):
            continue
        kind = m.lastgroup or "conj"
        if kind == "that" and masked.startswith(" of", m.end()):
            continue  # "larger than that of GaN" refers back, it opens no clause
        if kind == "that" and _word_before(masked, m.start()) not in _SAYING:
            kind = "relthat"
        cuts.append((m.start(), m.end(), kind))
        if kind == "embed":
            comma = masked.find(",", m.end())
            if comma != -1:
                cuts.append((comma, comma + 1, "resume"))
    cuts.sort()
    spans, start, kind = [], 0, "start"
    for b_start, c_start, k in cuts:
        if b_start < start:
            continue
        spans.append((start, b_start, kind))
        start, kind = c_start, k
    spans.append((start, len(text), kind))
    return [s for s in spans if s[1] > s[0]]


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z]+)\W*$", text[:pos])
    return m.group(1).lower() if m else ""


def _subject(text: str, start: int, end: int, kind: str, mentions: Sequence[Mention],
             before: Clause | None, previous: tuple[Mention, ...]) -> tuple[tuple[Mention, ...], bool]:
    mats = [m for m in mentions if is_specific_material(m, text)]
    pron = _PRONOUN.match(text, _skip_space(text, start), end)
    own = _own_subject(text, start, end, mentions)
    appositive = bool(pron and own and not text[pron.end("p") : own[0].start].strip())  # "the compound LaFeO3"
    if pron and not appositive and (not own or pron.start("p") < own[0].start):
        antecedent = before.subject if before is not None else previous
        return _resolved(pron, antecedent), False
    if own:
        return own, True
    if before is None:
        return (), False
    if kind == "rel":
        ante = _antecedent(text, start, mats)
        if ante is not None:
            return (ante,), True
    first = re.match(r"\s*([A-Za-z]+)", text[start:end])
    verb_first = first is not None and first.group(1).lower() in _CONTINUING
    continues = kind in ("colon", "rel", "relthat", "embed") or verb_first
    return (before.subject, before.own) if continues else ((), False)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " ,":
        pos += 1
    return pos


def _resolved(pron: re.Match[str], antecedent: tuple[Mention, ...]) -> tuple[Mention, ...]:
    keys = {m.key for m in antecedent}
    if len(keys) != 1:
        return ()
    a, b = pron.span("p")
    return (Mention("MAT", pron.group("p"), a, b, antecedent[0].key, METHOD, 0.6),)


def _own_subject(text: str, start: int, end: int, mentions: Sequence[Mention]) -> tuple[Mention, ...]:
    inside = [m for m in mentions if m.type == "MAT" and start <= m.start < end]
    specific = [m for m in inside if is_specific_material(m, text)]
    if not specific:
        return ()
    first = specific[0]
    prefix = re.sub(r"\([^)]*\)", " ", text[start : first.start])
    words = re.findall(r"[A-Za-z][\w'.-]*", prefix)
    if len(words) > _MAX_SUBJECT_PREFIX_WORDS or any(w.lower().rstrip(".") in _NOT_SUBJECT_BEFORE for w in words):
        return ()
    if re.search(r"\d", prefix):
        return ()
    run = next(r for r in coordinated_runs(inside, text) if first in r)
    if not all(m in specific for m in run):
        return ()  # "Iron and phosphate are cheap", "Al2O3 or other oxides": no one material
    return tuple(run)


def _antecedent(text: str, clause_start: int, mats: list[Mention]) -> Mention | None:
    """The material right before ", which" / ", whose" (at most two words between)."""
    earlier = [m for m in mats if m.end <= clause_start]
    if not earlier:
        return None
    gap = re.sub(r",\s*(?:which|whose)\s*$", "", text[earlier[-1].end : clause_start])
    gap = re.sub(r"\([^)]*\)|[()]", " ", gap)
    return earlier[-1] if len(re.findall(r"[A-Za-z][\w-]*", gap)) <= 2 else None
