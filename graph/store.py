"""The GraphStore protocol both stores implement, its result types, errors, and `open_store`."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.batch import GraphBatch, Row


class GraphError(Exception):
    """A graph operation failed; the message is safe to show (no credentials)."""


class ReadOnlyViolation(GraphError):
    """A query tried to write through a read-only call."""


class QueryError(GraphError):
    """The server rejected a query (syntax, constraint, type error...)."""


class ServerUnavailable(GraphError):
    """The graph server could not be reached or started."""


@dataclass
class WriteStats:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    rows: int = 0
    statements: int = 0

    def add(self, other: WriteStats) -> None:
        self.nodes_created += other.nodes_created
        self.relationships_created += other.relationships_created
        self.properties_set += other.properties_set
        self.rows += other.rows
        self.statements += other.statements


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]  # plain Python values: nodes and relationships become dicts
    stats: WriteStats = field(default_factory=WriteStats)


class GraphStore(Protocol):
    name: str  # "falkordb" or "neo4j", for messages

    def ensure_schema(self) -> None:
        """Create indexes/constraints; idempotent. Must run before any MERGE."""

    def write(self, batch: GraphBatch, *, chunk_rows: int = 1000) -> WriteStats:
        """Write one batch with UNWIND statements of at most `chunk_rows` rows each."""

    def read(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run a query the server itself executes read-only; writes raise ReadOnlyViolation."""

    def run(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run a query that may write."""

    def close(self) -> None: ...


def chunks(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def plain(value: Any, node: Any, edge: Any, convert: Any) -> Any:
    """Driver objects -> dicts/lists that a table, JSON or CSV can show.

    `node`/`edge` are the driver's node and relationship classes; `convert(value)` turns one of
    them into (kind, labels-or-type, properties)."""
    if isinstance(value, (node, edge)):
        kind, name, props = convert(value)
        out: dict[str, Any] = {"labels": sorted(name)} if kind == "node" else {"type": name}
        out["properties"] = {k: plain(v, node, edge, convert) for k, v in props.items()}
        return out
    if isinstance(value, dict):
        return {k: plain(v, node, edge, convert) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, node, edge, convert) for v in value]
    return value
