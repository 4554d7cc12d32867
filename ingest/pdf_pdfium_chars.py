"""pdfium's characters on one page as Glyph records, boxed the way pdfminer boxes characters:
from the origin across the advance width, and from the font's descent below the baseline up
one em. Characters come out in content-stream order, grouped by container (the page, or a
top-level form), as pdfminer would see them.

This runs for every character of every page, and a call into pdfium through ctypes costs more
than what pdfium does in it. So pdfium is asked for each character's code point, text object
and origin in one sweep of C-level map() calls, and the rest is worked out per text object,
per font and code point, and for the common case (upright text on an unrotated page) in numpy
arrays; only glyphs that need pdfium's boxes are made one by one.
"""
from __future__ import annotations

import math
from ctypes import byref, c_double, c_float, c_void_p, create_string_buffer
from itertools import repeat
from typing import NamedTuple

import numpy as np

from ingest.pdf_blocks import Glyph
from ingest.pdf_fonts import FontFacts
from ingest.pdf_glyphs import fix_glyph, is_cmsy_font
from ingest.pdf_pdfium_api import Api, FSRect
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
    # The glyphs' boxes (x0, y0, x1, y1), row for row, for ingest.pdf_group to work on in bulk.
    boxes: dict[int, np.ndarray]


def page_glyphs(api: Api, textpage: int, number: int, frame: Frame, objects: PageObjects,
                facts: FontFacts) -> PageText:
    """The glyphs of page `number` (0-based)."""
    reader = _Reader(api, textpage, number, frame, objects, facts)
    glyphs, boxes, runs = reader.read()
    order = objects.text_order
    unknown = len(order)
    # Objects in content-stream order, those pdfium's page list does not name last, in the
    # order their characters come.
    ranked = sorted(dict.fromkeys(runs.tolist()), key=lambda r: order.get(reader.objects[r], unknown))
    rank = np.zeros(len(reader.objects), dtype=np.int64)
    rank[ranked] = np.arange(len(ranked))
    sequence = np.argsort(rank[runs], kind="stable")
    container = np.array([run.container for run in reader.run_list], dtype=np.int64)[runs[sequence]]
    out: dict[int, list[Glyph]] = {}
    out_boxes: dict[int, np.ndarray] = {}
    for place in dict.fromkeys(container.tolist()):
        chosen = sequence[container == place]
        out[place] = list(map(glyphs.__getitem__, chosen.tolist()))
        out_boxes[place] = boxes[chosen]
    return PageText(out, sum(1 for obj in order if obj not in reader.runs), out_boxes)


class _Font:
    """A font's name and descent, and what has been worked out for its characters."""

    __slots__ = ("name", "descent", "known", "drawn")

    def __init__(self, name: str, descent: float) -> None:
        self.name = name
        self.descent = descent  # below the baseline, in ems (negative)
        self.known: dict[int, tuple[str, str, float]] = {}  # code point -> raw, fixed text, advance
        self.drawn: frozenset[int] | None = None  # the page's code points in this font, when asked

class _Run:
    """What the characters of one text object share: font, size and orientation. (a, b) is one
    em along the baseline in page space, (c, d) one em up."""

    __slots__ = ("font", "handle", "container", "a", "b", "c", "d", "fast", "bottom")

    def __init__(self, font: _Font, handle: int, container: int, matrix: tuple[float, float, float, float],
                 upright_page: bool) -> None:
        self.font = font
        self.handle = handle
        self.container = container
        self.a, self.b, self.c, self.d = matrix
        # Upright on an unrotated page: boxes need no transformation at all.
        self.fast = self.b == 0 and self.c == 0 and self.a > 0 and self.d > 0 and upright_page
        self.bottom = font.descent * self.d  # from the baseline, in points


class _Chars(NamedTuple):
    """The characters pdfium's text page holds that have a text object to box them by, in its
    order: text page index, code point (surrogate pairs joined), origin, and the run (index in
    _Reader.run_list) of the text object."""

    at: np.ndarray
    code: np.ndarray
    x: np.ndarray
    y: np.ndarray
    run: np.ndarray


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
        self.objects: list[int] = []  # text objects with characters placed, in the order they come
        self.run_list: list[_Run] = []  # the same objects' runs
        self._float = c_float()
        self._rect = FSRect()
        self._drawing = _Chars(*(np.zeros(0, dtype=np.int64) for _ in range(5)))

    def read(self) -> tuple[list[Glyph], np.ndarray, np.ndarray]:
        """The glyphs in pdfium's order, their boxes, and each one's run (index in run_list).

        Like pdfminer, a character drawn at the origin of the one before it in the same text
        object is part of that one: pdfium splits what one code draws ("ﬁ", or a code mapped to
        several characters) into its letters. pdfium is asked for all characters' code points,
        objects and origins at once; glyphs are worked out per run and per font in bulk, and
        only glyphs that need more than their origin and advance are made one by one."""
        chars = self._drawing = self._chars()
        n = len(chars.code)
        if not n:
            return [], np.zeros((0, 4)), np.zeros(0, dtype=np.int64)
        run, x, y = chars.run, chars.x, chars.y
        joined = np.zeros(n, dtype=bool)  # at the last character's origin, in the same object
        joined[1:] = (run[1:] == run[:-1]) & (x[1:] == x[:-1]) & (y[1:] == y[:-1])
        own = ~joined
        raws, texts, width = self._entries(chars, own)
        runs = self.run_list
        fast = np.array([r.fast for r in runs], dtype=bool)
        a, d, bottom = (np.array([getattr(r, k) for r in runs], dtype=float) for k in ("a", "d", "bottom"))
        names = np.array([r.font.name for r in runs], dtype=object)
        k = glyph_run = run[own]
        x0 = x[own]
        y0 = y[own] + bottom[k]
        boxes = np.column_stack((x0, y0, x0 + width * a[k], y0 + d[k]))
        # Glyph(...) without the NamedTuple constructor's extra call, and without a Python loop.
        columns = zip(texts, raws, *boxes.T.tolist(), d[k].tolist(), names[k].tolist(), repeat(True))
        glyphs: list[Glyph] = list(map(tuple.__new__, repeat(Glyph), columns))
        slow = np.zeros(n, dtype=bool)
        slow[own] = ~(fast[k] & (width > 0))
        self._special(chars, joined, slow, raws, width, glyphs, boxes)
        return glyphs, boxes, glyph_run

    def _chars(self) -> _Chars:
        """Every character pdfium did not make up (its spaces and line breaks: the layout puts
        in its own), with its text object's run; characters without one are left out."""
        api, tp = self.api, self.textpage
        count = api.count_chars(tp)
        page = c_void_p(tp)
        codes = np.fromiter(map(api.unicode_at, repeat(page, count), range(count)), dtype=np.int64, count=count)
        keep = np.ones(count, dtype=bool)
        white = np.flatnonzero((codes == 0x20) | (codes == 0x0D) | (codes == 0x0A))
        made = np.fromiter(map(api.is_generated, repeat(tp), white.tolist()), dtype=np.int64, count=len(white))
        keep[white[made != 0]] = False
        index = np.flatnonzero(keep)
        code = codes[index]
        if ((code >= 0xD800) & (code <= 0xDFFF)).any():  # a character past U+FFFF comes as two halves
            index, code = _pairs(codes, keep)
        at = index.tolist()
        m = len(at)
        obj = np.fromiter(map(api.text_object_at, repeat(page, m), at), dtype=np.uint64, count=m)
        x, y = self._origins(at)
        uniq, first, inverse = np.unique(obj, return_index=True, return_inverse=True)
        come = np.argsort(first, kind="stable")  # objects in the order their characters come
        run_of = np.empty(len(uniq), dtype=np.int64)
        run_of[come] = self._add_runs(uniq[come].tolist(), index[first[come]].tolist())
        run = run_of[inverse.reshape(-1)]
        valid = run >= 0
        return _Chars(index[valid], code[valid], x[valid], y[valid], run[valid])

    def _origins(self, at: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The characters' origins; where pdfium cannot tell one, the last one told (0 first)."""
        m = len(at)
        xs, ys = (c_double * m)(), (c_double * m)()
        x_at, y_at = map(byref, repeat(xs), range(0, 8 * m, 8)), map(byref, repeat(ys), range(0, 8 * m, 8))
        ok = np.fromiter(map(self.api.char_origin_at, repeat(c_void_p(self.textpage), m), at, x_at, y_at),
                         dtype=np.int64, count=m)
        return _carried(np.ctypeslib.as_array(xs), ok), _carried(np.ctypeslib.as_array(ys), ok)

    def _add_runs(self, objects: list[int], firsts: list[int]) -> list[int]:
        """For each text object, whose first character is at `firsts`, its index in run_list;
        -1 for no object, or one whose matrix draws nothing readable. pdfium is asked for the
        objects' fonts, sizes and matrices at once."""
        api, tp = self.api, self.textpage
        k = len(objects)
        fonts = list(map(api.text_font, objects))
        size = np.fromiter(map(api.font_size, repeat(tp, k), firsts), dtype=float, count=k)
        matrices = np.zeros((k, 6), dtype=np.float32)
        at = matrices.ctypes.data
        told = np.fromiter(map(api.char_matrix_to, repeat(tp, k), firsts, range(at, at + 24 * k, 24)),
                           dtype=np.int64, count=k)
        with np.errstate(all="ignore"):  # a broken matrix may hold anything: tested below
            a, b, c, d = (matrices[:, j].astype(float) * size for j in range(4))
            good = ((told != 0) & np.isfinite(a) & np.isfinite(b) & np.isfinite(c) & np.isfinite(d)
                    & ~((a == 0) & (b == 0)) & ~((c == 0) & (d == 0)))
        upright = self.frame.identity
        out: list[int] = []
        for obj, font_handle, ok, matrix in zip(objects, fonts, good.tolist(), zip(*(v.tolist() for v in (a, b, c, d)))):
            if not obj:
                out.append(-1)
                continue
            font_handle = font_handle or 0
            font = self.fonts.get(font_handle)
            if font is None:
                font = self.fonts[font_handle] = self._font(font_handle)
            if not ok:
                self.runs[obj] = None
                out.append(-1)
                continue
            run = self.runs[obj] = _Run(font, font_handle, self.containers.get(obj, PAGE), matrix, upright)
            self.objects.append(obj)
            self.run_list.append(run)
            out.append(len(self.run_list) - 1)
        return out

    def _entries(self, chars: _Chars, own: np.ndarray) -> tuple[list[str], list[str], np.ndarray]:
        """Raw text, fixed text and advance of the characters `own` picks, worked out once per
        font and code point, but for control codes, whose meaning depends on where they stand."""
        runs = self.run_list
        font_ids = {id(r.font): i for i, r in enumerate(runs)}
        font_of = np.array([font_ids[id(r.font)] for r in runs], dtype=np.int64)
        code, run, index = chars.code[own], chars.run[own], chars.at[own]
        keys = (font_of[run] << 32) | code
        control = code < 0x20
        keys[control] = -1 - np.arange(int(control.sum()))  # one entry each
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        raws, texts = np.empty(len(uniq), dtype=object), np.empty(len(uniq), dtype=object)
        widths = np.empty(len(uniq))
        for k, at in enumerate(first.tolist()):
            r, c = runs[run[at]], int(code[at])
            raws[k], texts[k], widths[k] = r.font.known.get(c) or self._entry(r, c, int(index[at]))
        inverse = inverse.reshape(-1)
        return raws[inverse].tolist(), texts[inverse].tolist(), widths[inverse]

    def _special(self, chars: _Chars, joined: np.ndarray, slow: np.ndarray, raws: list[str], width: np.ndarray,
                 glyphs: list[Glyph], boxes: np.ndarray) -> None:
        """Glyphs that need pdfium's boxes, or turning, and the letters pdfium split off the
        glyph before them; in pdfium's order, as pdfium's box buffer is reused."""
        place = np.cumsum(~joined) - 1  # each character's glyph: its own, or the one it joins
        runs = self.run_list
        for i in np.flatnonzero(joined | slow).tolist():
            g, run, index = int(place[i]), runs[chars.run[i]], int(chars.at[i])
            if joined[i]:
                code = int(chars.code[i])
                raw = chr(code) if 0x20 <= code <= 0x10FFFF else self._control(code, run, index)
                glyphs[g] = self._ligature(glyphs[g], raw, run, index)
            else:
                glyphs[g] = self._glyph(raws[g], float(chars.x[i]), float(chars.y[i]), float(width[g]), run, index)
            boxes[g] = glyphs[g][2:6]

    def _entry(self, run: _Run, code: int, index: int) -> tuple[str, str, float]:
        """The character's text as pdfium maps it, with glyph fixes, and its advance in ems
        (0 when pdfium cannot tell it); kept for the font, but for control codes, whose
        meaning depends on where they stand."""
        raw = chr(code) if 0x20 <= code <= 0x10FFFF else self._control(code, run, index)
        font = run.font
        # pdfium cannot tell the advance of a code it could not map from the TeX text it stands for.
        tex = code < 0x20 and raw == self._tex(run, code)
        width = self._advance(font, run.handle, ord(raw)) if len(raw) == 1 and not tex else 0.0
        entry = (raw, fix_glyph(raw, font.name), width)
        if code >= 0x20:
            font.known[code] = entry
        return entry

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
            return self._tex(run, code) or f"(cid:{code})"
        return chr(code)

    def _tex(self, run: _Run, code: int) -> str | None:
        """What a code stands for in a TeX font without a Unicode map (ingest.pdf_texenc), the
        font known by its name and the codes it draws on the page; pdfium reports such a font's
        codes, having no characters for them."""
        font = run.font
        if font.drawn is None:
            chars = self._drawing
            fonts = np.array([r.font is font for r in self.run_list], dtype=bool)
            # Less pdfium's mark for a hyphen at a line's end, which stands for another code.
            font.drawn = frozenset(chars.code[fonts[chars.run]].tolist()) - {_HYPHEN}
        return self.facts.tex_text(self.number, font.name, code, font.drawn)

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


def _pairs(codes: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The kept characters' indexes and code points with each UTF-16 surrogate pair joined into
    the code point it stands for, at the first half's index (the second is left out); U+FFFD
    for half a pair."""
    index: list[int] = []
    points: list[int] = []
    count = len(codes)
    skip = -1
    for i in np.flatnonzero(keep).tolist():
        if i == skip:
            continue
        code = int(codes[i])
        if 0xD800 <= code <= 0xDFFF:
            following = int(codes[i + 1]) if i + 1 < count else 0
            if code <= 0xDBFF and 0xDC00 <= following <= 0xDFFF:
                code, skip = 0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00), i + 1
            else:
                code = 0xFFFD
        index.append(i)
        points.append(code)
    return np.array(index, dtype=np.int64), np.array(points, dtype=np.int64)


def _carried(values: np.ndarray, told: np.ndarray) -> np.ndarray:
    """`values`, where `told` is 0 (pdfium could not tell) the last value told, 0 before any."""
    for i in np.flatnonzero(told == 0).tolist():
        values[i] = values[i - 1] if i else 0.0
    return values
