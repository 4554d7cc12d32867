"""What pdfium does not tell about a document's fonts, read from the file's font dictionaries
with pdfminer's parser (no page is interpreted): the descent pdfminer boxes each font's
characters with, and the glyphs of fonts named by cmsy slot (ingest.pdf_glyphs).

The descent matters because pdfminer's layout joins characters into lines by how much their
boxes overlap. A font descriptor without Ascent and Descent gives pdfminer a descent of 0, but
pdfium one made up from the glyphs or the font's bounding box, an em deep for math fonts; boxed
that way, "=" and superscripts fall off the line pdfminer keeps them on.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral, literal_name

from ingest.pdf_glyphs import PDFMINER_FAILURES, cmsy_slots, is_cmsy_font

_MAX_FORM_DEPTH = 3  # forms inside forms searched for fonts, on pages that draw all text in forms
_SUBSET = re.compile(r"^[A-Z]{6}\+")  # "OOADJJ+": pdfium leaves it out of the names it reports


@dataclass
class FontFacts:
    # Fonts by name as pdfium reports it (BaseFont without the subset prefix).
    descents: dict[str, float] = field(default_factory=dict)  # ems below the baseline
    slots: list[dict[str, dict[int, str]]] = field(default_factory=list)  # per page: font -> code -> glyph

    def slot_glyph(self, page: int, font: str, code: int) -> str | None:
        found = self.slots[page] if page < len(self.slots) else {}
        return found.get(font, {}).get(code)


def font_facts(data: bytes) -> FontFacts:
    """The facts for every font the pages' resources name; empty when the file does not parse
    with pdfminer (pdfium's own metrics are used then)."""
    facts = FontFacts()
    seen: set[int] = set()
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        for page in PDFPage.create_pages(document):
            slots: dict[str, dict[int, str]] = {}
            _visit(page.resources, facts, slots, seen, 0)
            facts.slots.append(slots)
    except PDFMINER_FAILURES:
        return FontFacts()
    return facts


def _visit(resources: Any, facts: FontFacts, slots: dict[str, dict[int, str]], seen: set[int], depth: int) -> None:
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        for ref in fonts.values():
            _font(ref, facts, slots, seen)
    elif depth < _MAX_FORM_DEPTH:
        # A page that draws its text inside forms names no fonts itself. Resolving every
        # XObject loads image data too, so forms are searched only on such pages.
        forms = resolve1(resources.get("XObject"))
        for form in (forms.values() if isinstance(forms, dict) else ()):
            form = resolve1(form)
            if isinstance(form, PDFStream) and form.attrs.get("Resources") is not None:
                _visit(form.attrs["Resources"], facts, slots, seen, depth + 1)


def _font(ref: Any, facts: FontFacts, slots: dict[str, dict[int, str]], seen: set[int]) -> None:
    key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
    spec = resolve1(ref)
    if not isinstance(spec, dict):
        return
    name = _name(spec.get("BaseFont"))
    if is_cmsy_font(name):
        slots.setdefault(_SUBSET.sub("", name), cmsy_slots(spec))
    if key in seen:
        return
    seen.add(key)
    descent = _descent(spec, name)
    if descent is not None:
        facts.descents.setdefault(_SUBSET.sub("", name), descent)


def _descent(spec: dict[str, Any], name: str) -> float | None:
    """The font's descent in ems as pdfminer takes it: the standard-14 metrics for those names,
    else the descriptor's Descent (0 when absent), made negative. None for Type3 fonts, which
    pdfminer scales by their own matrix."""
    subtype = _name(spec.get("Subtype"))
    if subtype == "Type3":
        return None
    if subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts"))
        spec = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else {}
        if not isinstance(spec, dict):
            return None
    elif name in FONT_METRICS:
        return _negative(FONT_METRICS[name][0].get("Descent", 0))
    descriptor = resolve1(spec.get("FontDescriptor"))
    return _negative(resolve1(descriptor.get("Descent", 0)) if isinstance(descriptor, dict) else 0)


def _negative(value: Any) -> float | None:
    if not isinstance(value, (int, float)):
        return None
    return -abs(float(value)) * 0.001


def _name(value: Any) -> str:
    value = resolve1(value)
    return str(literal_name(value)) if isinstance(value, PSLiteral) else ""
