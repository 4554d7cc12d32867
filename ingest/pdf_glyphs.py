"""Glyphs the PDF engines cannot map to Unicode by themselves, for fonts seen in real journal PDFs.

Every table here is tied to named fonts and was checked against the papers in the test corpus;
a glyph that still has no mapping comes out as U+FFFD, never as pdfminer's "(cid:N)". pdfium
maps these fonts as pdfminer does, except the cmsy slot names, which it cannot see:
ingest.pdf_fonts reads them from the file for it.
"""
from __future__ import annotations

import re
import struct
import zlib
from typing import Any

from pdfminer.pdfexceptions import PDFException
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import dict_value
from pdfminer.psexceptions import PSException

from ingest.pdf_texenc import differences, tex_font

# Glyphs the Advent fonts used by RSC and APS put in the private-use area instead of the ligatures.
_ADVENT_PUA = {"\ue09d": "ft", "\ue103": "fi", "\ue104": "fl"}
_SYMBOL_GREEK = dict(zip(
    "abgdezhqiklmnxprstufcywGDQLXPSFYWJjv",
    "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩϑϕϖ",
))
# Advent fonts (APS, RSC) whose encodings pdfminer reads as Latin-1. The math font's "=" comes
# out as "¼", "+" as "þ", parentheses as "ð"/"Þ"; the italic text font's "/" comes out as "=";
# the Greek fonts use the Symbol font's letters ("l" is lambda); AdvPS7DA6 holds the relations.
_FONT_FIXES = {
    "AdvP4C4E74": {"¼": "=", "þ": "+", "ð": "(", "Þ": ")", "j": "|", "k": "\u2225", "0": "\u2032"},
    "AdvTTd0b5fdba.I": {"=": "/"},
    "AdvPS4721B4": _SYMBOL_GREEK,
    "AdvPS3F4C13": _SYMBOL_GREEK,
    "AdvPS7DA6": {"#": "\u2264", "$": "\u2265"},
}
# The Advent math font names its symbols "C<n>" after their slot in TeX's math symbol font
# (cmsy): C0 is the minus sign, C6 plus-minus, C14 the degree circle.
_CMSY_FONTS = frozenset({"AdvP4C4E74"})
_CMSY = dict(enumerate(
    "−·×∗÷⋄±∓⊕⊖⊗⊘⊙◯°•≍≡⊆⊇≤≥⪯⪰∼≈⊂⊃≪≫≺≻←→↑↓↔↗↘≃⇐⇒⇑⇓⇔↖↙∝′∞∈∋△▽/↦∀∃¬∅ℜℑ⊤⊥"
))
_SLOT_NAME = re.compile(r"^C(\d{1,3})$")
_CID = re.compile(r"^\(cid:\d+\)$")

# pdfminer reports malformed files through its own exceptions, but also through whatever a
# half-parsed object happens to raise; every one of them means "this PDF is broken".
PDFMINER_FAILURES: tuple[type[BaseException], ...] = (
    PDFException, PSException, ValueError, KeyError, TypeError, IndexError, AttributeError,
    AssertionError, struct.error, zlib.error, RecursionError, OverflowError, NotImplementedError,
)


def base_font(fontname: str) -> str:
    """'OOADJJ+AdvP4C4E74' -> 'AdvP4C4E74' (the subset prefix differs from file to file)."""
    return fontname.rsplit("+", 1)[-1]


def fix_glyph(text: str, fontname: str) -> str:
    if text in _ADVENT_PUA and "Adv" in fontname:
        return _ADVENT_PUA[text]
    fixes = _FONT_FIXES.get(base_font(fontname))
    if fixes and text in fixes:
        return fixes[text]
    if "\uf8e5" <= text <= "\uf8ff":  # pieces of tall brackets from Symbol-encoded fonts
        return ""
    if _CID.match(text):
        return "\ufffd"  # a glyph without a Unicode mapping: mark it rather than print "(cid:3)"
    return text


class GlyphNameManager(PDFResourceManager):
    """Remembers, for the fonts in _CMSY_FONTS, which glyph name their /Differences give each
    code: pdfminer drops names it does not know, and "C0" is one of them; and, for TeX fonts
    without a Unicode map, what their codes stand for (ingest.pdf_texenc)."""

    def __init__(self) -> None:
        super().__init__(caching=True)
        self.slots: dict[int, dict[int, str]] = {}

    def get_font(self, objid: object, spec: Any) -> PDFFont:
        font = super().get_font(objid, spec)
        if id(font) not in self.slots:
            name = getattr(font, "fontname", "") or ""
            self.slots[id(font)] = _cmsy_slots(font, spec) if is_cmsy_font(name) else _tex_codes(spec)
        return font

    def undefined(self, font: PDFFont, cid: int) -> str | None:
        return self.slots.get(id(font), {}).get(cid)


def is_cmsy_font(fontname: str) -> bool:
    """Whether the font names its glyphs by cmsy slot ("C0"), names neither engine knows."""
    return base_font(fontname) in _CMSY_FONTS


def _cmsy_slots(font: PDFFont, spec: Any) -> dict[int, str]:
    if not is_cmsy_font(getattr(font, "fontname", "") or ""):
        return {}
    return cmsy_slots(spec)


def _tex_codes(spec: Any) -> dict[int, str]:
    try:
        return tex_font(dict_value(spec)).table or {}
    except PDFMINER_FAILURES:
        return {}


def cmsy_slots(spec: Any) -> dict[int, str]:
    """The characters a cmsy-slot font's codes draw, from the glyph names of its /Differences."""
    try:
        names = differences(dict_value(spec)) or {}
    except (TypeError, ValueError):
        return {}
    slots: dict[int, str] = {}
    for code, name in names.items():
        match = _SLOT_NAME.match(name)
        if match and int(match.group(1)) in _CMSY:
            slots[code] = _CMSY[int(match.group(1))]
    return slots
