"""Turning markup tables (HTML/JATS rows and cells, CALS/OASIS tgroups) into Table records."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from ingest.normalize import clean_text
from ingest.records import Table

TextOf = Callable[[etree._Element], str]
MAX_SPAN = 100  # spans past this are markup errors; honouring them would blow the grid up


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    column: int | None = None  # CALS entries may name their column instead of following on


def localname(el: etree._Element) -> str:
    """Tag name without namespace or prefix, lower-cased; '' for comments and processing instructions."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def make_table(caption: str | None, rows: list[list[Cell]], header_rows: int) -> Table | None:
    """Lay the cells out on a grid (spanned positions get ''), drop empty rows and columns.
    None unless at least two rows and two columns hold text: anything less is page layout
    (a figure with its caption, a numbered equation, a boxed footnote), not data."""
    grid = _grid(rows)
    keep = [i for i, row in enumerate(grid) if any(row)]
    header_rows = sum(1 for i in keep if i < header_rows)
    grid = [grid[i] for i in keep]
    if len(grid) < 2:
        return None
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    columns = [j for j in range(width) if any(row[j] for row in grid)]
    if len(columns) < 2:
        return None
    rows_out = tuple(tuple(row[j] for j in columns) for row in grid)
    return Table(caption=clean_text(caption) if caption else None, rows=rows_out, header_rows=header_rows)


def _grid(rows: list[list[Cell]]) -> list[list[str]]:
    grid: list[list[str]] = []
    covered: dict[int, int] = {}  # column -> further rows a rowspan from above still covers
    for cells in rows:
        line: list[str] = []

        def advance() -> None:  # leave the next position empty, using up a rowspan covering it
            if covered.get(len(line), 0) > 0:
                covered[len(line)] -= 1
            line.append("")

        for cell in cells:
            while covered.get(len(line), 0) > 0:
                advance()
            while cell.column is not None and len(line) < cell.column:
                advance()
            col = len(line)
            colspan = max(1, min(cell.colspan, MAX_SPAN))
            rowspan = max(1, min(cell.rowspan, MAX_SPAN))
            line.append(cell.text)
            line.extend([""] * (colspan - 1))
            for c in range(col, col + colspan):
                if rowspan > 1:
                    covered[c] = rowspan - 1
        last = max((c for c, left in covered.items() if left > 0), default=-1)
        while len(line) <= last:
            advance()
        grid.append(line)
    return grid


def _span(value: str | None) -> int:
    try:
        return int(value) if value else 1
    except ValueError:
        return 1


def html_rows(table: etree._Element, text_of: TextOf) -> tuple[list[list[Cell]], int]:
    """Rows of an HTML or JATS <table>; a row is a header row when it sits in <thead> or has only
    <th> cells. Footer rows (<tfoot>, usually footnotes) are left out; nested tables are not entered."""
    rows: list[list[Cell]] = []
    header_flags: list[bool] = []
    for tr, section in _html_trs(table):
        cells = [c for c in tr if localname(c) in ("td", "th")]
        if not cells:
            continue
        rows.append(
            [Cell(text_of(c), _span(c.get("colspan")), _span(c.get("rowspan"))) for c in cells]
        )
        header_flags.append(section == "thead" or all(localname(c) == "th" for c in cells))
    header_rows = 0
    for flag in header_flags:
        if not flag:
            break
        header_rows += 1
    if header_rows == len(rows):  # a table of <th> only has no header to speak of
        header_rows = 0
    return rows, header_rows


def _html_trs(table: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    for child in table:
        name = localname(child)
        if name == "tr":
            yield child, "tbody"
        elif name in ("thead", "tbody"):
            for tr in child:
                if localname(tr) == "tr":
                    yield tr, name


def cals_rows(tgroups: Iterable[etree._Element], text_of: TextOf) -> tuple[list[list[Cell]], int]:
    """Rows of CALS/OASIS tables (Elsevier ce:table, USPTO patents): one or more <tgroup>,
    each with <colspec>, <thead>/<tbody>, <row> and <entry> (namest/nameend, morerows)."""
    rows: list[list[Cell]] = []
    header_rows = 0
    header_open = True
    for tgroup in tgroups:
        columns = {c.get("colname"): i for i, c in enumerate(x for x in tgroup if localname(x) == "colspec")}
        for part in tgroup:
            name = localname(part)
            if name not in ("thead", "tbody"):
                continue
            for row in part:
                if localname(row) != "row":
                    continue
                rows.append([_cals_cell(e, columns, text_of) for e in row if localname(e) == "entry"])
                if name == "thead" and header_open:
                    header_rows += 1
                else:
                    header_open = False
    return rows, header_rows


def _cals_cell(entry: etree._Element, columns: dict[str | None, int], text_of: TextOf) -> Cell:
    start = columns.get(entry.get("namest")) if entry.get("namest") else columns.get(entry.get("colname"))
    end = columns.get(entry.get("nameend"))
    colspan = end - start + 1 if start is not None and end is not None and end >= start else 1
    morerows = _span(entry.get("morerows")) if entry.get("morerows") else 0
    return Cell(text_of(entry), colspan, morerows + 1, start)
