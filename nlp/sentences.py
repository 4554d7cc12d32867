"""Rule-based sentence splitting tuned for scientific prose ("Fig. 2", "et al.", "J. B. Goodenough").

A boundary is a full stop, "?" or "!" followed by space and a capital, digit or bracket,
unless the word before it is a known abbreviation or a personal initial. Fast: one regex pass.
"""
from __future__ import annotations

import re

# Abbreviations after which a capital or a number does not start a new sentence.
_NEVER_END = frozenset(
    "fig figs figure eq eqs eqn eqns ref refs no nos ca approx e.g i.e vs cf viz ch sec sect "
    "tab vol pp p dr prof mr mrs ms jr inc ltd calc expt ed eds wt at mol phys chem rev lett "
    "mater appl sci soc j am int nat commun adv funct technol electrochem acta proc cryst "
    "compd mech".split()
)
# Abbreviations that often do end a sentence: only a common sentence opener after them splits.
_MAY_END = frozenset("etc al resp".split())
# Words that typically open a sentence; after a lone capital ("300 K. In") they signal a boundary.
_OPENERS = frozenset(
    "The A An In This These Those That It Its We Our Here However Moreover Furthermore Thus "
    "Therefore Hence Also As At For From To With When While Since After Before Such Both Each "
    "All Although Because Besides Finally First Second Third Then There They Their By On Upon "
    "Using Based Compared Similarly Additionally Consequently Interestingly Notably In On "
    "Figure Fig Table Further Meanwhile Nevertheless Overall One Two Three No Other Some Most".split()
)
# A "sentence" longer than this is a run of text without boundaries (a table dumped as text, a
# file without punctuation): it is cut into pieces this long so every later stage works on
# bounded input. The longest sentences of the SOFC-Exp full texts are about 1,300 characters.
MAX_SENTENCE_CHARS = 3_000
_CANDIDATE = re.compile(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9α-ωΑ-Ω])|\n\s*\n")
_WORD_BEFORE = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"\s+[\"'(\[]?([^\s.,;:]+)(\.?)")


def _is_boundary(text: str, dot: int) -> bool:
    if text[dot] in "!?":
        return True
    before = _WORD_BEFORE.search(text, max(0, dot - 64), dot)  # a window: searching from 0 is quadratic
    word = before.group(1) if before else ""
    stem = word.lstrip("([\"'").lower()
    nxt = _NEXT_WORD.match(text, dot + 1)
    next_word = nxt.group(1) if nxt else ""
    if stem in _MAY_END:
        return next_word in _OPENERS
    if stem in _NEVER_END or (stem.count(".") >= 1 and re.fullmatch(r"(?:[a-z]\.)+[a-z]", stem)):
        return False  # e.g. "e.g.", "i.e.", "a.u."
    if re.fullmatch(r"[A-Z]", word.lstrip("([")):
        return _initial_ends_sentence(text, dot, before.start() if before else 0, next_word, nxt)
    return True


def _initial_ends_sentence(text: str, dot: int, start: int, next_word: str, nxt: re.Match[str] | None) -> bool:
    """A lone capital before a full stop: a personal initial, or a unit/label ending a sentence?"""
    prev = text[max(0, start - 12) : start].rstrip()
    if prev[-1:].isdigit() or prev.endswith(("°", "phase", "type", "site", "sample", "point")):
        return True  # "300 K.", "25 °C."
    if prev[-2:-1] in (" ", "") and re.search(r"(?:^|\s)[A-Z]\.$", prev):
        return False  # "J. B. Goodenough": the previous word is an initial too
    if nxt and nxt.group(2) and len(next_word) == 1 and next_word.isupper():
        return False  # next word is an initial
    return next_word in _OPENERS


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        if m.group().startswith("\n") or _is_boundary(text, m.start()):
            _push(text, start, m.end(), spans)
            start = m.end()
    _push(text, start, len(text), spans)
    return spans


def _push(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start, start + MAX_SENTENCE_CHARS)
        _push(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


def _cut(text: str, start: int, limit: int) -> int:
    """Where to cut an over-long run: after the last '; ' or ', ' in its second half, else at
    the last space there, else (no space at all) at the limit itself."""
    half = start + (limit - start) // 2
    clause = max(text.rfind("; ", half, limit), text.rfind(", ", half, limit))
    if clause >= 0:
        return clause + 1
    space = max(text.rfind(" ", half, limit), text.rfind("\n", half, limit))
    return space if space > start else limit
