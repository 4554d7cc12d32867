"""PDF reader: an engine lays out each page (text boxes with their lines, font sizes and
boldness, and the ruled lines tables are drawn with), ingest.pdf_page turns that into blocks and
tables, and ingest.pdf_layout finds title, abstract, sections, captions and paragraphs in them.

Two engines, chosen by name (ENGINES): "pdfium" (ingest.pdf_pdfium: pdfium's characters through
ingest.pdf_group, a re-implementation of pdfminer's layout analysis) and "pdfminer" (pdfminer.six,
here). They feed the same layout heuristics, and both read the golden corpus the same way.
"""
from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTChar,
    LTContainer,
    LTFigure,
    LTLayoutContainer,
    LTPage,
    LTTextBox,
    LTTextLine,
)
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import apply_matrix_pt, decode_text

from ingest.errors import NoTextLayer, ReadError, TooComplex
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.pdf_blocks import Block, Glyph, PdfContent, Rule, TextBox, TextLine
from ingest.pdf_engines import DEFAULT_ENGINE, ENGINES, READERS, check_engine
from ingest.pdf_glyphs import PDFMINER_FAILURES as _PDFMINER_FAILURES
from ingest.pdf_glyphs import GlyphNameManager, fix_glyph
from ingest.pdf_guard import check_inflation
from ingest.pdf_layout import build_document
from ingest.pdf_page import assemble, page_blocks
from ingest.pdf_tables import MAX_RULE_PATH, subpath_rules
from ingest.records import ParsedDocument, Table

__all__ = ["DEFAULT_ENGINE", "ENGINES", "READER", "extract", "read_pdf"]

READER = READERS["pdfminer"]
# A page-sized form XObject holding at least this many characters is the page's text, not a
# figure: some producers wrap every page's content in one, and pdfminer would skip its text.
_PAGE_FORM_MIN_CHARS = 200
_PAGE_FORM_MIN_AREA = 0.4


class _TextAndRulesAggregator(PDFPageAggregator):
    """Text boxes as pdfminer lays them out, plus the straight rules a table is drawn with.
    Other vector graphics and images are never used, and building layout objects for them
    costs about a tenth of the run on figure-heavy pages, so they are skipped."""

    def __init__(self, manager: GlyphNameManager, laparams: LAParams) -> None:
        super().__init__(manager, laparams=laparams)
        self.glyphs = manager
        self.rules: list[Rule] = []

    def handle_undefined_char(self, font: Any, cid: int) -> str:
        return self.glyphs.undefined(font, cid) or super().handle_undefined_char(font, cid)

    def begin_page(self, page: PDFPage, ctm: Any) -> None:
        super().begin_page(page, ctm)
        self.rules = []

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        if len(path) > MAX_RULE_PATH:
            return  # plot lines, glyph outlines, hatching: never table rules
        subpaths: list[list[tuple[float, float]]] = []
        for segment in path:
            op = segment[0]
            if op == "m":
                subpaths.append([])
            if op in ("m", "l") and subpaths:
                subpaths[-1].append(apply_matrix_pt(self.ctm, (float(segment[1]), float(segment[2]))))
            elif op != "h":
                return  # a curve
        for points in subpaths:
            self.rules += subpath_rules(points)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        return None


def read_pdf(
    data: bytes, *, source_path: str, content_hash: str, limits: Limits = DEFAULT_LIMITS,
    engine: str = DEFAULT_ENGINE,
) -> ParsedDocument:
    """The document in `data`, laid out by `engine` (one of ENGINES). A document whose text
    pdfium cannot read (fonts it cannot load) is read with pdfminer, and says so in a warning
    and in its reader's name."""
    if check_engine(engine) == "pdfium":
        from ingest.pdf_pdfium import TextUnreadable
        from ingest.pdf_pdfium import extract as extract_pdfium

        try:
            content = extract_pdfium(data, source_path, limits)
        except TextUnreadable as exc:
            engine = "pdfminer"
            content = extract(data, source_path, limits)
            content = replace(content, warnings=(*content.warnings, f"{exc}: read with pdfminer"))
    else:
        content = extract(data, source_path, limits)
    if not any(block.text.strip() for page in content.pages for block in page):
        raise NoTextLayer(path=source_path)
    return build_document(content, source_path=source_path, content_hash=content_hash, reader=READERS[engine])


def extract(data: bytes, source_path: str, limits: Limits = DEFAULT_LIMITS) -> PdfContent:
    """All text boxes of all pages in reading order, and the tables, reading the file once."""
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF: no %PDF- header", stage="pdf", path=source_path)
    check_inflation(data, limits, source_path)
    document, info, pdf_pages = _open(data, source_path, limits)

    laparams = LAParams()
    manager = GlyphNameManager()
    device = _TextAndRulesAggregator(manager, laparams=laparams)
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[tuple[Block, ...]] = []
    tables: list[tuple[Table, ...]] = []
    failed: list[int] = []
    oversized: list[int] = []
    for number, page in enumerate(pdf_pages):
        try:
            if _content_bytes(page) > limits.max_page_content_bytes:
                oversized.append(number + 1)  # pdfminer would spend minutes on it in Python
                pages.append(())
                tables.append(())
                continue
            interpreter.process_page(page)
            layout = device.get_result()
            blocks, found = _page(layout, number, laparams, device.rules)
        except _PDFMINER_FAILURES:
            failed.append(number + 1)  # one broken content stream should not cost the other pages
            blocks, found = [], []
        pages.append(tuple(blocks))
        tables.append(tuple(found))
    return assemble(pages, tables, failed, info, source_path, oversized)


def _content_bytes(page: PDFPage) -> int:
    """Inflated size of the page's content streams (pdfminer keeps the inflated data, so the
    interpreter does not inflate them again)."""
    streams = page.contents if isinstance(page.contents, list) else [page.contents]
    return sum(len(stream.get_data()) for stream in map(resolve1, streams) if hasattr(stream, "get_data"))


def _open(data: bytes, source_path: str, limits: Limits) -> tuple[Any, dict[str, str], list[PDFPage]]:
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        info = _info(document)
        pages: list[PDFPage] = []
        for page in PDFPage.create_pages(document):
            pages.append(page)
            if len(pages) > limits.max_pages:
                raise TooComplex(f"more than {limits.max_pages:,} pages", path=source_path)
    except PDFPasswordIncorrect as exc:
        raise ReadError("encrypted PDF: it needs a password to open", stage="pdf", path=source_path) from exc
    except PDFEncryptionError as exc:
        raise ReadError(f"encrypted PDF that pdfminer cannot decrypt: {exc}", stage="pdf", path=source_path) from exc
    except _PDFMINER_FAILURES as exc:
        raise ReadError(f"broken PDF (truncated or damaged): {type(exc).__name__}: {exc}", stage="pdf",
                        path=source_path) from exc
    if not pages:
        raise ReadError("broken PDF: no pages found", stage="pdf", path=source_path)
    return document, info, pages


def _page(layout: LTPage, number: int, laparams: LAParams, rules: list[Rule]) -> tuple[list[Block], list[Table]]:
    boxes = [item for item in layout if isinstance(item, LTTextBox)]
    page_area = max(1.0, layout.width * layout.height)
    for item in layout:
        if isinstance(item, LTFigure) and item.width * item.height >= _PAGE_FORM_MIN_AREA * page_area:
            if _count_chars(item) >= _PAGE_FORM_MIN_CHARS:
                LTLayoutContainer.analyze(item, laparams)
                boxes.extend(x for x in item if isinstance(x, LTTextBox))
    return page_blocks([_text_box(box) for box in boxes], lambda: rules, number, layout.width, layout.height)


def _text_box(box: LTTextBox) -> TextBox:
    lines = tuple(_text_line(line) for line in box if isinstance(line, LTTextLine))
    return TextBox(lines, box.x0, box.y0, box.x1, box.y1)


def _text_line(line: LTTextLine) -> TextLine:
    glyphs: list[Glyph] = []
    for item in line:
        if isinstance(item, LTChar):
            raw = item.get_text()
            glyphs.append(Glyph(fix_glyph(raw, item.fontname), raw, item.x0, item.y0, item.x1, item.y1,
                                item.size, item.fontname))
        elif isinstance(item, LTAnno) and item.get_text() != "\n":  # the line's end is implied
            glyphs.append(Glyph(item.get_text(), item.get_text(), 0.0, 0.0, 0.0, 0.0, 0.0, "", False))
    return TextLine(tuple(glyphs), line.x0, line.y0, line.x1, line.y1)


def _count_chars(container: Any) -> int:
    count = 0
    for item in container:
        if isinstance(item, LTChar):
            count += 1
        elif isinstance(item, LTContainer):
            count += _count_chars(item)
    return count


def _info(document: Any) -> dict[str, str]:
    info: dict[str, str] = {}
    for entry in document.info:
        for key, value in entry.items():
            value = resolve1(value)
            if isinstance(value, bytes):
                info[str(key).lower()] = decode_text(value)
            elif isinstance(value, str):
                info[str(key).lower()] = value
    return info
