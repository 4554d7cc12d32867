"""pdfminer.six's layout analysis with its default LAParams (line_overlap 0.5, char_margin 2.0,
word_margin 0.1, line_margin 0.5, boxes_flow 0.5), on plain Glyph records, so that an engine
other than pdfminer hands the layout heuristics the text boxes pdfminer would have made.

Characters in drawing order become lines, with spaces where words are apart; lines that sit
close, with the same height and an aligned edge or middle, become text boxes; boxes are merged
pairwise, smallest wasted area first, into a tree whose traversal is the reading order. Ties
are broken by position in the input, where pdfminer breaks them by object identity.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy as np

from ingest.pdf_blocks import Glyph, LineStyle, TextBox, TextLine
from ingest.pdf_boxorder import reading_order
from ingest.pdf_page import line_styles

_LINE_OVERLAP = 0.5
_CHAR_MARGIN = 2.0
_WORD_MARGIN = 0.1
_LINE_MARGIN = 0.5
_CHUNK = 512  # lines compared with all others at once when finding neighbours
_GRID = 50  # points: the cell size of pdfminer's Plane, whose scan order lines are found in
_MAX_EXACT = float(1 << 52)  # coordinates put in cells with numpy; larger ones (absurd) in Python

Bounds = tuple[float, float, float, float]
_SPACE = Glyph(" ", " ", 0.0, 0.0, 0.0, 0.0, 0.0, "", False)  # between words


def layout(glyphs: Sequence[Glyph], bounds: Bounds, boxes: np.ndarray | None = None) -> list[TextBox]:
    """Text boxes in reading order from the characters of one page (or form) in drawing order.
    `bounds` is the page: lines and boxes wholly outside it are nobody's neighbours, as in
    pdfminer. `boxes` holds the glyphs' (x0, y0, x1, y1), row for row, if the engine has them;
    and may hold, in three more columns, each glyph's size, whether it is a letter and whether
    its font is bold, from which the lines' styles are worked out for all lines at once
    (ingest.pdf_page.line_styles)."""
    if boxes is None:
        boxes = np.array([g[2:6] for g in glyphs], dtype=float).reshape(-1, 4)
    found = _boxes(_lines(glyphs, boxes), bounds)
    return [found[i] for i in reading_order([(b.x0, b.y0, b.x1, b.y1) for b in found], bounds)]


# --- characters to lines ---------------------------------------------------------------------

def _lines(glyphs: Sequence[Glyph], boxes: np.ndarray) -> list[TextLine]:
    """Characters in drawing order as lines, with spaces between words: pdfminer's
    group_objects, which starts a new line wherever the next character is not beside the last
    (`halign`: boxes overlapping vertically by more than half the smaller height, and less than
    two character widths apart), and LTTextLineHorizontal.add, which puts a space where a
    character starts more than a tenth of its width or height after the last one ends.

    Each test looks at two neighbouring characters only, so all pairs are tested at once, with
    the comparisons written as _lines_one_by_one makes them; a line's box is the least and
    greatest of its characters' coordinates, which is the same taken in any order unless one
    is not a number: then the characters go one by one."""
    n = len(glyphs)
    if n < 2 or not np.isfinite(boxes[:, :4]).all():
        return _lines_one_by_one(glyphs)
    x0, y0, x1, y1 = boxes.T[:4]
    px0, py0, px1, py1 = x0[:-1], y0[:-1], x1[:-1], y1[:-1]  # the last character
    gx0, gy0, gx1, gy1 = x0[1:], y0[1:], x1[1:], y1[1:]  # the next one
    below, above = np.abs(py0 - gy1), np.abs(py1 - gy0)
    overlap = np.where(above < below, above, below)  # pdfminer's voverlap
    ph, gh = py1 - py0, gy1 - gy0
    height = np.where(ph < gh, ph, gh)
    left, right = np.abs(px0 - gx1), np.abs(px1 - gx0)
    gap = np.where((gx0 <= px1) & (px0 <= gx1), 0.0, np.where(right < left, right, left))
    pw, gw = px1 - px0, gx1 - gx0
    width = np.where(pw > gw, pw, gw)
    beside = ((gy0 <= py1) & (py0 <= gy1) & (height * _LINE_OVERLAP < overlap) & (gap < width * _CHAR_MARGIN))
    span = np.where(gw > gh, gw, gh)
    spaced = np.flatnonzero(beside & (px1 < gx0 - _WORD_MARGIN * span)) + 1  # characters after a space
    starts = np.concatenate(([0], np.flatnonzero(~beside) + 1))
    ends = np.append(starts[1:], n)
    line_boxes = zip(np.minimum.reduceat(x0, starts).tolist(), np.minimum.reduceat(y0, starts).tolist(),
                     np.maximum.reduceat(x1, starts).tolist(), np.maximum.reduceat(y1, starts).tolist())
    items = _with_spaces(glyphs, spaced.tolist())
    firsts = (starts + np.searchsorted(spaced, starts)).tolist()  # where each line starts in items
    lasts = (ends + np.searchsorted(spaced, ends)).tolist()
    # The spaces put in are no letters and have no size: the styles are the glyphs' alone.
    styles: Iterable[LineStyle | None] = repeat(None)
    if boxes.shape[1] > 4:
        styles = line_styles(boxes[:, 4:], starts, ends) or styles
    lines: list[TextLine] = []
    for first, last, (lx0, ly0, lx1, ly1), style in zip(firsts, lasts, line_boxes, styles):
        if lx1 > lx0 and ly1 > ly0:
            run = items[first:last]
            raw = run[0][1]
            if raw and not raw.isspace() or not "".join([g[1] for g in run]).isspace():
                lines.append(TextLine(tuple(run), lx0, ly0, lx1, ly1, style))
    return lines


def _with_spaces(glyphs: Sequence[Glyph], spaced: list[int]) -> list[Glyph]:
    """The glyphs with a space before each of those at the indexes `spaced`, in order."""
    items: list[Glyph] = []
    done = 0
    for i in spaced:
        items += glyphs[done:i]
        items.append(_SPACE)
        done = i
    items += glyphs[done:]
    return items


def _lines_one_by_one(glyphs: Sequence[Glyph]) -> list[TextLine]:
    """_lines, one character after the other, as pdfminer goes."""
    lines: list[TextLine] = []
    if not glyphs:
        return lines
    first = glyphs[0]
    run = [first]
    _, _, px0, py0, px1, py1, _, _, _ = first
    x0, y0, x1, y1 = px0, py0, px1, py1
    for glyph in glyphs[1:]:
        _, _, gx0, gy0, gx1, gy1, _, _, _ = glyph
        beside = False
        if gy0 <= py1 and py0 <= gy1:
            # pdfminer's voverlap: the lesser of |y0 - other.y1| and |y1 - other.y0|
            overlap = abs(py0 - gy1)
            other = abs(py1 - gy0)
            if other < overlap:
                overlap = other
            height = py1 - py0 if py1 - py0 < gy1 - gy0 else gy1 - gy0
            if height * _LINE_OVERLAP < overlap:
                if gx0 <= px1 and px0 <= gx1:
                    gap = 0.0
                else:
                    gap = abs(px0 - gx1)
                    other = abs(px1 - gx0)
                    if other < gap:
                        gap = other
                width = px1 - px0 if px1 - px0 > gx1 - gx0 else gx1 - gx0
                beside = gap < width * _CHAR_MARGIN
        if beside:
            width = gx1 - gx0 if gx1 - gx0 > gy1 - gy0 else gy1 - gy0
            if px1 < gx0 - _WORD_MARGIN * width:
                run.append(_SPACE)
            run.append(glyph)
            if gx0 < x0:
                x0 = gx0
            if gy0 < y0:
                y0 = gy0
            if gx1 > x1:
                x1 = gx1
            if gy1 > y1:
                y1 = gy1
        else:
            _finish(run, x0, y0, x1, y1, lines)
            run = [glyph]
            x0, y0, x1, y1 = gx0, gy0, gx1, gy1
        px0, py0, px1, py1 = gx0, gy0, gx1, gy1
    _finish(run, x0, y0, x1, y1, lines)
    return lines


def _finish(run: list[Glyph], x0: float, y0: float, x1: float, y1: float, lines: list[TextLine]) -> None:
    """Keep the run as a line unless it is empty or blank, which pdfminer sets aside."""
    if x1 > x0 and y1 > y0 and not "".join([g[1] for g in run]).isspace():
        lines.append(TextLine(tuple(run), x0, y0, x1, y1))


def _boxes(lines: list[TextLine], bounds: Bounds) -> list[TextBox]:
    """Lines joined with their neighbours, as pdfminer's group_textlines joins them: each line
    in turn takes its neighbours and their boxes into a new box. The order in which it meets
    them (the order of pdfminer's grid of 50-point cells) is kept, because it decides which of
    two lines on one baseline comes first in the box."""
    neighbours = _neighbours(lines, bounds)
    boxes: dict[int, list[int]] = {}
    for a, near in enumerate(neighbours):
        members = [a]
        for b in near:
            members.append(b)
            if b in boxes:
                members.extend(boxes.pop(b))
        box = list(dict.fromkeys(members))
        for member in box:
            boxes[member] = box
    out: list[TextBox] = []
    done: set[int] = set()
    for a in range(len(lines)):  # boxes in the order of their first line
        box = boxes[a]
        if id(box) in done:
            continue
        done.add(id(box))
        chosen = sorted((lines[i] for i in box), key=lambda ln: -ln.y1)  # stable: ties keep box order
        out.append(TextBox(tuple(chosen), min(ln.x0 for ln in chosen), min(ln.y0 for ln in chosen),
                           max(ln.x1 for ln in chosen), max(ln.y1 for ln in chosen)))
    return out


def _neighbours(lines: list[TextLine], bounds: Bounds) -> list[list[int]]:
    """For each line, the lines within half its height above or below that have the same height
    and a common left edge, right edge or middle (pdfminer's find_neighbors), in the order
    pdfminer's Plane finds them: by the first grid cell they share with the search area, rows
    from the bottom, then by line."""
    n = len(lines)
    if not n:
        return []
    box = np.array([(ln.x0, ln.y0, ln.x1, ln.y1) for ln in lines])
    x0, y0, x1, y1 = box.T
    height, middle = y1 - y0, (x0 + x1) / 2
    findable = _inside(box, bounds)
    left, bottom = bounds[0], bounds[1]
    # Each line's cell, and the cell its search area starts in.
    grid = [_cells(y0, bottom), _cells(x0, left), _cells(y0 - _LINE_MARGIN * height, bottom)]
    cells = None if any(c is None for c in grid) else np.array([*grid, grid[1]])
    cell_x = [int(max(left, v)) // _GRID for v in x0.tolist()] if cells is None else []
    cell_y = [int(max(bottom, v)) // _GRID for v in y0.tolist()] if cells is None else []
    query_y = [int(max(bottom, v)) // _GRID for v in (y0 - _LINE_MARGIN * height).tolist()] if cells is None else []
    out: list[list[int]] = []
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        a = slice(start, stop)
        d = (_LINE_MARGIN * height[a])[:, None]
        # The lines within the search area's height, compared with all others at once; the
        # few found are then tested for the rest one pair at a time, in numpy still.
        rows, found = np.nonzero((y1[None, :] > y0[a, None] - d) & (y0[None, :] < y1[a, None] + d)
                                 & findable[None, :])
        at, d = rows + start, d[rows, 0]
        near = ((x1[found] > x0[at]) & (x0[found] < x1[at]) & (np.abs(height[found] - height[at]) <= d)
                & ((np.abs(x0[found] - x0[at]) <= d) | (np.abs(x1[found] - x1[at]) <= d)
                   | (np.abs(middle[found] - middle[at]) <= d)))
        rows, found = rows[near], found[near]
        if cells is not None:
            out += _scan_pairs(rows, found, stop - start, start, cells)
            continue
        for row, chosen in enumerate(_by_row(rows, found.tolist(), stop - start)):
            i = start + row
            qx, qy = cell_x[i], query_y[i]
            out.append(sorted(chosen, key=lambda j: (max(qy, cell_y[j]), max(qx, cell_x[j]), j)))
    return out


def _cells(values: np.ndarray, least: float) -> np.ndarray | None:
    """The grid cells (int(max(least, v)) // _GRID) of pdfminer's Plane the coordinates fall
    in; None unless all are numbers small enough for numpy to truncate them exactly."""
    at = np.where(values > least, values, least)
    if not (np.isfinite(at).all() and (np.abs(at) < _MAX_EXACT).all()):
        return None
    return np.trunc(at).astype(np.int64) // _GRID


def _scan_order(near: np.ndarray, start: int, cells: np.ndarray) -> list[list[int]]:
    """For each row of `near` (lines start, start + 1...), the lines it marks, in the order of
    pdfminer's Plane: by the first cell they share with the row's search area (cell rows from
    the bottom, then cell columns), then by line. `cells` holds each line's cell row and column
    and its search area's first cell row and column."""
    rows, found = np.nonzero(near)
    return _scan_pairs(rows, found, len(near), start, cells)


def _scan_pairs(rows: np.ndarray, found: np.ndarray, count: int, start: int, cells: np.ndarray) -> list[list[int]]:
    """_scan_order of the marks (rows[k], found[k]), row by row and ascending in each row, of
    `count` rows."""
    lines = rows + start
    cell_y, cell_x, query_y, query_x = cells
    order = np.lexsort((found, np.maximum(query_x[lines], cell_x[found]), np.maximum(query_y[lines], cell_y[found]), rows))
    return _by_row(rows, found[order].tolist(), count)


def _by_row(rows: np.ndarray, found: list[int], count: int) -> list[list[int]]:
    """`found`, grouped row by row (rows ascending), for each of `count` rows."""
    ends = np.cumsum(np.bincount(rows, minlength=count)).tolist()
    return [found[begin:end] for begin, end in zip([0] + ends[:-1], ends)]


def _inside(box: np.ndarray, bounds: Bounds) -> np.ndarray:
    """Which rectangles overlap the page: pdfminer's Plane never finds the others."""
    bx0, by0, bx1, by1 = bounds
    return (box[:, 2] > bx0) & (box[:, 0] < bx1) & (box[:, 3] > by0) & (box[:, 1] < by1)
