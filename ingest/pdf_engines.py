"""The PDF engines by name, apart from the engines themselves: the CLI and the job settings name
them without importing pdfminer or pdfium."""
from __future__ import annotations

# "pdfium" reads the golden corpus as "pdfminer" does (tests/test_ingest_golden.py runs on both)
# and about eight times faster: three to four times on figure-heavy and scanned papers, fifteen on
# text-dense ones (benchmarks/pdf_reader.py), so it is the default; pdfminer.six stays selectable.
ENGINES = ("pdfium", "pdfminer")
DEFAULT_ENGINE = "pdfium"
READERS = {"pdfium": "pdf.pdfium.v1", "pdfminer": "pdf.pdfminer.v1"}  # recorded on each document


def check_engine(name: str) -> str:
    """`name` if it names an engine; ValueError, saying which ones there are, if not."""
    if name not in READERS:
        raise ValueError(f"unknown PDF engine {name!r}: choose one of {', '.join(ENGINES)}")
    return name
