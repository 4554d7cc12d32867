"""Plain-text reader: a short first line is the title, blank lines separate paragraphs."""
from __future__ import annotations

import re

from ingest.builder import DocumentBuilder
from ingest.normalize import clean_text, find_doi, join_lines
from ingest.records import Metadata, ParsedDocument

READER = "text.v1"
MAX_TITLE_CHARS = 200
_BLANK_LINE = re.compile(r"\n[ \t\f\v\u00a0]*\n")
_ABSTRACT_LABEL = re.compile(r"^abstract\s*[:.\u2014\u2013-]?\s*", re.IGNORECASE)
_DOI_SEARCH_CHARS = 3000  # a DOI further down is more likely a reference's than the paper's


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode without losing a byte: UTF-8 (with or without BOM), UTF-16 with a BOM, then
    cp1252, then latin-1, which maps every byte. Returns the text and the encoding used."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def read_text(data: bytes, *, source_path: str, content_hash: str) -> ParsedDocument:
    text, _ = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in _BLANK_LINE.split(text) if b.strip()]
    title = _title(blocks)
    if title is not None:
        blocks = blocks[1:]

    builder = DocumentBuilder()
    abstract: str | None = None
    expect_abstract = False
    for block in blocks:
        paragraph = join_lines(block.split("\n"))
        if expect_abstract:
            builder.paragraph(paragraph, "abstract")
            abstract = paragraph
            expect_abstract = False
        elif abstract is None and paragraph.lower().rstrip(".:") == "abstract":
            expect_abstract = True  # a lone "Abstract" line labels the next paragraph
        elif abstract is None and _ABSTRACT_LABEL.match(paragraph) and len(paragraph) > 40:
            abstract = _ABSTRACT_LABEL.sub("", paragraph, count=1)
            builder.paragraph(abstract, "abstract")
        else:
            builder.paragraph(paragraph)

    doi = builder.field("doi", lambda: find_doi(text[:_DOI_SEARCH_CHARS]), None)
    metadata = Metadata(title=title, doi=doi, abstract=abstract)
    return builder.build(
        source_path=source_path, content_hash=content_hash, format="text", reader=READER, metadata=metadata
    )


def _title(blocks: list[str]) -> str | None:
    # The title is a short first block of one line: a first line that runs on into the
    # paragraph below it (no blank line in between) is running text, not a title.
    if len(blocks) < 2:
        return None
    first = blocks[0].strip()
    if "\n" in first:
        return None
    title = clean_text(first)
    return title if 0 < len(title) < MAX_TITLE_CHARS else None
