"""Tokens split at hyphens into the pieces that the rule tagger matches over.

"sol-gel", "sol - gel" and "sol – gel" all become the pieces "sol", "gel" (the second marked
as dash-joined), so one lexicon entry covers every spelling; formulas with a minus inside
("Ba0.95La0.05FeO3-δ", "Ti2-x(PO4)3") are never split.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.formula import parse_formula
from nlp.lexicon import american
from nlp.tokenizer import tokenize

DASHES = "-–—‐‑−"
_DASH_SPLIT = re.compile(r"([-–—‐‑−])")


@dataclass(frozen=True)
class Piece:
    text: str
    start: int
    end: int
    fold: str  # lower case, American spelling: the key for case-insensitive matching
    dash_before: bool  # a hyphen or dash separates it from the previous piece
    glued: bool  # no whitespace between it and the previous piece (same written token)


@lru_cache(maxsize=65536)
def _is_formula(text: str) -> bool:
    return parse_formula(text) is not None


def _split_token(text: str) -> list[tuple[int, int]]:
    """Spans of a token's dash-separated parts, re-joining parts that together form a formula."""
    if not any(d in text for d in DASHES) or len(text) == 1:
        return [(0, len(text))]
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _DASH_SPLIT.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(bounds):
        best = i
        if text[bounds[i][0] : bounds[i][0] + 1].isupper() or text[bounds[i][0] : bounds[i][0] + 1] in "([":
            for j in range(len(bounds) - 1, i, -1):
                if _is_formula(text[bounds[i][0] : bounds[j][1]]):
                    best = j
                    break
        s, e = bounds[i][0], bounds[best][1]
        if e > s:
            out.append((s, e))
        i = best + 1
    return out


def split_pieces(sentence: str) -> list[Piece]:
    """Pieces of a sentence, with offsets into it. Dash-only tokens are dropped but recorded."""
    out: list[Piece] = []
    dash_pending = False
    prev_end = -1
    for tok, start, _end in tokenize(sentence):
        if all(ch in DASHES for ch in tok):
            dash_pending = True
            continue
        spans = _split_token(tok)
        for k, (s, e) in enumerate(spans):
            text = tok[s:e]
            begin = start + s
            dash = dash_pending or (k > 0)
            glued = begin == prev_end or k > 0
            out.append(Piece(text, begin, begin + len(text), american(text.lower()), dash, glued))
            dash_pending = False
            prev_end = begin + len(text)
        if tok[-1] in DASHES and len(tok) > 1:
            dash_pending = True
    return out
