"""The record that every reader produces: one parsed document, independent of its format."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    doi: str | None = None
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: int | None = None
    abstract: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """One block of running text; `section` is the heading it sits under (None before any)."""

    text: str
    section: str | None = None
    kind: str = "body"  # "abstract" | "body" | "caption" | "title"


@dataclass(frozen=True)
class Table:
    caption: str | None
    rows: tuple[tuple[str, ...], ...]  # first row is the header row when `header_rows` >= 1
    header_rows: int = 0


@dataclass(frozen=True)
class ParsedDocument:
    source_path: str
    content_hash: str  # sha256 of the file's bytes: the document's identity in the graph
    format: str  # "text" | "html" | "xml" | "pdf"
    reader: str  # name of the reader that produced this record
    metadata: Metadata = field(default_factory=Metadata)
    sections: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    tables: tuple[Table, ...] = ()
    captions: tuple[str, ...] = ()
    # Readers that looked at the document and declined it, with their reasons, in the order
    # they were asked: a curator can see why a page fell through to the generic reader.
    declined: tuple[tuple[str, str], ...] = ()
    # Things the reader noticed but could live with (pages it could not interpret, a table it
    # could not lay out); the document is still usable.
    warnings: tuple[str, ...] = ()
    pages: int | None = None  # PDF page count; None for other formats
    # The reference list, one entry per item (per printed box for PDFs); never part of the text
    # the NLP stage reads.
    references: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Graph identity: the content hash (the DOI, when known, is an indexed property)."""
        return self.content_hash

    def text_blocks(self) -> list[Paragraph]:
        """Title, abstract, body paragraphs and captions, in reading order, for the NLP stage."""
        blocks: list[Paragraph] = []
        if self.metadata.title:
            blocks.append(Paragraph(self.metadata.title, None, "title"))
        if self.metadata.abstract and not any(p.kind == "abstract" for p in self.paragraphs):
            blocks.append(Paragraph(self.metadata.abstract, "Abstract", "abstract"))
        blocks.extend(self.paragraphs)
        blocks.extend(Paragraph(c, None, "caption") for c in self.captions)
        return blocks


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
