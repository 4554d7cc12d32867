"""Publisher readers are chosen by content: each says why it declines a page, and the document
records the reader that read it and the reasons of those that did not."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ingest import read_document
from ingest.report import document_report, format_report
from mattermine.cli import main


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PROSE = ("The films were annealed in oxygen and measured again after each step, so that the change of "
         "the transition could be followed over the whole series.")


def test_rsc_page_is_read_by_the_rsc_reader(tmp_path: Path) -> None:
    page = f"""<html><head><meta name="DC.publisher" content="Royal Society of Chemistry">
    <meta name="citation_title" content="Cobalt nanoparticles"><meta name="citation_doi" content="10.1039/C2JM33712F">
    </head><body><div class="left_head">Journal of Materials Chemistry Issue 40</div>
    <p class="header_text">Neha Arora and Balaji R. Jagirdar, Department of Inorganic Chemistry</p>
    <p class="abstract">{PROSE} This sentence makes the abstract long enough to count as one.</p>
    <h2><span class="a_heading">Introduction</span></h2><p>{PROSE}</p>
    <table><tr><td><img src="f1.gif"></td></tr><tr><td class="image_title"><b>Fig. 1</b> TEM images.</td></tr></table>
    </body></html>"""
    doc = read_document(write(tmp_path, "rsc.html", page))
    assert (doc.reader, doc.declined) == ("html.rsc.v1", ())
    assert doc.metadata.abstract and doc.metadata.abstract.startswith("The films were annealed")
    assert doc.sections == ("Introduction",)
    assert [p.text for p in doc.paragraphs if p.kind == "body"] == [PROSE]
    assert doc.captions == ("Fig. 1 TEM images.",)


def test_acs_page_takes_its_journal_from_the_title(tmp_path: Path) -> None:
    page = f"""<html><head><title>Quinoline Carboxamides - Journal of Medicinal Chemistry (ACS Publications)</title>
    <meta name="dc.Title" content="Quinoline Carboxamides"><meta name="dc.Publisher" content="American Chemical Society">
    <meta name="dc.Identifier" scheme="doi" content="10.1021/acs.jmedchem.6b00723">
    <meta name="dc.Creator" content="Beatriz Baragaña"></head><body>
    <article class="article"><h1 class="articleTitle">Quinoline Carboxamides</h1>
    <div id="articleMeta"><span>Beatriz Baragaña</span></div>
    <div class="hlFld-Abstract"><p class="articleBody_abstractText">{PROSE}</p></div>
    <h2>Introduction</h2><div class="NLM_p">{PROSE}</div>
    <ol id="references"><li>A reference that must not appear in the body text at all.</li></ol></article>
    <div class="tab-pane" id="relatedContent"><p>Recommended articles that must not appear either, however long.</p></div>
    </body></html>"""
    doc = read_document(write(tmp_path, "acs.html", page))
    assert doc.reader == "html.acs.v1"
    assert doc.declined[0][0] == "html.rsc.v1" and "Royal Society of Chemistry" in doc.declined[0][1]
    meta = doc.metadata
    assert (meta.journal, meta.doi, meta.authors) == (
        "Journal of Medicinal Chemistry", "10.1021/acs.jmedchem.6b00723", ("Beatriz Baragaña",))
    assert [p.text for p in doc.paragraphs if p.kind == "body"] == [PROSE]


LATEXML = f"""<!DOCTYPE html><html><head><title>[2401.00001] Strain in nickelates</title></head><body>
<div class="ltx_page_main"><article class="ltx_document ltx_authors_1line">
<h1 class="ltx_title ltx_title_document">Strain-tuned superconductivity in nickelate films</h1>
<div class="ltx_authors"><span class="ltx_creator ltx_role_author"><span class="ltx_personname">Ada Lovelace<br class="ltx_break">Analytical Engine Institute</span></span>
<span class="ltx_creator ltx_role_author"><span class="ltx_personname">Alan Turing<br class="ltx_break">Bletchley Park</span></span></div>
<div class="ltx_abstract"><h6 class="ltx_title ltx_title_abstract">Abstract</h6><p class="ltx_p">{PROSE}</p></div>
<section id="S1" class="ltx_section"><h2 class="ltx_title ltx_title_section"><span class="ltx_tag ltx_tag_section">1 </span>Introduction</h2>
<div id="S1.p1" class="ltx_para"><p class="ltx_p">{PROSE}<span class="ltx_note ltx_role_footnote"><sup class="ltx_note_mark">1</sup>
<span class="ltx_note_outer"><span class="ltx_note_content">A footnote that is not running text.</span></span></span></p></div>
<figure id="S1.T1" class="ltx_table"><figcaption class="ltx_caption"><span class="ltx_tag ltx_tag_table">Table 1: </span>Critical temperatures</figcaption>
<table class="ltx_tabular"><thead><tr><th class="ltx_td">Film</th><th class="ltx_td">Tc (K)</th></tr></thead>
<tbody><tr><td class="ltx_td">La3Ni2O7</td><td class="ltx_td">42</td></tr><tr><td class="ltx_td">La2PrNi2O7</td><td class="ltx_td">48</td></tr></tbody></table></figure>
</section><section class="ltx_bibliography"><h2 class="ltx_title ltx_title_bibliography">References</h2>
<ul class="ltx_biblist"><li class="ltx_bibitem">A. Author, Phys. Rev. B 1, 1 (2020), a reference that stays out.</li></ul></section>
</article></div></body></html>"""


def test_arxiv_latexml_page(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "2401.00001.html", LATEXML))
    assert doc.reader == "html.arxiv.v1"
    assert [name for name, _ in doc.declined] == ["html.rsc.v1", "html.acs.v1"]
    meta = doc.metadata
    assert meta.title == "Strain-tuned superconductivity in nickelate films"
    assert meta.authors == ("Ada Lovelace", "Alan Turing")
    assert meta.abstract == PROSE
    assert doc.sections == ("1 Introduction",)
    assert [p.text for p in doc.paragraphs if p.kind == "body"] == [PROSE]
    assert doc.tables[0].rows == (("Film", "Tc (K)"), ("La3Ni2O7", "42"), ("La2PrNi2O7", "48"))
    assert doc.tables[0].caption == "Table 1: Critical temperatures"
    assert doc.references == ("A. Author, Phys. Rev. B 1, 1 (2020), a reference that stays out.",)


def test_unknown_page_falls_through_to_the_generic_reader_with_every_reason(tmp_path: Path) -> None:
    page = f"<html><head><title>A lab notebook page</title></head><body><h1>Notes</h1><p>{PROSE}</p></body></html>"
    doc = read_document(write(tmp_path, "notes.html", page))
    assert doc.reader == "html.generic.v1"
    declined = dict(doc.declined)
    assert list(declined) == ["html.rsc.v1", "html.acs.v1", "html.arxiv.v1"]
    assert "Royal Society of Chemistry" in declined["html.rsc.v1"]
    assert "American Chemical Society" in declined["html.acs.v1"]
    assert "LaTeXML" in declined["html.arxiv.v1"]


def test_xml_readers_record_why_they_declined(tmp_path: Path) -> None:
    xml = ('<?xml version="1.0"?><article><front><article-meta><title-group><article-title>Silicon anodes'
           f'</article-title></title-group></article-meta></front><body><p>{PROSE}</p></body></article>')
    doc = read_document(write(tmp_path, "jats.xml", xml))
    assert doc.reader == "xml.jats.v1"
    assert [name for name, _ in doc.declined] == ["xml.elsevier.v1"]
    other = read_document(write(tmp_path, "other.xml", f"<report><title>Lab report</title><p>{PROSE}</p></report>"))
    assert other.reader == "xml.generic.v1"
    assert "<report>" in dict(other.declined)["xml.uspto.v1"]


def test_report_lists_reader_metadata_tables_and_captions(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "2401.00001.html", LATEXML))
    data = document_report(doc)
    assert data["reader"] == "html.arxiv.v1" and data["declined"][0]["reader"] == "html.rsc.v1"
    assert data["tables"][0]["rows"][1] == ["La3Ni2O7", "42"] and data["tables"][0]["header_rows"] == 1
    assert json.loads(json.dumps(data)) == data
    text = format_report(doc)
    for piece in ("reader:    html.arxiv.v1", "declined:  html.rsc.v1:", "authors:   Ada Lovelace, Alan Turing",
                  "sections (1):", "| La3Ni2O7   | 42     |", "Table 1: Critical temperatures"):
        assert piece in text


def test_parse_command_prints_json_and_text(tmp_path: Path) -> None:
    path = write(tmp_path, "2401.00001.html", LATEXML)
    result = CliRunner().invoke(main, ["parse", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["metadata"]["title"] == "Strain-tuned superconductivity in nickelate films"
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0 and "paragraphs (1):" in result.output


def test_parse_command_reports_an_unreadable_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "broken PDF" in result.output and "stage: pdf" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_parse_command_reports_a_reader_bug_in_one_line_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    import ingest

    def buggy(*args: object, **kwargs: object) -> None:
        raise TypeError("int() argument must be a string, not 'NoneType'")

    monkeypatch.setattr(ingest, "read_document", buggy)
    path = write(tmp_path, "paper.txt", PROSE)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: ") and "TypeError: int() argument" in result.output
    assert len(result.output.strip().splitlines()) == 1
