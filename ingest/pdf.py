"""PDF reader on pdfminer.six: one pass over the pages collects text boxes with their lines, font
sizes and boldness; ingest.pdf_layout then finds title, abstract, sections and captions in them."""
from __future__ import annotations

import io
import re
import statistics
import struct
import zlib
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTContainer, LTFigure, LTLayoutContainer, LTPage, LTTextBox
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from ingest.errors import NoTextLayer, ReadError
from ingest.pdf_blocks import Block, Line, PdfContent
from ingest.pdf_layout import build_document
from ingest.records import ParsedDocument

READER = "pdf.pdfminer.v1"
# A page-sized form XObject holding at least this many characters is the page's text, not a
# figure: some producers wrap every page's content in one, and pdfminer would skip its text.
_PAGE_FORM_MIN_CHARS = 200
_PAGE_FORM_MIN_AREA = 0.4
# Glyphs the Advent fonts used by RSC and APS put in the private-use area instead of the ligatures.
_ADVENT_PUA = {"\ue09d": "ft", "\ue103": "fi", "\ue104": "fl"}
# Two Advent fonts (APS, RSC) whose encodings pdfminer reads as Latin-1: the math font's "=" comes
# out as "¼", "+" as "þ", parentheses as "ð"/"Þ"; the italic text font's "/" comes out as "=".
# Mapped only for these exact fonts, where every occurrence in the test papers was checked.
_FONT_FIXES = {
    "AdvP4C4E74": {"¼": "=", "þ": "+", "ð": "(", "Þ": ")", "j": "|", "k": "\u2225", "0": "\u2032"},
    "AdvTTd0b5fdba.I": {"=": "/"},
}
_CID = re.compile(r"^\(cid:\d+\)$")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|\.B$|\.BI$|CMBX|CMB\d", re.IGNORECASE)


class _TextOnlyAggregator(PDFPageAggregator):
    """Vector graphics and images are never used, and building them costs about a tenth of the
    run on figure-heavy pages, so they are not turned into layout objects."""

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        return None

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        return None


def read_pdf(data: bytes, *, source_path: str, content_hash: str) -> ParsedDocument:
    content = extract(data, source_path)
    if not any(block.text.strip() for page in content.pages for block in page):
        raise NoTextLayer(path=source_path)
    return build_document(content, source_path=source_path, content_hash=content_hash, reader=READER)


def extract(data: bytes, source_path: str) -> PdfContent:
    """All text boxes of all pages, reading the file once."""
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF: no %PDF- header", stage="pdf", path=source_path)

    laparams = LAParams()
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        info = _info(document)
        pages_iter = list(PDFPage.create_pages(document))
    except PDFPasswordIncorrect as exc:
        raise ReadError("encrypted PDF: it needs a password to open", stage="pdf", path=source_path) from exc
    except PDFEncryptionError as exc:
        raise ReadError(f"encrypted PDF that pdfminer cannot decrypt: {exc}", stage="pdf", path=source_path) from exc
    except _PDFMINER_FAILURES as exc:
        raise ReadError(f"broken PDF: {type(exc).__name__}: {exc}", stage="pdf", path=source_path) from exc
    if not pages_iter:
        raise ReadError("broken PDF: no pages found", stage="pdf", path=source_path)

    manager = PDFResourceManager(caching=True)
    device = _TextOnlyAggregator(manager, laparams=laparams)
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[tuple[Block, ...]] = []
    failures = 0
    for number, page in enumerate(pages_iter):
        try:
            interpreter.process_page(page)
            layout = device.get_result()
        except _PDFMINER_FAILURES:
            failures += 1  # one broken content stream should not cost the other pages
            pages.append(())
            continue
        pages.append(tuple(_blocks(layout, number, laparams)))
    if failures == len(pages_iter):
        raise ReadError("broken PDF: no page could be interpreted", stage="pdf", path=source_path)
    return PdfContent(pages=tuple(pages), info=info)


def _blocks(layout: LTPage, number: int, laparams: LAParams) -> list[Block]:
    boxes = [item for item in layout if isinstance(item, LTTextBox)]
    page_area = max(1.0, layout.width * layout.height)
    for item in layout:
        if isinstance(item, LTFigure) and item.width * item.height >= _PAGE_FORM_MIN_AREA * page_area:
            if _count_chars(item) >= _PAGE_FORM_MIN_CHARS:
                LTLayoutContainer.analyze(item, laparams)
                boxes.extend(x for x in item if isinstance(x, LTTextBox))
    blocks = []
    for box in boxes:
        lines = tuple(line for line in (_line(x) for x in box) if line is not None)
        if lines:
            blocks.append(Block(number, lines, box.x0, box.y0, box.x1, box.y1, layout.width, layout.height))
    return blocks


def _count_chars(container: Any) -> int:
    count = 0
    for item in container:
        if isinstance(item, LTChar):
            count += 1
        elif isinstance(item, LTContainer):
            count += _count_chars(item)
    return count


def _line(line: Any) -> Line | None:
    parts: list[str] = []
    sizes: list[float] = []
    bold = letters = 0
    for item in line:
        text = item.get_text()
        if isinstance(item, LTChar):
            text = _fix_glyph(text, item.fontname)
            if text.strip() and text[0].isalpha():
                sizes.append(item.size)
                letters += 1
                bold += bool(_BOLD_FONT.search(item.fontname))
        parts.append(text)
    text = "".join(parts).strip()
    if not text:
        return None
    if not sizes:
        sizes = [item.size for item in line if isinstance(item, LTChar)] or [0.0]
    return Line(text, statistics.median(sizes), letters > 0 and bold >= 0.8 * letters,
                line.x0, line.y0, line.x1, line.y1)


def _fix_glyph(text: str, fontname: str) -> str:
    if text in _ADVENT_PUA and "Adv" in fontname:
        return _ADVENT_PUA[text]
    fixes = _FONT_FIXES.get(fontname.rsplit("+", 1)[-1])
    if fixes and text in fixes:
        return fixes[text]
    if "\uf8e5" <= text <= "\uf8ff":  # pieces of tall brackets from Symbol-encoded fonts
        return ""
    if _CID.match(text):
        return "\ufffd"  # a glyph without a Unicode mapping: mark it rather than print "(cid:3)"
    return text


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


# pdfminer reports malformed files through its own exceptions, but also through whatever a
# half-parsed object happens to raise; every one of them means "this PDF is broken".
_PDFMINER_FAILURES: tuple[type[BaseException], ...] = (
    PDFException, PSException, ValueError, KeyError, TypeError, IndexError, AttributeError,
    AssertionError, struct.error, zlib.error, RecursionError, OverflowError, NotImplementedError,
)
