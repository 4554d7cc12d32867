"""Publisher HTML readers, one small declarative class each, in the spirit of ChemDataExtractor's
readers: a `detect()` that accepts a page or says why not, and the selectors where a publisher's
markup says more than the generic heuristics can guess.

`ingest.html` asks the readers in `HTML_READERS` order; the first whose `detect()` returns None
reads the page with its selectors, and every reader asked before it is recorded with its reason
in `ParsedDocument.declined`. `GenericHtml` accepts anything, so it is always last.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ingest.normalize import clean_doi, clean_text


def cls(name: str) -> str:
    """XPath predicate: the element's class attribute holds the token `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass
class HtmlPage:
    """What `detect()` looks at: the parsed page and its <meta> tags (lower-cased names)."""

    root: etree._Element
    metas: dict[str, list[str]] = field(default_factory=dict)

    def meta(self, *keys: str) -> str | None:
        return next((self.metas[k][0] for k in keys if self.metas.get(k)), None)

    def first(self, xpath: str | None) -> etree._Element | None:
        if not xpath:
            return None
        found = self.root.xpath(xpath)
        return found[0] if found and isinstance(found[0], etree._Element) else None

    def all(self, xpath: str | None) -> list[etree._Element]:
        if not xpath:
            return []
        return [el for el in self.root.xpath(xpath) if isinstance(el, etree._Element)]


class GenericHtml:
    """Any page: metadata from the citation_*/Dublin Core/OpenGraph <meta> tags indexers read,
    the body from the element holding most of the page's prose. Selectors left None mean
    'use the heuristic'."""

    name = "html.generic.v1"
    title_meta: tuple[str, ...] = ("citation_title", "dc.title", "og:title", "prism.title", "twitter:title")
    doi_meta: tuple[str, ...] = ("citation_doi", "dc.identifier", "prism.doi", "bepress_citation_doi", "doi")
    author_meta: tuple[str, ...] = ("citation_author", "dc.creator", "author")
    journal_meta: tuple[str, ...] = ("citation_journal_title", "prism.publicationname", "dc.source")
    date_meta: tuple[str, ...] = (
        "citation_publication_date", "citation_date", "dc.date", "citation_online_date",
        "prism.publicationdate", "article:published_time", "dc.date.issued",
    )
    abstract_meta: tuple[str, ...] = ("citation_abstract", "dc.description", "description")
    title_xpath: str | None = None  # used when no meta tag names the title
    author_xpath: str | None = None  # used when no meta tag names the authors
    abstract_xpath: str | None = None
    content_xpath: str | None = None  # the element holding the article body
    # Page furniture particular to a publisher (banners, author blocks, buttons), removed first.
    drop_xpath: str | None = None
    references_xpath: str | None = None  # reference lists, removed before the body is walked
    caption_xpath: str | None = None  # elements that are figure or table captions

    def detect(self, page: HtmlPage) -> str | None:
        return None

    def journal(self, page: HtmlPage) -> str | None:
        return page.meta(*self.journal_meta)

    def doi(self, page: HtmlPage) -> str | None:
        for key in self.doi_meta:
            for value in page.metas.get(key, ()):
                doi = clean_doi(value)
                if doi:
                    return doi
        return None


def _publisher(page: HtmlPage) -> str:
    return page.meta("dc.publisher", "citation_publisher", "dc.publisher.corporatename") or ""


class RscHtml(GenericHtml):
    """Royal Society of Chemistry article pages (pubs.rsc.org)."""

    name = "html.rsc.v1"
    abstract_xpath = f"//p[{cls('abstract')}] | //div[{cls('abstract')}]"
    drop_xpath = (
        f"//div[{cls('left_head')}] | //div[{cls('right_head')}] | //div[{cls('article_info')}]"
        f" | //p[{cls('header_text')}] | //span[{cls('btnContainer')}]"
    )
    caption_xpath = f"//td[{cls('image_title')}] | //div[{cls('table_caption')}]"

    def detect(self, page: HtmlPage) -> str | None:
        if "royal society of chemistry" in _publisher(page).lower():
            return None
        return "no meta DC.publisher or citation_publisher = Royal Society of Chemistry"


class AcsHtml(GenericHtml):
    """American Chemical Society article pages (pubs.acs.org, Atypon platform)."""

    name = "html.acs.v1"
    title_xpath = f"//h1[{cls('articleTitle')}]"
    abstract_xpath = f"//p[{cls('articleBody_abstractText')}]"
    content_xpath = f"//article[{cls('article')}]"
    drop_xpath = (
        f"//div[@id='articleMeta'] | //div[{cls('affiliations')}] | //ul[{cls('anchors')}]"
        f" | //div[{cls('icon-item')}] | //div[@id='supInfoBox']"
    )
    references_xpath = "//ol[@id='references']"
    caption_xpath = f"//div[{cls('NLM_caption')}] | //div[{cls('hlFld-FigureCaption')}]"
    _TITLE_JOURNAL = re.compile(r"\s[-\u2013|]\s+(?P<journal>[^|]+?)\s+\(ACS Publications\)\s*$")

    def detect(self, page: HtmlPage) -> str | None:
        if "american chemical society" in _publisher(page).lower():
            return None
        if (self.doi(page) or "").startswith("10.1021/"):
            return None
        return "no meta dc.Publisher = American Chemical Society and no 10.1021/ DOI"

    def journal(self, page: HtmlPage) -> str | None:
        # ACS pages carry no journal meta tag; the <title> ends "- <journal> (ACS Publications)".
        title = page.first("//title")
        match = self._TITLE_JOURNAL.search(clean_text(title.text_content())) if title is not None else None
        return match.group("journal") if match else super().journal(page)


class ArxivHtml(GenericHtml):
    """arXiv full text as HTML: LaTeXML output (arxiv.org/html, ar5iv)."""

    name = "html.arxiv.v1"
    title_xpath = f"//h1[{cls('ltx_title_document')}]"
    author_xpath = f"//div[{cls('ltx_authors')}]//span[{cls('ltx_personname')}]"
    abstract_xpath = f"//div[{cls('ltx_abstract')}]"
    content_xpath = f"//article[{cls('ltx_document')}] | //div[{cls('ltx_document')}]"
    drop_xpath = (
        f"//div[{cls('ltx_authors')}] | //div[{cls('ltx_dates')}] | //div[{cls('ltx_classification')}]"
        f" | //div[{cls('ltx_keywords')}] | //*[{cls('ltx_note')}]"
        f" | //footer[{cls('ltx_page_footer')}] | //nav[{cls('ltx_page_navbar')}]"
    )
    references_xpath = f"//section[{cls('ltx_bibliography')}] | //div[{cls('ltx_bibliography')}]"
    caption_xpath = f"//figcaption[{cls('ltx_caption')}]"

    def detect(self, page: HtmlPage) -> str | None:
        if page.first(f"//*[{cls('ltx_document')}]") is not None:
            return None
        return "no LaTeXML document (class ltx_document)"


# Asked in this order; the generic reader accepts every page, so it comes last.
HTML_READERS: tuple[GenericHtml, ...] = (RscHtml(), AcsHtml(), ArxivHtml(), GenericHtml())
