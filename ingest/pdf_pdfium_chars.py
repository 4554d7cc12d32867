"""pdfium's characters on one page as Glyph records, boxed the way pdfminer boxes characters:
from the origin across the advance width, and from the font's descent below the baseline up
one em. Characters come out in content-stream order, grouped by container (the page, or a
top-level form), as pdfminer would see them.

This loop runs for every character of every page, so the common case (upright text on an
unrotated page) is handled inline, with per-font caches for advance widths and glyph fixes.
"""
from __future__ import annotations

import math
from ctypes import addressof, byref, c_double, c_float, create_string_buffer
from typing import NamedTuple

from ingest.pdf_blocks import Glyph
from ingest.pdf_fonts import FontFacts
from ingest.pdf_glyphs import fix_glyph, is_cmsy_font
from ingest.pdf_pdfium_api import Api, FSMatrix, FSRect
from ingest.pdf_pdfium_objects import Frame, PageObjects

PAGE = -1  # container of the characters drawn on the page itself, not in a form
_WHITE = frozenset((0x20, 0x0D, 0x0A))  # the only characters pdfium generates
_HYPHEN = 0x02  # how pdfium reports a hyphen that ends a line
_DEEPEST_DESCENT = -0.5  # ems; a deeper "descent" is a font's bounding box, not its descent


class PageText(NamedTuple):
    glyphs: dict[int, list[Glyph]]  # by container, in content-stream order
    # Text objects of which pdfium's text page holds no character: pdfium leaves out text it
    # cannot measure, such as a CID font it cannot load (a non-embedded Japanese font).
    unread: int


def page_glyphs(api: Api, textpage: int, number: int, frame: Frame, objects: PageObjects,
                facts: FontFacts) -> PageText:
    """The glyphs of page `number` (0-based)."""
    reader = _Reader(api, textpage, number, frame, objects, facts)
    by_object = reader.read()
    order = objects.text_order
    unknown = len(order)
    out: dict[int, list[Glyph]] = {}
    for obj in sorted(by_object, key=lambda o: order.get(o, unknown)):
        run = reader.runs[obj]
        if run is not None:
            out.setdefault(run.container, []).extend(by_object[obj])
    return PageText(out, sum(1 for obj in order if obj not in reader.runs))


class _Font:
    """A font's name and descent, and what has been worked out for its characters."""

    __slots__ = ("name", "descent", "known")

    def __init__(self, name: str, descent: float) -> None:
        self.name = name
        self.descent = descent  # below the baseline, in ems (negative)
        self.known: dict[int, tuple[str, str, float]] = {}  # code point -> raw, fixed text, advance

class _Run:
    """What the characters of one text object share: font, size and orientation. (a, b) is one
    em along the baseline in page space, (c, d) one em up."""

    __slots__ = ("font", "handle", "container", "a", "b", "c", "d", "fast", "bottom")

    def __init__(self, font: _Font, handle: int, container: int, matrix: tuple[float, float, float, float],
                 frame: Frame) -> None:
        self.font = font
        self.handle = handle
        self.container = container
        self.a, self.b, self.c, self.d = matrix
        # Upright on an unrotated page: boxes need no transformation at all.
        self.fast = self.b == 0 and self.c == 0 and self.a > 0 and self.d > 0 and frame.identity
        self.bottom = font.descent * self.d  # from the baseline, in points


class _Reader:
    def __init__(self, api: Api, textpage: int, number: int, frame: Frame, objects: PageObjects,
                 facts: FontFacts) -> None:
        self.api = api
        self.textpage = textpage
        self.number = number
        self.frame = frame
        self.containers = objects.text_containers
        self.facts = facts
        self.fonts: dict[int, _Font] = {}
        self.runs: dict[int, _Run | None] = {}
        self._x, self._y = c_double(), c_double()
        self._float = c_float()
        self._matrix = FSMatrix()
        self._rect = FSRect()

    def read(self) -> dict[int, list[Glyph]]:
        """Glyphs by text object, each object's in pdfium's order."""
        api, tp, runs = self.api, self.textpage, self.runs
        unicode, generated, text_object, origin = api.unicode, api.is_generated, api.text_object, api.char_origin
        x_val, y_val = self._x, self._y
        x_at, y_at = addressof(x_val), addressof(y_val)
        new = tuple.__new__  # Glyph(...) without the NamedTuple constructor's extra call
        out: dict[int, list[Glyph]] = {}
        glyphs: list[Glyph] = []
        last_obj, last_x, last_y = 0, 0.0, 0.0
        run: _Run | None = None
        # What the current text object's characters share, in locals: this loop runs for
        # every character of every page.
        known: dict[int, tuple[str, str, float]] = {}
        fast, bottom, a, d, name = False, 0.0, 0.0, 0.0, ""
        count = api.count_chars(tp)
        skip = -1
        for i in range(count):
            code = unicode(tp, i)
            if code in _WHITE and generated(tp, i) or i == skip:
                continue  # pdfium's own spaces and line breaks; the layout puts in its own
            if 0xD800 <= code <= 0xDFFF:  # a character past U+FFFF comes as two halves
                code, skip = self._pair(code, i, count)
            obj = text_object(tp, i)
            origin(tp, i, x_at, y_at)
            x, y = x_val.value, y_val.value
            if obj != last_obj:
                if not obj:
                    continue
                run = runs.get(obj)
                if run is None:
                    if obj in runs:
                        continue
                    run = runs[obj] = self._run(obj, i)
                    if run is None:
                        continue
                glyphs = out.setdefault(obj, [])
                last_obj = obj
                known, fast, bottom, a, d, name = run.font.known, run.fast, run.bottom, run.a, run.d, run.font.name
            elif x == last_x and y == last_y and glyphs:
                # A character at the origin of the last one: pdfium split what one code
                # draws ("ﬁ", or a code mapped to several characters) into its letters.
                raw = chr(code) if 0x20 <= code <= 0x10FFFF else self._control(code, run, i)  # type: ignore[arg-type]
                glyphs[-1] = self._ligature(glyphs[-1], raw, run, i)  # type: ignore[arg-type]
                continue
            last_x, last_y = x, y
            entry = known.get(code) if code >= 0x20 else None
            if entry is None:
                entry = self._entry(run, code, i)  # type: ignore[arg-type]
            raw, text, width = entry
            if fast and width > 0:
                y0 = y + bottom
                glyphs.append(new(Glyph, (text, raw, x, y0, x + width * a, y0 + d, d, name, True)))
            else:
                glyphs.append(self._glyph(raw, x, y, width, run, i))  # type: ignore[arg-type]
        return out

    def _entry(self, run: _Run, code: int, index: int) -> tuple[str, str, float]:
        """The character's text as pdfium maps it, with glyph fixes, and its advance in ems
        (0 when pdfium cannot tell it); kept for the font, but for control codes, whose
        meaning depends on where they stand."""
        raw = chr(code) if 0x20 <= code <= 0x10FFFF else self._control(code, run, index)
        font = run.font
        width = self._advance(font, run.handle, ord(raw)) if len(raw) == 1 else 0.0
        entry = (raw, fix_glyph(raw, font.name), width)
        if code >= 0x20:
            font.known[code] = entry
        return entry

    def _pair(self, code: int, index: int, count: int) -> tuple[int, int]:
        """The code point a UTF-16 surrogate pair at `index` stands for, and the index of its
        second half (to skip); U+FFFD for half a pair."""
        following = self.api.unicode(self.textpage, index + 1) if index + 1 < count else 0
        if code <= 0xDBFF and 0xDC00 <= following <= 0xDFFF:
            return 0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00), index + 1
        return 0xFFFD, -1

    def _control(self, code: int, run: _Run, index: int) -> str:
        """What a code point below U+0020 (or past Unicode) stands for: pdfium's mark for a
        hyphen at a line's end, or the code of a glyph pdfium could not map, which pdfminer
        writes "(cid:N)" unless it is a cmsy slot; or itself (a tab)."""
        api = self.api
        if code == _HYPHEN and api.is_hyphen(self.textpage, index):
            return "-"
        if code == 0 or code > 0x10FFFF or api.unicode_error(self.textpage, index):
            if is_cmsy_font(run.font.name):
                return self.facts.slot_glyph(self.number, run.font.name, code) or f"(cid:{code})"
            return f"(cid:{code})"
        return chr(code)

    def _run(self, obj: int, index: int) -> _Run | None:
        api = self.api
        font_handle = api.text_font(obj) or 0
        font = self.fonts.get(font_handle)
        if font is None:
            font = self.fonts[font_handle] = self._font(font_handle)
        size = api.font_size(self.textpage, index)
        m = self._matrix
        if not api.char_matrix(self.textpage, index, byref(m)):
            return None
        a, b, c, d = (v * size for v in (m.a, m.b, m.c, m.d))
        if not all(map(math.isfinite, (a, b, c, d))) or (a == b == 0) or (c == d == 0):
            return None  # a degenerate matrix draws nothing readable
        return _Run(font, font_handle, self.containers.get(obj, PAGE), (a, b, c, d), self.frame)

    def _font(self, font_handle: int) -> _Font:
        if not font_handle:
            return _Font("", 0.0)
        api = self.api
        buffer = create_string_buffer(256)
        length = api.font_name(font_handle, buffer, len(buffer))
        name = buffer.value.decode("utf-8", "replace") if 0 < length <= len(buffer) else ""
        known = self.facts.descents.get(name)
        if known is not None:
            return _Font(name, known)
        value = self._float
        ok = api.font_descent(font_handle, c_float(1.0), byref(value))
        descent = min(0.0, value.value) if ok and math.isfinite(value.value) else 0.0
        # Without the descriptor's word (ingest.pdf_fonts), a descent past half an em is
        # pdfium's guess from the font's bounding box, not a descent: pdfminer would use 0.
        return _Font(name, 0.0 if descent < _DEEPEST_DESCENT else descent)

    def _advance(self, font: _Font, font_handle: int, code: int) -> float:
        """The character's advance in ems, 0 when pdfium cannot tell it from the code point."""
        value = self._float
        # pdfium looks the code point up as a UTF-16 unit: past U+FFFF it finds another glyph.
        ok = font_handle and code <= 0xFFFF and self.api.glyph_width(font_handle, code, c_float(1.0), byref(value))
        return value.value if ok and math.isfinite(value.value) else 0.0

    def _glyph(self, raw: str, x: float, y: float, width: float, run: _Run, index: int) -> Glyph:
        """A glyph whose box needs turning, or whose advance pdfium cannot tell."""
        if run.b == 0 and run.c == 0 and run.a > 0 and run.d > 0:
            x1 = x + width * run.a if width > 0 else self._loose_right(index)
            y0 = y + run.bottom
            box = (x, y0, x1, y0 + run.d)
        else:
            box = self._turned_box(x, y, width, run, index)
        x0, y0, x1, y1 = self.frame.box(*box)
        return Glyph(fix_glyph(raw, run.font.name), raw, x0, y0, x1, y1, y1 - y0, run.font.name)

    def _turned_box(self, x: float, y: float, width: float, run: _Run,
                    index: int) -> tuple[float, float, float, float]:
        """The bounding box of the em box of a rotated or mirrored character, as pdfminer takes it."""
        if width <= 0:
            rect = self._rect
            self.api.loose_box(self.textpage, index, byref(rect))
            return rect.left, rect.bottom, rect.right, rect.top
        descent = run.font.descent
        xs, ys = [], []
        for u, v in ((0.0, descent), (width, descent), (0.0, descent + 1), (width, descent + 1)):
            xs.append(x + run.a * u + run.c * v)
            ys.append(y + run.b * u + run.d * v)
        return min(xs), min(ys), max(xs), max(ys)

    def _loose_right(self, index: int) -> float:
        rect = self._rect
        self.api.loose_box(self.textpage, index, byref(rect))
        return float(rect.right)

    def _ligature(self, glyph: Glyph, letter: str, run: _Run, index: int) -> Glyph:
        """pdfium splits a ligature into its letters, all at the ligature's origin; pdfminer
        keeps one character as wide as the ligature, which pdfium's loose box spans."""
        raw = glyph.raw + letter
        x0, x1 = glyph.x0, glyph.x1
        if run.b == 0 and run.c == 0 and self.frame.quarter_turns % 2 == 0:  # x stays x
            rect = self._rect
            self.api.loose_box(self.textpage, index, byref(rect))
            lx0, _, lx1, _ = self.frame.box(rect.left, rect.bottom, rect.right, rect.top)
            x0, x1 = min(x0, lx0), max(x1, lx1)
        return Glyph(fix_glyph(raw, run.font.name), raw, x0, glyph.y0, x1, glyph.y1, glyph.size, glyph.font)
