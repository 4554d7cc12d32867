"""Unit tests for the readers: small inputs built by hand, one behaviour each."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from fpdf import FPDF

from ingest import NoTextLayer, ReadError, TooLarge, UnsupportedFormat, iter_input_files, read_document
from ingest.normalize import clean_doi, clean_text, join_lines


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- plain text --------------------------------------------------------------------------------

def test_text_title_and_paragraphs(tmp_path: Path) -> None:
    path = write(
        tmp_path, "paper.txt",
        "Magnetism of EuS Nanocrystals\n\nThe first paragraph runs\nover two lines.\n\n"
        "Second paragraph on super-\nconductivity of MgB2 with T_c = 39 K.\n",
    )
    doc = read_document(path)
    assert (doc.format, doc.reader) == ("text", "text.v1")
    assert doc.metadata.title == "Magnetism of EuS Nanocrystals"
    assert [p.text for p in doc.paragraphs] == [
        "The first paragraph runs over two lines.",
        "Second paragraph on superconductivity of MgB2 with T_c = 39 K.",
    ]


def test_text_first_line_running_into_paragraph_is_not_a_title(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "notes.txt", "A line\nthat continues.\n\nMore text.\n"))
    assert doc.metadata.title is None
    assert doc.paragraphs[0].text == "A line that continues."


def test_text_in_cp1252_is_decoded_without_loss(tmp_path: Path) -> None:
    raw = "Caf\u00e9 study\n\n\u201cQuoted\u201d value \u2013 5 \u00b0C".encode("cp1252")
    doc = read_document(write(tmp_path, "legacy.txt", raw))
    assert doc.metadata.title == "Caf\u00e9 study"
    assert doc.paragraphs[0].text == "\u201cQuoted\u201d value \u2013 5 \u00b0C"


def test_text_keeps_unicode_and_expands_ligatures(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "u.txt", "Title here\n\n\ufb01eld of Fe\u2082O\u2083 at \u22125 \u00b0C, \u03b1 phase"))
    assert doc.paragraphs[0].text == "field of Fe\u2082O\u2083 at \u22125 \u00b0C, \u03b1 phase"


# --- HTML ------------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html><head>
<title>Ignored page title | Publisher</title>
<meta name="citation_title" content="  Strain tuning of   Sr2RuO4 ">
<meta name="citation_doi" content="10.1234/abcd.5678">
<meta name="citation_author" content="Ada Lovelace">
<meta name="citation_author" content="Alan Turing">
<meta name="citation_journal_title" content="Journal of Tests">
<meta name="citation_publication_date" content="2019/05/31">
<script>var junk = "script text";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<h1>Strain tuning of Sr2RuO4</h1>
<div class="abstract"><h2>Abstract</h2><p>We apply uniaxial stress to Sr<sub>2</sub>RuO<sub>4</sub> and follow the
 Knight shift through the superconducting transition at 1.5 K.</p></div>
<h2>Introduction</h2>
<p>Sr<sub>2</sub>RuO<sub>4</sub> has been studied for decades.<a href="#cit1"><sup>1</sup></a> Its pairing state is debated.</p>
<table><caption>Table 1 Sample parameters</caption>
<thead><tr><th>Sample</th><th>T<sub>c</sub> (K)</th></tr></thead>
<tbody><tr><td>A</td><td>1.45</td></tr><tr><td>B</td><td>1.50</td></tr></tbody></table>
<figure><img src="f1.png"><figcaption>Fig. 1 Knight shift versus strain.</figcaption></figure>
<h2>References</h2>
<ol class="references"><li>A. Mackenzie and Y. Maeno, Rev. Mod. Phys. 75, 657 (2003).</li></ol>
<footer>Copyright notice in the footer</footer>
</body></html>
"""


def test_html_metadata_table_and_captions(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "article.html", HTML_PAGE))
    meta = doc.metadata
    assert (doc.format, doc.reader) == ("html", "html.generic.v1")
    assert meta.title == "Strain tuning of Sr2RuO4"
    assert meta.doi == "10.1234/abcd.5678"
    assert meta.authors == ("Ada Lovelace", "Alan Turing")
    assert (meta.journal, meta.year) == ("Journal of Tests", 2019)
    assert meta.abstract and meta.abstract.startswith("We apply uniaxial stress to Sr2RuO4")
    assert doc.sections == ("Introduction",)
    body = [p.text for p in doc.paragraphs if p.kind == "body"]
    assert body == ["Sr2RuO4 has been studied for decades. Its pairing state is debated."]
    assert doc.tables[0].caption == "Table 1 Sample parameters"
    assert doc.tables[0].rows == (("Sample", "Tc (K)"), ("A", "1.45"), ("B", "1.50"))
    assert doc.tables[0].header_rows == 1
    assert "Fig. 1 Knight shift versus strain." in doc.captions
    everything = " ".join(p.text for p in doc.paragraphs)
    for junk in ("Mackenzie", "script text", "Home", "Copyright notice"):
        assert junk not in everything


def test_html_doi_from_doi_org_link_and_title_fallback(tmp_path: Path) -> None:
    page = ('<html><head><title>Plain page</title></head><body><p>Article '
            '<a href="https://doi.org/10.1039/B806499G">doi link</a> with enough words to be a paragraph.</p></body></html>')
    doc = read_document(write(tmp_path, "plain.htm", page))
    assert doc.metadata.doi == "10.1039/B806499G"
    assert doc.metadata.title == "Plain page"


def test_a_left_out_citation_mark_still_ends_its_sentence(tmp_path: Path) -> None:
    # As RSC writes it: the superscript is all that sets one sentence apart from the next.
    page = ('<html><body><div><p>Pairs form fast.<a href="#cit11"><sup>11</sup></a><span><a href="x">Copper '
            'sulfide</a></span> (Cu<sub>2</sub>S) is a semiconductor<a href="#cit2"><sup>2,3</sup></a>, and '
            'ZnS<a href="#cit4"><sup>4</sup></a> is another, as shown<a href="#cit5"><sup>5</sup></a>.'
            ' It is used widely in solar cells.</p><p>Doped films.<a href="#cit6"><sup>6</sup></a>Co9S8 has attracted interest in the last decade.</p>'
            '</div></body></html>')
    doc = read_document(write(tmp_path, "cited.html", page))
    texts = [p.text for p in doc.paragraphs]
    assert ("Pairs form fast. Copper sulfide (Cu2S) is a semiconductor, and ZnS is another, as shown. "
            "It is used widely in solar cells.") in texts
    assert "Doped films. Co9S8 has attracted interest in the last decade." in texts


def test_html_table_spans_fill_the_grid(tmp_path: Path) -> None:
    page = """<html><body><table>
    <tr><th rowspan="2">Sample</th><th colspan="2">Tc (K)</th></tr>
    <tr><th>onset</th><th>zero</th></tr>
    <tr><td>A</td><td>39</td><td>38</td></tr></table></body></html>"""
    table = read_document(write(tmp_path, "spans.html", page)).tables[0]
    assert table.rows == (("Sample", "Tc (K)", ""), ("", "onset", "zero"), ("A", "39", "38"))
    assert table.header_rows == 2


def test_xhtml_with_xml_declaration_is_read_as_html(tmp_path: Path) -> None:
    page = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
            '<head><meta name="citation_title" content="An XHTML article"/></head>'
            '<body><p>Body text of an XHTML article with several words.</p></body></html>')
    doc = read_document(write(tmp_path, "page.xml", page))
    assert doc.reader == "html.generic.v1"
    assert doc.metadata.title == "An XHTML article"


# --- XML -------------------------------------------------------------------------------------------

JATS = """<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving DTD v1.2//EN" "JATS-archivearticle1.dtd">
<article xmlns:mml="http://www.w3.org/1998/Math/MathML"><front>
<journal-meta><journal-title-group><journal-title>Nano Letters Test</journal-title></journal-title-group></journal-meta>
<article-meta><article-id pub-id-type="doi">10.1186/s1-2-3</article-id>
<title-group><article-title>Silicon anodes</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Curie</surname><given-names>Marie</given-names></name></contrib></contrib-group>
<pub-date pub-type="epub"><year>2021</year></pub-date>
<abstract><title>Abstract</title><p>Silicon swells on lithiation.</p></abstract></article-meta></front>
<body><sec><title>Introduction</title><p>Silicon stores ten times more lithium than graphite.
<fig id="f1"><label>Fig. 1</label><caption><p>Volume change of Si.</p></caption></fig></p>
<p>The reaction is <inline-formula><alternatives><mml:math><mml:mi>Li</mml:mi></mml:math><tex-math>\\mathrm{Li}</tex-math></alternatives></inline-formula> uptake.</p>
<table-wrap><label>Table 1</label><caption><title>Capacities</title></caption><table>
<thead><tr><th>Anode</th><th>mAh/g</th></tr></thead><tbody><tr><td>Si</td><td>3579</td></tr></tbody></table></table-wrap>
</sec></body>
<back><ref-list><ref><mixed-citation>Reference that must not appear.</mixed-citation></ref></ref-list></back>
</article>"""


def test_jats_xml(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "article.xml", JATS))
    meta = doc.metadata
    assert (doc.format, doc.reader) == ("xml", "xml.jats.v1")
    assert (meta.title, meta.doi, meta.authors, meta.journal, meta.year) == (
        "Silicon anodes", "10.1186/s1-2-3", ("Marie Curie",), "Nano Letters Test", 2021)
    assert meta.abstract == "Silicon swells on lithiation."
    body = [p.text for p in doc.paragraphs if p.kind == "body"]
    assert body == ["Silicon stores ten times more lithium than graphite.", "The reaction is Li uptake."]
    assert doc.sections == ("Introduction",)
    assert doc.captions[0] == "Fig. 1 Volume change of Si."
    assert doc.tables[0].rows == (("Anode", "mAh/g"), ("Si", "3579"))
    assert doc.tables[0].caption == "Table 1 Capacities"


ELSEVIER = """<full-text-retrieval-response xmlns="http://www.elsevier.com/xml/svapi/article/dtd"
 xmlns:ce="http://www.elsevier.com/xml/common/dtd" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/" xmlns:xocs="http://www.elsevier.com/xml/xocs/dtd">
<coredata><prism:doi>10.1016/j.test.2018.01.001</prism:doi><dc:title>Thermal conductivity of Mg2Si </dc:title>
<prism:publicationName>Computational Materials Science</prism:publicationName><prism:coverDate>2018-06-15</prism:coverDate>
<dc:creator>Yu, Rui</dc:creator></coredata>
<originalText><xocs:doc><xocs:serial-item><article><ce:floats>
<ce:table><ce:label>Table 1</ce:label><ce:caption><ce:simple-para>Bond lengths.</ce:simple-para></ce:caption>
<tgroup cols="2"><colspec colname="col1"/><colspec colname="col2"/>
<thead><row><entry>Bond</entry><entry>Length (Å)</entry></row></thead>
<tbody><row><entry>Mg-Si</entry><entry>2.75</entry></row><row><entry namest="col1" nameend="col2">Note row</entry></row></tbody></tgroup></ce:table>
</ce:floats><head><ce:title>Thermal conductivity of Mg2Si</ce:title>
<ce:abstract class="author"><ce:section-title>Abstract</ce:section-title><ce:abstract-sec><ce:simple-para>We compute k for Mg<ce:inf>2</ce:inf>Si.</ce:simple-para></ce:abstract-sec></ce:abstract></head>
<body><ce:sections><ce:section><ce:label>1</ce:label><ce:section-title>Introduction</ce:section-title>
<ce:para>Mg<ce:inf>2</ce:inf>Si is a thermoelectric.</ce:para></ce:section></ce:sections></body>
<tail><ce:bibliography><ce:section-title>References</ce:section-title><ce:bib-reference>Hidden ref</ce:bib-reference></ce:bibliography></tail>
</article></xocs:serial-item></xocs:doc></originalText></full-text-retrieval-response>"""


def test_elsevier_xml_with_cals_table(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "els.xml", ELSEVIER))
    meta = doc.metadata
    assert doc.reader == "xml.elsevier.v1"
    assert (meta.title, meta.doi, meta.year, meta.authors) == (
        "Thermal conductivity of Mg2Si", "10.1016/j.test.2018.01.001", 2018, ("Rui Yu",))
    assert meta.abstract == "We compute k for Mg2Si."
    assert [p.text for p in doc.paragraphs if p.kind == "body"] == ["Mg2Si is a thermoelectric."]
    assert doc.tables[0].rows == (("Bond", "Length (Å)"), ("Mg-Si", "2.75"), ("Note row", ""))
    assert "Hidden ref" not in " ".join(p.text for p in doc.paragraphs)


def test_uspto_patent_xml_has_claims_section(tmp_path: Path) -> None:
    patent = """<?xml version="1.0"?><us-patent-grant><us-bibliographic-data-grant>
    <publication-reference><document-id><country>US</country><date>20050111</date></document-id></publication-reference>
    <invention-title>Hair colorants</invention-title></us-bibliographic-data-grant>
    <abstract><p>Colorants with p-aminophenols.</p></abstract>
    <description><heading>EXAMPLE 1</heading><p>Mix 2 g of dye with water.</p></description>
    <claims><claim><claim-text>1. A colorant comprising a dye.</claim-text></claim></claims></us-patent-grant>"""
    doc = read_document(write(tmp_path, "US1.xml", patent))
    assert doc.reader == "xml.uspto.v1"
    assert (doc.metadata.title, doc.metadata.year) == ("Hair colorants", 2005)
    assert doc.sections == ("EXAMPLE 1", "Claims")
    assert doc.paragraphs[-1].section == "Claims"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
""" + "".join(
    f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
) + """]>
<article><body><p>Laughs: &lol9;</p></body></article>"""


def test_xml_entity_bomb_is_not_expanded(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.xml", BILLION_LAUGHS)
    try:
        doc = read_document(path)
    except ReadError as exc:  # libxml2 may refuse the document outright: equally safe
        assert exc.stage == "parse"
    else:
        text = " ".join(p.text for p in doc.paragraphs)
        assert "lollollol" not in text and len(text) < 1000


def test_xml_external_entity_is_not_loaded(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "TOP-SECRET-CONTENT")
    xml = (f'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
           '<article><body><p>Leak: &xxe; end of paragraph.</p></body></article>')
    doc = read_document(write(tmp_path, "xxe.xml", xml))
    assert "TOP-SECRET" not in " ".join(p.text for p in doc.paragraphs)


# --- errors and format detection ---------------------------------------------------------------------

def test_zero_byte_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="empty file") as info:
        read_document(write(tmp_path, "empty.pdf", b""))
    assert info.value.stage == "open"


def test_missing_file_is_an_open_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as info:
        read_document(tmp_path / "absent.txt")
    assert info.value.stage == "open"


def test_file_over_the_limit(tmp_path: Path) -> None:
    with pytest.raises(TooLarge) as info:
        read_document(write(tmp_path, "big.txt", "x" * 100), max_bytes=10)
    assert info.value.stage == "limits"


@pytest.mark.parametrize("content", [bytes(range(256)) * 8, b"%PDF-1.4\n" + bytes(range(256)) * 8])
def test_garbage_with_pdf_suffix(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(ReadError) as info:
        read_document(write(tmp_path, "broken.pdf", content))
    assert info.value.stage == "pdf"


def test_truncated_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Some text on the page")
    data = bytes(pdf.output())
    with pytest.raises(ReadError) as info:
        read_document(write(tmp_path, "cut.pdf", data[: len(data) // 3]))
    assert info.value.stage == "pdf"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 80, 40)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(NoTextLayer, match=r"no text layer \(scanned\?\)") as info:
        read_document(path)
    assert info.value.stage == "pdf"


def test_encrypted_pdf_needing_a_password(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Confidential results")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(ReadError, match="password") as info:
        read_document(path)
    assert info.value.stage == "pdf"


def test_binary_junk_is_unsupported(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat) as info:
        read_document(write(tmp_path, "data.txt", b"\x00\x01\x02binary\x00" * 50))
    assert info.value.stage == "detect"


def test_format_is_chosen_by_content_not_suffix(tmp_path: Path) -> None:
    html = write(tmp_path, "page.txt", "<html><body><p>Hello from a page with enough words.</p></body></html>")
    xml = write(tmp_path, "data.html", "<?xml version='1.0'?><article><body><p>XML body text.</p></body></article>")
    assert read_document(html).reader == "html.generic.v1"
    assert read_document(xml).format == "xml"


def test_content_hash_is_sha256_of_the_bytes(tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path, "a.txt", "Title\n\nBody text.")
    assert read_document(path).content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


# --- PDF layout on a synthetic paper ----------------------------------------------------------------

def make_paper(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 20)
    pdf.multi_cell(0, 10, "Superconductivity in Layered Nickelates Under Pressure")
    pdf.ln(4)
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(0, 5, "Abstract. We report superconductivity in a layered nickelate under pressure. The "
                   "critical temperature rises with pressure and reaches a maximum at fifteen gigapascal, "
                   "which we explain with a simple model of the electronic structure. doi:10.5555/nick.2024.001")
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 10)
    pdf.cell(0, 6, "1. Introduction", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(0, 5, "Nickelates have long been studied as analogues of the cuprates. In this work we grow "
                   "single crystals by the flux method and measure their resistivity in a diamond anvil cell, "
                   "where the samples show a sharp transition to zero resistance at high pressure.")
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 10)
    pdf.cell(0, 6, "References", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    pdf.multi_cell(0, 5, "[1] A. Author and B. Writer, Journal of Imaginary Physics 12, 345 (2020).")
    pdf.output(str(path))


def test_pdf_title_abstract_heading_and_references(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    make_paper(path)
    doc = read_document(path)
    assert (doc.format, doc.reader) == ("pdf", "pdf.pdfium.v1")  # the default PDF engine
    assert doc.metadata.title == "Superconductivity in Layered Nickelates Under Pressure"
    assert doc.metadata.doi == "10.5555/nick.2024.001"
    assert doc.metadata.abstract and doc.metadata.abstract.startswith("We report superconductivity")
    assert doc.sections == ("1. Introduction",)
    body = [p for p in doc.paragraphs if p.kind == "body"]
    assert len(body) == 1 and body[0].section == "1. Introduction"
    assert "Imaginary Physics" not in " ".join(p.text for p in doc.paragraphs)


# --- finding input files ----------------------------------------------------------------------------

def test_iter_input_files_order_and_filtering(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in ("b.pdf", "A.TXT", "c.md", ".hidden.pdf", "sub/d.xml", "sub/e.HTM", ".git/f.xml", "z.html"):
        write(root, name, "x")
    outside = tmp_path / "outside"
    write(outside, "g.pdf", "x")
    os.symlink(outside, root / "link_out", target_is_directory=True)
    os.symlink(root / "sub", root / "link_in", target_is_directory=True)
    # Linked folders are not entered; a linked file is read only when it points inside the folder
    # (issue 8: a link planted in an input folder must not pull in files from elsewhere).
    os.symlink(outside / "g.pdf", root / "linked.pdf")
    os.symlink(root / "b.pdf", root / "linked_in.pdf")
    refused: list[str] = []
    found = [p.relative_to(root).as_posix()
             for p in iter_input_files([root], on_refused=lambda p, why: refused.append(p.name))]
    assert found == ["A.TXT", "b.pdf", "sub/d.xml", "sub/e.HTM", "z.html"]  # linked_in.pdf is b.pdf
    assert refused == ["linked.pdf"]
    assert list(iter_input_files([str(root)])) == list(iter_input_files([root]))


def test_iter_input_files_takes_named_files_and_rejects_missing(tmp_path: Path) -> None:
    named = write(tmp_path, "notes.md", "x")
    assert list(iter_input_files([named, named])) == [named]
    with pytest.raises(FileNotFoundError):
        list(iter_input_files([tmp_path / "nope"]))


# --- text helpers -----------------------------------------------------------------------------------

def test_text_helpers() -> None:
    assert clean_text("  a\u00a0 b\n\tc\u00ad ") == "a b c"
    assert clean_text("\ufb01ne \ufb02ow") == "fine flow"
    assert join_lines(["super-", "conductivity", "Cu-", "intercalated", "X-", "ray"]) == (
        "superconductivity Cu-intercalated X-ray")
    assert clean_doi("https://doi.org/10.1039/C6OB02074G.") == "10.1039/C6OB02074G"
    assert clean_doi("(doi:10.1103/PhysRevX.8.041024)") == "10.1103/PhysRevX.8.041024"
    assert clean_doi("no doi here") is None
