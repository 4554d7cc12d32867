"""From PDF text boxes to a ParsedDocument: running headers and page numbers out, title by font
size, authors, DOI, year and abstract here; headings, captions and paragraphs in ingest.pdf_body.

Every rule here is a heuristic tuned on real journal layouts (APS, IOP, RSC, Nature, Scientific
Reports, REVTeX preprints, OCR'd scans); each says in a comment which layout it is for.
"""
from __future__ import annotations

import re
from collections import Counter

from ingest.builder import DocumentBuilder
from ingest.normalize import (
    clean_doi,
    clean_text,
    find_doi,
    join_lines,
)
from ingest.pdf_blocks import Block, Line, PdfContent
from ingest.pdf_body import (
    CAPTION,
    SENTENCE_END,
    BodyWalker,
    capitalised,
    caseless_letters,
    heading_like,
    is_prose,
    touching,
)
from ingest.pdf_front import cover_authors, find_authors
from ingest.records import Metadata, ParsedDocument

_ABSTRACT_LABEL = re.compile(r"^abstract\b[\s:.\u2014\u2013-]*", re.IGNORECASE)
_TITLE_NOISE = re.compile(
    r"doi|https?:|www\.|©|copyright|arxiv|received|accepted|published|typeset|volume|issn|"
    r"licen[cs]e|downloaded|cite this",
    re.IGNORECASE,
)
# Words of journal banners and manuscript stamps ("Journal of Physics: Condensed Matter",
# "Accepted Manuscript", "Research Article"), which a long title may hold too: "Instructions
# for the Preparation of a Manuscript for the Journal of the Physical Society of Japan".
_BANNER_WORDS = re.compile(r"journal|preprint|submitted|manuscript|open access|research article", re.IGNORECASE)
_BANNER_MAX_WORDS = 6
# Each label is grouped: an alternation left bare ("©|(c)|copyright") would let "©" alone
# match with the year group unset.
_YEAR_LABELS = tuple(
    re.compile(f"(?:{label})" + r"[^\n]{0,40}?\b((?:19|20)\d\d)\b", re.IGNORECASE)
    for label in (r"\bpublished\b", r"\bpublication date\s", r"\baccepted\b", r"©|\(c\)\s|copyright", r"\breceived\b")
) + (re.compile(r"\(((?:19|20)\d\d)\)\s*\d+\s*:\s*\d+"),)  # Nature-style footer "(2020) 10:1592"
_MARGIN_TOP = 0.85  # share of page height above which a box is in the header band
_EDGE_TOP = 0.95  # boxes wholly above this share of the height, or below _EDGE_BOTTOM, are furniture
_EDGE_BOTTOM = 0.065
_LINE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_MARGIN_BOTTOM = 0.12


def build_document(content: PdfContent, *, source_path: str, content_hash: str, reader: str) -> ParsedDocument:
    blocks = [b for page in content.pages for b in page if not _noise(b)]
    body_size = _body_size(blocks)
    blocks = [b for b in blocks if not _edge_furniture(b, body_size)]
    first_page = blocks[0].page if blocks else 0
    raw_first = "\n".join(b.text for b in content.pages[first_page]) if content.pages else ""
    running = _running_blocks(blocks, len(content.pages))
    if len(running) == len(blocks):
        running = set()  # the same line on every page and nothing else: that line is the text
    builder = DocumentBuilder()
    no_title: tuple[str | None, set[int]] = (None, set())
    title, title_blocks = builder.field(
        "title", lambda: _title(blocks, running, first_page, body_size, content.info), no_title)
    title = capitalised(title) if title else title
    order = [i for i in range(len(blocks)) if i not in running and i not in title_blocks]
    abstract = builder.field("abstract", lambda: _Abstract.find(blocks, order, first_page, body_size), None)
    try:
        BodyWalker(builder, blocks, body_size).walk(
            order, abstract.text if abstract else None, abstract.end if abstract else 0)
    except Exception as exc:  # noqa: BLE001 - a layout heuristic broke: keep the text, lose the structure
        builder = _plain(blocks, order, builder, exc)
    for table in (t for page in content.tables for t in page):
        builder.table(table)
    metadata = Metadata(
        title=title,
        doi=builder.field("doi", lambda: _doi(content, raw_first, first_page), None),
        authors=builder.field(
            "authors", lambda: find_authors(blocks, title_blocks) or _cover_authors(blocks, first_page), ()),
        year=builder.field("year", lambda: _year(raw_first), None),
        abstract=abstract.text if abstract else builder.abstract_text(),
    )
    return builder.build(
        source_path=source_path, content_hash=content_hash, format="pdf", reader=reader, metadata=metadata,
        warnings=content.warnings, pages=len(content.pages),
    )


def _plain(blocks: list[Block], order: list[int], failed: DocumentBuilder, exc: Exception) -> DocumentBuilder:
    """Every box a paragraph, in reading order: what is left when the section and paragraph
    analysis breaks on a layout it was never tuned on. The document keeps all of its text."""
    builder = DocumentBuilder()
    for warning in failed.warnings:
        builder.warn(warning)
    builder.warn(f"layout analysis failed ({type(exc).__name__}: {exc}); paragraphs are the PDF's text boxes")
    for i in order:
        builder.paragraph(join_lines(line.text for line in blocks[i].lines))
    return builder


# --- clearing the page furniture ------------------------------------------------------------------

def _noise(block: Block) -> bool:
    text = block.text
    if not any(ch.isalpha() for ch in text) and len(text) <= 40:
        return True  # page numbers, equation numbers, axis ticks
    if len(block.lines) >= 3 and sum(len(line.text) for line in block.lines) <= 2 * len(block.lines):
        # Text set vertically, one letter per line: the arXiv stamp in the margin; but Chinese
        # and Japanese are written vertically too (a gazette, a novel), in caseless letters.
        return caseless_letters(text) < 0.5 * len(block.lines)
    if all(_LINE_NUMBER.match(line.text) for line in block.lines):
        return True  # the line numbers of a manuscript
    return block.size < 4.0  # invisible or microscopic text


def _edge_furniture(block: Block, body_size: float) -> bool:
    """A line or two in the page's outer edge, set smaller than the body: journal footer,
    licence line, download stamp, e-mail footnote. (Body text may reach the edge: JPSJ.)"""
    in_edge = block.y0 > _EDGE_TOP * block.page_height or block.y1 < _EDGE_BOTTOM * block.page_height
    return in_edge and len(block.lines) <= 2 and block.size < body_size - 0.3


def _running_blocks(blocks: list[Block], pages: int) -> set[int]:
    """Boxes whose text (digits ignored) recurs on other pages: running heads, journal footers,
    'page N of M', download stamps. A recurring box counts when it sits in the top or bottom
    band of the page, or anywhere when it recurs on half the pages or more."""
    seen: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        # Caption labels ("Fig. 3.") recur from page to page with only the number changed.
        if len(block.lines) <= 3 and len(block.text) <= 200 and not CAPTION.match(block.text):
            key = re.sub(r"\d+", "#", clean_text(block.text).lower())
            seen.setdefault(key, []).append(i)
    running: set[int] = set()
    for indexes in seen.values():
        on_pages = {blocks[i].page for i in indexes}
        if len(on_pages) < 2:
            continue
        frequent = len(on_pages) >= max(3, pages / 2)
        for i in indexes:
            block = blocks[i]
            in_margin = block.y0 > _MARGIN_TOP * block.page_height or block.y1 < _MARGIN_BOTTOM * block.page_height
            if in_margin or frequent:
                running.add(i)
    return running


def _body_size(blocks: list[Block]) -> float:
    sizes: Counter[float] = Counter()
    for block in blocks:
        for line in block.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


# --- title, DOI, abstract ------------------------------------------------------------------------

def _title(
    blocks: list[Block], running: set[int], first_page: int, body_size: float, info: dict[str, str]
) -> tuple[str | None, set[int]]:
    page = [i for i, b in enumerate(blocks) if b.page == first_page and i not in running]
    for i in page:
        lines = blocks[i].lines
        # Repository cover pages (eScholarship and the like) label their fields: "Title" / "<the title>".
        if clean_text(lines[0].text).lower() == "title" and len(lines) > 1:
            return join_lines(line.text for line in lines[1:]), set()
    best: tuple[float, list[tuple[int, Line]]] | None = None
    for size, run in _same_size_runs(blocks, page):
        text = join_lines(line.text for _, line in run)
        words = max(len(text.split()), caseless_letters(text) // 2)  # Chinese and Japanese: ~2 characters a word
        if words < 3 or not 10 <= len(text) <= 400 or _TITLE_NOISE.search(text):
            continue  # "Chemical Science", "EDGE ARTICLE", journal lines and URLs are not titles
        if words <= _BANNER_MAX_WORDS and _BANNER_WORDS.search(text):
            continue
        if size >= body_size and (best is None or size > best[0] + 0.2):
            best = (size, run)
    if best is not None:
        size, run = best
        cluster = _title_cluster(blocks, page, size, run)
        text = join_lines(line.text for _, line in cluster).rstrip(" *\u2020\u2021\u00a7\u00b6\u2217")
        members = {id(line) for _, line in cluster}
        whole = {i for i, _ in cluster if all(id(line) in members for line in blocks[i].lines)}
        return text, whole
    fallback = clean_text(info.get("title", ""))
    if len(fallback.split()) >= 3 and not re.search(r"arxiv|\.dvi|\.docx?|\.tex|microsoft|untitled", fallback, re.I):
        return fallback, set()
    return None, set()


def _cover_authors(blocks: list[Block], first_page: int) -> tuple[str, ...]:
    for block in blocks:
        if block.page == first_page and clean_text(block.lines[0].text).lower() == "authors":
            return cover_authors(block)
    return ()


def _same_size_runs(blocks: list[Block], page: list[int]) -> list[tuple[float, list[tuple[int, Line]]]]:
    """Consecutive lines of one font size, also across neighbouring boxes."""
    runs: list[tuple[float, list[tuple[int, Line]]]] = []
    last_box = -2
    for i in page:
        for n, line in enumerate(blocks[i].lines):
            same = runs and abs(runs[-1][0] - line.size) <= 0.5
            adjacent = n > 0 or (last_box == i - 1 and touching(blocks[i - 1], blocks[i]))
            if same and adjacent:
                runs[-1][1].append((i, line))
            else:
                runs.append((line.size, [(i, line)]))
        last_box = i
    return runs


def _title_cluster(
    blocks: list[Block], page: list[int], size: float, run: list[tuple[int, Line]]
) -> list[tuple[int, Line]]:
    """All lines of the title's size stacked with the chosen run, in reading order. pdfminer
    splits widely spaced (justified) title lines into several boxes; this puts them back."""
    pool = [(i, line) for i in page for line in blocks[i].lines if abs(line.size - size) <= 0.5]
    cluster = list(run)
    grown = True
    while grown:
        low = min(line.y0 for _, line in cluster) - size
        high = max(line.y1 for _, line in cluster) + size
        extra = [(i, line) for i, line in pool
                 if not any(line is l for _, l in cluster) and line.y1 >= low and line.y0 <= high]
        cluster.extend(extra)
        grown = bool(extra)
    cluster.sort(key=lambda item: -item[1].y1)
    rows: list[list[tuple[int, Line]]] = []
    for item in cluster:
        if rows and abs(rows[-1][0][1].y1 - item[1].y1) <= 0.3 * size:
            rows[-1].append(item)
        else:
            rows.append([item])
    return [item for row in rows for item in sorted(row, key=lambda it: it[1].x0)]


def _doi(content: PdfContent, first_text: str, first_page: int) -> str | None:
    """The file's own DOI field first, then a DOI printed on the first page, then the DOI in the
    subject or keywords fields (APS, Springer Nature), then the second page."""
    info = content.info
    doi = clean_doi(info.get("doi")) or find_doi(first_text)
    if doi:
        return doi
    doi = find_doi(" ".join(info.get(k, "") for k in ("subject", "keywords")))
    if doi or len(content.pages) <= first_page + 1:
        return doi
    return find_doi("\n".join(b.text for b in content.pages[first_page + 1]))


def _year(first_text: str) -> int | None:
    """The publication year printed on the first page: 'Published 9 October 2014', 'Publication
    Date 1989' (repository covers), else the acceptance date, the copyright line, the receipt
    date, a citation footer."""
    for pattern in _YEAR_LABELS:
        match = pattern.search(first_text)
        if match:
            return int(match.group(1))
    return None


class _Abstract:
    """Where the abstract sits in reading order: boxes order[start:end]."""

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text

    @classmethod
    def find(cls, blocks: list[Block], order: list[int], first_page: int, body_size: float) -> _Abstract | None:
        early = [k for k, i in enumerate(order) if blocks[i].page <= first_page + 1]
        for k in early:
            block = blocks[order[k]]
            first = clean_text(block.lines[0].text)
            label = _ABSTRACT_LABEL.match(first)
            if not label or (len(first) > label.end() and not first[label.end():][:1].isupper()):
                continue
            lines = [first[label.end():]] + [line.text for line in block.lines[1:]]
            if join_lines(lines):
                return cls._extend(blocks, order, k, k + 1, join_lines(lines))
            if k + 1 < len(order):  # "Abstract" on a line of its own labels the next box
                nxt = blocks[order[k + 1]]
                return cls._extend(blocks, order, k, k + 2, join_lines(line.text for line in nxt.lines))
        # Unlabelled (APS, Nature, RSC): the first long stretch of prose on the first page.
        for k in early:
            block = blocks[order[k]]
            text = join_lines(line.text for line in block.lines)
            if block.page == first_page and len(text.split()) >= 30 and is_prose(text):
                return cls._extend(blocks, order, k, k + 1, text)
        return None

    @classmethod
    def _extend(cls, blocks: list[Block], order: list[int], start: int, end: int, text: str) -> _Abstract:
        """An abstract split over several boxes continues in the box right below, same size and indent."""
        last = blocks[order[end - 1]]
        while end < len(order):
            nxt = blocks[order[end]]
            nxt_text = join_lines(line.text for line in nxt.lines)
            same_look = nxt.page == last.page and abs(nxt.size - last.size) <= 0.3 and abs(nxt.x0 - last.x0) <= 6
            same_look = same_look and nxt.bold == last.bold and not heading_like(nxt_text, nxt.bold, 0.0, len(nxt.lines))
            continues = not text.endswith(SENTENCE_END) or nxt_text[:1].islower()
            if not (same_look and continues and nxt.y1 <= last.y0 + 2):
                break
            text = join_lines([text, nxt_text])
            last = nxt
            end += 1
        return cls(start, end, text)


