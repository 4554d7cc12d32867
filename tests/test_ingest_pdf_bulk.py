"""The PDF reader's bulk (numpy) paths and shortcuts make the same records as the one-by-one
code they replace: characters to lines (ingest.pdf_group), pdfminer's Plane order of
neighbours, the object header before a stream (ingest.pdf_guard), the text clean-up.
Property-based, on coordinates that touch, overlap, repeat, are empty or negative, as real
pages have them."""
from __future__ import annotations

import re

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import pdf_body, pdf_group, pdf_guard
from ingest.normalize import _RING_A, _TRANSLATE, clean_text
from ingest.pdf_blocks import Glyph

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Few distinct values, so that edges coincide and boxes touch as often as they do on a page.
_COORD = st.sampled_from([-12.0, -0.5, 0.0, 0.25, 1.0, 2.0, 2.5, 3.0, 5.0, 7.5, 10.0, 10.1, 12.0, 50.0, 51.5, 100.0])
_TEXT = st.sampled_from(["a", "B", " ", "\t", "1", "ﬁ", "", "(cid:3)", "β", "-", "  "])
_FONT = st.sampled_from(["", "Times-Roman", "Times-Bold", "CMBX10", "AdvP4C4E74"])


@st.composite
def glyphs(draw: st.DrawFn) -> list[Glyph]:
    out = []
    for _ in range(draw(st.integers(0, 40))):
        x0, y0 = draw(_COORD), draw(_COORD)
        x1, y1 = x0 + draw(_COORD.map(abs)), y0 + draw(_COORD.map(abs))
        raw = draw(_TEXT)
        out.append(Glyph(raw, raw, x0, y0, x1, y1, draw(st.sampled_from([0.0, 4.0, 9.96, 10.0])), draw(_FONT),
                         draw(st.booleans())))
    return out


def _boxes(items: list[Glyph]) -> np.ndarray:
    return np.array([g[2:6] for g in items], dtype=float).reshape(-1, 4)


@SETTINGS
@given(glyphs())
def test_lines_in_bulk_are_the_lines_one_by_one(items: list[Glyph]) -> None:
    assert pdf_group._lines(items, _boxes(items)) == pdf_group._lines_one_by_one(items)


def test_lines_with_a_coordinate_not_a_number_go_one_by_one() -> None:
    items = [Glyph("a", "a", 0.0, 0.0, 5.0, 10.0, 10.0, ""), Glyph("b", "b", float("nan"), 0.0, 10.0, 10.0, 10.0, ""),
             Glyph("c", "c", 10.0, 0.0, 15.0, 10.0, 10.0, "")]
    assert pdf_group._lines(items, _boxes(items)) == pdf_group._lines_one_by_one(items)


@SETTINGS
@given(st.data())
def test_neighbours_in_scan_order(data: st.DataObject) -> None:
    rows, cols = data.draw(st.integers(1, 12)), data.draw(st.integers(1, 12))
    start = data.draw(st.integers(0, cols - 1))
    near = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=cols, max_size=cols),
                                       min_size=rows, max_size=rows)), dtype=bool)
    cell = st.lists(st.integers(-3, 3), min_size=cols + rows, max_size=cols + rows)
    cell_y, cell_x, query_y, query_x = (data.draw(cell) for _ in range(4))
    cells = np.array([cell_y, cell_x, query_y, query_x], dtype=np.int64)
    expected = []
    for row, found in enumerate(near):  # pdfminer's Plane order, as the reference sorts it
        i = start + row
        qx, qy = query_x[i], query_y[i]
        expected.append(sorted(np.nonzero(found)[0].tolist(), key=lambda j: (max(qy, cell_y[j]), max(qx, cell_x[j]), j)))
    assert pdf_group._scan_order(near, start, cells) == expected


@SETTINGS
@given(st.lists(st.one_of(_COORD, st.floats(-1e6, 1e6)), max_size=20), st.sampled_from([0.0, -7.5, 12.0]))
def test_grid_cells_are_pdfminers(values: list[float], least: float) -> None:
    cells = pdf_group._cells(np.array(values, dtype=float), least)
    assert cells is not None and cells.tolist() == [int(max(least, v)) // pdf_group._GRID for v in values]


@SETTINGS
@given(glyphs(), st.sampled_from([(0.0, 0.0, 612.0, 792.0), (-20.0, -5.0, 60.0, 40.0)]))
def test_neighbours_found_in_python_are_those_found_with_numpy(items: list[Glyph], bounds: tuple[float, ...]) -> None:
    lines = pdf_group._lines_one_by_one(items)
    in_bulk = pdf_group._neighbours(lines, bounds)  # type: ignore[arg-type]
    cells = pdf_group._cells
    try:
        pdf_group._cells = lambda values, least: None  # type: ignore[assignment]
        one_by_one = pdf_group._neighbours(lines, bounds)  # type: ignore[arg-type]
    finally:
        pdf_group._cells = cells  # type: ignore[assignment]
    assert in_bulk == one_by_one


def test_grid_cells_of_absurd_coordinates_are_left_to_python() -> None:
    assert pdf_group._cells(np.array([1.0, 1e300]), 0.0) is None
    assert pdf_group._cells(np.array([1.0, float("inf")]), 0.0) is None


_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")


@SETTINGS
@given(st.lists(st.sampled_from([b"1", b"0", b"12", b" ", b"\n", b"\t", b"obj", b"o", b"bj", b"j", b"x", b"_",
                                 b"endobj", b"<</Length 5>>", b"objx"]), max_size=30).map(b"".join))
def test_dictionary_starts_after_the_last_object_header(window: bytes) -> None:
    starts = [m.end() for m in _OBJ.finditer(window)]
    assert pdf_guard._dictionary(window + b"stream\n", len(window)) == (window[starts[-1]:] if starts else window)


_ANY_TEXT = st.text(alphabet=st.sampled_from(list("aZ -\t\n1é超Ωß") + [chr(c) for c in _TRANSLATE] + ["\u02da", "A"]),
                    max_size=30)


@SETTINGS
@given(_ANY_TEXT)
def test_text_shortcuts_change_nothing(text: str) -> None:
    joined = " ".join(text.translate(_TRANSLATE).split())
    assert clean_text(text) == (_RING_A.sub("\u00c5", joined) if "\u02da" in joined else joined)
    assert pdf_body.caseless_letters(text) == sum(ch.isalpha() and not ch.islower() and not ch.isupper()
                                                  for ch in text)
