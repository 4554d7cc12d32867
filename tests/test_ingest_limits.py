"""Broken and hostile inputs made here: each is a ReadError (a failure record in a job) and comes
back quickly, never a crash or a hang. Caps on bytes, pages, nesting depth and element count
bound the work instead of a clock; the time bound below only guards against a hang."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fpdf import FPDF

from ingest import ReadError, TooLarge, UnsupportedFormat, read_document
from ingest.errors import TooComplex
from ingest.limits import Limits
from mattermine.cli import main
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
