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
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

import numpy as np

from ingest.pdf_blocks import Glyph
from ingest.pdf_fonts import FontFacts
from ingest.pdf_glyphs import fix_glyph, is_cmsy_font
from ingest.pdf_page import is_bold_font
from ingest.pdf_pdfium_api import Api, FSRect
from ingest.pdf_pdfium_objects import Frame, PageObjects

PAGE = -1  # container of the characters drawn on the page itself, not in a form
_WHITE = frozenset((0x20, 0x0D, 0x0A))  # the only characters pdfium generates
_HYPHEN = 0x02  # how pdfium reports a hyphen that ends a line
_DEEPEST_DESCENT = -0.5  # ems; a deeper "descent" is a font's bounding box, not its descent
# ingest.pdf_glyphs.fix_glyph depends on the text and the font name only, and every page asks
# again for the same few hundred pairs.
_fixed = lru_cache(maxsize=4096)(fix_glyph)


class PageText(NamedTuple):
    glyphs: dict[int, list[Glyph]]  # by container, in content-stream order
    # Text objects of which pdfium's text page holds no character: pdfium leaves out text it
    # cannot measure, such as a CID font it cannot load (a non-embedded Japanese font).
    unread: int
    # The glyphs' boxes (x0, y0, x1, y1), row for row, for ingest.pdf_group to work on in bulk;
    # then each glyph's size, whether it is a letter and whether its font is bold, from which
    # it works out the lines' styles (ingest.pdf_page.line_styles).
    boxes: dict[int, np.ndarray]


def page_glyphs(api: Api, textpage: int, number: int, frame: Frame, objects: PageObjects,
                facts: FontFacts) -> PageText:
    """The glyphs of page `number` (0-based)."""
    reader = _Reader(api, textpage, number, frame, objects, facts)
    glyphs, boxes, runs = reader.read()
    order = objects.text_order
    unknown = len(order)
    # Objects in content-stream order, those pdfium's page list does not name last, in the
    # order their characters come; runs are numbered in that order.
    stream = np.fromiter(map(order.get, reader.objects, repeat(unknown)), dtype=np.int64, count=len(reader.objects))
    ranked = stream.argsort(kind="stable")
    rank = np.empty(len(stream), dtype=np.int64)
    rank[ranked] = np.arange(len(stream))
    place = rank[runs]
    # On most pages pdfium's order is already the content stream's: the glyphs stay as they are.
    sequence = None if (place[1:] >= place[:-1]).all() else place.argsort(kind="stable")
    containers = np.array(reader.run_containers, dtype=np.int64)
    container = containers[runs if sequence is None else runs[sequence]]
    # The containers in the order their glyphs come: every run has glyphs, and the runs come
    # in rank order.
    found = list(dict.fromkeys(containers[ranked].tolist()))
    out: dict[int, list[Glyph]] = {}
    out_boxes: dict[int, np.ndarray] = {}
    for where in found:
        if len(found) == 1:
            chosen = sequence
        else:
            picked = np.flatnonzero(container == where)
            chosen = picked if sequence is None else sequence[picked]
        if chosen is None:
            out[where], out_boxes[where] = glyphs, boxes
        else:
            out[where] = list(map(glyphs.__getitem__, chosen.tolist()))
            out_boxes[where] = boxes[chosen]
    return PageText(out, sum(1 for obj in order if obj not in reader.read_objects), out_boxes)


class _Font:
    """A font's handle, name and descent, and the page's code points in it."""

    __slots__ = ("handle", "name", "descent", "drawn")

    def __init__(self, handle: int, name: str, descent: float) -> None:
        self.handle = handle  # 0 for none
        self.name = name
        self.descent = descent  # below the baseline, in ems (negative)
        self.drawn: frozenset[int] | None = None  # the page's code points in this font, when asked

class _Run:
    """What the characters of one text object share: font, size and orientation. (a, b) is one
    em along the baseline in page space, (c, d) one em up. Made for the glyphs worked out one
    by one; the bulk of them are worked out from _Reader's arrays of the same numbers."""

    __slots__ = ("font", "container", "a", "b", "c", "d", "fast", "bottom")

    def __init__(self, font: _Font, container: int, matrix: tuple[float, float, float, float],
                 upright_page: bool) -> None:
        self.font = font
        self.container = container
        self.a, self.b, self.c, self.d = matrix
        # Upright on an unrotated page: boxes need no transformation at all.
        self.fast = self.b == 0 and self.c == 0 and self.a > 0 and self.d > 0 and upright_page
        self.bottom = font.descent * self.d  # from the baseline, in points


class _Chars(NamedTuple):
    """The characters pdfium's text page holds that have a text object to box them by, in its
    order: text page index, code point (surrogate pairs joined), origin, and the run (index in
    _Reader.objects) of the text object."""

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
        self.read_objects: set[int] = set()  # text objects pdfium's text page holds characters of
        # Text objects with characters placed, in the order they come: their runs. For each, its
        # font, the font's name, its container, and as arrays what _Run holds: an em along the
        # baseline (a, b), an em up (c, d), the font's descent, the descent below the baseline
        # in points, whether the run is fast.
        self.objects: list[int] = []
        self.run_fonts: list[_Font] = []
        self.run_font: list[str] = []
        self.run_containers: list[int] = []
        self.run_a = self.run_b = self.run_c = self.run_d = self.run_descent = self.run_bottom = np.zeros(0)
        self.run_fast = np.zeros(0, dtype=bool)
        self._runs: dict[int, _Run] = {}  # by index in objects, made when asked for
        self._float = c_float()
        self._rect = FSRect()
        self._drawing = _Chars(*(np.zeros(0, dtype=np.int64) for _ in range(5)))

    def read(self) -> tuple[list[Glyph], np.ndarray, np.ndarray]:
        """The glyphs in pdfium's order, their boxes, and each one's run (index in objects).

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
        raws, texts, width, letter = self._entries(chars, own)
        fast, a, d, bottom = self.run_fast, self.run_a, self.run_d, self.run_bottom
        names = np.array(self.run_font, dtype=object)
        bold = np.fromiter(map(is_bold_font, self.run_font), dtype=bool, count=len(self.run_font))
        k = glyph_run = run[own]
        x0 = x[own]
        y0 = y[own] + bottom[k]
        size = d[k]
        boxes = np.column_stack((x0, y0, x0 + width * a[k], y0 + size, size, letter, bold[k]))
        # Glyph(...) without the NamedTuple constructor's extra call, and without a Python loop.
        columns = zip(texts, raws, *boxes.T[:4].tolist(), size.tolist(), names[k].tolist(), repeat(True))
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
        # An object's characters mostly come together: the objects are told apart a stretch of
        # characters at a time, numbered in the order they come.
        starts = np.flatnonzero(np.concatenate(([m > 0], obj[1:] != obj[:-1])))
        numbers: dict[int, int] = {}
        stretch = np.array([numbers.setdefault(o, len(numbers)) for o in obj[starts].tolist()], dtype=np.int64)
        first = np.empty(len(numbers), dtype=np.int64)
        first[stretch[::-1]] = starts[::-1]  # each object's first character: its first stretch's
        run_of = self._add_runs(np.array(list(numbers), dtype=np.uint64), index[first].tolist())
        run = run_of[np.repeat(stretch, np.diff(np.append(starts, m)))]
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

    def _add_runs(self, objects: np.ndarray, firsts: list[int]) -> np.ndarray:
        """For each text object, whose first character is at `firsts`, its run (index in
        self.objects); -1 for no object, or one whose matrix draws nothing readable. pdfium is
        asked for the objects' fonts, sizes and matrices at once."""
        api, tp = self.api, self.textpage
        k = len(objects)
        handles = list(map(api.text_font, objects.tolist()))
        size = np.fromiter(map(api.font_size, repeat(tp, k), firsts), dtype=float, count=k)
        matrices = np.zeros((k, 6), dtype=np.float32)
        at = matrices.ctypes.data
        told = np.fromiter(map(api.char_matrix_to, repeat(tp, k), firsts, range(at, at + 24 * k, 24)),
                           dtype=np.int64, count=k)
        with np.errstate(all="ignore"):  # a broken matrix may hold anything: tested below
            a, b, c, d = (matrices[:, j].astype(float) * size for j in range(4))
            good = ((told != 0) & np.isfinite(a) & np.isfinite(b) & np.isfinite(c) & np.isfinite(d)
                    & ~((a == 0) & (b == 0)) & ~((c == 0) & (d == 0)))
        present = objects != 0  # characters pdfium holds with no object: no run
        named = np.flatnonzero(present).tolist()
        for handle in dict.fromkeys([handles[i] or 0 for i in named]):
            if handle not in self.fonts:
                self.fonts[handle] = self._font(handle)
        self.read_objects.update(objects[present].tolist())
        kept = np.flatnonzero(present & good)
        chosen = kept.tolist()
        self.objects = objects[kept].tolist()
        self.run_fonts = [self.fonts[handles[i] or 0] for i in chosen]
        self.run_font = [font.name for font in self.run_fonts]
        self.run_containers = list(map(self.containers.get, self.objects, repeat(PAGE)))
        self.run_a, self.run_b, self.run_c, self.run_d = a[kept], b[kept], c[kept], d[kept]
        self.run_descent = np.array([font.descent for font in self.run_fonts], dtype=float)
        self.run_bottom = self.run_descent * self.run_d
        # Upright on an unrotated page: boxes need no transformation at all.
        self.run_fast = (self.run_b == 0) & (self.run_c == 0) & (self.run_a > 0) & (self.run_d > 0) & self.frame.identity
        out = np.full(k, -1, dtype=np.int64)
        out[kept] = np.arange(len(kept))
        return out

    def _run(self, k: int) -> _Run:
        """Run k, for a glyph worked out one by one."""
        run = self._runs.get(k)
        if run is None:
            matrix = (float(self.run_a[k]), float(self.run_b[k]), float(self.run_c[k]), float(self.run_d[k]))
            run = self._runs[k] = _Run(self.run_fonts[k], self.run_containers[k], matrix, self.frame.identity)
        return run

    def _entries(self, chars: _Chars, own: np.ndarray) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
        """Raw text, fixed text and advance of the characters `own` picks, and whether the
        fixed text starts with a letter, worked out once per font and code point, but for
        control codes, whose meaning depends on where they stand.
        A page has a few hundred such entries; those of plain code points (nearly all) are
        made together, the rest one by one."""
        font_ids: dict[int, int] = {}
        fonts: list[_Font] = []
        for font in self.run_fonts:
            if id(font) not in font_ids:
                font_ids[id(font)] = len(fonts)
                fonts.append(font)
        font_of = np.array([font_ids[id(font)] for font in self.run_fonts], dtype=np.int64)
        code, run = chars.code[own], chars.run[own]
        keys = (font_of[run] << 32) | code
        control = code < 0x20
        keys[control] = -1 - np.arange(int(control.sum()))  # one entry each
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        count = len(uniq)
        raws, texts = np.empty(count, dtype=object), np.empty(count, dtype=object)
        widths = np.zeros(count)
        codes = code[first]
        plain = (codes >= 0x20) & (codes <= 0x10FFFF)
        picked = np.flatnonzero(plain)
        points = codes[picked].tolist()
        entry_fonts = [fonts[i] for i in (uniq[picked] >> 32).tolist()]
        raw = list(map(chr, points))
        raws[picked] = raw
        texts[picked] = list(map(_fixed, raw, [font.name for font in entry_fonts]))
        widths[picked] = self._advances([font.handle for font in entry_fonts], points)
        at = first[~plain]
        for k, r, c, index in zip(np.flatnonzero(~plain).tolist(), run[at].tolist(), codes[~plain].tolist(),
                                  chars.at[own][at].tolist()):
            raws[k], texts[k], widths[k] = self._entry(self._run(r), c, index)
        letters = np.fromiter(map(_starts_with_letter, texts.tolist()), dtype=bool, count=count)
        inverse = inverse.reshape(-1)
        return raws[inverse].tolist(), texts[inverse].tolist(), widths[inverse], letters[inverse]

    def _special(self, chars: _Chars, joined: np.ndarray, slow: np.ndarray, raws: list[str], width: np.ndarray,
                 glyphs: list[Glyph], boxes: np.ndarray) -> None:
        """Glyphs that need pdfium's boxes, or turning, and the letters pdfium split off the
        glyph before them; in pdfium's order, as pdfium's box buffer is reused."""
        place = np.cumsum(~joined) - 1  # each character's glyph: its own, or the one it joins
        # Those whose box is worked out from their advance (on a turned page, or turned
        # themselves) are made together first, the rest one by one after them.
        told = slow & (width[place] > 0)
        self._told(chars, np.flatnonzero(told), place, raws, width, glyphs, boxes)
        for i in np.flatnonzero(joined | (slow & ~told)).tolist():
            g, run, index = int(place[i]), self._run(int(chars.run[i])), int(chars.at[i])
            if joined[i]:
                code = int(chars.code[i])
                raw = chr(code) if 0x20 <= code <= 0x10FFFF else self._control(code, run, index)
                glyphs[g] = self._ligature(glyphs[g], raw, run, index)
            else:
                glyphs[g] = self._glyph(raws[g], float(chars.x[i]), float(chars.y[i]), float(width[g]), run, index)
            glyph = glyphs[g]
            boxes[g, :5] = glyph[2:7]  # box and size; the font stays the run's
            boxes[g, 5] = _starts_with_letter(glyph[0])

    def _told(self, chars: _Chars, at: np.ndarray, place: np.ndarray, raws: list[str], width: np.ndarray,
              glyphs: list[Glyph], boxes: np.ndarray) -> None:
        """_glyph for the characters `at`, all with an advance pdfium told, at once: the same
        arithmetic, in numpy, and min() and max() as they choose (the first of equals)."""
        if not len(at):
            return
        g, r = place[at], chars.run[at]
        x, y, w = chars.x[at], chars.y[at], width[g]
        a, b, c, d = self.run_a[r], self.run_b[r], self.run_c[r], self.run_d[r]
        descent, bottom = self.run_descent[r], self.run_bottom[r]
        with np.errstate(all="ignore"):  # as Python's float arithmetic, which never complains
            upright = (b == 0) & (c == 0) & (a > 0) & (d > 0)
            low = y + bottom
            top = descent + 1
            xs = [x + a * 0.0 + c * descent, x + a * w + c * descent, x + a * 0.0 + c * top, x + a * w + c * top]
            ys = [y + b * 0.0 + d * descent, y + b * w + d * descent, y + b * 0.0 + d * top, y + b * w + d * top]
            box = (np.where(upright, x, _least(xs)), np.where(upright, low, _least(ys)),
                   np.where(upright, x + w * a, _most(xs)), np.where(upright, low + d, _most(ys)))
            x0, y0, x1, y1 = self.frame.box(*box)
            size = y1 - y0
        names = [self.run_font[k] for k in r.tolist()]
        at_raw = [raws[k] for k in g.tolist()]
        for k, raw, name, gx0, gy0, gx1, gy1, gsize in zip(g.tolist(), at_raw, names, x0.tolist(), y0.tolist(),
                                                          x1.tolist(), y1.tolist(), size.tolist()):
            glyphs[k] = Glyph(_fixed(raw, name), raw, gx0, gy0, gx1, gy1, gsize, name)
        boxes[g, :5] = np.column_stack((x0, y0, x1, y1, size))  # the font stays the run's
        boxes[g, 5] = [_starts_with_letter(glyphs[k][0]) for k in g.tolist()]

    def _entry(self, run: _Run, code: int, index: int) -> tuple[str, str, float]:
        """The character's text as pdfium maps it, with glyph fixes, and its advance in ems
        (0 when pdfium cannot tell it), for a control code or one past Unicode."""
        raw = chr(code) if 0x20 <= code <= 0x10FFFF else self._control(code, run, index)
        font = run.font
        # pdfium cannot tell the advance of a code it could not map from the TeX text it stands for.
        tex = code < 0x20 and raw == self._tex(run, code)
        width = self._advance(font.handle, ord(raw)) if len(raw) == 1 and not tex else 0.0
        return raw, _fixed(raw, font.name), width

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
            fonts = np.array([f is font for f in self.run_fonts], dtype=bool)
            # Less pdfium's mark for a hyphen at a line's end, which stands for another code.
            font.drawn = frozenset(chars.code[fonts[chars.run]].tolist()) - {_HYPHEN}
        return self.facts.tex_text(self.number, font.name, code, font.drawn)

    def _font(self, font_handle: int) -> _Font:
        if not font_handle:
            return _Font(0, "", 0.0)
        api = self.api
        buffer = create_string_buffer(256)
        length = api.font_name(font_handle, buffer, len(buffer))
        name = buffer.value.decode("utf-8", "replace") if 0 < length <= len(buffer) else ""
        known = self.facts.descents.get(name)
        if known is not None:
            return _Font(font_handle, name, known)
        value = self._float
        ok = api.font_descent(font_handle, c_float(1.0), byref(value))
        descent = min(0.0, value.value) if ok and math.isfinite(value.value) else 0.0
        # Without the descriptor's word (ingest.pdf_fonts), a descent past half an em is
        # pdfium's guess from the font's bounding box, not a descent: pdfminer would use 0.
        return _Font(font_handle, name, 0.0 if descent < _DEEPEST_DESCENT else descent)

    def _advance(self, font_handle: int, code: int) -> float:
        """The character's advance in ems, 0 when pdfium cannot tell it from the code point."""
        return self._advances([font_handle], [code])[0]

    def _advances(self, font_handles: list[int], codes: list[int]) -> list[float]:
        """_advance for each font and code point, with one argument object for all the calls."""
        glyph_width, value = self.api.glyph_width_at, self._float
        size, into = c_float(1.0), byref(value)
        fonts = {font_handle: c_void_p(font_handle) for font_handle in set(font_handles)}  # as the call takes them
        out: list[float] = []
        for font_handle, code in zip(font_handles, codes):
            # pdfium looks the code point up as a UTF-16 unit: past U+FFFF it finds another glyph.
            ok = font_handle and code <= 0xFFFF and glyph_width(fonts[font_handle], code, size, into)
            out.append(value.value if ok and math.isfinite(value.value) else 0.0)
        return out

    def _glyph(self, raw: str, x: float, y: float, width: float, run: _Run, index: int) -> Glyph:
        """A glyph whose box needs turning, or whose advance pdfium cannot tell."""
        if run.b == 0 and run.c == 0 and run.a > 0 and run.d > 0:
            x1 = x + width * run.a if width > 0 else self._loose_right(index)
            y0 = y + run.bottom
            box = (x, y0, x1, y0 + run.d)
        else:
            box = self._turned_box(x, y, width, run, index)
        x0, y0, x1, y1 = self.frame.box(*box)
        return Glyph(_fixed(raw, run.font.name), raw, x0, y0, x1, y1, y1 - y0, run.font.name)

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
        return Glyph(_fixed(raw, run.font.name), raw, x0, glyph.y0, x1, glyph.y1, glyph.size, glyph.font)


def _least(values: list[np.ndarray]) -> np.ndarray:
    """min() of the values, element by element: the first of the least, NaN where min() keeps it."""
    out = values[0]
    for value in values[1:]:
        out = np.where(value < out, value, out)
    return out


def _most(values: list[np.ndarray]) -> np.ndarray:
    """max() of the values, element by element, as _least."""
    out = values[0]
    for value in values[1:]:
        out = np.where(value > out, value, out)
    return out


def _starts_with_letter(text: str) -> bool:
    """What ingest.pdf_page counts as a letter: a glyph whose text starts with one."""
    return text[:1].isalpha()


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
