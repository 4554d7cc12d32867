"""The PDF reader's bulk (numpy) paths and shortcuts make the same records as the one-by-one
code they replace: characters to lines (ingest.pdf_group) and the lines' styles
(ingest.pdf_page), pdfminer's Plane order of neighbours, the object header before a stream
(ingest.pdf_guard), the text clean-up, a block's size, turned glyphs' boxes, pdfium's advances
asked for without argument types.
Property-based, on coordinates that touch, overlap, repeat, are empty or negative, as real
pages have them."""
from __future__ import annotations

import ctypes
import math
import re
import statistics
from ctypes import c_float
from functools import lru_cache

import numpy as np
import pypdfium2 as pdfium
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import pdf_body, pdf_group, pdf_guard, pdf_page, pdf_pdfium_chars
from ingest.normalize import _COMPOUND_RE, _RING_A, _TRANSLATE, clean_text, hyphenated_compounds
from ingest.pdf_blocks import Block, Glyph, Line
from ingest.pdf_pdfium_api import Api, handle

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


@SETTINGS
@given(st.lists(st.sampled_from([b"1", b"0", b"12", b" ", b"\n", b"obj", b"o", b"bj", b"j", b"x", b"endobj",
                                 b"<</Length 5>>", b"objx", b"jbo", b"x" * 1000]), max_size=30).map(b"".join),
       st.integers(0, 5000))
def test_dictionary_is_the_reversed_windows_first_header(data: bytes, stream_at: int) -> None:
    # What _dictionary did before it tried each "obj" from the end: one search of the reversed
    # window (windows past _LOOKBACK included).
    stream_at = min(stream_at, len(data))
    window = data[max(0, stream_at - pdf_guard._LOOKBACK): stream_at]
    last = pdf_guard._OBJ_REVERSED.search(window[::-1])
    assert pdf_guard._dictionary(data, stream_at) == (window[len(window) - last.start():] if last else window)


_ANY_TEXT = st.text(alphabet=st.sampled_from(list("aZ -\t\n1é超Ωß") + [chr(c) for c in _TRANSLATE] + ["\u02da", "A"]),
                    max_size=30)


@SETTINGS
@given(_ANY_TEXT)
def test_text_shortcuts_change_nothing(text: str) -> None:
    joined = " ".join(text.translate(_TRANSLATE).split())
    assert clean_text(text) == (_RING_A.sub("\u00c5", joined) if "\u02da" in joined else joined)
    assert pdf_body.caseless_letters(text) == sum(ch.isalpha() and not ch.islower() and not ch.isupper()
                                                  for ch in text)


_SIZE = st.sampled_from([0.0, -0.0, 3.5, 4.0, 7.0, 8.0, 9.96, 10.0, 12.0])


@st.composite
def styled_lines(draw: st.DrawFn) -> tuple[list[Glyph], list[int]]:
    """Glyphs of a page, and where its lines start (the first at 0)."""
    items = [Glyph(raw, raw, 0.0, 0.0, 1.0, 1.0, draw(_SIZE), draw(_FONT), draw(st.booleans()))
             for raw in draw(st.lists(_TEXT, min_size=1, max_size=40))]
    starts = draw(st.lists(st.integers(1, len(items) - 1), max_size=8)) if len(items) > 1 else []
    return items, sorted({0, *starts})


@SETTINGS
@given(styled_lines(), st.data())
def test_line_styles_in_bulk_are_those_one_by_one(page: tuple[list[Glyph], list[int]], data: st.DataObject) -> None:
    items, starts = page
    ends = [*starts[1:], len(items)]
    columns = np.array([(g.size, g.real and g.text[:1].isalpha(), pdf_page.is_bold_font(g.font)) for g in items],
                       dtype=float)
    styles = pdf_page.line_styles(columns, np.array(starts), np.array(ends))
    assert styles is not None
    for start, end, style in zip(starts, ends, styles):
        line = items[start:end]
        spaces = data.draw(st.lists(st.integers(1, len(line)), max_size=3))
        for at in sorted(spaces, reverse=True):  # the spaces the layout puts in change nothing
            line.insert(at, pdf_group._SPACE)
        expected = pdf_page.line_style(line)
        assert style == expected and repr(style.size) == repr(expected.size)


def test_lines_with_a_size_not_a_number_are_styled_one_by_one() -> None:
    columns = np.array([(10.0, 1.0, 0.0), (float("nan"), 1.0, 0.0)])
    assert pdf_page.line_styles(columns, np.array([0]), np.array([2])) is None


@SETTINGS
@given(st.lists(st.tuples(st.one_of(_SIZE, st.sampled_from([float("inf"), float("nan")])),
                          st.sampled_from(["", "a", "ab", "a b c d e"])), max_size=8))
def test_block_size_is_the_median_of_its_characters(lines: list[tuple[float, str]]) -> None:
    block = Block(0, tuple(Line(text, size, False, 0.0, 0.0, 1.0, 1.0) for size, text in lines),
                  0.0, 0.0, 1.0, 1.0, 100.0, 100.0)
    weighted = [size for size, text in lines for _ in range(max(1, len(text)))]
    assert repr(block.size) == repr(statistics.median(weighted) if weighted else 0.0)


@SETTINGS
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab-Z1 \n_xé")), max_size=15), max_size=5))
def test_compounds_found_in_all_texts_at_once(texts: list[str]) -> None:
    expected = {m.group(0).lower() for text in texts for m in _COMPOUND_RE.finditer(text)}
    assert hyphenated_compounds(texts) == expected


@SETTINGS
@given(st.lists(st.lists(st.sampled_from([0.0, -0.0, 1.0, -2.5, float("inf"), float("nan")]), min_size=4, max_size=4),
                max_size=6))
def test_least_and_most_choose_as_min_and_max(rows: list[list[float]]) -> None:
    columns = [np.array(column, dtype=float) for column in zip(*rows)] if rows else [np.zeros(0)] * 4
    for bulk, one in ((pdf_pdfium_chars._least, min), (pdf_pdfium_chars._most, max)):
        assert [repr(v) for v in bulk(columns).tolist()] == [repr(one(row)) for row in rows]


@lru_cache(maxsize=None)
def _page_fonts() -> tuple[object, list[int]]:
    """A page of text in two standard fonts, opened with pdfium (kept open: the fonts' handles
    live as long as the page), and the handles of its fonts."""
    paper = FPDF()
    paper.add_page()
    for font in ("Helvetica", "Times"):
        paper.set_font(font, size=11)
        paper.cell(text=f"{font}: Tc 3.5 K, fi")
        paper.ln()
    document = pdfium.PdfDocument(bytes(paper.output()))
    page = document[0]
    api = Api()
    objects = [api.page_object(handle(page.raw), k) for k in range(api.count_objects(handle(page.raw)))]
    fonts = list(dict.fromkeys(api.text_font(obj) for obj in objects if api.object_type(obj) == 1))
    return (document, page), fonts


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 2), st.one_of(st.integers(0, 0x7F), st.integers(0, 0x10FFFF))), max_size=20))
def test_advances_in_bulk_are_pdfiums_one_by_one(calls: list[tuple[int, int]]) -> None:
    # _advances calls pdfium without argument types; each call here goes through pypdfium2's
    # typed binding instead. Font 2 stands for none (handle 0).
    _, fonts = _page_fonts()
    handles = [fonts[k] if k < len(fonts) else 0 for k, _ in calls]
    codes = [code for _, code in calls]
    reader = pdf_pdfium_chars._Reader.__new__(pdf_pdfium_chars._Reader)
    reader.api, reader._float = Api(), c_float()
    expected = []
    for font, code in zip(handles, codes):
        width = c_float()
        ok = font and code <= 0xFFFF and pdfium.raw.FPDFFont_GetGlyphWidth(
            ctypes.cast(font, pdfium.raw.FPDF_FONT), code, 1.0, ctypes.byref(width))
        expected.append(width.value if ok and math.isfinite(width.value) else 0.0)
    assert reader._advances(handles, codes) == expected
