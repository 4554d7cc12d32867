"""Reading order of the text boxes on one PDF page, for one- and two-column pages and pages that
switch between them.

The gutter is the white strip in the middle of the page that no column box crosses. Boxes that
cross it (title, abstract, a full-width figure caption or table) cut the page into horizontal
bands; inside each band the left column is read top to bottom, then the right column. A page
without a gutter keeps pdfminer's order, which reads one column well.
"""
from __future__ import annotations

import numpy as np

from ingest.pdf_blocks import Block

_NARROW = 0.52  # a column box is at most this share of the text width
_MIDDLE = (0.3, 0.7)  # where on the text width a gutter may lie
_MIN_GUTTER = 3.0  # points
_MAX_CROSSING = 0.05  # share of the column text that may lie in boxes crossing the gutter
_MIN_SIDE_SHARE = 0.2  # each column holds at least this share of the page's characters
_MARGIN = 0.92  # share of the page height above (and below 1 - it) which a box is page furniture


def reading_order(blocks: list[Block], gutter: tuple[float, float] | None) -> list[Block]:
    """`blocks` of one page in reading order, given the page's gutter (find_gutter)."""
    if len(blocks) < 2 or gutter is None:
        return list(blocks)  # pdfminer's own order reads a one-column page well
    top_down = sorted(blocks, key=lambda b: (-b.y1, b.x0))
    g0, g1 = gutter
    spanning = [b for b in top_down if b.x0 < g0 - 2 and b.x1 > g1 + 2]
    spanning_ids = {id(b) for b in spanning}
    columns = [b for b in top_down if id(b) not in spanning_ids]
    ordered: list[Block] = []
    upper = float("inf")
    for cut in [*spanning, None]:
        lower = cut.y1 if cut is not None else float("-inf")
        band = [b for b in columns if lower <= (b.y0 + b.y1) / 2 < upper]
        ordered.extend(b for b in band if (b.x0 + b.x1) / 2 < (g0 + g1) / 2)
        ordered.extend(b for b in band if (b.x0 + b.x1) / 2 >= (g0 + g1) / 2)
        if cut is not None:
            ordered.append(cut)
            upper = min(upper, cut.y1)  # boxes beside the cut are read after it
    placed = {id(b) for b in ordered}
    ordered.extend(b for b in top_down if id(b) not in placed)
    return ordered


def _column_text(block: Block) -> bool:
    in_margin = block.y0 > _MARGIN * block.page_height or block.y1 < (1 - _MARGIN) * block.page_height
    return not in_margin and (len(block.lines) >= 3 or len(block.text) >= 60)


def find_gutter(blocks: list[Block]) -> tuple[float, float] | None:
    """The x interval between two columns of text, or None for a one-column page: the widest
    strip in the middle of the page that (nearly) no column box crosses. A few stray boxes may
    cross it (a centred e-mail line, a keyword line) as long as they hold little of the text."""
    left = min(b.x0 for b in blocks)
    right = max(b.x1 for b in blocks)
    width = right - left
    if width <= 0:
        return None
    # Page numbers and running heads sit in the middle of the margins; short labels inside
    # figures sit anywhere. Neither says where the columns are.
    narrow = [b for b in blocks if b.x1 - b.x0 <= _NARROW * width and _column_text(b)]
    chars = sum(len(b.text) for b in narrow)
    if not chars:
        return None
    lo, hi = int(left + _MIDDLE[0] * width), int(left + _MIDDLE[1] * width)
    # For every x: the characters of the column boxes that reach across it.
    xs = np.arange(lo, hi + 1)
    starts = np.array([b.x0 + 1 for b in narrow])[:, None]
    ends = np.array([b.x1 - 1 for b in narrow])[:, None]
    sizes = np.array([len(b.text) for b in narrow])
    crossing = sizes @ ((starts < xs) & (xs < ends))
    cost = dict(zip(xs.tolist(), crossing.tolist()))
    lowest = min(cost.values())
    if lowest > _MAX_CROSSING * chars:
        return None
    best: tuple[float, float] | None = None
    run_start: int | None = None
    for x in range(lo, hi + 2):
        if cost.get(x, lowest + 1) == lowest:
            run_start = x if run_start is None else run_start
        elif run_start is not None:
            if best is None or x - 1 - run_start > best[1] - best[0]:
                best = (float(run_start), float(x - 1))
            run_start = None
    if best is None or best[1] - best[0] < _MIN_GUTTER:
        return None
    on_left = sum(len(b.text) for b in narrow if b.x1 <= best[0] + 1)
    on_right = sum(len(b.text) for b in narrow if b.x0 >= best[1] - 1)
    if on_left < _MIN_SIDE_SHARE * chars or on_right < _MIN_SIDE_SHARE * chars:
        return None
    return best
