"""Material abbreviations a document defines, resolved in every later sentence of that document.

"lithium iron phosphate (LFP)", "La0.6Sr0.4Co0.2Fe0.8O3-δ (LSCF)" and "LSCF (La0.6Sr0.4...)"
define an abbreviation; every "LSCF" of the document (an abstract often uses it before the
body defines it) is then that material, with the key of its long form. The document's own definition beats the general lexicon (which only knows "LSCF" as a
family name), and an abbreviation the tagger missed is added. Only single material mentions
define one, and the abbreviation must start with the long form's first letter when the long
form is a name (a formula defines anything written beside it in brackets).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from nlp.formula import parse_formula
from nlp.records import Mention, Sentence

METHOD = "abbreviations.v1"

_ABBR = r"[A-Z][A-Za-z0-9+\-]{1,9}"
_AFTER_LONG = re.compile(rf"\s*\(\s*(?P<abbr>{_ABBR})\s*[),;]")  # "LONG (ABBR)"
_BEFORE_LONG = re.compile(rf"(?P<abbr>{_ABBR})\s*\(\s*$")  # "ABBR (" right before LONG


def _is_abbreviation(word: str) -> bool:
    upper = sum(ch.isupper() for ch in word)
    return upper >= 2 and not word.isdigit() and parse_formula(word) is None


def _agrees(abbr: str, long_form: Mention) -> bool:
    if parse_formula(long_form.text) is not None:
        return True
    return long_form.text[:1].lower() == abbr[:1].lower()


def definitions(s: Sentence) -> dict[str, Mention]:
    """Abbreviations defined in one sentence, each with the material mention it stands for."""
    out: dict[str, Mention] = {}
    for m in s.mentions:
        if m.type != "MAT":
            continue
        after = _AFTER_LONG.match(s.text, m.end)
        if after and _is_abbreviation(after.group("abbr")) and _agrees(after.group("abbr"), m):
            out[after.group("abbr")] = m
            continue
        before = _BEFORE_LONG.search(s.text, max(0, m.start - 14), m.start)
        closes = re.match(r"\s*\)", s.text[m.end :])
        if before and closes and _is_abbreviation(before.group("abbr")) and parse_formula(m.text) is not None:
            out[before.group("abbr")] = m
    return out


def resolve_abbreviations(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Sentences with each use of an abbreviation the document defines tagged as its material; the
    first definition wins when a document defines one twice."""
    known: dict[str, tuple[int, Mention]] = {}
    for i, s in enumerate(sentences):
        for abbr, long_form in definitions(s).items():
            known.setdefault(abbr, (i, long_form))
    return [_apply(i, s, known) for i, s in enumerate(sentences)] if known else list(sentences)


def _apply(index: int, s: Sentence, known: dict[str, tuple[int, Mention]]) -> Sentence:
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(known, key=len, reverse=True))
                         + r")(?![\w-])")
    mentions = list(s.mentions)
    changed = False
    for hit in pattern.finditer(s.text):
        where, long_form = known[hit.group(1)]
        a, b = hit.span()
        if where == index and long_form.start <= a < long_form.end:
            continue
        covering = [m for m in mentions if m.start < b and a < m.end]
        if covering and not (len(covering) == 1 and covering[0].start == a and covering[0].end == b):
            continue  # part of a longer mention ("LSCF-GDC composite" stays what the tagger said)
        if covering and covering[0].type == "MAT" and covering[0].key == long_form.key:
            continue
        new = Mention("MAT", hit.group(1), a, b, long_form.key, METHOD, 0.75)
        mentions = [m for m in mentions if m not in covering] + [new]
        changed = True
    if not changed:
        return s
    return replace(s, mentions=tuple(sorted(mentions, key=lambda m: m.start)))
