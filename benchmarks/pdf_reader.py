"""PDF reader speed against plain pdfminer text extraction, on the same files in the same run.

For every PDF: pdfminer.high_level.extract_text (the baseline: layout analysis, no structure)
and ingest.read_document (layout analysis plus reading order, tables, headings, furniture
removal), best of --repeat runs each, alternating so both see the same machine state. Prints
one JSON object: pages, seconds and pages/s for both, the ratio of the times (the reader may
cost at most 1.5x), and per file what the reader found.

    python benchmarks/pdf_reader.py [--repeat N] [PDF ...]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdfminer.high_level import extract_text  # noqa: E402

from ingest import ReadError, read_document  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402


def best_of(repeat: int, fn, *args):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def read_or_error(path: Path) -> object:
    try:
        return read_document(path)
    except ReadError as exc:
        return exc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=2, help="runs per file and extractor; the best counts")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted(corpus_path("pdfs").glob("*.pdf"))
    files = []
    for path in pdfs:
        base_s, _ = best_of(args.repeat, extract_text, str(path))
        ours_s, doc = best_of(args.repeat, read_or_error, path)
        entry: dict[str, object] = {"file": path.name, "extract_text_s": round(base_s, 3), "reader_s": round(ours_s, 3)}
        if isinstance(doc, ReadError):
            entry["error"] = str(doc)
        else:
            entry.update(pages=doc.pages, paragraphs=sum(p.kind == "body" for p in doc.paragraphs),  # type: ignore[union-attr]
                         sections=len(doc.sections), tables=len(doc.tables), captions=len(doc.captions),  # type: ignore[union-attr]
                         table_cells=sum(len(r) for t in doc.tables for r in t.rows))  # type: ignore[union-attr]
        files.append(entry)
    pages = sum(int(f.get("pages") or 0) for f in files)
    base = sum(float(f["extract_text_s"]) for f in files)  # type: ignore[arg-type]
    ours = sum(float(f["reader_s"]) for f in files)  # type: ignore[arg-type]
    print(json.dumps({
        "benchmark": "pdf_reader",
        "pdfs": len(files),
        "pages": pages,
        "repeat": args.repeat,
        "extract_text": {"seconds": round(base, 3), "pages_per_s": round(pages / base, 3) if base else None},
        "reader": {"seconds": round(ours, 3), "pages_per_s": round(pages / ours, 3) if ours else None},
        "time_ratio": round(ours / base, 3) if base else None,
        "within_1_5x": bool(base) and ours <= 1.5 * base,
        "files": files,
    }, indent=2))


if __name__ == "__main__":
    main()
