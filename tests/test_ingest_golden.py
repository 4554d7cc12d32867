"""Golden tests: every real paper in the public corpora reads, with its known title and DOI.

Expected titles and DOIs come from the files themselves (publisher meta tags, XML headers) and,
for the PDFs, from corpora/pdfs/SOURCES.tsv. Titles are compared letters-and-digits only, case
folded, because PDFs set titles in capitals or split "Ni12P5" into "Ni 12 P 5". Every PDF case
runs once per PDF engine (ingest.pdf_engines.ENGINES): the expectations are the same for both.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from ingest import read_document
from ingest.pdf_engines import ENGINES
from ingest.records import ParsedDocument
from tests.conftest import need_corpus

# file name -> (title, DOI or None, minimum number of body paragraphs)
ARTICLES = {
    "10.1039_C6OB02074G.html": (
        "Denitrogenative hydrofluorination of aromatic aldehyde hydrazones using (difluoroiodo)toluene",
        "10.1039/C6OB02074G", 8),
    "US06840965B2.xml": ("P-aminophenols and colorants containing said compounds", None, 30),
    "acs.jmedchem.6b00723.html": (
        "Discovery of a Quinoline-4-carboxamide Derivative with a Novel Mechanism of Action, Multistage "
        "Antimalarial Activity, and Potent in Vivo Efficacy", "10.1021/acs.jmedchem.6b00723", 60),
    "b806499g.html": ("Polymer encapsulation effects on the magnetism of EuS nanocrystals", "10.1039/B806499G", 20),
    "c1jm13879k.html": (
        "Metal sulfide nanostructures: synthesis, properties and applications in energy conversion and storage",
        "10.1039/C1JM13879K", 20),
    "c2jm33712f.html": (
        "Carbonization of solvent and capping agent based enhancement in the stabilization of cobalt "
        "nanoparticles and their magnetic study", "10.1039/C2JM33712F", 25),
    "j.commatsci.2018.02.056.xml": (
        "An improved interatomic potential function for thermoelectric Mg2Si: A combination study of "
        "ab-initio and molecular dynamics method", "10.1016/j.commatsci.2018.02.056", 30),
    "j.jnoncrysol.2017.07.006.xml": (
        "Structural and electrochemical characterization of the Ca50Mg20Cu25Zn5 amorphous alloy",
        "10.1016/j.jnoncrysol.2017.07.006", 30),
    "spr_test1.xml": ("Nano and Battery Anode: A Review", "10.1186/s11671-021-03631-x", 30),
    "test_paper.html": (
        "High performance carbon-coated hollow Ni12P5 nanocrystals decorated on GNS as advanced anodes "
        "for lithium and sodium storage", "10.1039/C7TA06843C", 15),
}

PDFS = {
    "arxiv0810.4856_SrFe2As2_pressure_jpsj.pdf": (
        "Abrupt Emergence of Pressure-Induced Superconductivity of 34 K in SrFe2As2: A Resistivity Study "
        "under Pressure", None, 10),
    "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": (
        "Enhanced, homogeneous type II superconductivity in Cu-intercalated PdTe2", None, 8),
    "chemsci2022_red_fluorescent_proteins.pdf": (
        "Generation of bright monomeric red fluorescent proteins via computational design of enhanced "
        "chromophore packing", "10.1039/d1sc05088e", 25),
    "jpcm2014_Cu_doping_LiFeAs.pdf": (
        "The anomaly Cu doping effects on LiFeAs superconductors", "10.1088/0953-8984/26/43/435703", 10),
    "natcommun2024_A3AR_cryoEM.pdf": (
        "Cryo-EM structures of adenosine receptor A3AR bound to selective agonists",
        "10.1038/s41467-024-47207-6", 30),
    "physscr1989_La2CuO4_neutron_SCANNED.pdf": (
        "The crystal structure of superconducting La2CuO4.032 by neutron diffraction",
        "10.1088/0031-8949/1989/T29/017", 10),
    "prx2018_nematic_SC_CuxBi2Se3.pdf": (
        "Direct Visualization of the Nematic Superconductivity in CuxBi2Se3", "10.1103/PhysRevX.8.041024", 15),
    "prx2019_17O_NMR_Sr2RuO4_strain.pdf": (
        "Normal State 17O NMR Studies of Sr2RuO4 under Uniaxial Stress", "10.1103/PhysRevX.9.021044", 20),
    "scirep2020_LaH10_room_temp_SC.pdf": (
        "From LaH10 to room-temperature superconductors", "10.1038/s41598-020-58065-9", 20),
}

# A phrase from each paper's reference list, which must stay out of the body text.
REFERENCE_PHRASES = {
    "prx2018_nematic_SC_CuxBi2Se3.pdf": "X. L. Qi and S. C. Zhang",
    "jpcm2014_Cu_doping_LiFeAs.pdf": "Kamihara Y, Watanabe T",
    "natcommun2024_A3AR_cryoEM.pdf": "Meyerhof, W., Muller-Brechlin",
    "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": "Han-Jin Noh",
    "arxiv0810.4856_SrFe2As2_pressure_jpsj.pdf": "Y. Kamihara, T. Watanabe",
    "physscr1989_La2CuO4_neutron_SCANNED.pdf": "Beille, J.",
    "b806499g.html": "C. B. Murray, D. J. Norris and M. G. Bawendi",
    "acs.jmedchem.6b00723.html": "World Malaria Report 2015",
}

YEARS = {
    "10.1039_C6OB02074G.html": 2016, "US06840965B2.xml": 2005, "acs.jmedchem.6b00723.html": 2016,
    "b806499g.html": 2008, "c1jm13879k.html": 2012, "c2jm33712f.html": 2012,
    "j.commatsci.2018.02.056.xml": 2018, "j.jnoncrysol.2017.07.006.xml": 2017, "spr_test1.xml": 2021,
    "test_paper.html": 2017, "chemsci2022_red_fluorescent_proteins.pdf": 2022,
    "jpcm2014_Cu_doping_LiFeAs.pdf": 2014, "natcommun2024_A3AR_cryoEM.pdf": 2024,
    "physscr1989_La2CuO4_neutron_SCANNED.pdf": 1989, "prx2018_nematic_SC_CuxBi2Se3.pdf": 2018,
    "prx2019_17O_NMR_Sr2RuO4_strain.pdf": 2019, "scirep2020_LaH10_room_temp_SC.pdf": 2020,
}

def engines(name: str) -> tuple[str | None, ...]:
    """The engines a file is read with: each PDF engine for a PDF, none for markup."""
    return ENGINES if name.endswith(".pdf") else (None,)


def corpus_of(name: str) -> str:
    return "pdfs" if name.endswith(".pdf") else "publisher-articles"


def by_engine(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Each (name, ...) row once per engine that reads the file, the engine appended."""
    return [(*row, engine) for row in rows for engine in engines(str(row[0]))]


CASES = [(corpus_of(name), name, engine) for name in [*ARTICLES, *PDFS] for engine in engines(name)]
PDF_ENGINES = pytest.mark.parametrize("engine", ENGINES)
EXPECTED = {**ARTICLES, **PDFS}


@lru_cache(maxsize=None)
def read(corpus: str, name: str, engine: str | None = None) -> ParsedDocument:
    # Each PDF takes seconds; every test below shares one read per file and engine.
    return read_document(need_corpus(corpus, name), pdf_engine=engine)


def letters(text: str | None) -> str:
    return re.sub(r"[\W_]+", "", text or "").casefold()


@pytest.mark.parametrize("corpus, names", [("publisher-articles", ARTICLES), ("pdfs", PDFS)])
def test_every_corpus_file_has_expectations(corpus: str, names: dict[str, object]) -> None:
    folder = need_corpus(corpus)
    on_disk = {p.name for p in Path(folder).iterdir() if p.suffix.lower() in (".pdf", ".html", ".xml")}
    assert on_disk == set(names)


@pytest.mark.parametrize("corpus, name, engine", CASES)
def test_title_doi_and_paragraphs(corpus: str, name: str, engine: str | None) -> None:
    title, doi, min_paragraphs = EXPECTED[name]
    doc = read(corpus, name, engine)
    assert letters(doc.metadata.title) == letters(title)
    if doi is None:
        assert doc.metadata.doi is None
    else:
        assert (doc.metadata.doi or "").casefold() == doi.casefold()
    body = [p for p in doc.paragraphs if p.kind == "body"]
    assert len(body) >= min_paragraphs
    assert doc.metadata.abstract and len(doc.metadata.abstract) > 100


@pytest.mark.parametrize("name, year, engine", by_engine(list(YEARS.items())))
def test_publication_year(name: str, year: int, engine: str | None) -> None:
    assert read(corpus_of(name), name, engine).metadata.year == year


@pytest.mark.parametrize("name", ["j.commatsci.2018.02.056.xml", "j.jnoncrysol.2017.07.006.xml", "spr_test1.xml"])
def test_xml_tables_have_cells(name: str) -> None:
    doc = read("publisher-articles", name)
    assert len(doc.tables) >= 2
    for table in doc.tables:
        assert table.caption and table.caption.startswith("Table")
        assert table.header_rows >= 1 and len(table.rows) >= 3
        assert sum(1 for row in table.rows for cell in row if cell) >= 6


def test_html_tables_keep_headers_and_captions() -> None:
    doc = read("publisher-articles", "10.1039_C6OB02074G.html")
    table = doc.tables[0]
    assert table.caption == "Table 1 Optimization of the denitrogenative hydrofluorination reaction"
    assert table.rows[0][:2] == ("Entry", "Vessel")


@pytest.mark.parametrize("name, phrase, engine", by_engine(list(REFERENCE_PHRASES.items())))
def test_reference_list_stays_out_of_the_body(name: str, phrase: str, engine: str | None) -> None:
    doc = read(corpus_of(name), name, engine)
    body = [p.text for p in doc.paragraphs if p.kind == "body"]
    assert not any(phrase in text for text in body)
    assert not any(re.match(r"\[\d+\]\s", text) for text in body)
    assert phrase in " ".join(doc.references)  # recognised as a reference, not thrown away


@PDF_ENGINES
@pytest.mark.parametrize("name", ["prx2018_nematic_SC_CuxBi2Se3.pdf", "prx2019_17O_NMR_Sr2RuO4_strain.pdf"])
def test_pdf_sections_and_captions(name: str, engine: str) -> None:
    doc = read("pdfs", name, engine)
    assert doc.sections[0] == "I. INTRODUCTION"
    assert any(s.endswith("CONCLUSION") for s in doc.sections)
    assert doc.captions and all(c.startswith("FIG.") for c in doc.captions)


@PDF_ENGINES
def test_pdf_running_headers_and_page_numbers_are_removed(engine: str) -> None:
    doc = read("pdfs", "prx2018_nematic_SC_CuxBi2Se3.pdf", engine)
    text = " ".join(p.text for p in doc.paragraphs)
    assert "PHYS. REV. X 8, 041024 (2018)" not in text
    assert "041024-3" not in text


@PDF_ENGINES
def test_scanned_pdf_reads_through_its_ocr_layer(engine: str) -> None:
    doc = read("pdfs", "physscr1989_La2CuO4_neutron_SCANNED.pdf", engine)
    assert any("neutron diffraction" in p.text for p in doc.paragraphs)


# A material each paper is about, as the rule tagger keys it (canonical formula, elements in
# alphabetical order). The A3AR and fluorescent-protein papers are biology: any material will do.
KEY_MATERIALS = {
    "10.1039_C6OB02074G.html": None,
    "US06840965B2.xml": None,
    "acs.jmedchem.6b00723.html": None,
    "b806499g.html": "EuS",
    "c1jm13879k.html": "MoS2",
    "c2jm33712f.html": "Co",
    "j.commatsci.2018.02.056.xml": "Mg2Si",
    "j.jnoncrysol.2017.07.006.xml": "Ca10Cu5Mg4Zn",  # Ca50Mg20Cu25Zn5, reduced
    "spr_test1.xml": "Si",
    "test_paper.html": "Ni12P5",
    "arxiv0810.4856_SrFe2As2_pressure_jpsj.pdf": "As2Fe2Sr",
    "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": "PdTe2",
    "chemsci2022_red_fluorescent_proteins.pdf": None,
    "jpcm2014_Cu_doping_LiFeAs.pdf": "AsFeLi",
    "natcommun2024_A3AR_cryoEM.pdf": None,
    "physscr1989_La2CuO4_neutron_SCANNED.pdf": None,  # its OCR layer reads "La2Cu04" (zero for O)
    "prx2018_nematic_SC_CuxBi2Se3.pdf": "Bi2Se3",
    "prx2019_17O_NMR_Sr2RuO4_strain.pdf": "O4RuSr2",
    "scirep2020_LaH10_room_temp_SC.pdf": "H10La",
}


@pytest.fixture(scope="module")
def tagger():
    from nlp import registry

    return registry.create("ner.rules.v1")


@pytest.mark.parametrize("corpus, name, engine", CASES)
def test_material_mentions(corpus: str, name: str, engine: str | None, tagger) -> None:
    from nlp.pipeline import annotate

    ann = next(annotate([read(corpus, name, engine)], tagger))
    keys = {m.key for s in ann.sentences for m in s.mentions if m.type == "MAT"}
    assert len(keys) >= 3
    if KEY_MATERIALS[name]:
        assert KEY_MATERIALS[name] in keys


# --- layout, sections, tables and furniture on every real file --------------------------------------
#
# Body paragraphs of each source: the <p>/<ce:para> elements of body and back matter for XML,
# the paragraphs a browser shows for HTML, the printed paragraphs for PDFs (checked by reading
# the pages). Readers of markup must hit the count within 10%; PDF layout analysis, which has
# to find paragraph ends from geometry, within 25%; either way at least 2 either side.
PARAGRAPHS = {
    "10.1039_C6OB02074G.html": 12, "US06840965B2.xml": 63, "acs.jmedchem.6b00723.html": 121,
    "b806499g.html": 29, "c1jm13879k.html": 30, "c2jm33712f.html": 39, "j.commatsci.2018.02.056.xml": 38,
    "j.jnoncrysol.2017.07.006.xml": 46, "spr_test1.xml": 42, "test_paper.html": 23,
    "arxiv0810.4856_SrFe2As2_pressure_jpsj.pdf": 12, "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": 11,
    "chemsci2022_red_fluorescent_proteins.pdf": 36, "jpcm2014_Cu_doping_LiFeAs.pdf": 11,
    "natcommun2024_A3AR_cryoEM.pdf": 49, "physscr1989_La2CuO4_neutron_SCANNED.pdf": 15,
    "prx2018_nematic_SC_CuxBi2Se3.pdf": 19, "prx2019_17O_NMR_Sr2RuO4_strain.pdf": 22,
    "scirep2020_LaH10_room_temp_SC.pdf": 30,
}

# Headings the source sets, in order (a selection for long lists). The JPSJ and PdTe2 letters and
# the Physica Scripta paper have no section headings at all.
SECTIONS = {
    "10.1039_C6OB02074G.html": ["Introduction", "Results and discussion", "Conclusions", "Experimental"],
    "US06840965B2.xml": ["EXAMPLES 3 TO 18", "Hair Colorants", "Claims"],
    "acs.jmedchem.6b00723.html": ["Introduction", "Results and Discussion", "Conclusion", "Experimental Section"],
    "b806499g.html": ["Introduction", "Results and discussion", "Experimental methods", "Conclusions"],
    "c1jm13879k.html": ["Introduction", "Synthesis", "Properties", "Summary and future outlook"],
    "c2jm33712f.html": ["Introduction", "Thermal studies", "Magnetic studies", "Conclusions"],
    "j.commatsci.2018.02.056.xml": ["Introduction", "Crystal structure", "Lattice thermal conductivity", "Conclusions"],
    "j.jnoncrysol.2017.07.006.xml": ["Introduction", "Materials and methods", "Results and discussion", "Conclusions"],
    "spr_test1.xml": ["Introduction", "Problems of Alloy Anodes", "TiO2 Anode", "Conclusion"],
    "test_paper.html": ["1. Introduction", "2.1 Chemicals", "3. Results and discussion", "4. Conclusions"],
    "arxiv0810.4856_SrFe2As2_pressure_jpsj.pdf": [],
    "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": [],
    "chemsci2022_red_fluorescent_proteins.pdf": ["Introduction", "Results", "Evolution of mSandy2", "Discussion",
                                                 "Methods", "Protein crystallization", "Acknowledgements"],
    "jpcm2014_Cu_doping_LiFeAs.pdf": ["1. Introduction", "2. Experimental details", "3. Results and discussions"],
    "natcommun2024_A3AR_cryoEM.pdf": ["Results and discussion", "Overall structures of the complexes",
                                      "Activation mechanisms of A3AR", "Methods", "Cryo-EM data collection",
                                      "Data availability"],
    "physscr1989_La2CuO4_neutron_SCANNED.pdf": [],
    "prx2018_nematic_SC_CuxBi2Se3.pdf": ["I. INTRODUCTION", "II. EXPERIMENTAL METHODS",
                                         "III. RESULTS AND DISCUSSION", "IV. CONCLUSION"],
    "prx2019_17O_NMR_Sr2RuO4_strain.pdf": ["I. INTRODUCTION", "II. EXPERIMENTAL DETAILS",
                                           "III. RESULTS AND DISCUSSION", "IV. CONCLUSION"],
    "scirep2020_LaH10_room_temp_SC.pdf": ["Computational Details, Results and Discussion", "Acknowledgements"],
}

# Data tables set as text (ACS tables 1-5 and the Sci. Rep. table of formulas are not: they are
# pictures of structures and equations).
TABLES = {
    "10.1039_C6OB02074G.html": 1, "US06840965B2.xml": 11, "acs.jmedchem.6b00723.html": 7, "b806499g.html": 0,
    "c1jm13879k.html": 0, "c2jm33712f.html": 3, "j.commatsci.2018.02.056.xml": 2,
    "j.jnoncrysol.2017.07.006.xml": 2, "spr_test1.xml": 2, "test_paper.html": 1,
    "arxiv0810.4856_SrFe2As2_pressure_jpsj.pdf": 0, "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": 0,
    "chemsci2022_red_fluorescent_proteins.pdf": 2, "jpcm2014_Cu_doping_LiFeAs.pdf": 0,
    "natcommun2024_A3AR_cryoEM.pdf": 0, "physscr1989_La2CuO4_neutron_SCANNED.pdf": 1,
    "prx2018_nematic_SC_CuxBi2Se3.pdf": 0, "prx2019_17O_NMR_Sr2RuO4_strain.pdf": 0,
    "scirep2020_LaH10_room_temp_SC.pdf": 0,
}

# Running heads and feet, page numbers, download stamps, licence lines and page furniture of
# the web pages: each is in the source, none may reach a paragraph.
FURNITURE = {
    "10.1039_C6OB02074G.html": ["Received 21st September 2016", "E-mail: graham.murphy@uwaterloo.ca"],
    "acs.jmedchem.6b00723.html": ["Rights & Permissions", "Citation Alerts", "Sign in"],
    "b806499g.html": ["Received 16th April 2008"],
    "c1jm13879k.html": ["Received 10th August 2011", "Tel: +886-3-5731166"],
    "c2jm33712f.html": ["Received 9th June 2012"],
    "test_paper.html": ["Received 3rd August 2017"],
    "arxiv0810.4856_SrFe2As2_pressure_jpsj.pdf": ["Typeset with jpsj2.cls", "Full Paper", "J. Phys. Soc. Jpn.",
                                                  "kotegawa@crystal.kobe-u.ac.jp"],
    "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": ["goutam@iisermohali.ac.in", "v i X r a"],
    "chemsci2022_red_fluorescent_proteins.pdf": ["Chem. Sci., 2022, 13, 1408", "© 2022 The Author(s)",
                                                 "Open Access Article", "View Article Online", "Downloaded on"],
    "jpcm2014_Cu_doping_LiFeAs.pdf": ["J. Phys.: Condens. Matter 26 (2014) 435703", "L Y Xing et al",
                                      "Some figures may appear in colour"],
    "natcommun2024_A3AR_cryoEM.pdf": ["Nature Communications |", "(2024) 15:3252", "Check for updates"],
    "physscr1989_La2CuO4_neutron_SCANNED.pdf": ["Physica Scripta. Vol. T29", "eScholarship.org",
                                                "Powered by the California Digital Library"],
    "prx2018_nematic_SC_CuxBi2Se3.pdf": ["PHYS. REV. X 8, 041024 (2018)", "RAN TAO et al.", "041024-3",
                                         "Published by the American Physical Society"],
    "prx2019_17O_NMR_Sr2RuO4_strain.pdf": ["PHYS. REV. X 9, 021044 (2019)", "YONGKANG LUO et al.", "021044-2",
                                           "Published by the American Physical Society"],
    "scirep2020_LaH10_room_temp_SC.pdf": ["Scientific RepoRtS", "(2020) 10:1592", "www.nature.com/scientificreports",
                                          "Received: 5 August 2019", "Creative Commons"],
}


def body_paragraphs(doc: ParsedDocument) -> list[str]:
    return [p.text for p in doc.paragraphs if p.kind == "body"]


@pytest.mark.parametrize("corpus, name, engine", CASES)
def test_paragraph_count_within_tolerance(corpus: str, name: str, engine: str | None) -> None:
    expected = PARAGRAPHS[name]
    share = 0.25 if name.endswith(".pdf") else 0.10
    slack = max(2, round(share * expected))
    assert abs(len(body_paragraphs(read(corpus, name, engine))) - expected) <= slack


# Body text after a reference list that a two-column layout reads first (the PdTe2 letter's
# conclusion and acknowledgements sit beside its references): it must be text, not references.
AFTER_REFERENCES = {
    "arxiv1903.04321_Cu_PdTe2_superconductivity.pdf": ["In conclusion, we have performed detailed scanning tunnelling",
                                                       "AV thanks UGC for senior research fellowship"],
}


@PDF_ENGINES
@pytest.mark.parametrize("name", sorted(AFTER_REFERENCES))
def test_body_text_beside_the_references_stays_text(name: str, engine: str) -> None:
    doc = read("pdfs", name, engine)
    body = letters(" ".join(p.text for p in doc.paragraphs))
    for phrase in AFTER_REFERENCES[name]:
        assert letters(phrase) in body, phrase
        assert not any(letters(phrase) in letters(r) for r in doc.references), phrase


@pytest.mark.parametrize("corpus, name, engine", CASES)
def test_section_headings_in_order(corpus: str, name: str, engine: str | None) -> None:
    sections = list(read(corpus, name, engine).sections)
    expected = SECTIONS[name]
    if not expected:
        assert len(sections) <= 1  # no headings in the source: none invented from labels or captions
        return
    positions = [sections.index(heading) for heading in expected]
    assert positions == sorted(positions)


@pytest.mark.parametrize("corpus, name, engine", CASES)
def test_abstract_is_found_and_is_not_body_text(corpus: str, name: str, engine: str | None) -> None:
    doc = read(corpus, name, engine)
    abstract = doc.metadata.abstract or ""
    assert len(abstract.split()) >= 25
    assert not any(text == abstract for text in body_paragraphs(doc))


@pytest.mark.parametrize("corpus, name, engine", CASES)
def test_table_count(corpus: str, name: str, engine: str | None) -> None:
    tables = read(corpus, name, engine).tables
    assert len(tables) == TABLES[name]
    for table in tables:
        assert len(table.rows) >= 2 and len({len(row) for row in table.rows}) == 1


@pytest.mark.parametrize("name, strings, engine", by_engine(list(FURNITURE.items())))
def test_page_furniture_stays_out_of_the_text(name: str, strings: list[str], engine: str | None) -> None:
    doc = read(corpus_of(name), name, engine)
    text = " ".join(p.text for p in doc.paragraphs)
    for furniture in strings:
        assert furniture not in text


@PDF_ENGINES
def test_two_column_pdf_paragraphs_come_in_reading_order(engine: str) -> None:
    """PRX 8, 041024: page 1 has a one-column head and two columns; each column of text must be
    read to its end before the next one starts, across pages."""
    openings = ["Topological superconductors, as host", "CuxBi2Se3 is a prototypical example",
                "Recently, a nematic superconducting state", "The CuxBi2Se3 (x = 0.31) single crystals",
                "CuxBi2Se3 crystals are thin-bar shaped", "The cleaved CuxBi2Se3 surface exhibits",
                "Figures 1(a) and 1(b) show", "Figures 1(f) and 1(g) display", "In addition to the SC-I regions",
                "To further examine the superconducting state", "In summary, our data reveal"]
    body = body_paragraphs(read("pdfs", "prx2018_nematic_SC_CuxBi2Se3.pdf", engine))
    positions = [next(i for i, text in enumerate(body) if text.startswith(opening)) for opening in openings]
    assert positions == sorted(positions)
    # A paragraph cut by the page break is one paragraph again.
    recently = body[positions[2]]
    assert "of the lattice. This symmetry breaking" in recently


@PDF_ENGINES
def test_pdf_table_cells_with_two_header_rows(engine: str) -> None:
    table = read("pdfs", "chemsci2022_red_fluorescent_proteins.pdf", engine).tables[0]
    assert table.caption == "Table 1 Spectral properties of red fluorescent proteins"
    assert table.header_rows == 2
    assert table.rows[0][6] == "Mutations relative to mRojoA"
    assert table.rows[1][:6] == ("Proteina", "λex (nm)", "λem (nm)", "Quantum yield",
                                 "Extinction coefficient (mM−1 cm−1)", "Brightnessb (mM−1 cm−1)")
    assert table.rows[2][:6] == ("mRojoA", "596 ± 2", "632 ± 2", "0.023 ± 0.001", "68 ± 9", "2")
    assert table.rows[-1][0] == "mCherry" and table.rows[-2][0] == "mSandy1-L163V/L199M"


@PDF_ENGINES
def test_pdf_two_column_table_of_statistics(engine: str) -> None:
    table = read("pdfs", "chemsci2022_red_fluorescent_proteins.pdf", engine).tables[1]
    rows = dict(row for row in table.rows if row[0])
    assert rows["PDB ID"] == "7RY2"
    assert rows["Resolution (Å)"] == "80.31–2.05"
    assert rows["α, β, γ (°)"] == "90, 90, 90"
    assert rows["Ramachandran favored (%)"] == "97.98"


@PDF_ENGINES
def test_scanned_pdf_table_from_its_ocr_layer(engine: str) -> None:
    table = read("pdfs", "physscr1989_La2CuO4_neutron_SCANNED.pdf", engine).tables[0]
    assert table.caption == "Table I."
    assert len(table.rows[0]) == 4
    assert ("YO4", "0.243(4)", "U 0 1 22", "0.0040(3)") in table.rows


@pytest.mark.parametrize("name, first_row, second_row", [
    ("j.commatsci.2018.02.056.xml", ("Bond interactions", "Equilibrium bond distances"), ("Mg-Mg", "3.1814 Å")),
    ("c2jm33712f.html", ("Sample code", "Description"), ("Co1", "Co–toluene as-prepared sample")),
    ("test_paper.html", ("Material description", "Preparation strategy", "Current density (mA g−1)", "Cycle number",
                         "Discharge capacity (mA h g−1)", "Ref."),
     ("Nanoporous NiO-capped Ni3P", "Electroless plating process", "38.8", "60", "∼558", "50")),
])
def test_markup_table_cells(name: str, first_row: tuple[str, ...], second_row: tuple[str, ...]) -> None:
    table = read("publisher-articles", name).tables[0]
    assert table.header_rows == 1
    assert table.rows[:2] == (first_row, second_row)


READERS = {
    "10.1039_C6OB02074G.html": "html.rsc.v1", "b806499g.html": "html.rsc.v1", "c1jm13879k.html": "html.rsc.v1",
    "c2jm33712f.html": "html.rsc.v1", "test_paper.html": "html.rsc.v1", "acs.jmedchem.6b00723.html": "html.acs.v1",
    "j.commatsci.2018.02.056.xml": "xml.elsevier.v1", "j.jnoncrysol.2017.07.006.xml": "xml.elsevier.v1",
    "spr_test1.xml": "xml.jats.v1", "US06840965B2.xml": "xml.uspto.v1",
}


@pytest.mark.parametrize("name, reader", READERS.items())
def test_publisher_reader_chosen_by_content(name: str, reader: str) -> None:
    doc = read("publisher-articles", name)
    assert doc.reader == reader
    assert all(reason for _, reason in doc.declined)


@PDF_ENGINES
def test_pdf_authors_and_journal_furniture(engine: str) -> None:
    assert read("pdfs", "prx2018_nematic_SC_CuxBi2Se3.pdf", engine).metadata.authors[:3] == (
        "Ran Tao", "Ya-Jun Yan", "Xi Liu")
    chemsci = read("pdfs", "chemsci2022_red_fluorescent_proteins.pdf", engine).metadata.authors
    assert "Michael C. Thompson" in chemsci and "Roberto A. Chica" in chemsci
    assert read("publisher-articles", "acs.jmedchem.6b00723.html").metadata.journal == "Journal of Medicinal Chemistry"
