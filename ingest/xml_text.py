"""XML helpers: an index of elements by local name, and element text with the right spacing."""
from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from ingest.normalize import clean_text
from ingest.tables import localname

# Elements whose text is a separate unit: a space goes either side so words never run together.
_SPACED = frozenset(
    {"p", "para", "simple-para", "title", "section-title", "label", "caption", "entry", "td", "th", "row",
     "tr", "list-item", "li", "item", "br", "heading", "claim-text", "def-item", "term", "def", "aff",
     "given-names", "surname", "given-name", "mtd", "mtr", "display", "disp-formula"}
)
# Never text: TeX twins of MathML, image references, screen-reader duplicates of labels, and
# HTML's script and style elements where a publisher's XML embeds them.
_NEVER_TEXT = frozenset(
    {"tex-math", "inline-graphic", "graphic", "alt-text", "float-anchor", "annotation", "annotation-xml",
     "object", "img", "link", "ucs-locator", "script", "style", "noscript"}
)


def xml_text(el: etree._Element, *, skip: Iterable[str] = ()) -> str:
    """Whitespace-normalised text of `el`, leaving out subtrees whose local name is in `skip`."""
    skipped = frozenset(skip) | _NEVER_TEXT
    parts: list[str] = []
    _collect(el, parts, skipped, top=True)
    return clean_text("".join(parts))


def _collect(el: etree._Element, parts: list[str], skipped: frozenset[str], top: bool = False) -> None:
    name = localname(el)
    if not top and name in skipped:
        return
    spaced = name in _SPACED
    if spaced:
        parts.append(" ")
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _collect(child, parts, skipped)
        if child.tail:
            parts.append(child.tail)
    if spaced:
        parts.append(" ")


def first_child(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    return next((c for c in el if localname(c) == name), None)


class Index:
    """Elements of one document by local name, in document order, built in a single pass."""

    def __init__(self, root: etree._Element) -> None:
        self._by_name: dict[str, list[etree._Element]] = {}
        for el in root.iter():
            name = localname(el)
            if name:
                self._by_name.setdefault(name, []).append(el)

    def all(self, *names: str) -> list[etree._Element]:
        if len(names) == 1:
            return list(self._by_name.get(names[0], ()))
        found = {id(e): e for n in names for e in self._by_name.get(n, ())}
        return _in_document_order(found.values())

    def first(self, name: str) -> etree._Element | None:
        found = self._by_name.get(name)
        return found[0] if found else None

    def descendants(self, el: etree._Element, name: str) -> list[etree._Element]:
        return [e for e in self._by_name.get(name, ()) if e is not el and self.within(e, el)]

    def first_within(self, el: etree._Element, name: str) -> etree._Element | None:
        return next(iter(self.descendants(el, name)), None)

    @staticmethod
    def within(el: etree._Element, scope: etree._Element) -> bool:
        return el is scope or any(a is scope for a in el.iterancestors())

    @staticmethod
    def has_ancestor(el: etree._Element, names: Iterable[str]) -> bool:
        wanted = set(names)
        return any(localname(a) in wanted for a in el.iterancestors())


def _in_document_order(elements: Iterable[etree._Element]) -> list[etree._Element]:
    items = list(elements)
    if not items:
        return []
    root = items[0].getroottree().getroot()
    position = {id(e): i for i, e in enumerate(root.iter())}
    return sorted(items, key=lambda e: position.get(id(e), 0))
