"""GraphStore on Neo4j 5 through the official `neo4j` driver. Reads run in READ access mode, so
the server itself refuses writes; a batch is written in one transaction."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from graph import cypher
from graph.batch import GraphBatch
from graph.schema import KEYS
from graph.store import (GraphError, QueryError, QueryResult, ReadOnlyViolation, ServerUnavailable,
                         WriteStats, chunks, plain)


def _convert(value: Any) -> tuple[str, Any, dict[str, Any]]:
    from neo4j.graph import Node

    if isinstance(value, Node):
        return "node", list(value.labels), dict(value.items())
    return "edge", value.type, dict(value.items())


def redact(uri: str) -> str:
    """bolt://user:secret@host:7687 -> bolt://host:7687: URIs reach messages, secrets must not."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _stats(summary: Any) -> WriteStats:
    c = summary.counters
    return WriteStats(c.nodes_created, c.relationships_created, c.properties_set)


class Neo4jStore:
    name = "neo4j"

    def __init__(self, uri: str, user: str | None, password: str | None, database: str | None = None) -> None:
        from neo4j import GraphDatabase

        auth = (user or "neo4j", password or "") if (user or password) else None
        self._driver = GraphDatabase.driver(uri, auth=auth)
        self._database = database
        self.uri = redact(uri)  # for messages: never the credentials

    def check(self) -> None:
        """Fail fast, with a clear message, when the server is down or refuses the credentials
        (a transaction function would retry for half a minute first)."""
        self._guard(self._driver.verify_connectivity)

    def _session(self, write: bool) -> Any:
        from neo4j import READ_ACCESS, WRITE_ACCESS

        return self._driver.session(database=self._database,
                                    default_access_mode=WRITE_ACCESS if write else READ_ACCESS)

    def _guard(self, fn: Any, *args: Any) -> Any:
        from neo4j import exceptions as nx

        try:
            return fn(*args)
        except nx.AuthError as exc:
            raise ServerUnavailable(f"Neo4j at {self.uri} refused the credentials given") from exc
        except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
            raise ServerUnavailable(f"Neo4j at {self.uri} is unreachable: {type(exc).__name__}") from exc
        except nx.ClientError as exc:
            if exc.code and "AccessMode" in exc.code:
                raise ReadOnlyViolation(
                    "this query writes to the graph; run it with --write to allow changes") from exc
            raise QueryError(f"{exc.code}: {exc.message}") from exc
        except nx.Neo4jError as exc:
            raise GraphError(f"{exc.code}: {exc.message}") from exc

    def _run(self, query: str, params: dict[str, Any] | None, write: bool) -> QueryResult:
        from neo4j.graph import Node, Relationship

        def work(tx: Any) -> QueryResult:
            res = tx.run(query, params or {})
            columns = list(res.keys())
            rows = [[plain(v, Node, Relationship, _convert) for v in rec.values()] for rec in res]
            return QueryResult(columns, rows, _stats(res.consume()))

        def call() -> QueryResult:
            with self._session(write) as session:
                return session.execute_write(work) if write else session.execute_read(work)

        return self._guard(call)

    def ensure_schema(self) -> None:
        def call() -> None:
            with self._session(True) as session:
                for key in KEYS:
                    session.run(cypher.neo4j_index(key)).consume()

        self._guard(call)

    def write(self, batch: GraphBatch, *, chunk_rows: int = 1000) -> WriteStats:
        def work(tx: Any) -> WriteStats:
            total = WriteStats()
            for query, rows in batch.statements():
                for part in chunks(rows, chunk_rows):
                    stats = _stats(tx.run(query, {"rows": list(part)}).consume())
                    stats.rows, stats.statements = len(part), 1
                    total.add(stats)
            stats = _stats(tx.run(cypher.COMPLETE_DOCUMENTS, batch.completion()).consume())
            stats.rows, stats.statements = len(batch.completions) + len(batch.pairs), 1
            total.add(stats)
            return total

        def call() -> WriteStats:
            with self._session(True) as session:
                return session.execute_write(work)

        return self._guard(call)

    def read(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        return self._run(query, params, write=False)

    def run(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        return self._run(query, params, write=True)

    def delete_graph(self) -> None:
        def call() -> None:
            # CALL {} IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
            with self._session(True) as session:
                session.run(cypher.NEO4J_DELETE_ALL).consume()

        self._guard(call)

    def close(self) -> None:
        self._driver.close()
