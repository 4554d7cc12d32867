"""Caps that bound the work one document can cost: bytes, PDF pages, markup depth and size.

A process cannot stop a parser that runs too long without threads or signals, so every reader
checks these caps before or right after the expensive step instead; a document over a cap is a
ReadError with stage 'limits', never a hang or a crash.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ingest.errors import TooComplex


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200_000_000  # any file: large scanned PDFs reach tens of megabytes
    # HTML, XML and text: the publisher pages in the test corpora are 0.1-0.5 MB, the largest
    # full-text pages seen in the wild a few MB; 25 MB of markup is not a paper.
    max_markup_bytes: int = 25_000_000
    max_pages: int = 2_000  # PDF pages; a thesis has a few hundred
    # Element nesting: real articles stay under 40 levels. libxml2 itself stops at 256 and
    # silently flattens what lies deeper, so a deeper page would come out garbled, not deep.
    max_depth: int = 200
    max_elements: int = 1_000_000  # elements in one HTML or XML tree
    # PDF streams that carry text (content, forms, fonts, object streams) may inflate to this
    # many times the file's size, with a floor for small files and a ceiling for all: the
    # nine journal PDFs in the test corpora inflate 0.2-4.5x (text streams only), a crafted
    # Flate bomb about 1,000x. See ingest/pdf_guard.py.
    max_inflate_ratio: int = 100
    min_inflated_budget: int = 64_000_000
    max_inflated_bytes: int = 1_000_000_000
    # Per page: a page over these is skipped with a warning, the rest of the document is read.
    # Journal pages hold 3,000-10,000 characters and well under 1 MB of drawing instructions
    # (the densest page of the test corpora: about 0.4 MB of figure paths).
    max_page_content_bytes: int = 16_000_000  # pdfminer: inflated content streams of one page
    max_page_chars: int = 200_000  # pdfium: characters on one page

    def max_bytes_for(self, kind: str) -> int:
        return self.max_bytes if kind == "pdf" else min(self.max_bytes, self.max_markup_bytes)


DEFAULT_LIMITS = Limits()


def check_tree(root: etree._Element, limits: Limits, path: str | None = None) -> None:
    """Raise TooComplex when the tree nests deeper or holds more elements than the caps allow.
    Walks the tree once, without recursion."""
    count = 0
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        count += 1
        if depth > limits.max_depth:
            raise TooComplex(f"elements nested more than {limits.max_depth} levels deep", path=path)
        if count > limits.max_elements:
            raise TooComplex(f"more than {limits.max_elements:,} elements", path=path)
        stack.extend((child, depth + 1) for child in el)
