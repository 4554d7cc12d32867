"""HTML helpers: which tags are blocks or junk, text of an element, encoding sniffing."""
from __future__ import annotations

import codecs
import re

from lxml import etree

from ingest.normalize import clean_text

JUNK_TAGS = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
     "select", "option", "input", "textarea", "iframe", "svg", "object", "embed", "canvas", "map",
     "annotation", "annotation-xml"}
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
     "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
     "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
     "tfoot", "th", "thead", "tr", "ul"} | HEADING_TAGS
)
_SPLIT_TOKENS = re.compile(r"[\s_\-]+")
_CITATION_MARK = re.compile(r"^[\d\s,\u2013\u2014\-]+[a-z]?$")
# Where a citation mark was left out, until the text is joined: a superscript set a sentence
# apart from the next ("pairs.<sup>11</sup>Copper sulfide" shows as "pairs.11 Copper sulfide"),
# so a mark between closing punctuation and a word becomes a space, and nothing elsewhere.
CITATION_GAP = "\x00"  # never in parsed HTML text
_GAP_AS_SPACE = re.compile(r"(?<=[.!?;:,)\]])\x00+(?=[^\W_])")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""")


def tokens(el: etree._Element) -> set[str]:
    """The words of an element's id and class ('NLM_ref-list' -> {'nlm', 'ref', 'list'})."""
    marks = f"{el.get('id', '')} {el.get('class', '')}".lower()
    return {t for t in _SPLIT_TOKENS.split(marks) if t}


def block_text(el: etree._Element, *, skip: frozenset[str] | set[str] = frozenset(), strip: bool = True) -> str:
    """Text of an element: block children and <br> become spaces, sub/superscripts stay glued
    to their base ('Ni<sub>12</sub>P' -> 'Ni12P'), citation-number links are left out."""
    parts: list[str] = []
    _collect(el, parts, skip)
    text = mend_citation_gaps("".join(parts))
    return clean_text(text) if strip else text


def mend_citation_gaps(text: str) -> str:
    """Text with the places of left-out citation marks (CITATION_GAP) made a space where the
    mark set a sentence apart from the next, and nothing elsewhere."""
    if CITATION_GAP not in text:
        return text
    return _GAP_AS_SPACE.sub(" ", text).replace(CITATION_GAP, "")


def inline_text(el: etree._Element) -> str:
    """Text of an inline element inside a run of text, unstripped; '' for junk and citation marks."""
    if el.tag in JUNK_TAGS or is_citation_mark(el):
        return ""
    return block_text(el, strip=False)


def _collect(el: etree._Element, parts: list[str], skip: frozenset[str] | set[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and is_citation_mark(child):
            parts.append(CITATION_GAP)
        elif tag and tag not in JUNK_TAGS and tag not in skip:
            spaced = tag in BLOCK_TAGS or tag == "br"
            if spaced:
                parts.append(" ")
            _collect(child, parts, skip)
            if spaced:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)


def is_citation_mark(el: etree._Element) -> bool:
    # "<a href='#cit4'><sup>4-7</sup></a>" would otherwise glue "4-7" onto the word before it.
    if el.tag != "a" or not (el.get("href") or "").startswith("#"):
        return False
    in_sup = any(True for _ in el.iter("sup")) or (el.getparent() is not None and el.getparent().tag == "sup")
    return in_sup and bool(_CITATION_MARK.match(clean_text(el.text_content())))


def link_density(el: etree._Element) -> float:
    """Share of an element's text that sits inside links: near 1 for menus and link lists."""
    total = len(clean_text(el.text_content()))
    if not total:
        return 0.0
    linked = sum(len(clean_text(a.text_content())) for a in el.iter("a"))
    return min(1.0, linked / total)


def decide_encoding(data: bytes) -> str:
    """Valid UTF-8 is UTF-8 whatever the page claims; otherwise the declared charset when Python
    knows it; otherwise cp1252, the usual encoding of undeclared western pages."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _CHARSET.search(head)
    if match:
        name = match.group(1).decode("ascii", "replace")
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"
