"""GraphStore on the local FalkorDB server, through the `falkordb` client over its unix socket."""
from __future__ import annotations

from typing import Any

from graph import cypher
from graph.batch import GraphBatch
from graph.schema import KEYS
from graph.store import (QueryError, QueryResult, ReadOnlyViolation, ServerUnavailable, WriteStats,
                         chunks, plain)


def _convert(value: Any) -> tuple[str, Any, dict[str, Any]]:
    from falkordb import Node

    if isinstance(value, Node):
        return "node", list(value.labels or []), dict(value.properties or {})
    return "edge", value.relation, dict(value.properties or {})


class FalkorDBStore:
    name = "falkordb"

    def __init__(self, socket_path: str, graph: str = "mattermine") -> None:
        import redis
        from falkordb import FalkorDB

        self._redis_errors = (redis.ConnectionError, redis.TimeoutError, OSError)
        self._response_error = redis.ResponseError
        self._db = FalkorDB(unix_socket_path=socket_path)
        self._graph = self._db.select_graph(graph)
        self.graph_name = graph
        self.socket_path = socket_path  # so other processes (Ray writers) can open their own client

    def _call(self, method: str, query: str, params: dict[str, Any] | None) -> QueryResult:
        from falkordb import Edge, Node

        try:
            res = getattr(self._graph, method)(query, params or {})
        except self._redis_errors as exc:
            raise ServerUnavailable(f"local graph server unreachable: {exc}") from exc
        except UnicodeEncodeError as exc:
            raise QueryError(f"a value cannot be sent as UTF-8: {exc.reason}") from exc
        except self._response_error as exc:
            msg = str(exc)
            if "read-only" in msg.lower() or "RO_QUERY" in msg:
                raise ReadOnlyViolation(
                    "this query writes to the graph; run it with --write to allow changes") from exc
            raise QueryError(msg) from exc
        columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in (res.header or [])]
        rows = [[plain(v, Node, Edge, _convert) for v in row] for row in (res.result_set or [])]
        stats = WriteStats(int(res.nodes_created), int(res.relationships_created), int(res.properties_set))
        return QueryResult(columns, rows, stats)

    def ensure_schema(self) -> None:
        existing = {(row[0], prop) for row in self._call("query", cypher.FALKORDB_INDEXES, None).rows
                    for prop in row[1]} if self._graph_exists() else set()
        for key in KEYS:
            if (key.label, key.prop) not in existing:
                self._call("query", cypher.falkordb_index(key), None)
        constraints = {(c["label"], tuple(c["properties"])) for c in self._graph.list_constraints()}
        for key in KEYS:
            if key.unique and (key.label, (key.prop,)) not in constraints:
                try:
                    self._graph.create_node_unique_constraint(key.label, key.prop)
                except self._response_error as exc:  # a concurrent writer created it first
                    if "already exists" not in str(exc).lower():
                        raise QueryError(f"creating constraint on {key.label}.{key.prop}: {exc}") from exc
        self._await_constraints()

    def _await_constraints(self, timeout: float = 30.0) -> None:
        # FalkorDB builds constraints in the background; until one is OPERATIONAL it does not
        # reject duplicates, so wait (instantly on an empty graph) before any write.
        import time

        deadline = time.monotonic() + timeout
        while True:
            states = {c["status"] for c in self._graph.list_constraints()}
            if "FAILED" in states:
                raise QueryError("a uniqueness constraint failed to build: the graph holds duplicate keys")
            if states <= {"OPERATIONAL"} or time.monotonic() > deadline:
                return
            time.sleep(0.05)

    def _graph_exists(self) -> bool:
        try:
            names = self._db.list_graphs()
        except self._redis_errors as exc:
            raise ServerUnavailable(f"local graph server unreachable: {exc}") from exc
        return self.graph_name in names

    def write(self, batch: GraphBatch, *, chunk_rows: int = 1000) -> WriteStats:
        # Each statement is atomic on the server; statements run in dependency order and every
        # one is an idempotent MERGE except COMPLETE_DOCUMENTS, which runs last and guards itself:
        # a writer that dies between two statements leaves documents that are not complete, and
        # the next run repeats the same MERGEs and completes (counts) them once.
        # Not MULTI/EXEC: a redis-server restarted with FalkorDB commands inside MULTI blocks of
        # its append-only file asserts ('!server.in_exec') and dies when a client connects while
        # it loads them, so the server would not come back after a crash.
        total = WriteStats()
        for query, rows in batch.statements():
            for part in chunks(rows, chunk_rows):
                stats = self._call("query", query, {"rows": list(part)}).stats
                stats.rows, stats.statements = len(part), 1
                total.add(stats)
        stats = self._call("query", cypher.COMPLETE_DOCUMENTS, batch.completion()).stats
        stats.rows, stats.statements = len(batch.completions) + len(batch.pairs), 1
        total.add(stats)
        return total

    def read(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        return self._call("ro_query", query, params)

    def run(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        return self._call("query", query, params)

    def delete_graph(self) -> None:
        if self._graph_exists():
            self._graph.delete()

    def close(self) -> None:
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection is not an error worth raising
            pass
