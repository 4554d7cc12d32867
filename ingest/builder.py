"""Assembling a ParsedDocument from blocks met in reading order, the same way for every format."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ingest.normalize import clean_text, is_abstract_heading, is_references_heading, join_lines
from ingest.records import Metadata, ParsedDocument, Paragraph, Table

T = TypeVar("T")
D = TypeVar("D")


class DocumentBuilder:
    """Collects headings, paragraphs, captions and tables in reading order.

    A heading such as "References" switches the builder into reference mode: body paragraphs
    are dropped until the next ordinary heading, so a reference list never reaches the NLP
    stage as running text. Captions and tables are kept in that mode, because papers often
    place their figures after the reference list. A heading "Abstract" makes the following
    paragraphs abstract paragraphs.
    """

    def __init__(self) -> None:
        self._sections: list[str] = []
        self._paragraphs: list[Paragraph] = []
        self._tables: list[Table] = []
        self._captions: list[str] = []
        self._references: list[str] = []
        self._section: str | None = None
        self._in_abstract = False
        self.in_references = False
        self._warnings: list[str] = []

    def warn(self, message: str) -> None:
        """Something the reader noticed and could live with; it ends up in the document's warnings."""
        if message not in self._warnings:
            self._warnings.append(message)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self._warnings)

    def field(self, name: str, parse: Callable[[], T], default: D) -> T | D:
        """One metadata field, parsed by `parse`. Metadata helpers are heuristics run on whatever
        a file holds; one that breaks on an odd first page must cost that field, never the
        document: the field is left unknown and the failure is kept as a warning."""
        try:
            return parse()
        except Exception as exc:  # noqa: BLE001 - any failure of a heuristic, by design
            self.warn(f"metadata field {name!r} left unknown: {type(exc).__name__}: {exc}")
            return default

    @property
    def section(self) -> str | None:
        return self._section

    def heading(self, text: str) -> None:
        text = clean_text(text)
        if not text:
            return
        if is_references_heading(text):
            self.in_references = True
            self._in_abstract = False
            return
        self.in_references = False
        if is_abstract_heading(text):
            self._in_abstract = True
            self._section = "Abstract"
            return
        self._in_abstract = False
        self._section = text
        if not self._sections or self._sections[-1] != text:
            self._sections.append(text)

    def references(self) -> None:
        """Enter reference mode without a heading (a list that starts with "[1] ...")."""
        self.in_references = True
        self._in_abstract = False

    @property
    def has_references(self) -> bool:
        return bool(self._references)

    def end_references(self, heading: str | None = None) -> None:
        """Leave reference mode: what follows is text again. `heading`, the one that opened the
        list, turns out to have been a body section's ("3. References" in a guide to citing)."""
        self.in_references = False
        if heading is not None:
            self._section = heading
            if not self._sections or self._sections[-1] != heading:
                self._sections.append(heading)

    def paragraph(self, text: str, kind: str = "body") -> None:
        text = clean_text(text)
        if text and self.in_references:
            self.reference(text)
        if not text or self.in_references:
            return
        if kind == "body" and self._in_abstract:
            kind = "abstract"
        section = "Abstract" if kind == "abstract" else self._section
        self._paragraphs.append(Paragraph(text, section, kind))

    def caption(self, text: str) -> None:
        text = clean_text(text)
        if text and text not in self._captions:
            self._captions.append(text)

    def reference(self, text: str) -> None:
        """One entry of the reference list (kept apart from the text, whatever mode we are in)."""
        text = clean_text(text)
        if text:
            self._references.append(text)

    def extend_caption(self, text: str) -> None:
        """Append to the caption added last (a caption the source splits in pieces)."""
        text = clean_text(text)
        if text and self._captions:
            self._captions[-1] = join_lines([self._captions[-1], text])
        elif text:
            self.caption(text)

    def table(self, table: Table) -> None:
        self._tables.append(table)

    def abstract_text(self) -> str | None:
        parts = [p.text for p in self._paragraphs if p.kind == "abstract"]
        return " ".join(parts) or None

    def has_abstract(self) -> bool:
        return any(p.kind == "abstract" for p in self._paragraphs)

    def build(
        self, *, source_path: str, content_hash: str, format: str, reader: str, metadata: Metadata,
        declined: tuple[tuple[str, str], ...] = (), warnings: tuple[str, ...] = (), pages: int | None = None,
    ) -> ParsedDocument:
        return ParsedDocument(
            source_path=source_path,
            content_hash=content_hash,
            format=format,
            reader=reader,
            metadata=metadata,
            sections=tuple(self._sections),
            paragraphs=tuple(self._paragraphs),
            tables=tuple(self._tables),
            captions=tuple(self._captions),
            declined=declined,
            warnings=tuple(dict.fromkeys((*warnings, *self._warnings))),
            pages=pages,
            references=tuple(self._references),
        )
