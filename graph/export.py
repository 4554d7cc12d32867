"""Export the graph as CSV files laid out for `neo4j-admin database import full`, so a graph grown
locally moves to Neo4j in one step. Nodes are grouped by label set, relationships by type; the
header rows carry neo4j-admin's type annotations (`:ID`, `:LABEL`, `:long`, `:string[]`, ...)."""
from __future__ import annotations

import csv
import json
import shlex
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph import cypher
from graph.store import GraphStore

ARRAY_DELIMITER = ";"
PAGE = 5000


def _pages(store: GraphStore, query: str) -> Iterator[list[Any]]:
    after = -1
    while True:
        rows = store.read(query, {"after": after, "limit": PAGE}).rows
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


def _type_of(values: list[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    if kinds == {list}:
        inner = [x for v in values if v for x in v]
        inner_type = _type_of(inner) if inner else "string"
        return f"{inner_type}[]" if inner_type != "string[]" else "string[]"
    return "string"


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        return ARRAY_DELIMITER.join(str(x).replace(ARRAY_DELIMITER, ",") for x in value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "string" and not isinstance(value, str):
        return json.dumps(value)
    return str(value)


def _write_group(path: Path, fixed: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> None:
    props = sorted({k for _, p in rows for k in p})
    kinds = {k: _type_of([p.get(k) for _, p in rows]) for k in props}
    header = fixed + [k if kinds[k] == "string" else f"{k}:{kinds[k]}" for k in props]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for cells, p in rows:
            writer.writerow(cells + [_cell(p.get(k), kinds[k]) for k in props])


def export_csv(store: GraphStore, out_dir: str | Path, database: str = "neo4j") -> dict[str, Any]:
    """Writes nodes_*.csv, rels_*.csv and import.sh into out_dir; returns counts per file.

    Holds one label group in memory at a time at most; fine for graphs of a few million rows."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nodes: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    for node_id, labels, props in _pages(store, cypher.EXPORT_NODES):
        group = "_".join(sorted(labels)) or "NoLabel"
        nodes[group].append(([str(node_id), ";".join(sorted(labels))], props))
    rels: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    for _rel_id, start, end, rel_type, props in _pages(store, cypher.EXPORT_RELATIONSHIPS):
        rels[rel_type].append(([str(start), str(end), rel_type], props))

    counts: dict[str, Any] = {"nodes": {}, "relationships": {}}
    args = ["neo4j-admin", "database", "import", "full", database, "--overwrite-destination",
            f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true"]
    for group, rows in sorted(nodes.items()):
        name = f"nodes_{group}.csv"
        _write_group(out / name, ["nodeId:ID", ":LABEL"], rows)
        counts["nodes"][name] = len(rows)
        args.append(f"--nodes={name}")
    for rel_type, rows in sorted(rels.items()):
        name = f"rels_{rel_type}.csv"
        _write_group(out / name, [":START_ID", ":END_ID", ":TYPE"], rows)
        counts["relationships"][name] = len(rows)
        args.append(f"--relationships={name}")
    script = out / "import.sh"
    script.write_text(
        "#!/bin/sh\n# Load this export into an empty Neo4j database (stop the database first).\n"
        'cd "$(dirname "$0")"\n' + " ".join(shlex.quote(a) for a in args) + "\n")
    script.chmod(0o755)
    return counts
