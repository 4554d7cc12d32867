"""Reading one document: sniff the format from the bytes, hand them to the matching reader."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ingest.errors import EmptyDocument, ReadError, TooLarge, UnsupportedFormat
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.pdf_engines import DEFAULT_ENGINE, check_engine
from ingest.records import ParsedDocument, content_hash

DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_bytes
_SNIFF_BYTES = 65_536
_PDF_MAGIC_WINDOW = 1024  # the PDF spec lets a few bytes of junk precede "%PDF-"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Prolog items that may precede the root element: XML declaration, processing instructions,
# comments, and a DOCTYPE with or without an internal subset.
_PROLOG = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*", re.IGNORECASE | re.DOTALL
)
_ROOT_TAG = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_HTML_HINT = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


def read_document(
    path: str | Path, *, max_bytes: int | None = None, limits: Limits = DEFAULT_LIMITS,
    pdf_engine: str | None = None,
) -> ParsedDocument:
    """Read a PDF, XML, HTML or plain-text file into a ParsedDocument.

    The format is decided by content, not by the file name: '%PDF-' bytes make a PDF, a root
    element <html> makes HTML (XHTML included), any other root element makes XML, and text that
    decodes is plain text. A '.pdf' file without PDF bytes is reported as a broken PDF rather
    than read as text. `limits` caps bytes (per format), PDF pages and markup depth and size;
    `max_bytes`, when given, lowers the byte cap for every format. `pdf_engine` names the engine
    that lays out PDF pages (ingest.pdf_engines.ENGINES; None: DEFAULT_ENGINE).
    Raises ReadError (stage 'open', 'limits', 'detect', 'parse' or 'pdf'); ValueError for an
    unknown engine name.
    """
    engine = check_engine(pdf_engine or DEFAULT_ENGINE)
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    path = Path(path)
    # A file name that is not valid UTF-8 decodes to lone surrogates that no database driver
    # can send: keep the path as text with those bytes written \xNN.
    source = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    try:
        size = path.stat().st_size
        _check_size(size, limits.max_bytes, "", source)
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            if not head:
                raise ReadError("empty file", stage="open", path=source)
            kind = sniff_format(head, suffix=path.suffix.lower(), path=source)
            cap = limits.max_bytes_for(kind)
            _check_size(size, cap, kind, source)
            data = head + handle.read(cap + 1 - len(head))
    except OSError as exc:
        raise ReadError(f"cannot open: {exc.strerror or exc}", stage="open", path=source) from exc
    _check_size(len(data), cap, kind, source)  # the file grew between stat() and read()

    doc = _read(kind, data, source, limits, engine)
    if not any(block.text.strip() for block in doc.text_blocks()) and not doc.tables:
        # Whitespace, or markup around nothing: an empty record in the graph would look like a
        # paper that was read; a failure record says what the file really is.
        raise EmptyDocument(f"no text: the {kind} file holds no title, paragraphs or tables", path=source)
    return doc


def _read(kind: str, data: bytes, source: str, limits: Limits, engine: str) -> ParsedDocument:
    digest = content_hash(data)
    if kind == "pdf":
        from ingest.pdf import read_pdf  # the engines are slow to import; only PDFs need them

        return read_pdf(data, source_path=source, content_hash=digest, limits=limits, engine=engine)
    if kind == "html":
        from ingest.html import read_html

        return read_html(data, source_path=source, content_hash=digest, limits=limits)
    if kind == "xml":
        from ingest.xml import read_xml

        return read_xml(data, source_path=source, content_hash=digest, limits=limits)
    from ingest.text import read_text

    return read_text(data, source_path=source, content_hash=digest)


def _check_size(size: int, cap: int, kind: str, source: str) -> None:
    if size > cap:
        what = {"pdf": "PDF", "html": "HTML", "xml": "XML", "text": "text"}.get(kind, "file")
        raise TooLarge(f"{what} file is {size:,} bytes, over the limit of {cap:,}", path=source)


def sniff_format(data: bytes, *, suffix: str = "", path: str | None = None) -> str:
    """'pdf', 'html', 'xml' or 'text', from the bytes; raises for binary junk and fake PDFs."""
    if b"%PDF-" in data[:_PDF_MAGIC_WINDOW]:
        return "pdf"
    head = _decode_head(data[:_SNIFF_BYTES])
    if head is not None:
        markup = _markup_kind(head)
        if markup:
            return markup
    if suffix == ".pdf":
        raise ReadError("not a PDF: no %PDF- header (truncated or not a PDF file)", stage="pdf", path=path)
    # UTF-16 text with a BOM is all NULs to a byte test: judge it by its decoded characters.
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00")
    if head is None or _looks_binary(head.encode("utf-8") if utf16 else data[:_SNIFF_BYTES]):
        raise UnsupportedFormat("unrecognised binary content: not PDF, XML, HTML or text", path=path)
    return "text"


def _decode_head(head: bytes) -> str | None:
    for bom, encoding in zip(_BOMS, ("utf-8", "utf-16", "utf-16")):
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore").lstrip("\ufeff")
    if b"\x00" in head:  # UTF-16 without a BOM is too rare to guess at; NULs mean binary
        return None
    return head.decode("utf-8", errors="ignore") if _mostly_utf8(head) else head.decode("cp1252", errors="ignore")


def _mostly_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 4  # the sniff window cut a character in two


def _markup_kind(head: str) -> str | None:
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() if prolog else 0:]
    if rest.startswith("<"):
        root = _ROOT_TAG.match(rest)
        if root:
            return "html" if root.group(2).lower() == "html" else "xml"
    if re.match(r"<!DOCTYPE\s+html", head[prolog.end() if prolog else 0:], re.IGNORECASE):
        return "html"
    # Tag soup that does not start with an element (a stray BOM or text first) but is clearly HTML.
    if _HTML_HINT.search(head[:4096]):
        return "html"
    return None


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(1, len(head) // 100)
