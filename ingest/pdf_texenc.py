"""Characters for TeX fonts that carry no Unicode map, from the TeX font encoding they are in.

dvips embeds TeX's bitmap fonts as Type3 fonts whose glyphs are named after their codes ("a28"),
with no ToUnicode map; neither engine can map the codes below 32, where TeX puts ligatures and
quotes, and both write them "(cid:28)". Such a font's encoding is inferred from the font itself:
T1 (Cork) if it draws a code past 127 (OT1 and the math encodings have none), and T1 or OT1 if
the glyphs in that encoding's ligature slots are as wide as their letters together ("fi" about
as wide as "f" plus "i"; the Greek letters the math fonts keep there are not). Only codes the
engine found no character for are mapped, and ligatures come out as their letters.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple

from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral, literal_name

_SUBSET = re.compile(r"^[A-Z]{6}\+")  # "OOADJJ+": pdfium leaves it out of the names it reports

T1 = {
    13: "\u201a", 14: "\u2039", 15: "\u203a", 16: "\u201c", 17: "\u201d", 18: "\u201e", 19: "\u00ab",
    20: "\u00bb", 21: "\u2013", 22: "\u2014", 25: "\u0131", 26: "\u0237",
    27: "ff", 28: "fi", 29: "fl", 30: "ffi", 31: "ffl",
}
OT1 = {
    **dict(enumerate("\u0393\u0394\u0398\u039b\u039e\u03a0\u03a3\u03a5\u03a6\u03a8\u03a9")),
    11: "ff", 12: "fi", 13: "fl", 14: "ffi", 15: "ffl", 16: "\u0131", 17: "\u0237",
    25: "\u00df", 26: "\u00e6", 27: "\u0153", 28: "\u00f8", 29: "\u00c6", 30: "\u0152", 31: "\u00d8",
}
# OT1 also has its quotes and dashes at 34, 92, 123 and 124 (" \ { | in ASCII), but every base
# encoding maps those codes, so a font always maps them itself, and they are never remapped.
ENCODINGS = {"T1": T1, "OT1": OT1}
_LIGATURES = {"T1": range(27, 32), "OT1": range(11, 16)}
# A ligature is a little narrower than its letters side by side (Computer Modern: "fi" 0.95 of
# "f" + "i", "ffi" 0.94; Times 0.91); a Greek letter in a math font's slot is half as wide.
_FIT = (0.85, 1.02)


def text_encoding(codes: Iterable[int], widths: Mapping[int, float]) -> str | None:
    """"T1", "OT1" or None (neither, or both) for a TeX font that draws `codes` with these
    advance widths (any unit)."""
    codes = set(codes)
    found = {name for name in ENCODINGS if _ligatures_fit(name, codes, widths)}
    if any(code > 127 for code in codes):
        found.add("T1")
    return found.pop() if len(found) == 1 else None


def _ligatures_fit(name: str, codes: set[int], widths: Mapping[int, float]) -> bool:
    """Whether the font draws a ligature slot of the encoding whose letters it also draws, and
    every such slot is as wide as its letters together."""
    table = ENCODINGS[name]
    tested = False
    for code in _LIGATURES[name]:
        letters = table[code]
        if code not in codes or not all(ord(c) in codes for c in letters):
            continue
        together = sum(widths.get(ord(c), 0.0) for c in letters)
        if together <= 0 or not _FIT[0] * together <= widths.get(code, 0.0) <= _FIT[1] * together:
            return False
        tested = True
    return tested


class TexFont(NamedTuple):
    """What a font's codes stand for by its TeX encoding ({} when that cannot be told; None
    for a font that maps itself), and the codes it says it draws."""

    table: dict[int, str] | None
    codes: frozenset[int]


def tex_font(spec: Mapping[str, Any]) -> TexFont:
    """A font as this module sees it. A simple font qualifies when it has no ToUnicode map and
    its /Differences name every glyph after its own code, as dvips and pdfTeX name the glyphs
    of TeX's bitmap fonts ("a28" for code 28): names no engine can map, nor mistake for others."""
    names = differences(spec) or {}
    codes = frozenset(names)
    subtype = resolve1(spec.get("Subtype"))
    if (not names or not isinstance(subtype, PSLiteral) or subtype.name not in ("Type1", "Type3")
            or "ToUnicode" in spec or any(name != f"a{code}" for code, name in names.items())):
        return TexFont(None, codes)
    encoding = text_encoding(codes, _widths(spec))
    if encoding is None:
        return TexFont({}, codes)
    return TexFont({code: text for code, text in ENCODINGS[encoding].items() if code in codes}, codes)


def differences(spec: Mapping[str, Any]) -> dict[int, str] | None:
    """The glyph names of the font's /Differences by code ({} for none); None when malformed."""
    encoding = resolve1(spec.get("Encoding"))
    if not isinstance(encoding, dict):
        return {}
    items = resolve1(encoding.get("Differences", []))
    if not isinstance(items, list):
        return None
    names: dict[int, str] = {}
    code = 0
    for item in items:
        item = resolve1(item)
        if isinstance(item, int):
            code = item
        elif isinstance(item, PSLiteral):
            names[code] = str(item.name)
            code += 1
        else:
            return None
    return names


def _widths(spec: Mapping[str, Any]) -> dict[int, float]:
    first = resolve1(spec.get("FirstChar", 0))
    widths = resolve1(spec.get("Widths"))
    if not isinstance(first, int) or not isinstance(widths, list):
        return {}
    out: dict[int, float] = {}
    for code, width in enumerate(map(resolve1, widths), start=first):
        if isinstance(width, (int, float)):
            out[code] = abs(float(width))
    return out


def identify(fonts: Iterable[TexFont], code: int, drawn: AbstractSet[int]) -> str | None:
    """What `code` stands for in the one of `fonts` that drew the codes `drawn`: pdfium tells a
    page's fonts apart only by name, and names no Type3 font, so the font is known by the codes
    it has. Several fonts may have them all; they must then agree."""
    texts = {font.table.get(code) if font.table else None for font in fonts if drawn <= font.codes}
    return texts.pop() if len(texts) == 1 else None


def font_name(spec: Mapping[str, Any]) -> str:
    """The font's name as pdfium reports it: BaseFont without the subset prefix ("" for none)."""
    value = resolve1(spec.get("BaseFont"))
    return _SUBSET.sub("", str(literal_name(value))) if isinstance(value, PSLiteral) else ""
