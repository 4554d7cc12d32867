"""What the PDF reader extracts from pdfminer: text boxes and their lines, with font size and weight."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from ingest.records import Table


@dataclass(frozen=True)
class Line:
    text: str
    size: float  # median font size of the line's letters
    bold: bool
    x0: float
    y0: float
    x1: float
    y1: float
    plain: str | None = None  # the text without sub- and superscripts, when it has any


@dataclass(frozen=True)
class Block:
    """One pdfminer text box: lines that belong together, in reading order on its page."""

    page: int
    lines: tuple[Line, ...]
    x0: float
    y0: float
    x1: float
    y1: float
    page_width: float
    page_height: float

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def size(self) -> float:
        weighted = [line.size for line in self.lines for _ in range(max(1, len(line.text)))]
        return statistics.median(weighted) if weighted else 0.0

    @property
    def bold(self) -> bool:
        return bool(self.lines) and all(line.bold for line in self.lines)


@dataclass(frozen=True)
class Rule:
    """A straight ruled line (or a thin filled rectangle) drawn on the page: table rules."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.y1 - self.y0


@dataclass(frozen=True)
class PdfContent:
    pages: tuple[tuple[Block, ...], ...]  # text boxes in reading order, tables' cells left out
    info: dict[str, str] = field(default_factory=dict)  # the document information dictionary
    tables: tuple[tuple[Table, ...], ...] = ()  # per page, top to bottom
    warnings: tuple[str, ...] = ()
