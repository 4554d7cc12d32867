"""The body of a PDF paper, walked box by box in reading order: headings (numbered, bold, larger,
or run into their paragraph), paragraphs glued back together across column and page breaks,
captions with all their pieces, small print and boilerplate left out, and the reference list
kept out of the text.

Every rule here is a heuristic tuned on real journal layouts (APS, IOP, RSC, Nature, Scientific
Reports, REVTeX preprints, OCR'd scans); each says in a comment which layout it is for.
"""
from __future__ import annotations

import re

from ingest.builder import DocumentBuilder
from ingest.normalize import clean_text, hyphenated_compounds, is_references_heading, join_lines, strip_numbering
from ingest.pdf_blocks import Block, Line

CAPTION = re.compile(
    r"^(fig(ure)?s?\.?|table|scheme|chart|plate)\s*(s?\d+|[IVX]+)[a-z]?(?P<punct>\s*[.:|\u2014\u2013])?",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[A-H])[.)]?\s+\S")
# "[1] X. L. Qi ..." (APS, REVTeX), "1) Y. Kamihara ..." (JPSJ), "1. Beille, J., ..." (older journals)
_REFERENCE_START = re.compile(r"^\[1\]\s*\S|^1\)\s+[A-Z]\S*\s|^1\.\s+[A-Z][\w'\-]+,\s+[A-Z]\.")
# "[2] See the explanation ...": once a list has begun, a numbered entry after body text takes it up
# again (REVTeX sets the appendices and the bibliography's columns side by side).
_REFERENCE_ENTRY = re.compile(r"^\[\d{1,3}\]\s*\S")
# What a reference entry has and running text rarely does: a year, "et al.", a DOI, volume or pages.
_REFERENCE_MARKS = re.compile(
    r"\b(1[89]|20)\d\d[a-z]?\b|\bet\s+al\b|\bdoi\b|\b10\.\d{4,9}/|\bvol\.|\bpp?\.\s*\d|\bin\s+press\b|"
    r"^\[\d{1,3}\]",
    re.IGNORECASE,
)
_AUTHOR_INITIALS = re.compile(r"\b[A-Z]\.\s*(?:[A-Z]\.\s*)?[A-Z][a-z]+,|\b[A-Z][a-z]+,\s+[A-Z]\.")  # "E. Witten," "Smith, J."
_BODY_WORDS = 15  # running text of at least this many words, in body type, is not a reference entry
_BODY_RUN = 2  # this many such paragraphs in a row end a reference list (journal issues, REVTeX samples)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")  # where a letter without case can be
_KEYWORDS = re.compile(r"^(key\s*words|pacs|subject areas)\b", re.IGNORECASE)
_KNOWN_HEADINGS = frozenset(
    {"introduction", "background", "results", "discussion", "results and discussion", "methods",
     "materials and methods", "experimental", "experimental section", "experimental details",
     "experimental methods", "theory", "model", "conclusion", "conclusions", "summary", "outlook",
     "summary and outlook", "acknowledgments", "acknowledgements", "acknowledgment", "acknowledgement",
     "appendix", "data availability", "code availability", "author contributions", "competing interests",
     "conflicts of interest", "conflict of interest", "additional information", "funding",
     "supplementary information", "supplementary material", "computational details", "abstract"}
)
# Headings after which a paper goes on with its own text once the reference list is over.
_AFTER_REFERENCES = frozenset(
    {"acknowledgments", "acknowledgements", "acknowledgment", "acknowledgement", "methods", "appendix",
     "appendices", "data availability", "code availability", "author contributions", "competing interests",
     "conflicts of interest", "additional information", "funding", "supplementary information",
     "supplementary material"}
)
# Licence, copyright and publishing-history lines that publishers set in body type.
_BOILERPLATE = re.compile(
    r"creative\s+commons|licen[cs]ed\s+under|under\s+the\s+terms\s+of|all\s+rights\s+reserved|"
    r"^(open\s+access\b|©|\(c\)\s+\d{4}|copyright\b|reprints\s+and\s+permissions|publisher[’']s\s+note|e-?mail\b|"
    r"(received|accepted|published)\s*:?\s+\d|\(some figures may appear)",
    re.IGNORECASE,
)
_CAPTION_INSIDE = re.compile(r"\b(fig(ure)?\.?|table)\s*(\d+|[IVX]+)\s*[.:|]", re.IGNORECASE)
_SMALLER = 0.8  # points under the body size from which text is small print
_FRAGMENT_WORDS = 8  # shorter text that ends no sentence and continues none is a stray piece
# Characters of a caseless script from which a box is running text: about one line of a Chinese
# or Japanese paragraph, longer than the headings and figure labels of the theses and slides
# in corpora/pdfs-extra.
_CASELESS_PROSE = 20
SENTENCE_END = (".", "!", "?", ":", "。", "！", "？", "：")  # and the full-width ones


class BodyWalker:
    """Feeds a DocumentBuilder from the boxes of a whole document in reading order."""

    def __init__(self, builder: DocumentBuilder, blocks: list[Block], body_size: float) -> None:
        self.builder = builder
        self.blocks = blocks
        self.body_size = body_size
        self.compounds = hyphenated_compounds(line.text for block in blocks for line in block.lines)
        self.pending: str | None = None  # a paragraph that may continue in the next column or page
        self.last_caption: Block | None = None  # the last box of the caption read last
        # Inside a reference list: the heading that opened it, and the body-like paragraphs and
        # headings read since the last entry; _BODY_RUN paragraphs say the list was over.
        self.refs_heading: str | None = None
        self.held: list[tuple[str, str, bool | None]] = []  # (kind "heading"/"paragraph", text, indented)

    def walk(self, order: list[int], abstract: str | None = None, start: int = 0) -> None:
        """Read the boxes order[start:]; `abstract`, found before, is the first paragraph.
        Everything before the abstract on the opening pages is front matter: journal banner,
        authors, affiliations, dates, a repository cover page."""
        if abstract is not None:
            self.builder.paragraph(abstract, "abstract")
        k = start
        while k < len(order):
            k = self._block(order, k)
        self._drop_held()
        self._flush()

    def _block(self, order: list[int], k: int) -> int:
        block = self.blocks[order[k]]
        first = clean_text(block.lines[0].text)
        if _REFERENCE_START.match(first) or (self.builder.has_references and _REFERENCE_ENTRY.match(first)):
            self._flush()
            self._drop_held()
            self.builder.references()  # REVTeX and APS lists start "[1] ..." with no heading
            self.builder.reference(join_lines(line.text for line in block.lines))
            return k + 1
        if is_references_heading(first):
            self._flush()
            self._drop_held()
            self.builder.heading(first)
            self.refs_heading = first
            return k + 1
        if self._is_caption(first, block):
            return self._caption(order, k)
        if _KEYWORDS.match(first):
            return k + 1
        headings = self._headings(block)
        if headings and self._prose_follows(order, k):
            for heading in headings:
                self._heading_text(heading)
            return k + 1
        lines = list(block.lines)
        for _ in range(2):  # a heading and a subheading may both run into the paragraph (Nature)
            if len(lines) >= 2 and self._is_run_in_heading(lines[0], lines[1]):
                self._heading_text(clean_text(lines[0].text))
                lines = lines[1:]
        text = join_lines((line.text for line in lines), self.compounds)
        if self.builder.in_references:
            if _BOILERPLATE.search(text[:300]):
                return k + 1
            if self._body_like(text, block):
                self.held.append(("paragraph", text, _indented(lines)))
                if sum(kind == "paragraph" for kind, _, _ in self.held) >= _BODY_RUN:
                    self._end_references()
            elif self.held and not _reference_like(text):
                self.held.append(("fragment", text, _indented(lines)))  # goes with what is held
            elif len(text) >= 20:
                self._drop_held()
                self.builder.reference(text)  # entries, in body type or small print
            return k + 1
        if not is_prose(text) or _BOILERPLATE.search(text[:300]):
            return k + 1  # labels, equations, licence and copyright lines, "Received ..." dates
        if block.size < self.body_size - _SMALLER:
            self._small_print(block, text)  # captions' tails, footnotes, affiliations
        else:
            self._paragraph(text, _indented(lines))
        return k + 1

    def _small_print(self, block: Block, text: str) -> None:
        """Prose set smaller than the body is never body text. Right after a caption on the same
        page and in the caption's size it is the rest of the caption (pdfminer cuts captions
        at sub- and superscripts); with a figure label inside, it is a caption of its own."""
        last = self.last_caption
        if last is not None and last.page == block.page and abs(last.size - block.size) <= 0.3:
            self.builder.extend_caption(text)
            self.last_caption = block
        elif _CAPTION_INSIDE.search(block.lines[0].text):
            self.builder.caption(text)
            self.last_caption = block

    def _prose_follows(self, order: list[int], k: int, window: int = 6) -> bool:
        """A heading introduces running text; bold or large labels inside figures do not."""
        for i in order[k + 1:k + 1 + window]:
            block = self.blocks[i]
            text = join_lines(line.text for line in block.lines)
            if abs(block.size - self.body_size) <= 1.0 and is_prose(text) and not CAPTION.match(text):
                return True
        return False

    def _heading_text(self, text: str) -> None:
        bare = strip_numbering(text).lower().rstrip(".:")
        if self.builder.in_references and bare not in _AFTER_REFERENCES and not bare.startswith("appendix "):
            self.held.append(("heading", text, None))  # a bold line inside the list does not end it
            return
        self.held = []
        self._flush()
        self.builder.heading(capitalised(text))

    def _body_like(self, text: str, block: Block) -> bool:
        """Running text in body type with none of a reference entry's marks: a list whose heading
        was a body section's ("3. References" in a guide to citing), or an issue's next article."""
        return (len(text.split()) >= _BODY_WORDS and is_prose(text)
                and block.size >= self.body_size - 0.5 and not _reference_like(text))

    def _drop_held(self) -> None:
        """The held paragraphs were reference text after all (an entry followed them)."""
        for kind, text, _ in self.held:
            if kind != "heading" and len(text) >= 20:
                self.builder.reference(text)
        self.held = []

    def _end_references(self) -> None:
        """Running text again: the list's heading (when it was a body section's) and what was held
        become body text."""
        held, self.held = self.held, []
        self.builder.end_references(self.refs_heading)
        self.refs_heading = None
        for kind, text, indented in held:
            if kind == "heading":
                self._flush()
                self.builder.heading(capitalised(text))
            else:
                self._paragraph(text, indented)

    def _paragraph(self, text: str, indented: bool | None = None) -> None:
        # A paragraph cut by a column or page break goes on, after a line without a full stop,
        # in lower case or in a box whose first line is not indented ("... compared with the" /
        # "NSC region indicates ..."); glue the halves together.
        # Chinese and Japanese have no lower case: a line that goes on from an unfinished one
        # continues it (theses set at 1.5 line spacing come out one box per line).
        caseless_start = bool(text[:1]) and caseless_letters(text[:1]) == 1
        if self.pending and not self.pending.endswith(SENTENCE_END) and (
                text[:1].islower() or indented is False or caseless_start):
            self.pending = join_lines([self.pending, text], self.compounds)
            return
        words = max(len(text.split()), caseless_letters(text) // 2)  # ~2 characters a word
        if words < _FRAGMENT_WORDS and not text.endswith(SENTENCE_END):
            return  # a piece of a sentence that sub- and superscripts cut off its line ("LE) and peaks (Δ∗")
        self._flush()
        self.pending = text

    def _flush(self) -> None:
        if self.pending:
            self.builder.paragraph(self.pending)
            self.pending = None

    def _is_caption(self, first: str, block: Block) -> bool:
        match = CAPTION.match(first)
        if not match:
            return False
        # "Fig. 1 | ...", "FIG. 1. ...", "Table 2: ..." are captions; "Figure 1 shows ..." in body
        # type is running text, while RSC sets "Fig. 1 TEM images ..." in a smaller font.
        return bool(match.group("punct")) or block.size < self.body_size - 0.3

    def _caption(self, order: list[int], k: int) -> int:
        block = self.blocks[order[k]]
        parts = [join_lines(line.text for line in block.lines)]
        last = block
        k += 1
        if len(parts[0].split()) <= 3 and k < len(order):
            # A bare label ("Fig. 1.") set in its own box beside the caption text (JPSJ).
            nxt = self.blocks[order[k]]
            beside = abs(nxt.y1 - block.y1) <= 2 * block.size or touching(block, nxt)
            if nxt.page == block.page and abs(nxt.size - block.size) <= 0.6 and beside:
                parts.append(join_lines(line.text for line in nxt.lines))
                last = nxt
                k += 1
        while k < len(order) and block.size < self.body_size - 0.3:
            nxt = self.blocks[order[k]]
            if not (nxt.page == last.page and abs(nxt.size - last.size) <= 0.2 and touching(last, nxt)):
                break
            parts.append(join_lines(line.text for line in nxt.lines))
            last = nxt
            k += 1
        self.builder.caption(join_lines(parts))
        self.last_caption = last
        return k

    def _headings(self, block: Block) -> list[str]:
        """The heading a box holds, or the headings: RSC sets a section heading and its first
        subheading ("Results" / "Computational design ...") in one box, in two styles."""
        if len(block.lines) > 3:
            return []
        text = join_lines(line.text for line in block.lines)
        if block.size >= self.body_size - 0.5 and heading_like(text, block.bold, block.size - self.body_size, len(block.lines)):
            return [text]
        if len(block.lines) > 1 and all(
            line.size >= self.body_size - 0.5 and heading_like(clean_text(line.text), line.bold, line.size - self.body_size, 1)
            for line in block.lines
        ) and len({(round(line.size), line.bold) for line in block.lines}) > 1:
            return [clean_text(line.text) for line in block.lines]
        return []

    def _is_run_in_heading(self, line: Line, nxt: Line) -> bool:
        """A bold first line over plain text (Nature, RSC) or a numbered capitalised one (APS)."""
        text = clean_text(line.text)
        if line.size < self.body_size - 0.5 or len(text) > 80 or text.endswith(SENTENCE_END):
            return False
        if line.bold and not nxt.bold:
            return heading_like(text, True, line.size - self.body_size, 1)
        if line.size >= nxt.size + 0.4 and len(text.split()) >= 2 and text[:1].isupper():
            return heading_like(text, line.bold, max(0.8, line.size - self.body_size), 1)  # Nature subheadings
        numbered_caps = bool(_NUMBERED.match(text)) and strip_numbering(text).isupper()
        return numbered_caps and heading_like(text, line.bold, line.size - self.body_size, 1)


def _reference_like(text: str) -> bool:
    return bool(_REFERENCE_MARKS.search(text) or _AUTHOR_INITIALS.search(text))


def capitalised(text: str) -> str:
    """Small-capital fonts (Scientific Reports) draw capitals as lower-case glyphs, so a title or
    heading can come out as "from LaH10 to ..."; a first word in lower case gets its capital."""
    first = text.split(" ", 1)[0]
    return text[:1].upper() + text[1:] if len(first) >= 2 and first.isalpha() and first.islower() else text


def _indented(lines: list[Line]) -> bool | None:
    """Whether the first line starts right of the second (a new paragraph); None for one line."""
    if len(lines) < 2:
        return None
    return lines[0].x0 - lines[1].x0 > 0.5 * max(1.0, lines[1].size)


def heading_like(text: str, bold: bool, bigger_by: float, lines: int) -> bool:
    if not 3 <= len(text) <= 120 or len(text.split()) > 14:
        return False
    if text.endswith((".", ",", ";")) or re.search(r"[=<>]|\[\d", text):
        return False
    bare = strip_numbering(text)
    if not re.search(r"[^\W\d_]{4}", bare):
        return False  # figure labels ("ECL3", "a", "E C L 3") and equation pieces ("K and ∈T")
    bigger = bigger_by >= 0.8
    if text[0].islower() and not (bold and bigger):
        return False
    if bare.lower().rstrip(".:") in _KNOWN_HEADINGS:
        return True
    caps = bare.isupper()
    if _NUMBERED.match(text) and bare != text and (bold or caps or bigger):
        return True
    if (bold or bigger) and lines <= 2 and ("," not in text or (bold and bigger)):
        return True
    return caps and lines == 1 and len(text.split()) <= 8


def is_prose(text: str) -> bool:
    """Running text rather than author lists, table cells, equations or figure labels: enough real
    words, and a good share of them starting in lower case. Scripts without case and without
    spaces between words (Chinese, Japanese, Korean, Thai, Arabic...) count by characters."""
    caseless = caseless_letters(text)
    if caseless >= _CASELESS_PROSE and caseless >= 0.5 * sum(map(str.isalpha, text)):
        return True
    words = text.split()
    # Letters counted with map(): a generator per word costs more than the rest of the test.
    wordy = [w for w in words if len(w) >= 3 and (w.isalpha() or sum(map(str.isalpha, w)) >= 3)]
    if len(words) < 4 or len(wordy) < 3 or len(wordy) < 0.4 * len(words):
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    lower = [w for w in alpha if w[:1].islower()]
    return len(lower) >= 0.3 * len(alpha)


def caseless_letters(text: str) -> int:
    """Letters of scripts that have no upper and lower case (Han, kana, Hangul, Arabic, Thai...)."""
    if text.isascii():
        return 0  # every ASCII letter has a case
    return sum(ch.isalpha() and not ch.islower() and not ch.isupper() for ch in "".join(_NON_ASCII.findall(text)))


def touching(upper: Block, lower: Block) -> bool:
    gap = upper.y0 - lower.y1
    overlap = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
    return upper.page == lower.page and -2 <= gap <= 1.5 * upper.size and overlap > 0
