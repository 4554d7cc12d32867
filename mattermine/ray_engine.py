"""The Ray engine: the extraction job as a Ray Data pipeline, on one machine or a cluster.

    paths -> readers (CPU actors) -> taggers (GPU actors, or fused with the readers on CPU)
          -> writers (a small fixed pool) -> per-batch results back to the driver

The driver plans the job exactly as the local engine does (hash, skip complete documents, job
manifest) and keeps the only failure log; workers return failure rows instead of writing files.
Writers use mattermine.writes, so the completion invariant is the local engine's: co-mention
counts are added by the statement that marks a document complete, once per document.

Where writers run: the local FalkorDB listens on a unix socket of this machine only, so its
writers are pinned to the driver's node. On a real cluster point the job at Neo4j (NEO4J_URI)
and the writers may run anywhere that reaches it. Every node needs mattermine installed.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.store import GraphStore, WriteStats
from mattermine.readers import Failure, ReaderPool
from mattermine.writes import GraphUnavailable, JobStopped, RetryPolicy, write_pairs
from nlp.hybrid import describe as describe_tagger

if TYPE_CHECKING:
    from mattermine.extract import ExtractOptions, ExtractSummary, FailureLog

Batch = dict[str, Any]  # Ray Data "numpy" batch: column name -> array
_COLUMNS = ("path", "stage", "error", "payload")
_UNAVAILABLE = "unavailable"  # a writer gave up waiting for the graph server: resumable, not a failure
_WRITTEN = "written"


class RayNotInstalled(ImportError):
    """--engine ray without Ray installed."""


class RayPipelineFailed(JobStopped):
    """Ray gave up on the pipeline (an actor that kept dying, a lost node)."""


def _require_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data ships in the ray[data] extra
    except ImportError as exc:
        raise RayNotInstalled("--engine ray needs Ray Data: pip install 'mattermine[ray]' "
                              "(or pip install 'ray[data]==2.60.0')") from exc
    return ray


def _columns(rows: list[tuple[str, str, str, bytes]]) -> Batch:
    import numpy as np

    out: Batch = {}
    for i, name in enumerate(_COLUMNS):
        col = np.empty(len(rows), dtype=object)
        col[:] = [r[i] for r in rows]
        out[name] = col
    return out


def _rows(batch: Batch) -> list[tuple[str, str, str, bytes]]:
    return list(zip(*(list(batch[c]) for c in _COLUMNS)))


def _failure_row(f: Failure) -> tuple[str, str, str, bytes]:
    return (f.path, f.stage, f.error, b"")


class Reader:
    """CPU actor: reads documents in its own killable reader process (the per-document time
    limit holds on Ray too) and, in the fused layout, tags them as well."""

    def __init__(self, timeout: float | None, tagger: str | None, data_dir: str | None,
                 pdf_engine: str | None = None, linker: str = "auto") -> None:
        self.pool = ReaderPool(1, timeout, pdf_engine)
        self.tagger = _load_tagger(tagger, data_dir) if tagger else None
        self.linker = _load_linker(linker, data_dir) if tagger else None

    def __call__(self, batch: Batch) -> Batch:
        out: list[tuple[str, str, str, bytes]] = []
        docs = []
        for res in self.pool.read([str(p) for p in batch["path"]]):
            if isinstance(res, Failure):
                out.append(_failure_row(res))
            else:
                docs.append(res)
        if self.tagger is None:
            out.extend((d.source_path, "read", "", pickle.dumps(d)) for d in docs)
        else:
            out.extend(_tag(docs, self.tagger, self.linker))
        return _columns(out)


class Tagger:
    """GPU actor (CPU when there is none): parsed documents in, (document, annotation) pairs out."""

    def __init__(self, tagger: str, data_dir: str | None, linker: str = "auto") -> None:
        self.tagger = _load_tagger(tagger, data_dir)
        self.linker = _load_linker(linker, data_dir)

    def __call__(self, batch: Batch) -> Batch:
        out, docs = [], []
        for path, stage, error, payload in _rows(batch):
            if stage == "read":
                docs.append(pickle.loads(payload))
            else:
                out.append((path, stage, error, payload))
        out.extend(_tag(docs, self.tagger, self.linker))
        return _columns(out)


def _check_tagger(spec: str, data_dir: Path | None) -> None:
    """Fail in the driver, with the usual message, on a tagger no actor could load."""
    from nlp import registry
    from nlp.transformer.models import is_model

    if spec != "auto" and spec not in registry.available() and not is_model(spec, data_dir):
        registry.create_from_spec(spec, data_dir=data_dir)  # raises UnknownTagger


def _load_tagger(spec: str, data_dir: str | None) -> Any:
    from nlp import registry

    return registry.create_from_spec(spec, data_dir=Path(data_dir) if data_dir else None)


def _describe(linker: Any) -> str:
    from nlp.relations.linker import describe_linker

    return describe_linker(linker)


def _load_linker(spec: str, data_dir: str | None) -> Any:
    from nlp.relations.linker import load_linker

    return load_linker(Path(data_dir) if data_dir else None, spec)


def _tag(docs: list[Any], tagger: Any, linker: Any = None) -> list[tuple[str, str, str, bytes]]:
    from mattermine.extract import annotate_isolated

    failed: list[Failure] = []
    pairs = annotate_isolated(docs, tagger, failed.append, linker)
    return [_failure_row(f) for f in failed] + [(d.source_path, "tagged", "", pickle.dumps((d, a))) for d, a in pairs]


class Writer:
    """One of a fixed pool: writes a batch of tagged documents through mattermine.writes."""

    def __init__(self, target: tuple[str, Any], chunk_rows: int, policy: RetryPolicy) -> None:
        self.store = _open_target(target)
        self.chunk_rows, self.policy = chunk_rows, policy

    def __call__(self, batch: Batch) -> Batch:
        out: list[tuple[str, str, str, bytes]] = []
        pairs = []
        for path, stage, error, payload in _rows(batch):
            if stage == "tagged":
                pairs.append(pickle.loads(payload))
            else:
                out.append((path, stage, error, payload))
        try:
            written = write_pairs(self.store, pairs, chunk_rows=self.chunk_rows, policy=self.policy,
                                  on_failure=lambda f: out.append(_failure_row(f)))
        except GraphUnavailable as exc:
            # Not a document failure: these documents stay incomplete and the next run takes them.
            return _columns(out + [(d.source_path, _UNAVAILABLE, str(exc), b"") for d, _ in pairs])
        for b, stats in written:
            info = {"counts": b.counts, "stats": [stats.nodes_created, stats.relationships_created,
                                                  stats.properties_set, stats.rows, stats.statements]}
            out.append(("", _WRITTEN, "", json.dumps(info).encode()))
        return _columns(out)


def _target(store: GraphStore, options: ExtractOptions) -> tuple[str, Any]:
    """How a writer process opens the store the driver uses."""
    socket = getattr(store, "socket_path", None)
    if store.name == "falkordb" and socket:
        return ("falkordb", (socket, getattr(store, "graph_name", "mattermine")))
    if options.graph is None:
        raise ValueError("--engine ray with Neo4j needs the graph configuration (ExtractOptions.graph)")
    return ("neo4j", options.graph)


def _open_target(target: tuple[str, Any]) -> GraphStore:
    kind, spec = target
    if kind == "falkordb":
        from graph.falkordb_store import FalkorDBStore

        return FalkorDBStore(*spec)
    from graph.connect import open_store

    return open_store(spec, start=False)[0]


def _layout(ray: Any, options: ExtractOptions) -> tuple[str, int]:
    """('fused' | 'split', GPUs). A GPU only pays for a transformer tagger; the rule tagger is
    fused with the readers, saving a pickle round trip per document."""
    from nlp.hybrid import choose

    gpus = int(ray.cluster_resources().get("GPU", 0))
    layout = options.ray_layout
    spec = choose(options.data_dir).spec if options.tagger == "auto" else options.tagger
    if layout == "auto":
        layout = "split" if gpus and not spec.startswith("ner.rules") else "fused"
    return layout, gpus


def build_dataset(ray: Any, paths: list[str], store: GraphStore, options: ExtractOptions) -> Any:
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    layout, gpus = _layout(ray, options)
    data_dir = str(options.data_dir) if options.data_dir else None
    ds = ray.data.from_items([{"path": p} for p in paths], override_num_blocks=max(1, min(len(paths), 1000)))
    read_batch = 4  # small: keeps every reader busy and the pipeline streaming
    if layout == "fused":
        workers = options.workers or cpus
        return _write_stage(ray, ds.map_batches(
            Reader, fn_constructor_args=(options.doc_timeout, options.tagger, data_dir, options.pdf_engine,
                                         options.linker),
            batch_size=read_batch,
            batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1), store, options)
    # One tagger per GPU, holding a CPU for tokenisation; readers get the other CPUs, so actors
    # that hold their resources for the whole job can never starve one another. Without a GPU
    # (a forced split layout, to test this path on a laptop) the tagger asks for no CPU.
    taggers = gpus or 1
    readers = options.workers or max(1, cpus - (taggers if gpus else 0))
    ds = ds.map_batches(Reader, fn_constructor_args=(options.doc_timeout, None, data_dir, options.pdf_engine),
                        batch_size=read_batch, batch_format="numpy",
                        compute=ray.data.ActorPoolStrategy(size=readers), num_cpus=1)
    ds = ds.map_batches(Tagger, fn_constructor_args=(options.tagger, data_dir, options.linker),
                        batch_size=max(read_batch, options.batch_docs), batch_format="numpy",
                        compute=ray.data.ActorPoolStrategy(size=taggers),
                        num_gpus=1 if gpus else 0, num_cpus=1 if gpus and cpus > readers else 0)
    return _write_stage(ray, ds, store, options)


def _write_stage(ray: Any, ds: Any, store: GraphStore, options: ExtractOptions) -> Any:
    target = _target(store, options)
    # The local server's unix socket exists on the driver's node only: pin its writers there.
    where = {"ray.io/node-id": ray.get_runtime_context().get_node_id()} if target[0] == "falkordb" else None
    return ds.map_batches(Writer, fn_constructor_args=(target, options.chunk_rows, options.retry),
                          batch_size=options.batch_docs, batch_format="numpy",
                          compute=ray.data.ActorPoolStrategy(size=max(1, options.writers)),
                          num_cpus=0, label_selector=where)


def run_ray(todo: list[Path], store: GraphStore, options: ExtractOptions, log: FailureLog,
            summary: ExtractSummary, totals: WriteStats, report: Callable[[int], None]) -> None:
    """Run the planned documents `todo` through Ray; counts go into `summary` and `totals`."""
    ray = _require_ray()
    _check_tagger(options.tagger, options.data_dir)
    summary.tagger = describe_tagger(options.tagger, options.data_dir)
    summary.linker = _describe(_load_linker(options.linker, str(options.data_dir) if options.data_dir else None))
    started = False
    if not ray.is_initialized():
        cpus = None if options.address else (options.workers or os.cpu_count() or 1)
        ray.init(address=options.address, num_cpus=cpus, include_dashboard=False,
                 logging_level=logging.WARNING, log_to_driver=False)
        started = True
    try:
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # the job prints its own progress
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        report(0)
        if not todo:
            return
        unavailable: list[str] = []
        ds = build_dataset(ray, [str(p) for p in todo], store, options)
        try:
            _collect(ds, log, summary, totals, report, unavailable)
        except Exception as exc:  # noqa: BLE001 - Ray wraps actor and task errors in many types;
            # whatever stopped the pipeline, what was written is complete or will be redone.
            first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
            raise RayPipelineFailed(f"the Ray pipeline failed ({type(exc).__name__}: {first})") from exc
        if unavailable:
            raise GraphUnavailable(unavailable[0])
    finally:
        if started:
            ray.shutdown()


def _collect(ds: Any, log: FailureLog, summary: ExtractSummary, totals: WriteStats,
             report: Callable[[int], None], unavailable: list[str]) -> None:
    """Driver side: count written batches, log failures, note writers that lost the server."""
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        for path, stage, error, payload in _rows(batch):
            if stage == _WRITTEN:
                info = json.loads(payload)
                summary.count(info["counts"])
                totals.add(WriteStats(*info["stats"]))
            elif stage == _UNAVAILABLE:
                unavailable.append(error)
            else:
                log.record(Failure(path, stage, error))
        report(0)
