"""Render two of the demo .txt documents as PDFs (fpdf2, core fonts only).

Usage (from anywhere):  python corpora/demo/make_pdfs.py

Each source .txt holds a title on its first line, a blank line, then paragraphs separated by blank
lines. The PDF repeats exactly that text: the title in a larger bold font, then the paragraphs, so
text extracted from the PDF can be compared with the .txt file. The two sources are written in
Latin-1-safe characters because the PDF core fonts (Times) only cover Latin-1; a non-Latin-1
character makes the script stop with an error instead of being silently replaced.

The output is deterministic: the creation date, producer and all metadata are fixed, so re-running
the script with the same fpdf2 version gives byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FIXED_DATE = dt.datetime(2024, 1, 1, 0, 0, 0, tzinfo=dt.timezone.utc)

# (source .txt, output .pdf, page format, body font size in pt, line height in mm); the A5 page is
# given as (width, height) in mm because fpdf2 warns about its changed built-in "A5" size.
# The LiFePO4 document is set on A5 paper so that it runs onto a second page, with a paragraph
# split across the page break; the silicon document fits on one A4 page.
DOCUMENTS = [
    ("lifepo4_olivine_cathode.txt", "lifepo4_olivine_cathode.pdf", (148, 210), 12, 6.2),
    ("silicon_band_gap.txt", "silicon_band_gap.pdf", "A4", 11, 5.6),
]


def read_document(path: Path) -> tuple[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise SystemExit(f"{path.name}: character outside Latin-1 at offset {exc.start}: "
                         f"{text[exc.start]!r}; core PDF fonts cannot show it")
    title, _, body = text.partition("\n")
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    return title.strip(), paragraphs


def render(src: Path, dst: Path, page_format: str | tuple[float, float], size: float, line_h: float) -> int:
    title, paragraphs = read_document(src)
    pdf = FPDF(orientation="P", unit="mm", format=page_format)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("mattermine corpora/demo/make_pdfs.py (fpdf2)")
    pdf.set_creator("mattermine corpora/demo/make_pdfs.py")
    pdf.set_title(title)
    pdf.set_author("mattermine team")
    pdf.set_subject("mattermine demo corpus")
    pdf.set_lang("en")
    margin = 18 if page_format != "A4" else 25
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(auto=True, margin=margin)
    pdf.add_page()

    pdf.set_font("Times", style="B", size=size + 5)
    pdf.multi_cell(0, line_h + 1.5, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(line_h)

    pdf.set_font("Times", size=size)
    for i, para in enumerate(paragraphs):
        if i:
            pdf.ln(line_h * 0.6)
        pdf.multi_cell(0, line_h, para, align="J", new_x="LMARGIN", new_y="NEXT")

    pdf.output(str(dst))
    return pdf.pages_count


def main() -> int:
    for src, dst, fmt, size, line_h in DOCUMENTS:
        pages = render(HERE / src, HERE / dst, fmt, size, line_h)
        print(f"{dst}: {pages} page(s), {(HERE / dst).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
