"""What the PDF reader extracts from a page: text boxes and their lines, with font size and weight.

Glyph, TextLine and TextBox are the page as a PDF engine lays it out (pdfminer.six's layout
analysis, or ingest.pdf_group's on pdfium's characters); Line and Block are what the layout
heuristics read, made from them by ingest.pdf_page the same way for every engine.
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar, overload

from ingest.records import Table

_T = TypeVar("_T")


class _Cached(Generic[_T]):
    """functools.cached_property without its lock (Python 3.11 takes one on every first read,
    which costs more than joining a line's text): the value is worked out on the first read and
    put in the instance's __dict__, where later reads find it without coming here. Records are
    read by one thread at a time; two threads reading at once would work out the same value."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _Cached[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> _Cached[_T] | _T:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


class Glyph(NamedTuple):
    """One character on the page, or a space the layout analysis put between two words
    (`real` false: no box, no font)."""

    text: str  # glyph fixes applied (ingest.pdf_glyphs.fix_glyph)
    raw: str  # as the engine mapped it to Unicode
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # font size in points; 0 for an inserted space
    font: str  # the font's base name, subset prefix and all
    real: bool = True


_RAW = itemgetter(1)  # Glyph.raw, mapped over a line's glyphs without a Python-level loop


class LineStyle(NamedTuple):
    """What ingest.pdf_page reads of a line's glyphs besides their text."""

    size: float  # the median size of its letters (of its sized glyphs, if it has no letters)
    bold: bool  # most of its letters are set in bold fonts
    scripts: bool  # some glyphs are set so much smaller that they are sub- or superscripts


@dataclass(frozen=True)
class TextLine:
    """Characters that share a baseline, left to right, with the spaces between words. The
    layout may give the line's style, worked out for all lines at once (ingest.pdf_page); it
    is what ingest.pdf_page.make_line would work out from the glyphs."""

    glyphs: tuple[Glyph, ...]
    x0: float
    y0: float
    x1: float
    y1: float
    style: LineStyle | None = field(default=None, compare=False)

    @_Cached
    def text(self) -> str:
        return "".join(map(_RAW, self.glyphs))


@dataclass(frozen=True)
class TextBox:
    """Lines set close together, top to bottom: a paragraph, a caption, a table cell."""

    lines: tuple[TextLine, ...]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


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
    """One text box: lines that belong together, in reading order on its page."""

    page: int
    lines: tuple[Line, ...]
    x0: float
    y0: float
    x1: float
    y1: float
    page_width: float
    page_height: float

    # Cached: the layout heuristics ask for a block's text and size many times over.
    @_Cached
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @_Cached
    def size(self) -> float:
        """The median size of the block's characters: statistics.median of the lines' sizes,
        each repeated once per character (once for a line without text), without making that
        list. Sorted stably, the lines' sizes are the repeated list's sorted values in runs."""
        sizes = [line.size for line in self.lines]
        if not sizes:
            return 0.0
        weights = [max(1, len(line.text)) for line in self.lines]
        if not all(map(math.isfinite, sizes)):  # a NaN sorts by where it stands: the whole list is needed
            return statistics.median([size for size, weight in zip(sizes, weights) for _ in range(weight)])
        order = sorted(range(len(sizes)), key=sizes.__getitem__)
        total = sum(weights)

        def at(position: int) -> float:  # the value at a position of the sorted repeated list
            seen = 0
            for k in order:
                seen += weights[k]
                if seen > position:
                    break
            return sizes[k]

        if total % 2:
            return at(total // 2)
        return (at(total // 2 - 1) + at(total // 2)) / 2

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
