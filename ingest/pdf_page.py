"""One laid-out page to what the layout heuristics read: text boxes become Blocks of Lines (font
size, weight, superscripts set apart), tables come out of them, and the rest is put in reading
order. Both PDF engines end here, so the same boxes always make the same blocks."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

import numpy as np

from ingest.errors import ReadError, TooComplex
from ingest.pdf_blocks import Block, Glyph, Line, LineStyle, PdfContent, Rule, TextBox, TextLine
from ingest.pdf_order import find_gutter, reading_order
from ingest.pdf_tables import find_tables
from ingest.records import Table

_SUPERSCRIPT = 0.8  # characters this much smaller than the line's letters are raised or lowered marks
_TEXT = itemgetter(0)  # a glyph's text; mapped over a line's glyphs, without a Python-level loop
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|\.B$|\.BI$|CMBX|CMB\d", re.IGNORECASE)


def page_blocks(boxes: Sequence[TextBox], rules: Callable[[], Sequence[Rule]], number: int, width: float,
                height: float) -> tuple[list[Block], list[Table]]:
    """The page's text blocks in reading order, tables' cells left out, and its tables.
    `rules` gives the page's ruled lines (ingest.pdf_tables.find_tables asks only if needed)."""
    blocks: dict[int, Block] = {}
    for i, box in enumerate(boxes):
        lines = tuple(line for line in (make_line(x) for x in box.lines) if line is not None)
        if lines:
            blocks[i] = Block(number, lines, box.x0, box.y0, box.x1, box.y1, width, height)
    gutter = find_gutter(list(blocks.values())) if blocks else None
    tables, used = find_tables(boxes, rules, gutter)
    text = [block for i, block in blocks.items() if i not in used]
    return reading_order(text, gutter), tables


def make_line(line: TextLine) -> Line | None:
    """The line's text, the median size of its letters, whether they are bold, and its text
    without sub- and superscripts; None for a line of white space."""
    glyphs = line.glyphs
    text = "".join(map(_TEXT, glyphs)).strip()
    if not text:
        return None
    size, bold, scripts = line.style or line_style(glyphs)
    # Without superscripts: "Thompsonb" -> "Thompson", for reading names next to their marks.
    if scripts:
        cut = _SUPERSCRIPT * size
        plain: str | None = "".join([g[0] for g in glyphs if not 0 < g[6] < cut]).strip()
    else:
        plain = None
    return Line(text, size, bold, line.x0, line.y0, line.x1, line.y1, plain)


def line_style(glyphs: Sequence[Glyph]) -> LineStyle:
    """The median size of the letters (of the sized glyphs, if there is no letter), whether
    most letters are bold, and whether some glyphs are sub- or superscripts: set smaller than
    _SUPERSCRIPT times that size."""
    char_sizes = [g[6] for g in glyphs]  # 0 for inserted spaces
    letters = [g for g in glyphs if g[8] and g[0][:1].isalpha()]
    if letters:
        sizes = [g[6] for g in letters]
        bold = sum(map(is_bold_font, [g[7] for g in letters]))
    else:
        sizes, bold = [s for s in char_sizes if s] or [0.0], 0
    median = _median(sizes)
    cut = _SUPERSCRIPT * median
    return LineStyle(median, bool(letters) and bold >= 0.8 * len(letters), any(0 < s < cut for s in char_sizes))


def line_styles(glyphs: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[LineStyle] | None:
    """line_style for each line of glyphs [starts[i], ends[i]) of a page at once (the lines
    split the glyphs, and none is empty), from each glyph's size, whether it is a letter and
    whether its font is bold (is_bold_font), row for row in `glyphs`: the same numbers,
    without a Python loop per glyph. None if a size is not a finite number (Python's sort puts
    a NaN where numpy's does not): make_line then works each line out itself."""
    size, letter, bold = glyphs[:, 0], glyphs[:, 1] != 0, glyphs[:, 2] != 0
    if not np.isfinite(size).all():
        return None
    count = len(starts)
    line = np.repeat(np.arange(count), ends - starts)  # each glyph's line
    letters, bold_letters = (np.concatenate(([0], np.cumsum(m))) for m in (letter, letter & bold))
    letters, bold_letters = letters[ends] - letters[starts], bold_letters[ends] - bold_letters[starts]
    # The sizes the median is taken of: the letters', else the sized glyphs'.
    picked = np.flatnonzero(letter | ((letters == 0)[line] & (size != 0)))
    values = size[picked][np.lexsort((size[picked], line[picked]))]  # line by line, ascending
    taken = np.bincount(line[picked], minlength=count)
    middle = np.cumsum(taken) - taken + taken // 2  # where each line's middle value is
    if len(values):
        upper = values[np.minimum(middle, len(values) - 1)]
        lower = values[np.maximum(middle - 1, 0)]
    else:
        upper = lower = np.zeros(count)
    median = np.where(taken == 0, 0.0, np.where(taken % 2 == 1, upper, (lower + upper) / 2))
    least = np.minimum.reduceat(np.where(size > 0, size, np.inf), starts)  # the smallest sized glyph
    is_bold = (letters > 0) & (bold_letters >= 0.8 * letters)
    scripts = least < _SUPERSCRIPT * median
    # LineStyle(...) without the NamedTuple constructor's extra call.
    return list(map(tuple.__new__, repeat(LineStyle), zip(median.tolist(), is_bold.tolist(), scripts.tolist())))


def _median(values: list[float]) -> float:
    """statistics.median, without its checks: this runs for every line of every page."""
    values = sorted(values)
    half = len(values) // 2
    return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2


@lru_cache(maxsize=1024)
def is_bold_font(font: str) -> bool:
    """Whether the font's name says it is bold (or black, heavy...)."""
    return bool(_BOLD_FONT.search(font))


def assemble(pages: list[tuple[Block, ...]], tables: list[tuple[Table, ...]], failed: list[int],
             info: dict[str, str], source_path: str, oversized: Sequence[int] = ()) -> PdfContent:
    """The document's content, with warnings for pages that failed, were over the per-page cap
    (`oversized`) or carry no text. Raises ReadError when no page could be read at all."""
    if oversized and len(failed) + len(oversized) == len(pages):
        raise TooComplex(f"every page is over the per-page cap (pages {', '.join(map(str, oversized))})",
                         path=source_path)
    if len(failed) == len(pages):
        raise ReadError("broken PDF: no page could be interpreted", stage="pdf", path=source_path)
    warnings = [f"pages that could not be interpreted: {', '.join(map(str, failed))}"] if failed else []
    if oversized:
        warnings.append(f"pages skipped, over the per-page cap on content: {', '.join(map(str, oversized))}")
    skipped = set(failed) | set(oversized)
    blank = [n + 1 for n, page in enumerate(pages) if not page and not tables[n] and n + 1 not in skipped]
    if blank and len(blank) < len(pages):
        warnings.append(f"pages without a text layer (scanned without OCR?): {', '.join(map(str, blank))}")
    return PdfContent(pages=tuple(pages), info=info, tables=tuple(tables), warnings=tuple(warnings))
