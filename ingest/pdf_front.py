"""Authors from a PDF's first page: the lines set between the title and the affiliations.

Affiliation marks (superscript digits, letters, asterisks, daggers) are dropped, names are split
at commas, "and" and "&", and only pieces that look like personal names are kept, so a
misread line yields no authors rather than wrong ones.
"""
from __future__ import annotations

import re

from ingest.normalize import clean_text
from ingest.pdf_blocks import Block

_BELOW_TITLE = 90.0  # points: the author lines start within this distance under the title
_AFTER_NAMES = re.compile(
    r"univ|instit|depart|dept\.|laborat|college|school|academy|centre|center|faculty|hospital|"
    r"abstract|doi|https?:|www\.|@",
    re.IGNORECASE,
)
# Publishing history and badges often sit in a side column level with the names.
_BESIDE_NAMES = re.compile(r"received|accepted|published|submitted|check for updates|\b(19|20)\d\d\b", re.IGNORECASE)
_MARKS = re.compile(r"[\d*†‡§¶∗#⊥‖]+")
_SPLIT = re.compile(r",|;|\band\b|&")
_NAME = re.compile(r"^[A-Z\u00c0-\u024f][\w.'’\-]*(?:\s+[\w.'’\-]+){1,4}$")
_INITIALS = re.compile(r"^(?:[A-Z]\.?\s*){1,3}$")


def find_authors(blocks: list[Block], title_blocks: set[int]) -> tuple[str, ...]:
    """Names printed under the title, in order; () when the lines there do not read as names."""
    if not title_blocks:
        return ()
    title = [blocks[i] for i in title_blocks]
    page, bottom = title[0].page, min(b.y0 for b in title)
    left, right = min(b.x0 for b in title), max(b.x1 for b in title)
    lines = [line for b in blocks if b.page == page for line in b.lines
             if bottom - _BELOW_TITLE <= line.y1 <= bottom + 2 and line.x1 > left - 40 and line.x0 < right + 40]
    lines.sort(key=lambda line: (-round(line.y1), line.x0))
    names: list[str] = []
    for line in lines:
        text = clean_text(line.plain if line.plain is not None else line.text)
        if _BESIDE_NAMES.search(text):
            continue
        if _AFTER_NAMES.search(text) or len(text.split()) > 24 or re.match(r"^\d+\s*[A-Z][a-z]", line.text):
            break  # affiliations and the abstract come after the names
        names.extend(_names(text))
    return tuple(dict.fromkeys(names))


def cover_authors(block: Block) -> tuple[str, ...]:
    """A repository cover page's "Authors" field: "CHAILLOUT, C" lines, "et al." at the end."""
    names = []
    for line in block.lines[1:]:
        text = clean_text(line.text)
        if text.lower().startswith("et al"):
            break
        surname, _, given = text.partition(",")
        if surname and given:
            names.append(f"{given.strip()} {surname.strip().title()}")
    return tuple(names)


def _names(text: str) -> list[str]:
    found = []
    for piece in _SPLIT.split(_MARKS.sub(" ", text)):
        words = piece.split()
        while words and len(words[0]) <= 2 and words[0].islower():
            words.pop(0)  # letter marks of affiliations: "a Ralph L. McAnelly"
        name = " ".join(words)
        if _NAME.match(name) and not _INITIALS.match(name) and sum(w[:1].isupper() for w in words) >= 2:
            found.append(name)
    return found
