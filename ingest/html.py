"""HTML reading: pick a publisher reader by content (ingest.html_readers), then walk the page.

Metadata comes from the <meta> tags publishers add for indexers, or from the reader's selectors;
the body comes from the reader's content element or else the element that holds most of the
page's running text, walked in document order.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ingest.builder import DocumentBuilder
from ingest.errors import ReadError
from ingest.html_text import (
    BLOCK_TAGS,
    CITATION_GAP,
    HEADING_TAGS,
    JUNK_TAGS,
    block_text,
    decide_encoding,
    inline_text,
    is_citation_mark,
    link_density,
    mend_citation_gaps,
    tokens,
)
from ingest.html_readers import HTML_READERS, GenericHtml, HtmlPage
from ingest.limits import DEFAULT_LIMITS, Limits, check_tree
from ingest.normalize import (
    clean_doi,
    clean_text,
    find_year,
    is_abstract_heading,
    is_references_heading,
)
from ingest.records import Metadata, ParsedDocument
from ingest.tables import html_rows, make_table

_REF_TOKENS = frozenset(
    {"ref", "refs", "reference", "references", "reflist", "bib", "bibl", "biblist", "bibliography",
     "citations", "citationlist", "literature"}
)
_FURNITURE_TOKENS = frozenset(
    {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "sidebar", "share", "sharing",
     "social", "toolbar", "cookie", "cookies", "banner", "advert", "advertisement", "ads", "header",
     "footer", "skip", "related", "recommended", "metrics", "comments", "anchors", "author", "authors",
     "affiliation", "affiliations", "copyright", "license", "permissions", "footnote", "footnotes"}
)
_CAPTION_START = re.compile(r"^(fig(ure)?s?\.?|scheme|chart|plate|table)\s*[\dIVX]", re.IGNORECASE)
_TABLE_CAPTION = re.compile(r"^table\s*[\dIVX]", re.IGNORECASE)
_ABSTRACT_LABEL = re.compile(r"^abstract\s*[:.]?\s*", re.IGNORECASE)
_MIN_PROSE_RUN = 25  # characters: shorter text runs are mostly link labels and buttons
_ROOT_SHARE = 0.85  # descend into a child while it holds this share of the page's prose
_FRONT_MATTER_CHARS = 150


def read_html(
    data: bytes, *, source_path: str, content_hash: str, limits: Limits = DEFAULT_LIMITS
) -> ParsedDocument:
    root = _parse(data, source_path)
    check_tree(root, limits, source_path)
    page = HtmlPage(root, _meta_tags(root))
    declined: list[tuple[str, str]] = []
    for reader in HTML_READERS:
        reason = reader.detect(page)
        if reason is None:
            break
        declined.append((reader.name, reason))
    return _read_page(page, reader, source_path=source_path, content_hash=content_hash, declined=declined)


def _read_page(
    page: HtmlPage, reader: GenericHtml, *, source_path: str, content_hash: str,
    declined: list[tuple[str, str]],
) -> ParsedDocument:
    root, metas = page.root, page.metas
    builder = DocumentBuilder()
    title = builder.field("title", lambda: _title(page, reader), None)
    authors = builder.field("authors", lambda: _authors(page, reader), ())
    journal = builder.field("journal", lambda: reader.journal(page), None)
    body = root.find("body")
    if body is None:
        body = root
    doi = builder.field("doi", lambda: reader.doi(page) or _doi_link(body), None)
    reference_lists = page.all(reader.references_xpath)
    references = [item for el in reference_lists for item in _reference_items(el)]
    for el in [*body.iter(*JUNK_TAGS), *page.all(reader.drop_xpath), *reference_lists]:
        if el.getparent() is not None:
            el.drop_tree()

    abstract_el = page.first(reader.abstract_xpath)
    if abstract_el is None or not _abstract_text(abstract_el):
        abstract_el = _abstract_element(body)
    abstract = _abstract_text(abstract_el) if abstract_el is not None else None
    content = page.first(reader.content_xpath)
    if content is None or not _contains(body, content):
        content = _content_root(body)

    for item in references:
        builder.reference(item)
    walker = _Walker(builder, content, abstract_el, title, set(page.all(reader.caption_xpath)))
    if abstract and not _contains(content, abstract_el):
        builder.paragraph(abstract, "abstract")
    walker.walk(content)
    walker.finish()

    if abstract is None:
        abstract = builder.abstract_text() or page.meta(*reader.abstract_meta)
    metadata = Metadata(
        title=title,
        doi=doi,
        authors=authors,
        journal=journal,
        year=builder.field(
            "year", lambda: next((y for k in reader.date_meta for y in map(find_year, metas.get(k, ())) if y), None),
            None),
        abstract=clean_text(abstract) if abstract else None,
    )
    return builder.build(
        source_path=source_path, content_hash=content_hash, format="html", reader=reader.name,
        metadata=metadata, declined=tuple(declined),
    )


def _parse(data: bytes, source_path: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(
        encoding=decide_encoding(data), remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError(f"cannot parse HTML: {exc}", stage="parse", path=source_path) from exc
    if root is None:
        raise ReadError("cannot parse HTML: no document element", stage="parse", path=source_path)
    return root


def _meta_tags(root: etree._Element) -> dict[str, list[str]]:
    metas: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        value = clean_text(meta.get("content") or "")
        if key and value:
            metas.setdefault(key, []).append(value)
    return metas


def _title(page: HtmlPage, reader: GenericHtml) -> str | None:
    title = page.meta(*reader.title_meta)
    if title:
        return title
    el = page.first(reader.title_xpath)
    if el is not None and block_text(el):
        return block_text(el)
    for tag in ("h1", "title"):
        el = next(page.root.iter(tag), None)
        if el is not None and clean_text(el.text_content()):
            return clean_text(el.text_content())
    return None


def _authors(page: HtmlPage, reader: GenericHtml) -> tuple[str, ...]:
    for key in reader.author_meta:
        if page.metas.get(key):
            return tuple(dict.fromkeys(page.metas[key]))
    names = [_name_text(el) for el in page.all(reader.author_xpath)]
    return tuple(dict.fromkeys(n for n in names if n))


def _name_text(el: etree._Element) -> str:
    """A person's name: the element's text up to the first line break (LaTeXML puts the
    affiliation after a <br> inside the same element)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            break
        parts.append(inline_text(child))
        parts.append(child.tail or "")
    return clean_text("".join(parts))


def _doi_link(body: etree._Element) -> str | None:
    # No meta tag: the first doi.org link outside reference lists names the article itself.
    for link in body.iter("a"):
        href = link.get("href") or ""
        if "doi.org/10." in href and not _inside_references(link):
            return clean_doi(href)
    return None


def _inside_references(el: etree._Element) -> bool:
    return any(tokens(a) & _REF_TOKENS for a in el.iterancestors())


def _contains(root: etree._Element, el: etree._Element | None) -> bool:
    return el is not None and (el is root or any(a is root for a in el.iterancestors()))


def _abstract_element(body: etree._Element) -> etree._Element | None:
    """The innermost element marked 'abstract' by id or class that still holds the abstract's text."""
    candidates = [
        el for el in body.iter(*BLOCK_TAGS)
        if "abstract" in f"{el.get('id', '')} {el.get('class', '')}".lower()
    ]
    chosen = next((el for el in candidates if len(_abstract_text(el) or "") >= 80), None)
    if chosen is None:
        return None
    size = len(_abstract_text(chosen) or "")
    for el in candidates:
        if el is not chosen and _contains(chosen, el) and len(_abstract_text(el) or "") >= 0.8 * size:
            chosen, size = el, len(_abstract_text(el) or "")
    return chosen


def _abstract_text(el: etree._Element) -> str | None:
    text = block_text(el, skip=HEADING_TAGS | {"ul", "ol"})
    text = _ABSTRACT_LABEL.sub("", text, count=1)
    return text or None


def _content_root(body: etree._Element) -> etree._Element:
    """The smallest element holding nearly all of the page's prose, so navigation, side panels and
    'related articles' boxes around it are never walked. Prose is measured as the length of long
    text runs: link labels and menu entries are short."""
    score: dict[etree._Element, int] = {}

    def credit(el: etree._Element | None, amount: int) -> None:
        while el is not None:
            score[el] = score.get(el, 0) + amount
            if el is body:
                return
            el = el.getparent()

    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text and len(el.text.strip()) >= _MIN_PROSE_RUN:
            credit(el, len(el.text.strip()))
        if el is not body and el.tail and len(el.tail.strip()) >= _MIN_PROSE_RUN:
            credit(el.getparent(), len(el.tail.strip()))
    total = score.get(body, 0)
    node = body
    while total:
        best = max((c for c in node if c in score), key=lambda c: score[c], default=None)
        if best is None or score[best] < _ROOT_SHARE * total:
            break
        node = best
    return node


class _Walker:
    """Walks block elements in document order; runs of inline content between blocks form
    paragraphs of their own, as a browser would lay them out (RSC pages put the first
    paragraph of each section in a bare <span> after the heading)."""

    def __init__(
        self, builder: DocumentBuilder, root: etree._Element, abstract_el: etree._Element | None,
        title: str | None, captions: set[etree._Element],
    ) -> None:
        self.builder = builder
        self.abstract_el = abstract_el
        self.captions = captions
        self.title_key = _key(title or "")
        self.pending_table_caption: str | None = None
        self.has_block = _elements_with_block_descendants(root)
        self.structured = any(True for _ in root.iter("h2", "h3", "h4", "h5", "h6"))

    def walk(self, el: etree._Element) -> None:
        run: list[str] = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child in self.has_block):
                self._paragraph(mend_citation_gaps("".join(run)))
                run = []
                self._block(child)
            elif isinstance(child.tag, str):
                run.append(CITATION_GAP if is_citation_mark(child) else inline_text(child))
            run.append(child.tail or "")
        self._paragraph(mend_citation_gaps("".join(run)))

    def finish(self) -> None:
        self._flush_pending()

    def _block(self, el: etree._Element) -> None:
        tag = el.tag
        if el is self.abstract_el:
            self._flush_pending()
            self.builder.paragraph(_abstract_text(el) or "", "abstract")
            return
        if el in self.captions:
            self._caption(block_text(el))
            return
        if self._skip(el):
            return
        if tag in HEADING_TAGS:
            self._heading(block_text(el))
        elif tag == "table":
            self._table(el)
        elif tag in ("figcaption", "caption") or "caption" in el.get("class", "").lower():
            self._caption(block_text(el))
        elif tag in ("ul", "ol", "menu") and link_density(el) > 0.5:
            return
        elif el in self.has_block:
            self.walk(el)
        else:
            self._paragraph(block_text(el), el)

    def _skip(self, el: etree._Element) -> bool:
        marks = tokens(el)
        if not marks:
            return False
        headings = [block_text(h) for h in el.iter(*HEADING_TAGS)]
        if marks & _REF_TOKENS and all(is_references_heading(h) for h in headings):
            for item in _reference_items(el):
                self.builder.reference(item)
            return True
        return bool(marks & _FURNITURE_TOKENS) and not headings and len(block_text(el)) < 3000

    def _heading(self, text: str) -> None:
        self._flush_pending()
        if text and _key(text) == self.title_key:
            return  # the article title repeated as <h1> is not a section
        self.builder.heading(text)

    def _paragraph(self, text: str, el: etree._Element | None = None) -> None:
        text = clean_text(text)
        if not text or not any(ch.isalpha() for ch in text):
            return
        if len(text) < 60 and (is_references_heading(text) or is_abstract_heading(text)):
            self._heading(text)  # RSC marks "References" up as a bare <span>, not a heading
            return
        if el is not None and len(text) < 300 and link_density(el) > 0.6:
            return
        if self.structured and self.builder.section is None and not self.builder.in_references:
            if len(text) < _FRONT_MATTER_CHARS:
                return  # bylines, dates and journal lines above the first heading
        self._flush_pending()
        self.builder.paragraph(text)

    def _caption(self, text: str) -> None:
        text = clean_text(text)
        if not text:
            return
        self._flush_pending()
        if _TABLE_CAPTION.match(text):
            self.pending_table_caption = text  # the <table> it describes usually follows
        else:
            self.builder.caption(text)

    def _flush_pending(self) -> None:
        if self.pending_table_caption:
            self.builder.caption(self.pending_table_caption)
            self.pending_table_caption = None

    def _table(self, el: etree._Element) -> None:
        caption_el = next((c for c in el if c.tag == "caption"), None)
        caption = block_text(caption_el) if caption_el is not None else self.pending_table_caption
        rows, header_rows = html_rows(el, block_text)
        table = make_table(caption, rows, header_rows)
        if table is None:
            # Layout tables hold figures (RSC) or equations: keep a figure caption, drop the rest.
            marked = [c for c in el.iter() if c in self.captions]
            text = clean_text(" ".join(c.text for row in rows for c in row))
            for caption_el in marked:
                self._caption(block_text(caption_el))
            if not marked and _CAPTION_START.match(text):
                self._caption(text)
            return
        self.pending_table_caption = None
        if table.caption:
            self.builder.caption(table.caption)
        self.builder.table(table)


def _reference_items(el: etree._Element) -> list[str]:
    """Entries of a reference list: its list items, else its block children, else its text."""
    items = [block_text(li) for li in el.iter("li")]
    if not items:
        items = [block_text(c) for c in el if isinstance(c.tag, str) and c.tag in BLOCK_TAGS]
    items = [text for text in items if len(text) >= 20]
    return items or [text for text in [block_text(el)] if text]


def _elements_with_block_descendants(root: etree._Element) -> set[etree._Element]:
    found: set[etree._Element] = set()
    for el in root.iter(*BLOCK_TAGS):
        for ancestor in el.iterancestors():
            if ancestor in found:
                break
            found.add(ancestor)
    return found


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()
