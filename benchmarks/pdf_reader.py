"""PDF reader speed on both engines against plain pdfminer text extraction, same files, same run.

For every PDF: pdfminer.high_level.extract_text (the baseline: layout analysis, no structure),
ingest.read_document on the pdfminer engine and on the pdfium engine (layout analysis plus
reading order, tables, headings, furniture removal), each best of --repeat runs, the three
alternating so that all see the same machine state. Wall and CPU seconds are both kept: on a
shared machine CPU time is the steadier of the two. Prints one JSON object: pages, seconds and
pages/s for each, the speed-ups (the issue's goal: pdfium at least 10x extract_text), whether
the two engines made the same document of each file, and per file what each engine found.

    python benchmarks/pdf_reader.py [--repeat N] [PDF ...]

With --against REV, the pdfium reader of this working tree is measured against the same reader
at git revision REV (its ingest/ package, run in a worker process of its own) and against
extract_text, the three alternating per file and repeat: before and after on the same machine
state, and whether the two made the same document of each file.

    python benchmarks/pdf_reader.py --against 4e0f85f --repeat 5
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdfminer.high_level import extract_text  # noqa: E402

from ingest import ReadError, read_document  # noqa: E402
from ingest.pdf_engines import ENGINES  # noqa: E402
from ingest.report import document_report  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402

RUNNERS = ("extract_text", *(f"reader_{engine}" for engine in ENGINES))


def read_or_error(path: Path, engine: str) -> object:
    try:
        return read_document(path, pdf_engine=engine)
    except ReadError as exc:
        return exc


def runner(name: str) -> Callable[[Path], object]:
    if name == "extract_text":
        return lambda path: extract_text(str(path))
    engine = name.removeprefix("reader_")
    return lambda path: read_or_error(path, engine)


def timed(fn: Callable[[Path], object], path: Path) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(path)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def found(doc: object) -> dict[str, object]:
    if isinstance(doc, ReadError):
        return {"error": str(doc)}
    report = document_report(doc)  # type: ignore[arg-type]
    return {"pages": report["pages"], "paragraphs": sum(p["kind"] == "body" for p in report["paragraphs"]),
            "sections": len(report["sections"]), "tables": len(report["tables"]),
            "captions": len(report["captions"]), "references": len(report["references"]),
            "table_cells": sum(len(r) for t in report["tables"] for r in t["rows"])}


def same_document(docs: list[object]) -> bool:
    """Whether the engines made the same record of the file, the reader's name aside."""
    reports = []
    for doc in docs:
        if isinstance(doc, ReadError):
            reports.append({"error": doc.message})
            continue
        report = document_report(doc)  # type: ignore[arg-type]
        del report["reader"]
        reports.append(report)
    return all(r == reports[0] for r in reports[1:])


def measure(path: Path, repeat: int) -> dict[str, Any]:
    best: dict[str, list[float]] = {name: [float("inf"), float("inf")] for name in RUNNERS}
    docs: dict[str, object] = {}
    for _ in range(repeat):
        for name in RUNNERS:  # alternating: every runner sees the same machine state
            wall, cpu, result = timed(runner(name), path)
            best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
            docs[name] = result
    readers = [docs[f"reader_{engine}"] for engine in ENGINES]
    entry: dict[str, Any] = {"file": path.name}
    for name in RUNNERS:
        entry[f"{name}_s"], entry[f"{name}_cpu_s"] = round(best[name][0], 3), round(best[name][1], 3)
    for engine, doc in zip(ENGINES, readers):
        entry[engine] = found(doc)
    entry["same_document"] = same_document(readers)
    return entry


def totals(files: list[dict[str, Any]], pages: int, name: str) -> dict[str, object]:
    wall = sum(float(f[f"{name}_s"]) for f in files)
    cpu = sum(float(f[f"{name}_cpu_s"]) for f in files)
    return {"seconds": round(wall, 3), "pages_per_s": round(pages / wall, 3) if wall else None,
            "cpu_seconds": round(cpu, 3), "pages_per_cpu_s": round(pages / cpu, 3) if cpu else None}


def ratio(a: dict[str, object], b: dict[str, object], key: str) -> float | None:
    x, y = a[key], b[key]
    return round(float(x) / float(y), 2) if isinstance(x, float) and isinstance(y, float) and y else None  # type: ignore[arg-type]


# A worker reads one PDF path per line with the pdfium engine of the ingest package first on its
# path, and answers wall and CPU seconds and a digest of the document.
_WORKER = """
import hashlib, json, sys, time, dataclasses
sys.path.insert(0, sys.argv[1])
from ingest import ReadError, read_document
for line in sys.stdin:
    path = line.strip()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        doc = dataclasses.asdict(read_document(path, pdf_engine="pdfium"))
        doc.pop("reader")
    except ReadError as exc:
        doc = {"error": str(exc)}
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    digest = hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()
    print(json.dumps([wall, cpu, digest]), flush=True)
"""


class Worker:
    """A process reading PDFs with the ingest package under `root`."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER, str(root)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def read(self, path: Path) -> tuple[float, float, str]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        wall, cpu, digest = json.loads(self.process.stdout.readline())
        return wall, cpu, digest

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait()


def against(pdfs: list[Path], revision: str, repeat: int) -> dict[str, Any]:
    """extract_text, the pdfium reader at `revision` and the working tree's, alternating."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "-C", str(root), "archive", revision, "ingest"], check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        workers = {"before": Worker(Path(folder)), "after": Worker(root)}
        files = []
        for path in pdfs:
            best = {name: [float("inf"), float("inf")] for name in ("extract_text", *workers)}
            digests: dict[str, str] = {}
            for _ in range(repeat):
                wall, cpu, _text = timed(runner("extract_text"), path)
                best["extract_text"] = [min(best["extract_text"][0], wall), min(best["extract_text"][1], cpu)]
                for name, worker in workers.items():
                    wall, cpu, digests[name] = worker.read(path)
                    best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
            files.append({"file": path.name, **{f"{n}_s": round(b[0], 3) for n, b in best.items()},
                          **{f"{n}_cpu_s": round(b[1], 3) for n, b in best.items()},
                          "same_document": digests["before"] == digests["after"]})
        for worker in workers.values():
            worker.close()
    pages = sum(int(found(read_or_error(path, "pdfium")).get("pages") or 0) for path in pdfs)  # type: ignore[call-overload]
    sums = {name: totals(files, pages, name) for name in ("extract_text", "before", "after")}
    return {
        "benchmark": "pdf_reader --against", "revision": revision, "pdfs": len(files), "pages": pages,
        "repeat": repeat, **sums,
        "speedup": {f"{name}_vs_extract_text{suffix}": ratio(sums["extract_text"], sums[name], key)
                    for name in ("before", "after") for suffix, key in (("", "seconds"), ("_cpu", "cpu_seconds"))},
        "same_document": sum(bool(f["same_document"]) for f in files),
        "files": files,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="runs per file and runner; the best counts")
    ap.add_argument("--against", metavar="REV", help="measure the pdfium reader against itself at this git revision")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted(corpus_path("pdfs").glob("*.pdf"))
    if args.against:
        print(json.dumps(against(pdfs, args.against, args.repeat), indent=2))
        return
    files = [measure(path, args.repeat) for path in pdfs]
    pages = sum(int(f["pdfium"].get("pages") or f["pdfminer"].get("pages") or 0) for f in files)
    sums = {name: totals(files, pages, name) for name in RUNNERS}
    base, miner, ium = sums["extract_text"], sums["reader_pdfminer"], sums["reader_pdfium"]
    speedup = {
        "pdfium_vs_extract_text": ratio(base, ium, "seconds"),
        "pdfium_vs_extract_text_cpu": ratio(base, ium, "cpu_seconds"),
        "pdfium_vs_reader_pdfminer": ratio(miner, ium, "seconds"),
        "pdfium_vs_reader_pdfminer_cpu": ratio(miner, ium, "cpu_seconds"),
    }
    print(json.dumps({
        "benchmark": "pdf_reader",
        "pdfs": len(files),
        "pages": pages,
        "repeat": args.repeat,
        **sums,
        "speedup": speedup,
        "goal_10x_extract_text": bool(speedup["pdfium_vs_extract_text"] and speedup["pdfium_vs_extract_text"] >= 10),
        "pdfminer_reader_within_1_5x_extract_text": float(miner["seconds"]) <= 1.5 * float(base["seconds"]),  # type: ignore[arg-type]
        "same_document": sum(bool(f["same_document"]) for f in files),
        "files": files,
    }, indent=2))


if __name__ == "__main__":
    main()
