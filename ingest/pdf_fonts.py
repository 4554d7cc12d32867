"""What pdfium does not tell about a document's fonts, read from the file's font dictionaries
(no page is interpreted): the descent pdfminer boxes each font's characters with, the glyphs of
fonts named by cmsy slot (ingest.pdf_glyphs), and what the codes of TeX fonts without a Unicode
map stand for (ingest.pdf_texenc).

The descent matters because pdfminer's layout joins characters into lines by how much their
boxes overlap. A font descriptor without Ascent and Descent gives pdfminer a descent of 0, but
pdfium one made up from the glyphs or the font's bounding box, an em deep for math fonts; boxed
that way, "=" and superscripts fall off the line pdfminer keeps them on.

The fonts are read with qpdf (pikepdf), which finds a few dozen font dictionaries in a few
milliseconds where pdfminer's parser, tokenizing each font's widths, takes ten times as long.
The same walk tells whether any font is one the cmsy slots or TeX encodings are about (a
cmsy-slot font by name; a Type1 or Type3 font without ToUnicode whose /Differences name glyphs
"a<code>"); only then are the pages' fonts kept, as the few entries ingest.pdf_glyphs and
ingest.pdf_texenc read, in the types pdfminer's parser gives them, so that both engines go
through the same code. Where qpdf cannot open the file, or two fonts of one name disagree
(pdfminer would keep the first in its own order), pdfminer reads everything.
"""
from __future__ import annotations

import io
import re
from collections.abc import Hashable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pikepdf

from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import LIT, PSLiteral, literal_name

from ingest.pdf_glyphs import PDFMINER_FAILURES, cmsy_slots, is_cmsy_font
from ingest.pdf_texenc import TexFont, font_name, identify, tex_font

_MAX_FORM_DEPTH = 3  # forms inside forms searched for fonts, on pages that draw all text in forms
_SUBSET = re.compile(r"^[A-Z]{6}\+")  # "OOADJJ+": pdfium leaves it out of the names it reports


Fonts = list[tuple[Hashable, dict[str, Any]]]  # a page's fonts: (the font's object, its dictionary)


@dataclass
class FontFacts:
    # Fonts by name as pdfium reports it (BaseFont without the subset prefix).
    descents: dict[str, float] = field(default_factory=dict)  # ems below the baseline
    slots: list[dict[str, dict[int, str]]] = field(default_factory=list)  # per page: font -> code -> glyph
    # Per page, where any font may have a TeX encoding (else none): its fonts.
    fonts: list[Fonts] = field(default_factory=list)
    # Per page, by name, the fonts as ingest.pdf_texenc sees them; made when a page first asks.
    _tex: dict[int, dict[str, list[TexFont]]] = field(default_factory=dict)
    _tex_fonts: dict[Hashable, TexFont] = field(default_factory=dict)  # by font object

    def slot_glyph(self, page: int, font: str, code: int) -> str | None:
        found = self.slots[page] if page < len(self.slots) else {}
        return found.get(font, {}).get(code)

    def tex_text(self, page: int, font: str, code: int, drawn: AbstractSet[int]) -> str | None:
        """What a code pdfium cannot map stands for in the TeX font of this name on the page
        that drew the codes `drawn` (ingest.pdf_texenc)."""
        if page >= len(self.fonts):
            return None
        if page not in self._tex:
            self._tex[page] = _tex_fonts(self.fonts[page], self._tex_fonts)
        return identify(self._tex[page].get(font, ()), code, drawn)


def font_facts(data: bytes) -> FontFacts:
    """The facts for every font the pages' resources name; empty when the file parses with
    neither qpdf nor pdfminer (pdfium's own metrics are used then)."""
    return _qpdf_fonts(data) or _pdfminer_fonts(data)


def _pdfminer_fonts(data: bytes) -> FontFacts:
    """Descents, cmsy slots and fonts of every page, read with pdfminer; empty when the file
    does not parse."""
    facts = FontFacts()
    seen: set[int] = set()
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        for page in PDFPage.create_pages(document):
            slots: dict[str, dict[int, str]] = {}
            fonts = _page_fonts(page.resources)
            for ref, spec in fonts:
                _font(ref, spec, facts, slots, seen)
            facts.slots.append(slots)
            facts.fonts.append([(_key(ref), spec) for ref, spec in fonts])
    except PDFMINER_FAILURES:
        return FontFacts()
    return facts


def _tex_fonts(fonts: Fonts, known: dict[Hashable, TexFont]) -> dict[str, list[TexFont]]:
    named: dict[str, list[TexFont]] = {}
    for key, spec in fonts:
        try:
            name = font_name(spec)
            if key not in known:
                known[key] = tex_font(spec)
        except PDFMINER_FAILURES:  # a damaged font: its codes stay unmapped
            continue
        named.setdefault(name, []).append(known[key])
    return named


def _page_fonts(resources: Any, depth: int = 0) -> list[tuple[Any, dict[str, Any]]]:
    """The fonts (reference, dictionary) a page's resources name."""
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return []
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        return [(ref, spec) for ref, spec in ((ref, resolve1(ref)) for ref in fonts.values()) if isinstance(spec, dict)]
    found: list[tuple[Any, dict[str, Any]]] = []
    if depth < _MAX_FORM_DEPTH:
        # A page that draws its text inside forms names no fonts itself. Resolving every
        # XObject loads image data too, so forms are searched only on such pages.
        forms = resolve1(resources.get("XObject"))
        for form in (forms.values() if isinstance(forms, dict) else ()):
            form = resolve1(form)
            if isinstance(form, PDFStream) and form.attrs.get("Resources") is not None:
                found += _page_fonts(form.attrs["Resources"], depth + 1)
    return found


def _key(ref: Any) -> int:
    return ref.objid if isinstance(ref, PDFObjRef) else id(ref)


def _font(ref: Any, spec: dict[str, Any], facts: FontFacts, slots: dict[str, dict[int, str]], seen: set[int]) -> None:
    key = _key(ref)
    name = _add_slots(spec, slots)
    if key in seen:
        return
    seen.add(key)
    descent = _descent(spec, name)
    if descent is not None:
        facts.descents.setdefault(_SUBSET.sub("", name), descent)


def _add_slots(spec: dict[str, Any], slots: dict[str, dict[int, str]]) -> str:
    """Put a cmsy-slot font's glyphs in the page's `slots` (the first font of a name counts);
    returns the font's name."""
    name = _name(spec.get("BaseFont"))
    if is_cmsy_font(name):
        slots.setdefault(_SUBSET.sub("", name), cmsy_slots(spec))
    return name


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


# --- the fonts through qpdf ---------------------------------------------------------------------

_MAX_PARENTS = 64  # /Parent links followed for inherited resources (a cycle ends there)


class _Unsure(Exception):
    """Something qpdf's reading could differ from pdfminer's in: pdfminer reads the file."""


def _qpdf_descents(data: bytes) -> dict[str, float] | None:
    facts = _qpdf_fonts(data)
    return facts.descents if facts is not None else None


def _qpdf_fonts(data: bytes) -> FontFacts | None:
    """What _pdfminer_fonts finds, read with qpdf: pages in order, resources inherited from the
    page tree, forms searched only on pages without fonts. The pages' fonts are kept only if
    one may have cmsy slots or a TeX encoding. None where the file does not open or the reading
    could differ from pdfminer's."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found: dict[str, float | None] = {}
            seen: set[tuple[int, int]] = set()
            special = False
            pages = []
            for page in pdf.pages:
                fonts = _qpdf_page_fonts(_inherited(page.obj, "/Resources"))
                for spec in fonts:
                    special = _qpdf_font(spec, found, seen) or special
                pages.append(fonts)
            facts = FontFacts({name: value for name, value in found.items() if value is not None})
            if special:
                for fonts in pages:
                    plain = [(spec.objgen if spec.is_indirect else id(spec), _as_pdfminer(spec)) for spec in fonts]
                    slots: dict[str, dict[int, str]] = {}
                    for _, spec in plain:
                        _add_slots(spec, slots)
                    facts.slots.append(slots)
                    facts.fonts.append(plain)
    except (_Unsure, pikepdf.PdfError, pikepdf.PasswordError, ValueError, TypeError, KeyError,
            IndexError, AttributeError, RecursionError, OverflowError, RuntimeError):
        return None
    return facts


# The entries of a font dictionary ingest.pdf_glyphs and ingest.pdf_texenc read; the widths
# only of a font that may have a TeX encoding (pdf_texenc.tex_font looks at no other's).
_READ_KEYS = ("/BaseFont", "/Subtype", "/Encoding")
_TEX_KEYS = ("/FirstChar", "/Widths")


def _as_pdfminer(spec: Any) -> dict[str, Any]:
    """The entries of a font that ingest.pdf_glyphs and ingest.pdf_texenc read, as pdfminer's
    parser gives them: names as PSLiterals, arrays as lists, numbers as int or float; the Unicode
    map only as being there."""
    out: dict[str, Any] = {}
    keys = _READ_KEYS + _TEX_KEYS if _may_be_tex(spec, _qpdf_name(spec.get("/Subtype"))) else _READ_KEYS
    for key in keys:
        value = spec.get(key)
        if value is not None:
            out[key[1:]] = _plain(value, depth=2)
    if "/ToUnicode" in spec:
        out["ToUnicode"] = True
    return out


def _plain(value: Any, depth: int) -> Any:
    if isinstance(value, pikepdf.Name):
        text = str(value)[1:]
        if not text.isascii():
            raise _Unsure(f"name {text!r}")
        return LIT(text)
    if isinstance(value, int):  # bool as well, as pdfminer reads true and false
        return value
    if isinstance(value, Decimal):
        return float(value)
    if depth > 0 and isinstance(value, pikepdf.Array):
        return [_plain(item, depth - 1) for item in value]
    if depth > 0 and isinstance(value, pikepdf.Dictionary):
        return {str(k)[1:]: _plain(v, depth - 1) for k, v in value.items()}
    raise _Unsure(f"a font entry of type {type(value).__name__}")


def _inherited(page: Any, key: str) -> Any:
    node = page
    for _ in range(_MAX_PARENTS):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        value = node.get(key)
        if value is not None:
            return value
        node = node.get("/Parent")
    return None


def _qpdf_page_fonts(resources: Any, depth: int = 0) -> list[Any]:
    if not isinstance(resources, pikepdf.Dictionary):
        return []
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        return [spec for spec in fonts.values() if isinstance(spec, pikepdf.Dictionary)]
    found: list[Any] = []
    if depth < _MAX_FORM_DEPTH:
        forms = resources.get("/XObject")
        for form in (forms.values() if isinstance(forms, pikepdf.Dictionary) else ()):
            if isinstance(form, pikepdf.Stream) and form.get("/Resources") is not None:
                found += _qpdf_page_fonts(form.get("/Resources"), depth + 1)
    return found


def _qpdf_font(spec: Any, found: dict[str, float | None], seen: set[tuple[int, int]]) -> bool:
    """The font's descent by its name, as _font and _descent take it; _Unsure where two fonts of
    one name differ, since pdfminer keeps the first in an order qpdf does not give. Returns
    whether the font may have cmsy slots or a TeX encoding."""
    if spec.is_indirect:
        key = spec.objgen
        if key in seen:
            return False
        seen.add(key)
    name = _qpdf_name(spec.get("/BaseFont"))
    subtype = _qpdf_name(spec.get("/Subtype"))
    special = is_cmsy_font(name) or _may_be_tex(spec, subtype)
    descent: float | None
    if subtype == "Type3":
        descent = None
    elif subtype == "Type0":
        descendants = spec.get("/DescendantFonts")
        if isinstance(descendants, pikepdf.Array) and len(descendants):
            first = descendants[0]
            descent = _qpdf_descriptor_descent(first) if isinstance(first, pikepdf.Dictionary) else None
        else:
            descent = _negative(0)  # pdfminer reads a missing descendant as an empty font
    elif name in FONT_METRICS:
        descent = _negative(FONT_METRICS[name][0].get("Descent", 0))
    else:
        descent = _qpdf_descriptor_descent(spec)
    if descent is not None:
        key_name = _SUBSET.sub("", name)
        if key_name in found and found[key_name] != descent:
            raise _Unsure(f"fonts named {key_name} differ")
        found[key_name] = descent
    return special


def _may_be_tex(spec: Any, subtype: str) -> bool:
    """Whether ingest.pdf_texenc.tex_font could find a TeX encoding for the font: a Type1 or
    Type3 font without ToUnicode whose /Differences name glyphs after their codes ("a28").
    Anything not read as expected counts as may be."""
    if subtype not in ("Type1", "Type3") or "/ToUnicode" in spec:
        return False
    encoding = spec.get("/Encoding")
    if not isinstance(encoding, pikepdf.Dictionary):
        return False
    items = encoding.get("/Differences")
    if not isinstance(items, pikepdf.Array):
        return items is not None  # malformed: pdfminer will say
    code, named = 0, False
    for item in items:
        if isinstance(item, int):
            code = item
        elif isinstance(item, pikepdf.Name):
            if str(item) != f"/a{code}":
                return False
            code, named = code + 1, True
        else:
            return True
    return named


def _qpdf_descriptor_descent(spec: Any) -> float | None:
    descriptor = spec.get("/FontDescriptor")
    value = descriptor.get("/Descent", 0) if isinstance(descriptor, pikepdf.Dictionary) else 0
    if isinstance(value, Decimal):
        value = float(value)
    return _negative(value)


def _qpdf_name(value: Any) -> str:
    if not isinstance(value, pikepdf.Name):
        return ""
    text = str(value)[1:]
    if not text.isascii():  # pdfminer decodes such names its own way
        raise _Unsure(f"font name {text!r}")
    return text
