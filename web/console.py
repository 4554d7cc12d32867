"""The read-only Cypher console: a query and its parameters in, a table out. The server itself
enforces read-only (FalkorDB's GRAPH.RO_QUERY, Neo4j's READ access mode), as `mattermine query` does."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from graph.store import GraphError, GraphStore, ReadOnlyViolation

MAX_ROWS = 500
MAX_QUERY = 20_000
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EXAMPLE = ("MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property {key: $property})\n"
           "RETURN m.key AS material, x.value AS value, x.unit AS unit, x.review AS review\n"
           "ORDER BY material LIMIT 25")
EXAMPLE_PARAMS = "property=band gap"


@dataclass
class ConsoleResult:
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    total: int = 0  # rows the query returned; only MAX_ROWS are shown
    error: str | None = None


def parse_params(text: str) -> dict[str, Any]:
    """One name=value per line, as `mattermine query --param` takes them: JSON when the value
    parses as JSON, else the text."""
    params: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, raw = line.strip().partition("=")
        if not sep or not _NAME.match(name.strip()):
            raise ValueError(f"expected name=value, got {line.strip()[:60]!r}")
        try:
            params[name.strip()] = json.loads(raw.strip())
        except ValueError:
            params[name.strip()] = raw.strip()
    return params


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def run_query(store: GraphStore, query: str, params_text: str) -> ConsoleResult:
    if not query.strip():
        return ConsoleResult()
    if len(query) > MAX_QUERY:
        return ConsoleResult(error=f"the query is longer than {MAX_QUERY} characters")
    try:
        result = store.read(query, parse_params(params_text))
    except ValueError as exc:
        return ConsoleResult(error=f"parameters: {exc}")
    except ReadOnlyViolation:
        return ConsoleResult(error="refused: this console is read-only and the query writes to the graph. "
                                   "Nothing was changed.")
    except GraphError as exc:
        return ConsoleResult(error=str(exc))
    rows = [[_cell(v) for v in row] for row in result.rows[:MAX_ROWS]]
    return ConsoleResult(result.columns, rows, len(result.rows))
