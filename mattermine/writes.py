"""Writing annotated documents to the graph, shared by every engine: one batch per call, retried
with backoff while the server is away, split per document when the server rejects the batch.

Nothing here may count a document twice: a batch is idempotent MERGEs plus the one statement
(cypher.COMPLETE_DOCUMENTS) that marks documents complete and adds their co-mention counts only
for documents not yet complete, so repeating a batch, whole or in part, converges.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graph.batch import GraphBatch, build_batch
from graph.store import GraphStore, QueryError, ServerUnavailable, WriteStats
from ingest.records import ParsedDocument
from mattermine.readers import Failure

Pair = tuple[ParsedDocument, Any]  # (document, its AnnotatedDocument)


@dataclass(frozen=True)
class RetryPolicy:
    # How long a job waits for a graph server that went away (restart, failover, network) before
    # it stops with a resumable message. Long enough for a restart or a Neo4j leader election.
    wait_server: float = 120.0
    first_delay: float = 0.5
    max_delay: float = 10.0
    # A rejected batch is tried once more after a pause (a transient server-side error such as
    # a timeout under load), then split per document to find the one the server refuses.
    query_retries: int = 1


class JobStopped(Exception):
    """The job stopped before its end: what was written is kept, and a resume finishes it."""


class GraphUnavailable(ServerUnavailable, JobStopped):
    """The server stayed away longer than RetryPolicy.wait_server; the job can be resumed."""


def _with_retry(fn: Callable[[], WriteStats], policy: RetryPolicy,
                notice: Callable[[str], None] | None) -> WriteStats:
    delay = policy.first_delay
    waited_since: float | None = None
    rejected = 0
    while True:
        try:
            return fn()
        except ServerUnavailable as exc:
            now = time.monotonic()
            waited_since = now if waited_since is None else waited_since
            if now - waited_since >= policy.wait_server:
                raise GraphUnavailable(
                    f"the graph server has been unreachable for {policy.wait_server:g} s ({exc})") from exc
            if notice:
                notice(f"graph server unreachable, retrying in {delay:.1f} s: {exc}")
        except QueryError:
            rejected += 1
            if rejected > policy.query_retries:
                raise
        time.sleep(delay)
        delay = min(delay * 2, policy.max_delay)


def write_pairs(store: GraphStore, pairs: Sequence[Pair], *, chunk_rows: int, policy: RetryPolicy,
                on_failure: Callable[[Failure], None],
                notice: Callable[[str], None] | None = None) -> list[tuple[GraphBatch, WriteStats]]:
    """Write `pairs` as one batch; returns the batches written with their stats (one, or one per
    document after a rejected batch was split). Raises GraphUnavailable when the server does not
    come back."""
    if not pairs:
        return []
    batch = build_batch(pairs)
    try:
        return [(batch, _with_retry(lambda: store.write(batch, chunk_rows=chunk_rows), policy, notice))]
    except QueryError:
        pass
    written = []
    for pair in pairs:
        single = build_batch([pair])
        try:
            once = RetryPolicy(policy.wait_server, policy.first_delay, policy.max_delay, 0)
            written.append((single, _with_retry(lambda: store.write(single, chunk_rows=chunk_rows),
                                                once, notice)))
        except QueryError as exc:
            on_failure(Failure(pair[0].source_path, "graph", str(exc)))
    return written
