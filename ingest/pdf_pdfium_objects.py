"""What the pdfium engine takes from a page's objects besides text: the straight rules tables are
drawn with (as ingest.pdf's aggregator takes them from pdfminer), the form XObjects (figures) and
which text objects they hold, and the page frame pdfminer puts every coordinate in."""
from __future__ import annotations

from ctypes import byref, c_float, c_int
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, TypeVar

import numpy as np
import pypdfium2.raw as pdfium_c

from ingest.pdf_blocks import Rule
from ingest.pdf_pdfium_api import Api, FSMatrix
from ingest.pdf_tables import MAX_RULE_PATH, subpath_rules

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
Number = TypeVar("Number", float, np.ndarray)  # a coordinate, or an array of them
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_DEPTH = 32  # forms drawing forms; deeper is a loop in a broken file
_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
_TEXT, _PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
_LINETO = pdfium_c.FPDF_SEGMENT_LINETO


@dataclass(frozen=True)
class Frame:
    """pdfminer's page frame: the media box's lower-left corner at the origin, then /Rotate."""

    quarter_turns: int
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def of(cls, page: Any) -> Frame:
        """The frame of a page opened with pypdfium2.raw.FPDF_LoadPage."""
        left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
        if not pdfium_c.FPDFPage_GetMediaBox(page, byref(left), byref(bottom), byref(right), byref(top)):
            left.value, bottom.value = 0.0, 0.0
            right.value, top.value = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        turns = pdfium_c.FPDFPage_GetRotation(page) % 4
        return cls(turns, min(left.value, right.value), min(bottom.value, top.value),
                   max(left.value, right.value), max(bottom.value, top.value))

    @property
    def identity(self) -> bool:
        return self.quarter_turns == 0 and self.x0 == 0 and self.y0 == 0

    @property
    def width(self) -> float:
        return self.x1 - self.x0 if self.quarter_turns % 2 == 0 else self.y1 - self.y0

    @property
    def height(self) -> float:
        return self.y1 - self.y0 if self.quarter_turns % 2 == 0 else self.x1 - self.x0

    @property
    def bounds(self) -> Box:
        return 0.0, 0.0, self.width, self.height

    def box(self, x0: Number, y0: Number, x1: Number, y1: Number) -> tuple[Number, Number, Number, Number]:
        """A box in PDF user space, in the page frame; or boxes, in arrays of their coordinates."""
        turns = self.quarter_turns
        if turns == 0:
            return x0 - self.x0, y0 - self.y0, x1 - self.x0, y1 - self.y0
        if turns == 1:
            return y0 - self.y0, self.x1 - x1, y1 - self.y0, self.x1 - x0
        if turns == 2:
            return self.x1 - x1, self.y1 - y1, self.x1 - x0, self.y1 - y0
        return self.y1 - y1, x0 - self.x0, self.y1 - y0, x1 - self.x0

    def point(self, x: float, y: float) -> tuple[float, float]:
        x0, y0, _, _ = self.box(x, y, x, y)
        return x0, y0


@dataclass
class PageObjects:
    paths: list[tuple[int, Matrix]] = field(default_factory=list)  # path objects, and their parents' matrix
    forms: list[Box] = field(default_factory=list)  # top-level forms' bounds, in the page frame
    text_containers: dict[int, int] = field(default_factory=dict)  # text object -> index in forms
    # Text objects in content-stream order, the order pdfminer sees characters in; pdfium's
    # text page moves objects that share a baseline into left-to-right order instead.
    text_order: dict[int, int] = field(default_factory=dict)


def page_objects(api: Api, page: int, frame: Frame) -> PageObjects:
    """Paths, forms and text objects of one page."""
    found = PageObjects()
    count = api.count_objects(page)
    _Walker(api, frame, found).visit(list(map(api.page_object, repeat(page, count), range(count))), _IDENTITY, None, 0)
    return found


def page_rules(api: Api, frame: Frame, objects: PageObjects) -> list[Rule]:
    """The table rules the page's paths draw, while the page is still open."""
    walker = _Walker(api, frame, objects)
    rules: list[Rule] = []
    for obj, parent in objects.paths:
        rules += walker.path_rules(obj, parent)
    return rules


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m, then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


class _Walker:
    def __init__(self, api: Api, frame: Frame, found: PageObjects) -> None:
        self.api = api
        self.frame = frame
        self.found = found
        self._matrix = FSMatrix()
        self._x, self._y = c_float(), c_float()
        self._fill, self._stroke = c_int(), c_int()

    def _object_matrix(self, obj: int, parent: Matrix) -> Matrix:
        m = self._matrix
        if not self.api.object_matrix(obj, byref(m)):
            return parent
        own = (m.a, m.b, m.c, m.d, m.e, m.f)
        return own if parent is _IDENTITY else _multiply(own, parent)

    def visit(self, objects: list[int], parent: Matrix, form: int | None, depth: int) -> None:
        """Objects drawn with the matrix `parent`, in form `form` (None: on the page)."""
        api, found = self.api, self.found
        text_order = found.text_order
        for obj, kind in zip(objects, list(map(api.object_type, objects))):
            if kind == _TEXT:
                text_order[obj] = len(text_order)
                if form is not None:
                    found.text_containers[obj] = form
            elif kind == _PATH:
                found.paths.append((obj, parent))
            elif kind == _FORM and depth < _MAX_DEPTH:
                here = form
                if here is None:  # a top-level form: pdfminer's LTFigure on the page
                    here = len(found.forms)
                    found.forms.append(self._bounds(obj))
                count = api.form_count(obj)
                inner = [o for o in map(api.form_object, repeat(obj, count), range(count)) if o]
                self.visit(inner, self._object_matrix(obj, parent), here, depth + 1)

    def _bounds(self, obj: int) -> Box:
        left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
        if not self.api.object_bounds(obj, byref(left), byref(bottom), byref(right), byref(top)):
            return 0.0, 0.0, 0.0, 0.0
        return self.frame.box(left.value, bottom.value, right.value, top.value)

    def path_rules(self, obj: int, parent: Matrix) -> list[Rule]:
        """The rules a painted path of straight segments draws, as pdfminer's aggregator in
        ingest.pdf finds them: a path with a curve, or too many segments, draws none."""
        api = self.api
        count = api.count_segments(obj)
        if count < 2 or count > MAX_RULE_PATH:
            return []  # plot lines, glyph outlines, hatching: never table rules
        if not api.draw_mode(obj, byref(self._fill), byref(self._stroke)):
            return []
        if not self._fill.value and not self._stroke.value:
            return []  # a clipping path: nothing is drawn
        a, b, c, d, e, f = self._object_matrix(obj, parent)
        x_val, y_val = self._x, self._y
        x_ref, y_ref = byref(x_val), byref(y_val)
        get_segment, segment_type, segment_point = api.segment, api.segment_type, api.segment_point
        subpaths: list[list[tuple[float, float]]] = []
        for k in range(count):
            segment = get_segment(obj, k)
            kind = segment_type(segment)
            if kind == _MOVETO:
                subpaths.append([])
            elif kind != _LINETO or not subpaths:
                return []  # a curve
            segment_point(segment, x_ref, y_ref)
            x, y = x_val.value, y_val.value
            subpaths[-1].append((a * x + c * y + e, b * x + d * y + f))
        frame = self.frame
        rules: list[Rule] = []
        for points in subpaths:
            rules += subpath_rules(points if frame.identity else [frame.point(*p) for p in points])
        return rules
