"""PDF reader on pdfminer.six: one pass over the pages collects text boxes with their lines, font
sizes and boldness, and the ruled lines tables are drawn with; ingest.pdf_tables takes the
tables out, ingest.pdf_order puts the rest in reading order, and ingest.pdf_layout finds title,
abstract, sections, captions and paragraphs in them."""
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
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException
from pdfminer.pdftypes import resolve1
from pdfminer.utils import apply_matrix_pt, decode_text

from ingest.errors import NoTextLayer, ReadError, TooComplex
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.pdf_blocks import Block, Line, PdfContent, Rule
from ingest.pdf_glyphs import GlyphNameManager, fix_glyph
from ingest.pdf_layout import build_document
from ingest.pdf_order import find_gutter, reading_order
from ingest.pdf_tables import find_tables
from ingest.records import ParsedDocument, Table

READER = "pdf.pdfminer.v1"
# A page-sized form XObject holding at least this many characters is the page's text, not a
# figure: some producers wrap every page's content in one, and pdfminer would skip its text.
_PAGE_FORM_MIN_CHARS = 200
_PAGE_FORM_MIN_AREA = 0.4
_MAX_RULE_PATH = 400  # path segments: more is a plot or hatching, not the rules of a table
_RULE_THICKNESS = 2.5  # points
_RULE_MIN_LENGTH = 8.0
_SUPERSCRIPT = 0.8  # characters this much smaller than the line's letters are raised or lowered marks
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|\.B$|\.BI$|CMBX|CMB\d", re.IGNORECASE)


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
        if len(path) > _MAX_RULE_PATH:
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
            if len(points) >= 2:
                self._rule(points)

    def _rule(self, points: list[tuple[float, float]]) -> None:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        width, height = x1 - x0, y1 - y0
        if (height <= _RULE_THICKNESS and width >= _RULE_MIN_LENGTH) or (
            width <= _RULE_THICKNESS and height >= _RULE_MIN_LENGTH
        ):
            self.rules.append(Rule(x0, y0, x1, y1))
        elif len(points) in (4, 5) and all(
            (abs(x - x0) < 0.5 or abs(x - x1) < 0.5) and (abs(y - y0) < 0.5 or abs(y - y1) < 0.5) for x, y in points
        ):
            # A ruled table drawn one framed rectangle per cell: its edges are the rules.
            self.rules += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1), Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        return None


def read_pdf(
    data: bytes, *, source_path: str, content_hash: str, limits: Limits = DEFAULT_LIMITS
) -> ParsedDocument:
    content = extract(data, source_path, limits)
    if not any(block.text.strip() for page in content.pages for block in page):
        raise NoTextLayer(path=source_path)
    return build_document(content, source_path=source_path, content_hash=content_hash, reader=READER)


def extract(data: bytes, source_path: str, limits: Limits = DEFAULT_LIMITS) -> PdfContent:
    """All text boxes of all pages in reading order, and the tables, reading the file once."""
    if b"%PDF-" not in data[:1024]:
        raise ReadError("not a PDF: no %PDF- header", stage="pdf", path=source_path)
    document, info, pdf_pages = _open(data, source_path, limits)

    laparams = LAParams()
    manager = GlyphNameManager()
    device = _TextAndRulesAggregator(manager, laparams=laparams)
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[tuple[Block, ...]] = []
    tables: list[tuple[Table, ...]] = []
    failed: list[int] = []
    for number, page in enumerate(pdf_pages):
        try:
            interpreter.process_page(page)
            layout = device.get_result()
            blocks, found = _page(layout, number, laparams, device.rules)
        except _PDFMINER_FAILURES:
            failed.append(number + 1)  # one broken content stream should not cost the other pages
            blocks, found = [], []
        pages.append(tuple(blocks))
        tables.append(tuple(found))
    if len(failed) == len(pdf_pages):
        raise ReadError("broken PDF: no page could be interpreted", stage="pdf", path=source_path)
    warnings = [f"pages that could not be interpreted: {', '.join(map(str, failed))}"] if failed else []
    blank = [n + 1 for n, page in enumerate(pages) if not page and not tables[n] and n + 1 not in failed]
    if blank and len(blank) < len(pages):
        warnings.append(f"pages without a text layer (scanned without OCR?): {', '.join(map(str, blank))}")
    return PdfContent(pages=tuple(pages), info=info, tables=tuple(tables), warnings=tuple(warnings))


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
    blocks: dict[int, Block] = {}
    for i, box in enumerate(boxes):
        lines = tuple(line for line in (_line(x) for x in box) if line is not None)
        if lines:
            blocks[i] = Block(number, lines, box.x0, box.y0, box.x1, box.y1, layout.width, layout.height)
    gutter = find_gutter(list(blocks.values())) if blocks else None
    tables, used = find_tables(boxes, rules, gutter, _glyph_text)
    text = [block for i, block in blocks.items() if i not in used]
    return reading_order(text, gutter), tables


def _count_chars(container: Any) -> int:
    count = 0
    for item in container:
        if isinstance(item, LTChar):
            count += 1
        elif isinstance(item, LTContainer):
            count += _count_chars(item)
    return count


def _glyph_text(char: LTChar) -> str:
    return fix_glyph(char.get_text(), char.fontname)


def _line(line: Any) -> Line | None:
    parts: list[str] = []
    char_sizes: list[float] = []  # per part; 0 for pdfminer's inserted spaces
    sizes: list[float] = []
    bold = letters = 0
    for item in line:
        text = item.get_text()
        size = 0.0
        if isinstance(item, LTChar):
            text = fix_glyph(text, item.fontname)
            size = item.size
            if text.strip() and text[0].isalpha():
                sizes.append(size)
                letters += 1
                bold += bool(_BOLD_FONT.search(item.fontname))
        parts.append(text)
        char_sizes.append(size)
    text = "".join(parts).strip()
    if not text:
        return None
    if not sizes:
        sizes = [s for s in char_sizes if s] or [0.0]
    median = statistics.median(sizes)
    # Without superscripts: "Thompsonb" -> "Thompson", for reading names next to their marks.
    small = [0 < s < _SUPERSCRIPT * median for s in char_sizes]
    plain = "".join(p for p, tiny in zip(parts, small) if not tiny).strip() if any(small) else None
    return Line(text, median, letters > 0 and bold >= 0.8 * letters,
                line.x0, line.y0, line.x1, line.y1, plain)


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
