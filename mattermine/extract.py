"""The extraction job: files -> ParsedDocument -> AnnotatedDocument -> graph, never stopping for one
bad document. Every failure is a JSONL record (path, stage, error); documents already complete in
the graph (by content hash) are skipped, and every write is an idempotent batched MERGE. The same
plan runs on the local engine (reader processes here) or on Ray (mattermine.ray_engine)."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graph import cypher
from graph.store import GraphStore, WriteStats
from ingest.files import iter_input_files
from ingest.pdf_engines import DEFAULT_ENGINE, check_engine
from ingest.records import ParsedDocument
from mattermine.jobs import Job, new_job_id
from mattermine.readers import DEFAULT_DOC_TIMEOUT, Failure, ReaderPool, read_one
from mattermine.writes import GraphUnavailable, JobStopped, Pair, RetryPolicy, write_pairs
from nlp import registry
from nlp.pipeline import annotate
from nlp.hybrid import describe as describe_tagger
from nlp.relations.linker import describe_linker, load_linker



@dataclass(frozen=True)
class ExtractOptions:
    # "auto": the encoder `mattermine nlp build-default` installed, beside the rule materials
    # (nlp.hybrid), else the rules; or a registered tagger name, or a trained model's name or folder.
    tagger: str = "auto"
    workers: int = 0  # reader processes (Ray: reader/tagger actors); 0 = one per core
    batch_docs: int = 64  # documents per graph write
    chunk_rows: int = 1000  # rows per UNWIND statement
    force: bool = False  # re-extract documents already complete in the graph
    failures_path: Path | None = None
    data_dir: Path | None = None  # where trained models are looked up by name
    engine: str = "local"  # "local" | "ray"
    address: str | None = None  # Ray cluster address; None: a local Ray started for the job
    writers: int = 1  # Ray: graph writer actors
    ray_layout: str = "auto"  # Ray: "fused" (read+tag per CPU actor), "split" (GPU taggers), "auto"
    # Seconds one document may take to read before its reader is killed (None or 0: no limit;
    # with workers=1 and no limit the documents are read in this process).
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT
    pdf_engine: str = DEFAULT_ENGINE  # ingest.pdf_engines.ENGINES: what lays out PDF pages
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # How facts and dopants are linked: "auto" (the model `mattermine nlp build-default` installed,
    # else the rules), "rules", "learned" (the installed model, required) or a model folder.
    linker: str = "auto"
    # How Ray's writer actors reach the store (they open their own connection). Never written
    # to a manifest or a message: it may hold a Neo4j password.
    graph: Any = None

    def __post_init__(self) -> None:
        check_engine(self.pdf_engine)  # a misspelt engine fails here, not once per document

    def settings(self) -> dict[str, Any]:
        """What a job manifest records about how it ran: no credentials, no store address."""
        keep = ("tagger", "workers", "batch_docs", "chunk_rows", "force", "engine", "writers", "doc_timeout",
                "pdf_engine", "linker")
        return {k: getattr(self, k) for k in keep}


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
    engine: str = "local"
    writes: dict[str, int] = field(default_factory=dict)
    linker: str = ""  # what linked the facts: the learned model, or the rules (and why)
    tagger: str = ""  # what found the entities (for --ner auto: which, and why)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def count(self, counts: dict[str, int]) -> None:
        """Add one written batch's counts (GraphBatch.counts)."""
        self.read += counts["documents"]
        self.sentences += counts["sentences"]
        self.mentions += counts["mentions"]
        self.entities += counts["entities"]
        self.facts += counts["facts"]


Progress = Callable[[int, int, int], None]  # (done, total, failed)


def _hash_file(path: Path) -> tuple[str, int] | Failure:
    """SHA-256 of the bytes (ingest.records.content_hash), streamed: a huge file is hashed in
    constant memory and refused later by the reader's size cap."""
    digest, size = hashlib.sha256(), 0
    try:
        # O_NONBLOCK: a file swapped for a FIFO after listing must not block the job here
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return Failure(str(path), "open", "not a regular file: not read")
        with os.fdopen(fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        return Failure(str(path), "open", f"{type(exc).__name__}: {exc.strerror or exc}")
    return digest.hexdigest(), size


class FailureLog:
    def __init__(self, path: Path, job_id: str) -> None:
        self.path = path
        self.job_id = job_id
        self.count = 0

    def record(self, failure: Failure) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # backslashreplace: a file name that is not valid UTF-8 must not stop the log
        with self.path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(json.dumps({"job": self.job_id, "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                 **asdict(failure)}, ensure_ascii=False) + "\n")
        self.count += 1


def job_id_for(files: Sequence[Path]) -> str:
    return new_job_id(files)


def _completed(store: GraphStore, keys: list[str]) -> set[str]:
    done: set[str] = set()
    for i in range(0, len(keys), 1000):
        done.update(row[0] for row in store.read(cypher.COMPLETED_DOCUMENTS, {"ids": keys[i:i + 1000]}).rows)
    return done


def annotate_isolated(docs: list[ParsedDocument], tagger: Any,
                      on_failure: Callable[[Failure], None], linker: Any = None) -> list[Pair]:
    """Annotate a chunk together (big tagger batches); if that fails, one by one to find the culprit."""
    try:
        return list(zip(docs, annotate(docs, tagger, linker=linker)))
    except Exception:  # noqa: BLE001 - isolate below
        pairs: list[Pair] = []
        for doc in docs:
            try:
                pairs.extend(zip([doc], annotate([doc], tagger, linker=linker)))
            except Exception as exc:  # noqa: BLE001
                on_failure(Failure(doc.source_path, "nlp", f"{type(exc).__name__}: {exc}"))
        return pairs


def read_documents(files: Sequence[Path | str], workers: int, timeout: float | None,
                   pdf_engine: str | None = None) -> Iterator[ParsedDocument | Failure]:
    """Read `files` in `workers` processes, each document within `timeout` seconds."""
    if workers <= 1 and not timeout:
        # No limit to enforce: no process to spawn.
        yield from (read_one(str(f), pdf_engine) for f in files)
        return
    with ReaderPool(workers, timeout, pdf_engine) as pool:
        yield from pool.read(files)


def plan(paths: Sequence[Path], store: GraphStore, options: ExtractOptions, log: FailureLog,
         job: Job | None) -> tuple[list[Path], int]:
    """Files to extract now, and how many were skipped (already complete, or duplicate bytes).

    Hashes first (cheap) so documents already complete in the graph are never parsed again, and
    records the job's input manifest before anything is written."""
    files = list(iter_input_files([p for p in paths if Path(p).exists()],
                                  on_refused=lambda p, why: log.record(Failure(str(p), "open", why))))
    for p in paths:
        if not Path(p).exists():
            log.record(Failure(str(p), "open", "no such file or directory"))
    hashes: dict[Path, str] = {}
    sizes: dict[Path, int] = {}
    for f in files:
        hashed = _hash_file(f)
        if isinstance(hashed, Failure):
            log.record(hashed)
        elif hashed[1] == 0:  # every empty file has the same hash: record each, not one for all
            log.record(Failure(str(f), "open", "empty file"))
        else:
            hashes[f], sizes[f] = hashed
    if job is not None and not job.has_inputs():
        job.record_inputs((f, hashes.get(f), sizes.get(f)) for f in files)
    done = set() if options.force else _completed(store, sorted(set(hashes.values())))
    todo, seen, skipped = [], set(), 0
    for f, h in hashes.items():
        if h in done or h in seen:  # identical bytes under two names: one document
            skipped += 1
        else:
            seen.add(h)
            todo.append(f)
    return todo, skipped


def _run_local(todo: list[Path], store: GraphStore, options: ExtractOptions, log: FailureLog,
               summary: ExtractSummary, totals: WriteStats, report: Callable[[int], None]) -> None:
    tagger = registry.create_from_spec(options.tagger, data_dir=options.data_dir)
    summary.tagger = describe_tagger(options.tagger, options.data_dir)
    linker = load_linker(options.data_dir, options.linker)
    summary.linker = describe_linker(linker)
    workers = min(options.workers or (os.cpu_count() or 1), max(len(todo), 1))
    pending: list[ParsedDocument] = []

    def flush() -> None:
        if pending:
            pairs = annotate_isolated(pending, tagger, log.record, linker)
            for batch, stats in write_pairs(store, pairs, chunk_rows=options.chunk_rows, policy=options.retry,
                                            on_failure=log.record, notice=_notice):
                totals.add(stats)
                summary.count(batch.counts)
            pending.clear()
        report(0)

    report(0)
    for res in read_documents(todo, workers, options.doc_timeout, options.pdf_engine):
        if isinstance(res, Failure):
            log.record(res)
            report(len(pending))
            continue
        pending.append(res)
        if len(pending) >= options.batch_docs:
            flush()
        else:
            report(len(pending))
    flush()


def _notice(message: str) -> None:
    import sys

    print(f"mattermine: {message}", file=sys.stderr, flush=True)


def run_extract(paths: Iterable[str | Path], store: GraphStore, options: ExtractOptions,
                failures_path: Path | None = None, progress: Progress | None = None,
                job: Job | None = None) -> ExtractSummary:
    """Extract `paths` into `store`. With a `job`, its manifest records the inputs and the outcome.
    A job that cannot go on (graph server lost, Ray pipeline failed) raises JobStopped saying how
    to resume it."""
    start = time.perf_counter()
    inputs = [Path(p) for p in paths]
    job_id = job.job_id if job else new_job_id(inputs)
    failures_path = failures_path or options.failures_path or (
        job.failures_path if job else (options.data_dir or Path(".")) / "jobs" / job_id / "failures.jsonl")
    summary = ExtractSummary(job_id=job_id, failures_path=str(failures_path), engine=options.engine)
    log = FailureLog(failures_path, job_id)
    if job is not None:
        job.start_run(options.engine)

    store.ensure_schema()
    totals = WriteStats()
    try:
        todo, summary.skipped = plan(inputs, store, options, log, job)
        summary.documents = len(todo) + summary.skipped + log.count

        def report(pending: int) -> None:
            # Documents parsed so far (written or waiting in the current batch), skipped and failed.
            if progress:
                progress(summary.read + pending + summary.skipped + log.count, summary.documents, log.count)

        if options.engine == "ray":
            from mattermine.ray_engine import run_ray

            run_ray(todo, store, options, log, summary, totals, report)
        else:
            _run_local(todo, store, options, log, summary, totals, report)
    except JobStopped as exc:
        summary.failed = log.count
        left = summary.documents - summary.read - summary.skipped - summary.failed
        message = (f"{exc}. Stopped with {summary.read} documents written and {left} left; what was written "
                   f"is kept and no document is counted twice. "
                   f"{'Start the graph server and resume' if isinstance(exc, GraphUnavailable) else 'Resume'} with "
                   f"`mattermine extract --resume {job_id}`" + ("" if job else " (or re-run the same command)"))
        if job is not None:
            job.end_run("stopped", note=message)
        raise type(exc)(message) from exc

    summary.failed = log.count
    summary.seconds = round(time.perf_counter() - start, 3)
    summary.writes = {"nodes_created": totals.nodes_created,
                      "relationships_created": totals.relationships_created,
                      "rows": totals.rows, "statements": totals.statements}
    if job is not None:
        job.end_run("complete", summary.to_json())
    return summary
