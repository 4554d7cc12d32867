"""Property-based tests: the metadata and layout helpers take arbitrary text (what a first page
of an unseen PDF, a publisher's meta tag or an OCR layer may hold) and never raise; a field
that cannot be parsed is unknown, and the document is never lost."""
from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import pdf_front, pdf_layout
from ingest.normalize import clean_doi, clean_text, find_doi, find_year, join_lines, strip_numbering
from ingest.pdf_blocks import Block, Line, PdfContent
from nlp.sentences import MAX_SENTENCE_CHARS, split_sentences

# Text that looks like a first page: labels the year and DOI finders key on, digits, marks,
# non-Latin letters, control characters and lone surrogates' neighbours.
_WORDS = st.sampled_from([
    "Published", "Received", "Accepted", "©", "(c) ", "Copyright", "Publication Date", "doi:", "DOI",
    "10.1103/PhysRevX.8.041024", "https://doi.org/", "2019", "1989", "(2020) 10:1592", "Abstract", "Title",
    "Authors", "et al.", "Universität", "Zusammenfassung", "超伝導", "Тc", "\u00ad", "\ufffd", "\x00", "\t", "\n",
    "*", "†", "1,2", "and", "&", "J. B.", "Goodenough", ",", ".", ":", "(", ")", "[", "]",
])
FIRST_PAGE = st.lists(st.one_of(_WORDS, st.text(max_size=12)), max_size=60).map(" ".join)
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(FIRST_PAGE)
def test_year_is_a_plausible_year_or_unknown(text: str) -> None:
    for year in (pdf_layout._year(text), find_year(text)):
        assert year is None or 1900 <= year <= 2099


def test_copyright_sign_without_a_year_after_it_is_unknown_not_a_crash() -> None:
    # The unseen-PDF failure of issue 14: "©" matched with the year group unset.
    assert pdf_layout._year("© The Authors\nSome other line 2019") is None
    assert pdf_layout._year("© 2021 The Authors") == 2021


@PROPERTY_SETTINGS
@given(FIRST_PAGE)
def test_doi_helpers_return_a_doi_or_nothing(text: str) -> None:
    for doi in (find_doi(text), clean_doi(text)):
        assert doi is None or doi.startswith("10.")


@PROPERTY_SETTINGS
@given(FIRST_PAGE)
def test_text_helpers_never_raise(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    join_lines(text.split("\n"))
    strip_numbering(text)


@PROPERTY_SETTINGS
@given(st.text(alphabet=string.ascii_letters + " .,;\n", max_size=9_000))
def test_sentences_cover_the_text_in_bounded_pieces(text: str) -> None:
    spans = split_sentences(text)
    assert all(0 <= s < e <= len(text) and e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())  # nothing but whitespace is left out


def _line(text: str, size: float, y: float, x: float = 50.0, bold: bool = False) -> Line:
    return Line(text, size, bold, x, y, x + 6 * len(text), y + size)


_LINES = st.builds(
    _line, FIRST_PAGE.filter(lambda t: t.strip() != ""), st.floats(0.5, 30.0), st.floats(0, 800),
    st.floats(0, 500), st.booleans(),
)
_BLOCK_LINES = st.lists(_LINES, min_size=1, max_size=6)


@st.composite
def _pages(draw: st.DrawFn) -> PdfContent:
    pages = []
    for number in range(draw(st.integers(1, 3))):
        blocks = []
        for lines in draw(st.lists(_BLOCK_LINES, min_size=0, max_size=8)):
            x0, y0 = min(line.x0 for line in lines), min(line.y0 for line in lines)
            x1, y1 = max(line.x1 for line in lines), max(line.y1 for line in lines)
            blocks.append(Block(number, tuple(lines), x0, y0, x1, y1, 612.0, 792.0))
        pages.append(tuple(blocks))
    info = draw(st.dictionaries(st.sampled_from(["title", "doi", "subject", "keywords"]), FIRST_PAGE, max_size=3))
    return PdfContent(pages=tuple(pages), info=info)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages())
def test_layout_analysis_of_arbitrary_boxes_gives_a_document(content: PdfContent) -> None:
    doc = pdf_layout.build_document(content, source_path="x.pdf", content_hash="0" * 64, reader="test")
    assert doc.pages == len(content.pages)
    assert doc.metadata.year is None or 1900 <= doc.metadata.year <= 2099
    assert all(isinstance(a, str) and a for a in doc.metadata.authors)


@PROPERTY_SETTINGS
@given(st.lists(FIRST_PAGE, min_size=1, max_size=5))
def test_cover_page_authors_never_raise(lines: list[str]) -> None:
    block = Block(0, tuple(_line(t or "x", 10.0, 700 - 12 * i) for i, t in enumerate(["Authors", *lines])),
                  50, 600, 500, 712, 612.0, 792.0)
    assert all(name.strip() for name in pdf_front.cover_authors(block))


def _content(title: str, *texts: str) -> PdfContent:
    """A first page: the title set large, then one box of body text."""
    head = Block(0, (_line(title, 16.0, 720),), 50, 720, 500, 736, 612.0, 792.0)
    lines = [_line(t, 10.0, 680 - 14 * i) for i, t in enumerate(texts)]
    body = Block(0, tuple(lines), 50, 680 - 14 * len(texts), 500, 692, 612.0, 792.0)
    return PdfContent(pages=((head, body),))


def test_a_field_parser_that_breaks_costs_the_field_not_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> int:
        raise TypeError("int() argument must be a string, not 'NoneType'")

    monkeypatch.setattr(pdf_layout, "_year", broken)
    content = _content("A study of the band gap of rutile titanium dioxide films",
                       "Rutile TiO2 has a band gap of 3.0 eV at room temperature, measured here by ellipsometry.")
    doc = pdf_layout.build_document(content, source_path="x.pdf", content_hash="0" * 64, reader="test")
    assert doc.metadata.year is None
    assert any("metadata field 'year' left unknown: TypeError" in w for w in doc.warnings)
    assert "band gap of 3.0 eV" in " ".join(p.text for p in doc.paragraphs)


def test_a_broken_body_analysis_keeps_every_text_box(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, *args: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(pdf_layout.BodyWalker, "walk", broken)
    content = _content("Superconductivity in MgB2 at 39 K", "MgB2 becomes superconducting at 39 K.",
                       "The isotope effect points to phonons.")
    doc = pdf_layout.build_document(content, source_path="x.pdf", content_hash="0" * 64, reader="test")
    text = " ".join(p.text for p in doc.paragraphs)
    assert "isotope effect" in text
    assert any(w.startswith("layout analysis failed (IndexError") for w in doc.warnings)
