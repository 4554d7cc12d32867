"""PDF engine on pdfium (pypdfium2): pdfium parses the file and maps glyphs to Unicode, its
characters become Glyph records boxed the way pdfminer boxes them (advance width by one em,
from the baseline's descent), ingest.pdf_group lays them out as pdfminer's LAParams defaults
would, and ingest.pdf_page makes blocks and tables exactly as for the pdfminer engine.

pdfminer leaves the text of form XObjects (figures) out of the page's layout, except a form
that is the page's whole text; so does this engine. Coordinates are turned into pdfminer's page
frame: origin at the media box's corner, /Rotate applied.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium

from ingest.errors import ReadError, TooComplex
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.pdf_blocks import Block, PdfContent
from ingest.pdf_fonts import FontFacts, font_facts
from ingest.pdf_group import layout
from ingest.pdf_guard import check_inflation
from ingest.pdf_page import assemble, page_blocks
from ingest.pdf_pdfium_api import Api, handle
from ingest.pdf_pdfium_chars import PAGE, page_glyphs
from ingest.pdf_pdfium_objects import Frame, page_objects, page_rules
from ingest.records import Table

# Same thresholds as the pdfminer engine (ingest.pdf): a form this large with this many
# characters is the page's text.
_PAGE_FORM_MIN_CHARS = 200
_PAGE_FORM_MIN_AREA = 0.4
# What coordinates that are not numbers (a damaged matrix: inf, nan) raise in the layout.
_PAGE_FAILURES = (ValueError, ArithmeticError)
# A page whose text objects pdfium mostly leaves out of its text page (at least this many, and
# more than this share) cannot be read with pdfium; empty strings and such are a few.
_UNREAD_MIN = 20
_UNREAD_SHARE = 0.5


class _Unread(Exception):
    """Raised inside one page's reading: pdfium dropped most of its text."""
_INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate",
              "doi", "DOI")


class TextUnreadable(Exception):
    """pdfium leaves out much of the text on these pages (1-based): its fonts cannot be
    loaded. ingest.pdf reads such a document with pdfminer instead."""

    def __init__(self, pages: list[int]) -> None:
        super().__init__(f"pdfium cannot read the text of pages {', '.join(map(str, pages))}")
        self.pages = pages


def extract(data: bytes, source_path: str, limits: Limits = DEFAULT_LIMITS) -> PdfContent:
    """All text boxes of all pages in reading order, and the tables. Raises TextUnreadable
    where pdfium drops a page's text."""
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF: no %PDF- header", stage="pdf", path=source_path)
    check_inflation(data, limits, source_path)
    document = _open(data, source_path, limits)
    try:
        info = _info(document)
        api = Api()
        fonts = font_facts(data)
        pages: list[tuple[Block, ...]] = []
        tables: list[tuple[Table, ...]] = []
        failed: list[int] = []
        oversized: list[int] = []
        unreadable: list[int] = []
        for number in range(len(document)):
            try:
                with _collector_paused():
                    read = _page(api, document, number, fonts, limits.max_page_chars)
            except _Oversized:
                oversized.append(number + 1)
                read = [], []
            except _PAGE_FAILURES:
                read = None
            except _Unread:
                unreadable.append(number + 1)
                read = [], []
            if read is None:
                failed.append(number + 1)  # one broken page should not cost the others
                read = [], []
            pages.append(tuple(read[0]))
            tables.append(tuple(read[1]))
    finally:
        document.close()
    if unreadable:
        raise TextUnreadable(unreadable)
    return assemble(pages, tables, failed, info, source_path, oversized)


def _open(data: bytes, source_path: str, limits: Limits) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise ReadError("encrypted PDF: it needs a password to open", stage="pdf", path=source_path) from exc
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise ReadError(f"encrypted PDF that pdfium cannot decrypt: {exc}", stage="pdf", path=source_path) from exc
        raise ReadError(f"broken PDF (truncated or damaged): {exc}", stage="pdf", path=source_path) from exc
    count = len(document)
    if count > limits.max_pages:
        document.close()
        raise TooComplex(f"more than {limits.max_pages:,} pages", path=source_path)
    if not count:
        document.close()
        raise ReadError("broken PDF: no pages found", stage="pdf", path=source_path)
    return document


def _info(document: pdfium.PdfDocument) -> dict[str, str]:
    info: dict[str, str] = {}
    for key in _INFO_KEYS:
        value = document.get_metadata_value(key)
        if value:
            info.setdefault(key.lower(), value)
    return info


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while one page is read. A page makes tens of thousands
    of glyph and line records, none in a cycle, and making them sets off collections that go
    over them again and again: a tenth of the page's time."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _Oversized(Exception):
    """A page with more characters than the per-page cap allows."""


def _page(api: Api, document: pdfium.PdfDocument, number: int,
          fonts: FontFacts, max_chars: int) -> tuple[list[Block], list[Table]] | None:
    """The page's blocks and tables; None when pdfium cannot load it."""
    page = pdfium.raw.FPDF_LoadPage(document.raw, number)
    if not page:
        return None
    try:
        frame = Frame.of(page)
        objects = page_objects(api, handle(page), frame)
        textpage = pdfium.raw.FPDFText_LoadPage(page)
        if not textpage:
            return None
        try:
            if pdfium.raw.FPDFText_CountChars(textpage) > max_chars:
                raise _Oversized
            glyphs, unread, places = page_glyphs(api, handle(textpage), number, frame, objects, fonts)
        finally:
            pdfium.raw.FPDFText_ClosePage(textpage)
        if unread >= _UNREAD_MIN and unread > _UNREAD_SHARE * len(objects.text_order):
            raise _Unread
        on_page = glyphs.get(PAGE, [])
        boxes = layout(on_page, frame.bounds, places.get(PAGE))
        page_area = max(1.0, frame.width * frame.height)
        for form, bounds in enumerate(objects.forms):
            chars = glyphs.get(form, [])
            # pdfminer measures a form by its /BBox, which pdfium does not tell; pdfium's bounds
            # are those of what the form draws. A form that draws all the page's text is the
            # page, however little of the page that text covers.
            area = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1])
            if len(chars) >= _PAGE_FORM_MIN_CHARS and (area >= _PAGE_FORM_MIN_AREA * page_area or not on_page):
                boxes.extend(layout(chars, bounds, places.get(form)))
        # The page stays open until its blocks are made: its paths are read for table rules
        # only if it turns out to have a table caption.
        return page_blocks(boxes, lambda: page_rules(api, frame, objects), number, frame.width, frame.height)
    finally:
        pdfium.raw.FPDF_ClosePage(page)
