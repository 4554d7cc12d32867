"""PDF layout on small papers made here with fpdf2: reading order across one- and two-column
parts of a page, page furniture, hyphenation, tables, glyph repairs. Every paper is read with
each PDF engine (ingest.pdf_engines.ENGINES), which must agree."""
from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from ingest import read_document
from ingest.normalize import clean_text, hyphenated_compounds, join_lines
from ingest.pdf_engines import ENGINES
from ingest.pdf_glyphs import fix_glyph

LEFT, RIGHT, COLUMN = 15.0, 110.0, 85.0  # mm: two columns of 85 mm with a 10 mm gutter

FILLER = ("the samples were annealed in flowing oxygen and measured again after every step so that "
          "the change of the transition could be followed over the whole series of treatments")


def column_lines(opening: str, n: int = 6) -> list[str]:
    """Lines of one paragraph that starts with `opening`, about 60 characters each."""
    words = f"{opening} {FILLER} {FILLER}".split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 58:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
        if len(lines) == n:
            break
    lines[-1] = lines[-1].rstrip(",") + "."
    return lines


class Paper(FPDF):
    """A journal-like page: running header, page number and journal footer on every page."""

    def header(self) -> None:
        self.set_font("helvetica", "", 8)
        self.set_xy(LEFT, 8)
        self.cell(0, 4, "Journal of Synthetic Tests 12 (2024) 100-104")

    def footer(self) -> None:
        self.set_font("helvetica", "", 8)
        self.set_xy(LEFT, 285)
        self.cell(0, 4, "Published by the Synthetic Society")
        self.set_xy(100, 285)
        self.cell(10, 4, str(self.page_no()))

    def lines_at(self, x: float, y: float, lines: list[str], size: float = 9.5) -> float:
        self.set_font("helvetica", "", size)
        for line in lines:
            self.set_xy(x, y)
            self.cell(COLUMN, 4.6, line)
            y += 4.6
        return y + 4.0  # paragraph gap


FIGURE_LABELS = ("(a)", "Resistance (mOhm)", "T (K)", "3.2 GPa", "onset", "150", "300")


def draw_figure(pdf: FPDF, x: float, y: float) -> None:
    """A plot frame with axis ticks and labels, and its caption underneath."""
    pdf.rect(x + 10, y, 70, 40)
    pdf.line(x + 10, y + 30, x + 80, y + 10)
    pdf.set_font("helvetica", "", 7)
    for label, dx, dy in zip(FIGURE_LABELS, (12, 0, 40, 50, 30, 8, 75), (2, 18, 44, 12, 22, 38, 44)):
        pdf.set_xy(x + dx, y + dy)
        pdf.cell(20, 3, label)
    pdf.set_font("helvetica", "", 8.5)
    pdf.set_xy(x, y + 50)
    pdf.multi_cell(COLUMN, 4, "Figure 2. Resistance of La3Ni2O7 at 3.2 GPa against temperature.")


def make_two_column_paper(path: Path) -> None:
    """Full-width title and abstract, two columns, a full-width figure caption, two columns
    again; a second page in two columns; a table with ruled cells at the end."""
    pdf = Paper()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.set_xy(LEFT, 20)
    pdf.cell(0, 8, "Layered Nickelates Under Hydrostatic Pressure")
    pdf.set_font("helvetica", "", 10)
    pdf.set_xy(LEFT, 31)
    pdf.cell(0, 5, "Ada Lovelace, Alan Turing and Grace Hopper")
    pdf.set_xy(LEFT, 38)
    pdf.set_font("helvetica", "", 9.5)
    pdf.multi_cell(180, 4.6, "Abstract. We report superconductivity in a layered nickelate under pressure. The "
                   "critical temperature rises with pressure and reaches a maximum at fifteen gigapascal, which "
                   "we explain with a simple model of the electronic structure of the layers.")
    pdf.set_font("helvetica", "B", 10)
    pdf.set_xy(LEFT, 62)
    pdf.cell(COLUMN, 5, "1. Introduction")
    y = pdf.lines_at(LEFT, 70, column_lines("Alpha paragraph opens the left column and"))
    y = pdf.lines_at(LEFT, y, ["Bravo paragraph continues the left column with a well-known",
                               "effect that the earlier work called a super-",
                               "conducting dome in the phase diagram of these",
                               "compounds, a well-", "known result."])
    pdf.lines_at(RIGHT, 70, column_lines("Charlie paragraph opens the right column and"))
    pdf.lines_at(RIGHT, 110, column_lines("Delta paragraph closes the upper right column and"))
    pdf.set_font("helvetica", "", 8.5)
    pdf.set_xy(LEFT, 150)
    pdf.multi_cell(180, 4, "Figure 1. Resistance of the nickelate at four pressures; the full-width caption "
                   "separates the upper pair of columns from the lower pair.")
    pdf.lines_at(LEFT, 165, column_lines("Echo paragraph opens the lower left column and"))
    pdf.lines_at(RIGHT, 165, column_lines("Foxtrot paragraph opens the lower right column and"))
    pdf.add_page()
    pdf.lines_at(LEFT, 20, column_lines("Golf paragraph opens the second page and"))
    pdf.lines_at(RIGHT, 20, column_lines("Hotel paragraph ends the text of the paper and"))
    pdf.set_font("helvetica", "B", 9)
    pdf.set_xy(LEFT, 70)
    pdf.cell(0, 5, "Table 1. Lattice parameters of the nickelates at room temperature")
    pdf.set_xy(LEFT, 78)
    pdf.set_font("helvetica", "", 9)
    with pdf.table(width=120, col_widths=(40, 40, 40), align="LEFT") as table:
        for row in (("Compound", "a (A)", "c (A)"), ("La3Ni2O7", "5.39", "20.52"),
                    ("La4Ni3O10", "5.41", "27.96"), ("Pr4Ni3O10", "5.37", "27.62")):
            cells = table.row()
            for text in row:
                cells.cell(text)
    draw_figure(pdf, RIGHT, 140)
    pdf.set_font("helvetica", "B", 10)
    pdf.set_xy(LEFT, 120)
    pdf.cell(COLUMN, 5, "References")
    pdf.lines_at(LEFT, 127, ["[1] A. Author and B. Writer, Journal of Imaginary Physics 12, 345 (2020)."])
    pdf.output(str(path))


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def paper_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "two-column.pdf"
    make_two_column_paper(path)
    return path


@pytest.fixture(scope="module")
def paper(paper_path: Path, engine: str):
    return read_document(paper_path, pdf_engine=engine)


def test_two_column_reading_order_across_a_full_width_caption(paper) -> None:
    openings = [p.text.split()[0] for p in paper.paragraphs if p.kind == "body"]
    assert openings == ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
    assert paper.captions[0].startswith("Figure 1. Resistance of the nickelate")


def test_title_authors_abstract_and_page_count(paper) -> None:
    assert paper.metadata.title == "Layered Nickelates Under Hydrostatic Pressure"
    assert paper.metadata.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    assert paper.metadata.abstract and paper.metadata.abstract.startswith("We report superconductivity")
    assert paper.pages == 2 and paper.sections == ("1. Introduction",)


def test_running_header_footer_and_page_numbers_are_removed(paper) -> None:
    text = " ".join(p.text for p in paper.paragraphs)
    for furniture in ("Journal of Synthetic Tests", "Published by the Synthetic Society"):
        assert furniture not in text
    assert not any(p.text.strip().isdigit() for p in paper.paragraphs)


def test_hyphenation_is_repaired_but_compounds_keep_their_hyphen(paper) -> None:
    bravo = next(p.text for p in paper.paragraphs if p.text.startswith("Bravo"))
    assert "superconducting dome" in bravo
    assert "a well-known result." in bravo


def test_ruled_table_cells_and_header(paper) -> None:
    assert len(paper.tables) == 1
    table = paper.tables[0]
    assert table.caption == "Table 1. Lattice parameters of the nickelates at room temperature"
    assert table.rows == (("Compound", "a (A)", "c (A)"), ("La3Ni2O7", "5.39", "20.52"),
                          ("La4Ni3O10", "5.41", "27.96"), ("Pr4Ni3O10", "5.37", "27.62"))
    assert table.header_rows == 1
    body = " ".join(p.text for p in paper.paragraphs)
    assert "La4Ni3O10" not in body and "27.96" not in body  # cells are not prose


def test_figure_labels_stay_out_of_the_text(paper) -> None:
    text = " ".join(p.text for p in paper.paragraphs)
    for label in FIGURE_LABELS:
        assert label not in text
    assert "Figure 2. Resistance of La3Ni2O7 at 3.2 GPa against temperature." in paper.captions


def test_reference_list_is_not_body_text(paper) -> None:
    assert "Imaginary Physics" not in " ".join(p.text for p in paper.paragraphs)
    assert paper.references == ("[1] A. Author and B. Writer, Journal of Imaginary Physics 12, 345 (2020).",)


def test_aligned_table_without_rules(tmp_path: Path, engine: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 10, "Thermal Transport in Skutterudite Thermoelectrics", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(0, 5, "We measured the thermal conductivity of three filled skutterudites between room "
                   "temperature and eight hundred kelvin and compare the results with a simple model.")
    pdf.ln(4)
    pdf.cell(0, 6, "Table 2: Thermal conductivity at 300 K", new_x="LMARGIN", new_y="NEXT")
    for row in (("Sample", "k (W/mK)", "ZT"), ("CoSb3", "9.1", "0.1"), ("Yb0.2Co4Sb12", "3.0", "1.2"),
                ("Ba0.3Co4Sb12", "2.7", "1.1")):
        for x, text in zip((10, 60, 110), row):
            pdf.set_x(x)
            pdf.cell(40, 6, text)
        pdf.ln(6)
    pdf.ln(6)
    pdf.multi_cell(0, 5, "The filled compounds conduct heat three times less well than the parent "
                   "compound, because the rattling fillers scatter the heat-carrying phonons strongly.")
    path = tmp_path / "aligned.pdf"
    pdf.output(str(path))
    doc = read_document(path, pdf_engine=engine)
    assert [t.rows for t in doc.tables] == [(("Sample", "k (W/mK)", "ZT"), ("CoSb3", "9.1", "0.1"),
                                            ("Yb0.2Co4Sb12", "3.0", "1.2"), ("Ba0.3Co4Sb12", "2.7", "1.1"))]
    assert any(p.text.startswith("The filled compounds") for p in doc.paragraphs)


def test_line_numbers_of_a_manuscript_are_removed(tmp_path: Path, engine: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 10, "Oxygen Vacancies in Strontium Titanate Films", new_x="LMARGIN", new_y="NEXT")
    lines = column_lines("Films were grown by pulsed laser deposition and", 8)
    for n, line in enumerate(lines, 1):
        pdf.set_font("helvetica", "", 7)
        pdf.set_xy(3, 30 + 5 * n)
        pdf.cell(6, 5, str(n))
        pdf.set_font("helvetica", "", 10)
        pdf.set_xy(20, 30 + 5 * n)
        pdf.cell(150, 5, line)
    path = tmp_path / "numbered.pdf"
    pdf.output(str(path))
    text = [p.text for p in read_document(path, pdf_engine=engine).paragraphs]
    assert text and text[0].startswith("Films were grown") and not any(ch.isdigit() for ch in text[0])


def test_advent_font_glyphs_become_unicode() -> None:
    assert fix_glyph("l", "OOADJK+AdvPS4721B4") == "\u03bb"  # RSC's Greek font: lambda
    assert fix_glyph("$", "OOADKP+AdvPS7DA6") == "\u2265"
    assert fix_glyph("\ue103", "OOAFNB+AdvOT999035f4+e1") == "fi"
    assert fix_glyph("(cid:9)", "ABCDEF+Unknown") == "\ufffd"
    assert fix_glyph("l", "ABCDEF+Times-Roman") == "l"


def test_compounds_and_angstrom() -> None:
    compounds = hyphenated_compounds(["a well-known effect", "first-principles work", "Cu-doped"])
    assert compounds == {"well-known", "first-principles"}
    assert join_lines(["a well-", "known super-", "conductor"], compounds) == "a well-known superconductor"
    assert clean_text("Bond length (\u02daA)") == "Bond length (\u00c5)"


def test_pages_without_text_are_reported_not_silently_skipped(tmp_path: Path, engine: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 6, "A cover page with enough words to count as a paragraph of running text here.")
    pdf.add_page()
    pdf.rect(20, 20, 100, 100)  # a scanned page without OCR looks like this: no text at all
    path = tmp_path / "half-scanned.pdf"
    pdf.output(str(path))
    doc = read_document(path, pdf_engine=engine)
    assert doc.warnings == ("pages without a text layer (scanned without OCR?): 2",)


# --- the two PDF engines ---------------------------------------------------------------------------

def test_both_engines_read_the_paper_alike(paper_path: Path) -> None:
    from ingest.report import document_report

    reports = [document_report(read_document(paper_path, pdf_engine=name)) for name in ENGINES]
    for report in reports:
        del report["reader"]
    assert all(report == reports[0] for report in reports[1:])


def test_reader_names_the_engine(paper, engine: str) -> None:
    assert paper.reader == f"pdf.{engine}.v1"


def test_unknown_engine_is_refused(paper_path: Path) -> None:
    with pytest.raises(ValueError, match="pdfium"):
        read_document(paper_path, pdf_engine="ghostscript")


def rotate_pages(source: Path, target: Path) -> None:
    """The same pages drawn turned a quarter left on landscape paper, with /Rotate 90 turning
    them back: what a scanner or an imposition tool leaves behind."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(source)
    for page in document:
        width, height = page.get_size()
        for obj in list(page.get_objects()):
            obj.transform(pdfium.PdfMatrix(0, 1, -1, 0, height, 0))
        page.set_mediabox(0, 0, height, width)
        page.set_rotation(90)
        page.gen_content()
    document.save(target)
    document.close()


def test_rotated_pages_read_as_they_are_shown(paper_path: Path, engine: str, tmp_path: Path) -> None:
    from ingest.report import document_report

    turned = tmp_path / "rotated.pdf"
    rotate_pages(paper_path, turned)
    upright, rotated = (document_report(read_document(p, pdf_engine=engine)) for p in (paper_path, turned))
    for key in ("metadata", "sections", "paragraphs", "tables", "captions", "references"):
        assert rotated[key] == upright[key]


def page_with_form(tmp_path: Path, name: str, base: bytes, form: bytes, scale: float) -> Path:
    """`base`'s page with `form`'s page drawn on it as a form XObject, scaled from its corner."""
    import pypdfium2 as pdfium

    target = pdfium.PdfDocument(base) if base else pdfium.PdfDocument.new()
    if not base:
        target.new_page(595.28, 841.89)
    source = pdfium.PdfDocument(form)
    drawn = source.page_as_xobject(0, target).as_pageobject()
    drawn.transform(pdfium.PdfMatrix().scale(scale, scale).translate(300 if scale < 1 else 0, 0))
    page = target[0]
    page.insert_obj(drawn)
    page.gen_content()
    path = tmp_path / name
    target.save(path)
    return path


def text_page(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "", 10)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_text_of_a_figure_drawn_as_a_form_stays_out(tmp_path: Path, engine: str) -> None:
    body = text_page([" ".join(column_lines("Films were grown by pulsed laser deposition and", 8))])
    figure = text_page(["Resistance (mOhm) against temperature at eight pressures"] * 6)
    doc = read_document(page_with_form(tmp_path, "figure.pdf", body, figure, 0.3), pdf_engine=engine)
    text = " ".join(block.text for block in doc.text_blocks())
    assert "Films were grown" in text and "Resistance" not in text


def test_a_page_drawn_whole_as_a_form_is_read(tmp_path: Path, engine: str) -> None:
    page = text_page([" ".join(column_lines("Films were grown by pulsed laser deposition and", 8))] * 2)
    doc = read_document(page_with_form(tmp_path, "wrapped.pdf", b"", page, 1.0), pdf_engine=engine)
    assert any(p.text.startswith("Films were grown") for p in doc.paragraphs)


def test_encrypted_pdf_asks_for_a_password(tmp_path: Path, engine: str) -> None:
    from ingest import ReadError

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Confidential results")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(ReadError, match="needs a password") as info:
        read_document(path, pdf_engine=engine)
    assert info.value.stage == "pdf"


def test_truncated_pdf_is_broken(paper_path: Path, tmp_path: Path, engine: str) -> None:
    from ingest import ReadError

    path = tmp_path / "cut.pdf"
    path.write_bytes(paper_path.read_bytes()[: paper_path.stat().st_size // 3])
    with pytest.raises(ReadError) as info:
        read_document(path, pdf_engine=engine)
    assert info.value.stage == "pdf"


def test_page_cap(paper_path: Path, engine: str) -> None:
    from ingest import Limits, TooComplex

    with pytest.raises(TooComplex, match="more than 1 pages"):
        read_document(paper_path, limits=Limits(max_pages=1), pdf_engine=engine)


def test_text_pdfium_cannot_read_is_read_with_pdfminer(paper_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium drops text in fonts it cannot load (a non-embedded vertical Japanese font, in the
    unusual-PDF corpus); such a document is read with pdfminer, which says so."""
    import ingest.pdf_pdfium

    def unreadable(data: bytes, source_path: str, limits: object) -> None:
        raise ingest.pdf_pdfium.TextUnreadable([2])

    monkeypatch.setattr(ingest.pdf_pdfium, "extract", unreadable)
    doc = read_document(paper_path, pdf_engine="pdfium")
    assert doc.reader == "pdf.pdfminer.v1"
    assert doc.warnings == ("pdfium cannot read the text of pages 2: read with pdfminer",)
    assert doc.paragraphs == read_document(paper_path, pdf_engine="pdfminer").paragraphs
