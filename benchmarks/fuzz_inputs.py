"""Fuzz tally: generates broken and hostile inputs (mattermine.fuzzing, plus truncated and
bit-flipped copies of the public PDFs when the corpora are present), runs one extraction job over
them into a fresh local graph, and prints one JSON object: inputs, failure records, correct
documents, crashes, hangs (documents killed at the time limit), per stage and per kind.

    python benchmarks/fuzz_inputs.py [--seed 8] [--doc-timeout 60] [--workers 2]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.connect import GraphConfig, open_store  # noqa: E402
from graph.local_server import LocalServer  # noqa: E402
from mattermine.corpora import CorpusMissing, corpus_path  # noqa: E402
from mattermine.extract import ExtractOptions, run_extract  # noqa: E402
from mattermine.fuzzing import SECRET, Case, make_hostile_inputs  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "demo"


def real_pdf_cases(folder: Path, rng: random.Random) -> list[Case]:
    """Truncated and corrupted copies of the real papers: layouts the demo PDFs do not have."""
    try:
        pdfs = sorted(corpus_path("pdfs").glob("*.pdf"))
    except CorpusMissing:
        return []
    cases = []
    for i, pdf in enumerate(pdfs):
        data = pdf.read_bytes()
        (folder / f"real-truncated-{i}.pdf").write_bytes(data[:rng.randint(1, len(data) - 1)])
        flipped = bytearray(data)
        for _ in range(50):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        (folder / f"real-bitflip-{i}.pdf").write_bytes(bytes(flipped))
        cases += [Case(f"real-truncated-{i}.pdf", "truncated pdf"), Case(f"real-bitflip-{i}.pdf", "corrupted pdf")]
    return cases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--doc-timeout", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mm-fuzz-") as tmp:
        folder = Path(tmp) / "in"
        cases = make_hostile_inputs(folder, Path(tmp) / "outside", DEMO, args.seed)
        cases += real_pdf_cases(folder, random.Random(args.seed))
        config = GraphConfig.from_env(data_dir=Path(tmp) / "home", neo4j_uri="")
        store, _ = open_store(config)
        log = Path(tmp) / "failures.jsonl"
        crashed = ""
        start = time.perf_counter()
        try:
            summary = run_extract([folder], store, ExtractOptions(workers=args.workers, doc_timeout=args.doc_timeout), log)
        except Exception as exc:  # noqa: BLE001 - a crash of the job is what this counts
            crashed = f"{type(exc).__name__}: {exc}"
        seconds = round(time.perf_counter() - start, 1)
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
        docs = {os.path.realpath(p): c for p, c in store.read("MATCH (d:Document) RETURN d.path, d.complete").rows}
        leaked = store.read("MATCH (s:Sentence) WHERE s.text CONTAINS $t OR s.text CONTAINS $l RETURN count(s)",
                            {"t": SECRET, "l": "lol" * 40}).rows[0][0]
        store.close()
        LocalServer(config.server_dir).stop()
        # Before the folder goes away: a link inside it resolves to the document read through it.
        failed = {r["path"] for r in records}
        outcome: dict[str, Counter[str]] = {}
        for case in cases:
            path = str(folder / case.name).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            kind = ("failure record" if path in failed else
                    "correct document" if docs.get(os.path.realpath(path)) is True else "no record (see note)")
            outcome.setdefault(case.kind, Counter())[kind] += 1
    out: dict[str, Any] = {
        "benchmark": "fuzz_inputs", "seed": args.seed, "doc_timeout_s": args.doc_timeout,
        "inputs": len(cases), "failure_records": len(records),
        "correct_documents": sum(1 for c in docs.values() if c is True),
        "crashes": int(bool(crashed)) + sum(1 for r in records if r["stage"] == "crash"),
        "hangs": sum(1 for r in records if r["stage"] == "timeout"),
        "killed_at_time_limit": sorted(Path(r["path"]).name for r in records if r["stage"] == "timeout"),
        "job_crash": crashed or None, "secret_or_expanded_entity_in_graph": leaked,
        "seconds": seconds, "documents_per_s": round(len(cases) / seconds, 2),
        "failure_records_by_stage": dict(Counter(r["stage"] for r in records)),
        "outcome_by_kind": {k: dict(v) for k, v in sorted(outcome.items())},
        "note": "hangs: documents killed at the per-document time limit, each a failure record with "
                "stage 'timeout'; no record: a symlinked folder, which the walk does not enter",
    }
    if not crashed:
        out["summary"] = {k: getattr(summary, k) for k in ("documents", "read", "skipped", "failed")}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
