"""Tables in born-digital PDFs: rows and cells recovered from text positions and ruled lines.

A table is found from its caption ("Table 1 ...", "TABLE II. ..."): the lines set below the
caption, inside the caption's column (or the width of the rules drawn next to it), down to the
first line of running text, a table footnote, another caption or a wide gap. Rows are lines
that share a baseline band; column boundaries come from rules split into one segment per column
(booktabs' \\cmidrule, RSC), vertical rules, and otherwise from the white gaps that run through
every body row. Rows above the first full-width rule under the top row form the header.

Works on the text boxes of one page as an engine laid them out (ingest.pdf_blocks.TextBox),
before they are turned into blocks.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ingest.normalize import clean_text, join_lines
from ingest.pdf_blocks import Glyph, Rule, TextBox, TextLine
from ingest.records import Table
from ingest.tables import Cell, make_table

_TABLE_CAPTION = re.compile(r"^(table|tab\.)\s*(\d+|[IVX]+)\b(?P<rest>.*)", re.IGNORECASE)
_OTHER_CAPTION = re.compile(r"^(fig(ure)?s?\.?|scheme|chart|plate)\s*(\d+|[IVX]+)\b", re.IGNORECASE)
_MAX_FIRST_GAP = 40.0  # points between a caption and its first row
_ROW_OVERLAP = 0.5  # share of the smaller line height two lines must share to sit in one row
MAX_RULE_PATH = 400  # path segments: more is a plot or hatching, not the rules of a table
_RULE_THICKNESS = 2.5  # points
_RULE_MIN_LENGTH = 8.0


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    size: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Row:
    y0: float
    y1: float
    words: list[_Word]


@dataclass(frozen=True)
class _Line:
    box: int
    obj: TextLine
    text: str

    @property
    def height(self) -> float:
        return max(1.0, self.obj.y1 - self.obj.y0)


def subpath_rules(points: Sequence[tuple[float, float]]) -> list[Rule]:
    """The table rules one straight-edged subpath (its corners, in page space) draws: itself when
    it is a thin line or bar, its four edges when it is a framed rectangle; else none."""
    if len(points) < 2:
        return []
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    width, height = x1 - x0, y1 - y0
    if (height <= _RULE_THICKNESS and width >= _RULE_MIN_LENGTH) or (
        width <= _RULE_THICKNESS and height >= _RULE_MIN_LENGTH
    ):
        return [Rule(x0, y0, x1, y1)]
    if len(points) in (4, 5) and all(
        (abs(x - x0) < 0.5 or abs(x - x1) < 0.5) and (abs(y - y0) < 0.5 or abs(y - y1) < 0.5) for x, y in points
    ):
        # A ruled table drawn one framed rectangle per cell: its edges are the rules.
        return [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1), Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
    return []


def find_tables(
    boxes: Sequence[TextBox], page_rules: Callable[[], Sequence[Rule]], gutter: tuple[float, float] | None,
) -> tuple[list[Table], set[int]]:
    """The page's tables, and the indexes of the boxes whose lines they used up. The page's
    rules are asked for only when it has a table caption: finding them costs a walk over every
    path drawn on the page, and most pages have no table."""
    # Nor are the lines gathered unless a box starts with a table caption: a page without a
    # table is told by the first line of each box.
    if not any(_is_table_caption(text) for text in _first_texts(boxes)):
        return [], set()
    by_box: dict[int, list[_Line]] = {}
    for i, box in enumerate(boxes):
        for obj in box.lines:
            text = obj.text.strip()
            if text:
                by_box.setdefault(i, []).append(_Line(i, obj, text))
    lines = [line for box_lines in by_box.values() for line in box_lines]
    tables: list[Table] = []
    used: set[int] = set()
    rules: Sequence[Rule] | None = None
    for i, box_lines in by_box.items():
        if i in used or not _is_table_caption(box_lines[0].text):
            continue
        rules = page_rules() if rules is None else rules
        x0, x1 = _region(boxes[i], boxes, rules, gutter)
        members = _table_lines(lines, by_box, boxes[i], x0, x1)
        table = _build(members, rules, x0, x1, join_lines(line.text for line in box_lines)) if len(members) >= 2 else None
        if table is None:
            continue
        tables.append(table)
        for b in {line.box for line in members}:
            if 2 * sum(1 for line in members if line.box == b) >= len(by_box[b]):
                used.add(b)
    return tables, used


def _first_texts(boxes: Sequence[TextBox]) -> Iterator[str]:
    """The text of each box's first line that is not blank, stripped."""
    for box in boxes:
        for obj in box.lines:
            text = obj.text.strip()
            if text:
                yield text
                break


def _is_table_caption(text: str) -> bool:
    match = _TABLE_CAPTION.match(clean_text(text))
    if not match:
        return False
    rest = match.group("rest").strip()
    # "Table 1 shows ..." in running text continues in lower case; a caption does not.
    return not rest or not rest[:1].islower()


def _region(caption: TextBox, boxes: Sequence[TextBox], rules: Sequence[Rule],
            gutter: tuple[float, float] | None) -> tuple[float, float]:
    """Left and right edge of the table: the rules drawn just above or below the caption, else
    the caption's column (the whole text width on a one-column page)."""
    size = max(1.0, caption.height / max(1, len(caption.lines)))
    near = [r for r in rules if r.horizontal and r.x1 - r.x0 >= 30
            and caption.y0 - 4 * size <= r.y0 <= caption.y1 + 2 * size
            and min(r.x1, caption.x1) - max(r.x0, caption.x0) > 0]
    if near:
        return min(caption.x0, *(r.x0 for r in near)), max(caption.x1, *(r.x1 for r in near))
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    if gutter is None:
        return left, right
    if caption.x1 <= gutter[1] + 2:
        return left, gutter[0]
    if caption.x0 >= gutter[0] - 2:
        return gutter[1], right
    return left, right


def _table_lines(lines: list[_Line], by_box: dict[int, list[_Line]], caption: TextBox,
                 x0: float, x1: float) -> list[_Line]:
    """Lines of the table under the caption, top to bottom, up to where the table ends."""
    below = sorted((line for line in lines if line.obj.y1 <= caption.y0 + 2 and _inside(line.obj, x0, x1)),
                   key=lambda line: -line.obj.y1)
    members: list[_Line] = []
    bottom = caption.y0
    for line in below:
        limit = _MAX_FIRST_GAP if not members else max(18.0, 2.5 * line.height)
        if bottom - line.obj.y1 > limit:
            break  # a wide gap: the table is over (or was never below the caption)
        opens_box = by_box[line.box][0] is line
        if opens_box and (_is_table_caption(line.text) or _OTHER_CAPTION.match(line.text)):
            break
        if _is_prose_line(line, x1 - x0):
            break  # running text or a table footnote: the table is over
        members.append(line)
        bottom = min(bottom, line.obj.y0)
    return members


def _inside(obj: TextLine, x0: float, x1: float) -> bool:
    overlap = min(obj.x1, x1) - max(obj.x0, x0)
    return overlap >= 0.5 * max(1.0, obj.x1 - obj.x0)


def _is_prose_line(line: _Line, width: float) -> bool:
    """A line of sentences: wide, mostly lower-case words, and no cell-sized gaps inside."""
    words = line.text.split()
    if len(words) < 6 or line.obj.x1 - line.obj.x0 < 0.55 * width:
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    if len(alpha) < 4 or sum(w[:1].islower() for w in alpha) < 0.5 * len(alpha):
        return False
    return _widest_gap(line.obj) < 2.0 * line.height


def _widest_gap(obj: TextLine) -> float:
    chars = [c for c in obj.glyphs if c.real]
    return max((b.x0 - a.x1 for a, b in zip(chars, chars[1:])), default=0.0)


# --- rows, columns, cells --------------------------------------------------------------------

def _build(members: list[_Line], rules: Sequence[Rule], x0: float, x1: float, caption: str) -> Table | None:
    rows = _rows(members)
    if len(rows) < 2:
        return None
    top, bottom = rows[0].y1, rows[-1].y0
    inner = [r for r in rules if x0 - 2 <= r.x0 and r.x1 <= x1 + 2 and r.y1 >= bottom - 6 and r.y0 <= top + 6]
    header = _header_count(rows, inner, x1 - x0)
    boundaries = _boundaries(rows[header:] or rows, inner)
    grid = [_cells(row, boundaries) for row in rows]
    if header > 1:
        levels = _header_levels(rows[:header], grid[:header], inner, [x0, *boundaries, x1])
        grid = levels + grid[header:]
        header = len(levels)
    grid = _join_continuations(grid, header)
    if sum(1 for row in grid[header:] if sum(1 for text in row if text) >= 2) < 2:
        return None  # running text or an equation under the caption, not a grid of cells
    cells = [[Cell(clean_text(text)) for text in row] for row in grid]
    return make_table(caption, cells, header)


def _rows(members: list[_Line]) -> list[_Row]:
    rows: list[_Row] = []
    for line in sorted(members, key=lambda m: -m.obj.y1):
        obj = line.obj
        row = next((r for r in rows if _overlap(r, obj.y0, obj.y1)), None)
        if row is None:
            rows.append(_Row(obj.y0, obj.y1, _words(obj)))
        else:
            row.y0, row.y1 = min(row.y0, obj.y0), max(row.y1, obj.y1)
            row.words.extend(_words(obj))
    rows.sort(key=lambda r: -r.y1)
    for row in rows:
        row.words.sort(key=lambda w: w.x0)
    return rows


def _overlap(row: _Row, y0: float, y1: float) -> bool:
    shared = min(row.y1, y1) - max(row.y0, y0)
    return shared >= _ROW_OVERLAP * max(1.0, min(row.y1 - row.y0, y1 - y0))


def _words(obj: TextLine) -> list[_Word]:
    """Words of a line, split at spaces (drawn, or put in by the layout analysis)."""
    words: list[_Word] = []
    chars: list[Glyph] = []

    def flush() -> None:
        text = "".join(c.text for c in chars).strip()
        if text:
            words.append(_Word(text, chars[0].x0, chars[-1].x1, max(c.size for c in chars)))
        chars.clear()

    for item in obj.glyphs:
        if item.real and item.raw.strip():
            chars.append(item)
        elif chars:
            flush()
    if chars:
        flush()
    return words


def _header_count(rows: list[_Row], rules: Sequence[Rule], width: float) -> int:
    """Rows above the first rule that runs under the top row across most of the table."""
    by_height: dict[float, float] = {}
    for rule in rules:
        if rule.horizontal:
            key = round((rule.y0 + rule.y1) / 2)
            by_height[key] = by_height.get(key, 0.0) + (rule.x1 - rule.x0)
    for k in range(len(rows) - 1):
        if k + 1 > len(rows) // 2:
            break
        lower, upper = rows[k + 1].y1, rows[k].y0
        if any(lower - 1 <= y <= upper + 1 and covered >= 0.6 * width for y, covered in by_height.items()):
            return k + 1
    return 0


def _header_levels(rows: list[_Row], grid: list[list[str]], rules: Sequence[Rule], edges: list[float]) -> list[list[str]]:
    """Header lines read as header rows. A header cell set over several lines is one cell; a
    rule under a label that spans several columns ("Mutations relative to the parent" over
    "T16 | P63 | ...") starts a second header row for the columns under it."""
    top, bottom = rows[0].y1, rows[-1].y0
    splits = [r for r in rules if r.horizontal and bottom + 1 < r.y0 < top - 1]
    upper = [""] * len(grid[0])
    lower = [""] * len(grid[0])
    for j in range(len(grid[0])):
        middle = (edges[j] + edges[j + 1]) / 2
        cut = next((r.y0 for r in splits if r.x0 - 1 <= middle <= r.x1 + 1), None)
        parts_up = [g[j] for row, g in zip(rows, grid) if g[j] and cut is not None and row.y0 >= cut]
        parts_down = [g[j] for row, g in zip(rows, grid) if g[j] and (cut is None or row.y0 < cut)]
        upper[j], lower[j] = " ".join(parts_up), " ".join(parts_down)
    return [upper, lower] if any(upper) else [lower]


def _boundaries(rows: list[_Row], rules: Sequence[Rule]) -> list[float]:
    """x positions between columns, left to right."""
    found: list[float] = []
    segments: dict[int, list[Rule]] = {}
    for rule in rules:
        if rule.horizontal:
            segments.setdefault(round((rule.y0 + rule.y1) / 2), []).append(rule)
        elif rule.y1 - rule.y0 >= 10:
            found.append((rule.x0 + rule.x1) / 2)
    for group in segments.values():
        if len(group) >= 3:  # a rule drawn one piece per column: the joins are column edges
            group.sort(key=lambda r: r.x0)
            found.extend((a.x1 + b.x0) / 2 for a, b in zip(group, group[1:]))
    sizes = [w.size for row in rows for w in row.words]
    min_gap = max(3.0, 0.45 * statistics.median(sizes)) if sizes else 3.0
    ruled = list(found)
    for gap_start, gap_end in _white_gaps(rows):
        if gap_end - gap_start >= min_gap and not any(gap_start - 2 <= b <= gap_end + 2 for b in ruled):
            found.append((gap_start + gap_end) / 2)
    words = [w for row in rows for w in row.words]
    if not words:
        return []
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    kept: list[float] = []
    for b in sorted(b for b in found if left < b < right):
        if not kept or b - kept[-1] > 3:  # neighbouring cells' frames draw the same edge twice
            kept.append(b)
    return kept


def _white_gaps(rows: list[_Row]) -> list[tuple[float, float]]:
    """x intervals that the words of nearly every row leave white, with words on both sides in
    at least two rows. A tenth of the rows may cross a gap: labels of row groups ("Interatomic
    distances") span the columns."""
    allowed = len(rows) // 10
    events: list[tuple[float, int]] = []
    for row in rows:
        for x0, x1 in _union((w.x0, w.x1) for w in row.words):
            events += [(x0, 1), (x1, -1)]
    events.sort()
    gaps: list[tuple[float, float]] = []
    depth, start = 0, None
    for x, change in events:
        before = depth
        depth += change
        if before > allowed >= depth:
            start = x
        elif before <= allowed < depth and start is not None:
            gaps.append((start, x))
            start = None
    return [(a, b) for a, b in gaps
            if sum(any(w.x1 <= a + 0.5 for w in r.words) for r in rows) >= 2
            and sum(any(w.x0 >= b - 0.5 for w in r.words) for r in rows) >= 2]


def _union(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], x1))
        else:
            merged.append((x0, x1))
    return merged


def _cells(row: _Row, boundaries: list[float]) -> list[str]:
    cells: list[list[_Word]] = [[] for _ in range(len(boundaries) + 1)]
    for phrase in _phrases(row.words):
        # A label of several words ("Mutations relative to the parent", "Interatomic distances")
        # spans the columns under it: it goes to the first one. Other words go where their
        # middle is.
        anchor = phrase[0].x0 + 0.5 * phrase[0].size if len(phrase) > 1 else phrase[0].center
        column = sum(1 for b in boundaries if b < anchor)
        cells[column].extend(phrase)
    return [_glue(words) if words else "" for words in cells]


def _phrases(words: list[_Word]) -> list[list[_Word]]:
    """Runs of words a plain space apart that read as a label: letters only."""
    runs: list[list[_Word]] = []
    for word in words:
        if runs and word.x0 - runs[-1][-1].x1 <= 0.45 * word.size:
            runs[-1].append(word)
        else:
            runs.append([word])
    out: list[list[_Word]] = []
    for run in runs:
        label = all(w.text.rstrip(".,:;").isalpha() for w in run)
        out.extend([run] if len(run) > 1 and label else [[w] for w in run])
    return out


def _glue(words: list[_Word]) -> str:
    """Words of one cell: touching pieces (a superscript after its base) join without a space."""
    text = words[0].text
    for a, b in zip(words, words[1:]):
        text += ("" if b.x0 - a.x1 < 0.5 else " ") + b.text
    return text


def _join_continuations(grid: list[list[str]], header: int) -> list[list[str]]:
    """A body row that only continues the first cell of the row above, broken after a hyphen
    or slash ("mSandy1-" / "L163V/" / "L199M"), is part of that row."""
    out: list[list[str]] = grid[:header]
    for row in grid[header:]:
        filled = [j for j, text in enumerate(row) if text]
        if out[header:] and filled == [0] and out[-1][0].endswith(("-", "/")):
            out[-1] = [out[-1][0] + row[0]] + out[-1][1:]
        else:
            out.append(list(row))
    return out
