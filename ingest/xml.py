"""Scholarly XML readers: Elsevier full text, JATS (Springer, PMC), USPTO patents, and a generic
fallback for other article XML, asked in turn; the first whose detect() accepts reads the file.

Parsing never expands entities, loads a DTD or touches the network, so an entity bomb or an
external entity stays inert. Elements are matched by local name, so any namespace binding works.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from lxml import etree

from ingest.builder import DocumentBuilder
from ingest.errors import ReadError
from ingest.limits import DEFAULT_LIMITS, Limits, check_tree
from ingest.normalize import clean_doi, clean_text, find_year
from ingest.records import Metadata, ParsedDocument
from ingest.tables import cals_rows, html_rows, localname, make_table
from ingest.xml_text import Index, first_child, xml_text

_PARA = frozenset({"p", "para", "simple-para"})
_HEADING = frozenset({"title", "section-title", "heading"})
_FLOATS = frozenset({"fig", "figure", "table-wrap", "tables", "table", "floats", "float-anchor",
                     "fig-group", "chem-struct-wrap", "display-formula-group"})
_NOT_BODY = frozenset({"ref-list", "bibliography", "references", "fn-group", "label", "front", "abstract",
                       "head", "coredata", "us-bibliographic-data-grant"}) | _FLOATS
_TABLE_FLOATS = ("table-wrap", "tables", "table")
_ELSEVIER_NS = "elsevier.com/xml"


@dataclass(frozen=True)
class XmlReader:
    """One XML dialect: `detect` returns None to accept a document or the reason it declines;
    `read` fills the builder and returns the metadata."""

    name: str
    detect: Callable[[etree._Element, Index], str | None]
    read: Callable[[etree._Element, Index, DocumentBuilder], Metadata]


def read_xml(
    data: bytes, *, source_path: str, content_hash: str, limits: Limits = DEFAULT_LIMITS
) -> ParsedDocument:
    root = parse_xml(data, source_path)
    check_tree(root, limits, source_path)
    index = Index(root)
    declined: list[tuple[str, str]] = []
    for reader in XML_READERS:
        reason = reader.detect(root, index)
        if reason is None:
            break
        declined.append((reader.name, reason))
    builder = DocumentBuilder()
    metadata = reader.read(root, index, builder)
    for ref in index.all("ref", "bib-reference"):
        builder.reference(xml_text(ref))
    if metadata.abstract is None and builder.has_abstract():
        metadata = replace(metadata, abstract=builder.abstract_text())
    return builder.build(
        source_path=source_path, content_hash=content_hash, format="xml", reader=reader.name,
        metadata=metadata, declined=tuple(declined),
    )


def parse_xml(data: bytes, source_path: str) -> etree._Element:
    """Parse untrusted XML: no entity expansion, no DTD, no network, libxml2's size limits on."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False,
        remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"not well-formed XML: {exc}", stage="parse", path=source_path) from exc
    if root is None:
        raise ReadError("XML without a root element", stage="parse", path=source_path)
    return root


# --- shared walking -------------------------------------------------------------------------

def walk_body(el: etree._Element, builder: DocumentBuilder, kind: str = "body") -> None:
    """Headings and paragraphs of a body in document order; floats and reference lists skipped."""
    for child in el:
        name = localname(child)
        if not name or name in _NOT_BODY:
            continue
        if name in _HEADING:
            builder.heading(xml_text(child))
        elif name in _PARA:
            builder.paragraph(xml_text(child, skip=_FLOATS), kind)
        elif name in ("list-item", "li", "claim"):
            builder.paragraph(xml_text(child, skip=_FLOATS), kind)
        else:
            walk_body(child, builder, kind)


def add_floats(scope: etree._Element, index: Index, builder: DocumentBuilder) -> None:
    """Figure captions and tables anywhere under `scope`, outermost float element only."""
    for el in index.all("fig", "figure"):
        if index.within(el, scope):
            builder.caption(_label_and_caption(el))
    for el in index.all(*_TABLE_FLOATS):
        if index.within(el, scope) and not index.has_ancestor(el, _TABLE_FLOATS):
            caption = _label_and_caption(el) or None
            tgroups = index.descendants(el, "tgroup")
            if tgroups:
                rows, header_rows = cals_rows(tgroups, xml_text)
            else:
                grid = el if localname(el) == "table" else next(iter(index.descendants(el, "table")), None)
                rows, header_rows = html_rows(grid, xml_text) if grid is not None else ([], 0)
            table = make_table(caption, rows, header_rows)
            if table is not None:
                builder.table(table)
            if caption:
                builder.caption(caption)


def _label_and_caption(el: etree._Element) -> str:
    parts = [xml_text(c) for c in el if localname(c) in ("label", "caption", "title")]
    return clean_text(" ".join(p for p in parts if p))


def _abstract(candidates: list[etree._Element]) -> str | None:
    """The author abstract: not highlights, graphical or teaser abstracts when there is a choice."""
    def secondary(el: etree._Element) -> bool:
        kind = f"{el.get('abstract-type', '')} {el.get('class', '')}".lower()
        return any(w in kind for w in ("highlight", "graphical", "teaser", "toc", "editor", "short"))

    ordered = [a for a in candidates if not secondary(a)] or candidates
    for el in ordered:
        text = xml_text(el, skip={"title", "section-title", "label"})
        if text:
            return text
    return None


def _person(surname: str, given: str) -> str:
    return clean_text(f"{given} {surname}")


def _flip(name: str) -> str:
    """'Yu, Rui' -> 'Rui Yu', so names read the same whatever the source."""
    parts = [p.strip() for p in name.split(",")]
    return _person(parts[0], parts[1]) if len(parts) == 2 and all(parts) else clean_text(name)


# --- Elsevier -----------------------------------------------------------------------------------

def _is_elsevier(root: etree._Element, index: Index) -> str | None:
    if any(_ELSEVIER_NS in (ns or "") for ns in root.nsmap.values()) or index.first("coredata") is not None:
        return None
    return "no elsevier.com/xml namespace on the root and no <coredata>"


def _read_elsevier(root: etree._Element, index: Index, builder: DocumentBuilder) -> Metadata:
    coredata = index.first("coredata")

    def core(name: str) -> str | None:
        el = first_child(coredata, name) if coredata is not None else None
        return xml_text(el) if el is not None else None

    head_titles = [t for t in index.all("title") if localname(t.getparent()) == "head"]
    title = builder.field("title", lambda: core("title") or (xml_text(head_titles[0]) if head_titles else None), None)
    doi_el = index.first("doi")
    doi = builder.field("doi", lambda: clean_doi(
        core("doi") or core("identifier") or (xml_text(doi_el) if doi_el is not None else None)), None)
    creators = builder.field("authors", lambda: tuple(
        _flip(xml_text(c)) for c in coredata if localname(c) == "creator") if coredata is not None else (), ())
    abstract = _abstract([a for a in index.all("abstract") if localname(a.getparent()) == "head"])
    if abstract:
        builder.paragraph(abstract, "abstract")
    bodies = [b for b in index.all("body") if localname(b.getparent()) == "article"] or index.all("body")
    for body in bodies[:1]:
        walk_body(body, builder)
    article = next((a for a in index.all("article") if index.within(a, root)), root)
    add_floats(article, index, builder)
    return Metadata(
        title=title, doi=doi, authors=creators, journal=builder.field("journal", lambda: core("publicationname"), None),
        year=builder.field("year", lambda: find_year(core("coverdate") or core("coverdisplaydate")), None),
        abstract=abstract,
    )


# --- JATS (Springer, PMC, most open-access publishers) --------------------------------------------

def _jats_article(index: Index) -> etree._Element | None:
    return next((a for a in index.all("article") if first_child(a, "front") is not None), None)


def _is_jats(root: etree._Element, index: Index) -> str | None:
    return None if _jats_article(index) is not None else "no <article> with a <front> child"


def _read_jats(root: etree._Element, index: Index, builder: DocumentBuilder) -> Metadata:
    article = _jats_article(index)
    assert article is not None  # _is_jats chose this dialect
    meta = index.first_within(article, "article-meta")
    scope = meta if meta is not None else article

    title_el = index.first_within(scope, "article-title")
    doi_el = next((a for a in index.descendants(scope, "article-id") if a.get("pub-id-type") == "doi"), None)
    authors = builder.field("authors", lambda: _jats_authors(index, scope), ())
    journal_el = index.first_within(article, "journal-title")
    abstract = _abstract(index.descendants(scope, "abstract"))
    if abstract:
        builder.paragraph(abstract, "abstract")
    for part in ("body", "back"):
        el = first_child(article, part)
        if el is not None:
            walk_body(el, builder)
    add_floats(article, index, builder)
    return Metadata(
        title=builder.field(
            "title", lambda: xml_text(title_el, skip={"xref", "fn"}) if title_el is not None else None, None),
        doi=builder.field("doi", lambda: clean_doi(xml_text(doi_el)) if doi_el is not None else None, None),
        authors=authors,
        journal=builder.field("journal", lambda: xml_text(journal_el) if journal_el is not None else None, None),
        year=builder.field("year", lambda: _jats_year(index.descendants(scope, "pub-date")), None),
        abstract=abstract,
    )


def _jats_authors(index: Index, scope: etree._Element) -> tuple[str, ...]:
    authors = []
    for contrib in index.descendants(scope, "contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = first_child(contrib, "name")
        if name is not None:
            surname, given = first_child(name, "surname"), first_child(name, "given-names")
            authors.append(_person(xml_text(surname) if surname is not None else "", xml_text(given) if given is not None else ""))
        elif first_child(contrib, "string-name") is not None:
            authors.append(xml_text(first_child(contrib, "string-name")))
    return tuple(a for a in authors if a)


def _jats_year(dates: list[etree._Element]) -> int | None:
    def rank(el: etree._Element) -> int:
        kind = f"{el.get('pub-type', '')} {el.get('date-type', '')}"
        return 0 if any(k in kind for k in ("epub", "pub", "ppub")) else 1

    for el in sorted(dates, key=rank):
        year = first_child(el, "year")
        if year is not None and find_year(xml_text(year)):
            return find_year(xml_text(year))
    return None


# --- USPTO patent grants and applications ---------------------------------------------------------

def _is_uspto(root: etree._Element, index: Index) -> str | None:
    name = localname(root)
    if name.startswith("us-patent") or name == "patent-application-publication":
        return None
    return f"root element <{name}> is not <us-patent-grant>, <us-patent-application> or <patent-application-publication>"


def _read_uspto(root: etree._Element, index: Index, builder: DocumentBuilder) -> Metadata:
    title_el = index.first("invention-title")
    pub = index.first("publication-reference")
    date = index.first_within(pub, "date") if pub is not None else None
    authors = builder.field("authors", lambda: _uspto_people(index), ())
    abstract = _abstract(index.all("abstract"))
    if abstract:
        builder.paragraph(abstract, "abstract")
    description = index.first("description")
    if description is not None:
        walk_body(description, builder)
    claims = index.all("claim")
    if claims:
        builder.heading("Claims")
        for claim in claims:
            builder.paragraph(xml_text(claim, skip=_FLOATS))
    add_floats(root, index, builder)
    return Metadata(
        title=builder.field("title", lambda: xml_text(title_el) if title_el is not None else None, None),
        authors=authors,
        year=builder.field("year", lambda: find_year(xml_text(date)) if date is not None else None, None),
        abstract=abstract,
    )


def _uspto_people(index: Index) -> tuple[str, ...]:
    authors = []
    for person in index.all("inventor", "applicant", "us-applicant"):
        last, first = index.first_within(person, "last-name"), index.first_within(person, "first-name")
        if last is not None:
            authors.append(_person(xml_text(last), xml_text(first) if first is not None else ""))
    return tuple(dict.fromkeys(a for a in authors if a))


# --- anything else ----------------------------------------------------------------------------------

def _read_generic(root: etree._Element, index: Index, builder: DocumentBuilder) -> Metadata:
    title_el = index.first("article-title")
    if title_el is None:
        title_el = index.first("title")
    doi = builder.field("doi", lambda: next((clean_doi(xml_text(d)) for d in index.all("doi", "identifier", "article-id")
                                             if clean_doi(xml_text(d))), None), None)
    abstract = _abstract(index.all("abstract"))
    if abstract:
        builder.paragraph(abstract, "abstract")
    body = index.first("body")
    walk_body(body if body is not None else root, builder)
    add_floats(root, index, builder)
    date_el = index.first("date")
    return Metadata(
        title=builder.field("title", lambda: xml_text(title_el) if title_el is not None else None, None), doi=doi,
        year=builder.field("year", lambda: find_year(xml_text(date_el)) if date_el is not None else None, None),
        abstract=abstract,
    )


# Asked in this order; the generic reader accepts every document, so it comes last.
XML_READERS: tuple[XmlReader, ...] = (
    XmlReader("xml.elsevier.v1", _is_elsevier, _read_elsevier),
    XmlReader("xml.jats.v1", _is_jats, _read_jats),
    XmlReader("xml.uspto.v1", _is_uspto, _read_uspto),
    XmlReader("xml.generic.v1", lambda root, index: None, _read_generic),
)
