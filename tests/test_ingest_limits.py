"""Broken and hostile inputs made here: each is a ReadError (a failure record in a job) and comes
back quickly, never a crash or a hang. Caps on bytes, pages, nesting depth and element count
bound the work instead of a clock; the time bound below only guards against a hang."""
from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fpdf import FPDF

from ingest import ReadError, TooLarge, UnsupportedFormat, read_document
from ingest.errors import EmptyDocument, TooComplex
from ingest.limits import Limits
from ingest.pdf_guard import check_inflation
from mattermine.cli import main
from nlp.pipeline import annotate
from nlp.registry import create
from nlp.sentences import MAX_SENTENCE_CHARS
from tests.conftest import need_corpus

HANG_GUARD_S = 10.0


def read_fails(path: Path, limits: Limits = Limits()) -> ReadError:
    start = time.monotonic()
    with pytest.raises(ReadError) as info:
        read_document(path, limits=limits)
    assert time.monotonic() - start < HANG_GUARD_S
    return info.value


def fifty_megabytes_of_html(path: Path) -> Path:
    row = b"<tr><td>La2CuO4</td><td>38 K</td></tr>\n"
    with path.open("wb") as fh:
        fh.write(b"<html><body><table>")
        for _ in range(50_000_000 // len(row)):
            fh.write(row)
        fh.write(b"</table></body></html>")
    return path


def deeply_nested_html(path: Path, depth: int = 20_000) -> Path:
    path.write_bytes(b"<html><body>" + b"<div>" * depth + b"deep text" + b"</div>" * depth + b"</body></html>")
    return path


def truncated_corpus_pdf(path: Path) -> Path:
    data = need_corpus("pdfs", "chemsci2022_red_fluorescent_proteins.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_truncated_real_pdf(tmp_path: Path) -> None:
    error = read_fails(truncated_corpus_pdf(tmp_path / "half.pdf"))
    assert error.stage == "pdf" and "truncated or damaged" in error.message


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "random.pdf"
    path.write_bytes(os.urandom(200_000))
    assert read_fails(path).stage == "pdf"


def test_random_bytes_after_a_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "header-only.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(200_000))
    assert read_fails(path).stage == "pdf"


def test_fifty_megabyte_html_is_over_the_markup_limit(tmp_path: Path) -> None:
    error = read_fails(fifty_megabytes_of_html(tmp_path / "huge.html"))
    assert isinstance(error, TooLarge) and error.stage == "limits" and "HTML" in error.message


def test_deeply_nested_html(tmp_path: Path) -> None:
    error = read_fails(deeply_nested_html(tmp_path / "deep.html"))
    assert isinstance(error, TooComplex) and "nested more than 200 levels" in error.message


def test_deeply_nested_xml(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(b"<article>" + b"<sec>" * 5000 + b"text" + b"</sec>" * 5000 + b"</article>")
    assert read_fails(path).stage in ("parse", "limits")  # libxml2 itself refuses past 256 levels


def test_element_count_cap(tmp_path: Path) -> None:
    path = tmp_path / "many.html"
    path.write_text("<html><body>" + "<p>x</p>" * 2000 + "</body></html>")
    error = read_fails(path, Limits(max_elements=1000))
    assert isinstance(error, TooComplex) and "1,000 elements" in error.message


def test_page_cap(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for n in range(3):
        pdf.add_page()
        pdf.cell(text=f"Page {n + 1} of a long report on perovskite solar cells")
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    error = read_fails(path, Limits(max_pages=2))
    assert isinstance(error, TooComplex) and "more than 2 pages" in error.message
    assert read_document(path).pages == 3


def test_wrong_extension_is_read_by_content_or_refused(tmp_path: Path) -> None:
    png = tmp_path / "figure.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4000))
    assert isinstance(read_fails(png), UnsupportedFormat)
    text = tmp_path / "notes.pdf"
    text.write_text("Notes on the furnace\n\nThe furnace was at 900 C all night.\n")
    assert read_fails(text).stage == "pdf"  # a .pdf without PDF bytes is a broken PDF, not text


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("home")
    yield path
    CliRunner().invoke(main, ["graph", "stop", "--data-dir", str(path)])


def test_extract_job_writes_one_failure_record_per_broken_file(home: Path, tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    truncated_corpus_pdf(papers / "truncated.pdf")
    (papers / "random.pdf").write_bytes(os.urandom(100_000))
    (papers / "empty.txt").write_bytes(b"")
    fifty_megabytes_of_html(papers / "huge.html")
    deeply_nested_html(papers / "deep.html")
    (papers / "good.txt").write_text("Zinc oxide films\n\nZnO films have a band gap of 3.3 eV.\n")
    failures = tmp_path / "failures.jsonl"
    start = time.monotonic()
    result = CliRunner().invoke(
        main, ["extract", str(papers), "--failures", str(failures), "--json", "--workers", "1"],
        env={"MATTERMINE_HOME": str(home), "NEO4J_URI": ""}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - start < 6 * HANG_GUARD_S
    summary = json.loads(result.output[result.output.index("{"):])
    assert (summary["documents"], summary["read"], summary["failed"]) == (6, 1, 5)
    records = {Path(r["path"]).name: r for r in map(json.loads, failures.read_text().splitlines())}
    assert {name: r["stage"] for name, r in records.items()} == {
        "truncated.pdf": "pdf", "random.pdf": "pdf", "empty.txt": "open", "huge.html": "limits",
        "deep.html": "limits"}
    assert "over the limit" in records["huge.html"]["error"]


def _one_page_pdf(contents_dict: bytes, stream: bytes) -> bytes:
    """A minimal PDF whose single page draws `stream` (with the given stream dictionary)."""
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n"
            b"4 0 obj\n" + contents_dict + b"\nstream\n" + stream + b"\nendstream\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


@pytest.mark.parametrize("layers", [1, 2])
def test_flate_bomb_is_refused_before_any_engine_inflates_it(tmp_path: Path, layers: int) -> None:
    # 200 MB of page content in a 0.2 MB file (a second Flate layer: 0.8 kB); a reader that
    # inflated it held a worker for the whole job time limit.
    stream = zlib.compress(b"BT /F1 12 Tf (x) Tj ET " * 8_700_000, 9)
    filters = b"/FlateDecode"
    for _ in range(layers - 1):
        stream, filters = zlib.compress(stream, 9), filters + b" /FlateDecode"
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_one_page_pdf(b"<< /Length %d /Filter [%s] >>" % (len(stream), filters), stream))
    error = read_fails(path)
    assert isinstance(error, TooComplex) and "compression bomb" in error.message


def test_journal_pdfs_are_well_inside_the_inflation_budget() -> None:
    folder = need_corpus("pdfs")
    for path in sorted(folder.glob("*.pdf")):
        data = path.read_bytes()
        assert check_inflation(data, Limits()) < 10 * len(data), path.name


def test_whitespace_only_markup_is_a_failure_not_an_empty_paper(tmp_path: Path) -> None:
    for name, body in [("blank.html", "<html><body>  \n\n </body></html>"), ("blank.txt", " \n\t\n  \n"),
                       ("blank.xml", "<article><front/><body><p>  </p></body></article>")]:
        path = tmp_path / name
        path.write_text(body)
        error = read_fails(path)
        assert isinstance(error, EmptyDocument) and error.stage == "parse", name


def test_script_inside_a_jats_title_is_not_title_text(tmp_path: Path) -> None:
    path = tmp_path / "article.xml"
    path.write_text("<article><front><article-meta><title-group><article-title>Band gaps <script>alert(1)</script>"
                    "of rutile</article-title></title-group></article-meta></front>"
                    "<body><p>Rutile has a band gap of 3.0 eV.</p></body></article>")
    assert read_document(path).metadata.title == "Band gaps of rutile"


def test_text_without_sentence_boundaries_is_annotated_in_bounded_chunks(tmp_path: Path) -> None:
    # Over spaCy's 1,000,000-character limit in one run without a full stop: it used to fail
    # in the nlp stage and lose the document.
    path = tmp_path / "dump.txt"
    path.write_text("Measurements\n\n" + "the band gap of rutile tio2 is 3.0 ev " * 30_000)
    doc = read_document(path)
    (annotated,) = annotate([doc], create("ner.rules.v1"))
    assert len(annotated.sentences) > 300
    assert max(len(s.text) for s in annotated.sentences) <= MAX_SENTENCE_CHARS


@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
def test_a_page_over_the_per_page_cap_is_skipped_and_the_rest_is_read(tmp_path: Path, engine: str) -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    pdf.add_page()
    pdf.multi_cell(w=0, text="Perovskite solar cells reach a power conversion efficiency of 25 % in this report. " * 3)
    pdf.add_page()
    pdf.multi_cell(w=0, text="Dense figure labels and drawing instructions fill this page completely. " * 60)
    path = tmp_path / "dense.pdf"
    pdf.output(str(path))
    # Caps just above the first page's size and below the second's.
    limits = Limits(max_page_chars=1_000, max_page_content_bytes=2_000)
    doc = read_document(path, limits=limits, pdf_engine=engine)
    assert doc.pages == 2 and "power conversion efficiency" in " ".join(p.text for p in doc.text_blocks())
    assert "Dense figure labels" not in " ".join(p.text for p in doc.text_blocks())
    assert "pages skipped, over the per-page cap on content: 2" in doc.warnings
