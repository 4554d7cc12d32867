"""The extraction job: files -> ParsedDocument -> AnnotatedDocument -> graph, never stopping for one
bad document. Every failure is a JSONL record (path, stage, error); documents already complete in
the graph (by content hash) are skipped, and every write is an idempotent batched MERGE."""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from graph import cypher
from graph.batch import build_batch
from graph.store import GraphStore, QueryError, WriteStats
from ingest.files import iter_input_files
from ingest.reader import read_document
from ingest.records import ParsedDocument, content_hash
from nlp import registry
from nlp.pipeline import annotate


@dataclass(frozen=True)
class ExtractOptions:
    tagger: str = "ner.rules.v1"
    workers: int = 0  # reader processes; 0 = one per core, 1 = read in this process
    batch_docs: int = 64  # documents per graph write
    chunk_rows: int = 1000  # rows per UNWIND statement
    force: bool = False  # re-extract documents already complete in the graph
    failures_path: Path | None = None
    data_dir: Path | None = None  # where trained models are looked up by name


@dataclass
class ExtractSummary:
    job_id: str
    documents: int = 0  # input files found
    read: int = 0
    skipped: int = 0  # already complete in the graph
    failed: int = 0
    sentences: int = 0
    mentions: int = 0
    entities: int = 0  # distinct (type, key) per write batch, summed
    facts: int = 0
    seconds: float = 0.0
    failures_path: str = ""
    writes: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Failure:
    path: str
    stage: str  # "open" | "read" | "pdf" | "nlp" | "graph" | ...
    error: str


Progress = Callable[[int, int, int], None]  # (done, total, failed)


def _read_one(path: str) -> ParsedDocument | Failure:
    """Runs in a worker process: never raises, so one bad file cannot take the pool down."""
    from ingest.errors import ReadError

    try:
        return read_document(path)
    except ReadError as exc:
        return Failure(path, getattr(exc, "stage", "read"), str(exc))
    except Exception as exc:  # noqa: BLE001 - a reader bug on one file must not stop the job
        return Failure(path, "read", f"{type(exc).__name__}: {exc}")


def _hash_file(path: Path) -> str | Failure:
    try:
        return content_hash(path.read_bytes())
    except OSError as exc:
        return Failure(str(path), "open", f"{type(exc).__name__}: {exc.strerror or exc}")


class FailureLog:
    def __init__(self, path: Path, job_id: str) -> None:
        self.path = path
        self.job_id = job_id
        self.count = 0

    def record(self, failure: Failure) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"job": self.job_id, "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                 **asdict(failure)}, ensure_ascii=False) + "\n")
        self.count += 1


def job_id_for(files: Sequence[Path]) -> str:
    digest = hashlib.sha256("\n".join(map(str, files)).encode()).hexdigest()[:8]
    return time.strftime("%Y%m%d-%H%M%S-") + digest


def _completed(store: GraphStore, keys: list[str]) -> set[str]:
    done: set[str] = set()
    for i in range(0, len(keys), 1000):
        done.update(row[0] for row in store.read(cypher.COMPLETED_DOCUMENTS, {"ids": keys[i:i + 1000]}).rows)
    return done


def _parsed(files: list[Path], workers: int, log: FailureLog) -> Iterator[ParsedDocument]:
    paths = [str(p) for p in files]
    if workers <= 1 or len(paths) <= 1:
        results: Iterable[ParsedDocument | Failure] = map(_read_one, paths)
        pool = None
    else:
        # spawn, not fork: the parent may hold driver threads and sockets.
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        results = pool.map(_read_one, paths, chunksize=1)
    try:
        for res in results:
            if isinstance(res, Failure):
                log.record(res)
            else:
                yield res
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _annotate_isolated(docs: list[ParsedDocument], tagger: Any, log: FailureLog) -> list[tuple[ParsedDocument, Any]]:
    """Annotate a chunk together (big tagger batches); if that fails, one by one to find the culprit."""
    try:
        return list(zip(docs, annotate(docs, tagger)))
    except Exception:  # noqa: BLE001 - isolate below
        pairs: list[tuple[ParsedDocument, Any]] = []
        for doc in docs:
            try:
                pairs.extend(zip([doc], annotate([doc], tagger)))
            except Exception as exc:  # noqa: BLE001
                log.record(Failure(doc.source_path, "nlp", f"{type(exc).__name__}: {exc}"))
        return pairs


def _write(store: GraphStore, pairs: list[tuple[ParsedDocument, Any]], options: ExtractOptions,
           log: FailureLog, summary: ExtractSummary, totals: WriteStats) -> None:
    try:
        batch = build_batch(pairs)
        totals.add(store.write(batch, chunk_rows=options.chunk_rows))
        written = [batch]
    except QueryError:
        # The server rejected something in this batch: write documents one by one to isolate it.
        written = []
        for pair in pairs:
            batch = build_batch([pair])
            try:
                totals.add(store.write(batch, chunk_rows=options.chunk_rows))
                written.append(batch)
            except QueryError as exc:
                log.record(Failure(pair[0].source_path, "graph", str(exc)))
    for batch in written:
        summary.read += batch.counts["documents"]
        summary.sentences += batch.counts["sentences"]
        summary.mentions += batch.counts["mentions"]
        summary.entities += batch.counts["entities"]
        summary.facts += batch.counts["facts"]


def run_extract(paths: Iterable[str | Path], store: GraphStore, options: ExtractOptions,
                failures_path: Path, progress: Progress | None = None) -> ExtractSummary:
    start = time.perf_counter()
    missing = [Path(p) for p in paths if not Path(p).exists()]
    files = list(iter_input_files([p for p in paths if Path(p).exists()]))
    summary = ExtractSummary(job_id=job_id_for(files), documents=len(files) + len(missing),
                             failures_path=str(failures_path))
    log = FailureLog(failures_path, summary.job_id)
    for p in missing:
        log.record(Failure(str(p), "open", "no such file or directory"))

    store.ensure_schema()
    tagger = registry.create_from_spec(options.tagger, data_dir=options.data_dir)

    # Hash first (cheap) so documents already complete in the graph are never parsed again.
    hashes: dict[Path, str] = {}
    for f in files:
        h = _hash_file(f)
        if isinstance(h, Failure):
            log.record(h)
        else:
            hashes[f] = h
    done = set() if options.force else _completed(store, sorted(set(hashes.values())))
    todo, seen = [], set()
    for f, h in hashes.items():
        if h in done or h in seen:  # identical bytes under two names: one document
            summary.skipped += 1
        else:
            seen.add(h)
            todo.append(f)

    workers = options.workers or (os.cpu_count() or 1)
    totals = WriteStats()
    pending: list[ParsedDocument] = []

    def report() -> None:
        # Documents parsed so far (written or waiting in the current batch), skipped and failed.
        if progress:
            progress(summary.read + len(pending) + summary.skipped + log.count, summary.documents, log.count)

    def flush() -> None:
        if pending:
            _write(store, _annotate_isolated(pending, tagger, log), options, log, summary, totals)
            pending.clear()
        report()

    report()
    for doc in _parsed(todo, min(workers, max(len(todo), 1)), log):
        pending.append(doc)
        if len(pending) >= options.batch_docs:
            flush()
        else:
            report()
    flush()

    summary.failed = log.count
    summary.seconds = round(time.perf_counter() - start, 3)
    summary.writes = {"nodes_created": totals.nodes_created,
                      "relationships_created": totals.relationships_created,
                      "rows": totals.rows, "statements": totals.statements}
    return summary
