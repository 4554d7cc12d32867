"""Linked property data: an external CSV table -> Measurement nodes with their source.

    mattermine link expt-band-gaps.csv --formula-column composition --property "band gap" \\
        --unit eV --source expt-band-gaps

Materials are keyed with nlp.keys.material_key, the normaliser the extractor uses, so a linked
"TiO2" row lands on the same (:Material {key: "O2Ti"}) as a sentence stating a band gap of TiO2.
"""
from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from causal import CausalError
from graph import cypher
from graph.schema import entity_uid
from graph.store import GraphStore, WriteStats, chunks

Row = dict[str, Any]
CHUNK_ROWS = 1000  # rows per UNWIND statement, the size graph/ writes with


@dataclass(frozen=True)
class LinkedTable:
    source: str
    kind: str  # "table" or "recipes"
    path: str
    sha256: str
    materials: tuple[Row, ...]
    properties: tuple[Row, ...]
    contains: tuple[Row, ...]
    measurements: tuple[Row, ...] = ()
    skipped: tuple[tuple[int, str], ...] = ()  # (line, reason)


@dataclass
class LinkStats:
    source: str
    rows_read: int = 0
    rows_linked: int = 0
    rows_skipped: int = 0
    materials: int = 0
    write: WriteStats = field(default_factory=WriteStats)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "rows_read": self.rows_read, "rows_linked": self.rows_linked,
                "rows_skipped": self.rows_skipped, "materials": self.materials,
                "nodes_created": self.write.nodes_created,
                "relationships_created": self.write.relationships_created,
                "statements": self.write.statements, "seconds": round(self.seconds, 2)}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def material_rows(written: Iterable[tuple[str, str]]) -> tuple[tuple[Row, ...], tuple[Row, ...]]:
    """(key, text as written) pairs -> Material entity rows (aliases unioned) and CONTAINS rows."""
    from nlp.formula import elements, parse_formula

    aliases: dict[str, set[str]] = {}
    for key, text in written:
        aliases.setdefault(key, set()).add(text)
    materials: list[Row] = []
    contains: list[Row] = []
    for key in sorted(aliases):
        formula = parse_formula(key)
        materials.append({"key": key, "uid": entity_uid("Material", key), "aliases": sorted(aliases[key]),
                          "formula": key if formula is not None else None})
        if formula is not None:
            contains.extend({"material": key, "element": el} for el in elements(formula))
    return tuple(materials), tuple(contains)


def read_table(path: Path, *, formula_column: str, prop: str, unit: str | None, source: str,
               value_column: str | None = None, limit: int | None = None) -> LinkedTable:
    """Parse the table; rows with no formula or a non-numeric value are skipped with a reason."""
    from nlp.keys import material_key, property_key
    from nlp.si import to_si

    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = list(reader.fieldnames or [])
        if formula_column not in columns:
            raise CausalError(f"{path}: no column {formula_column!r} (columns: {', '.join(columns)})")
        if value_column is None:  # the last column that is not the formula: "Eg", "Tc"
            value_column = next((c for c in reversed(columns) if c != formula_column), None)
        if value_column not in columns:
            raise CausalError(f"{path}: no value column {value_column!r} (columns: {', '.join(columns)})")
        pkey = property_key(prop)
        measurements: list[Row] = []
        written: list[tuple[str, str]] = []
        skipped: list[tuple[int, str]] = []
        for line, rec in enumerate(reader, start=2):  # line 1 is the header
            if limit is not None and line - 2 >= limit:
                break
            text, raw = (rec.get(formula_column) or "").strip(), (rec.get(value_column) or "").strip()
            try:
                value = float(raw)
            except ValueError:
                skipped.append((line, f"value {raw!r} is not a number"))
                continue
            if not text:
                skipped.append((line, "no formula"))
                continue
            key = material_key(text)
            si = to_si(value, unit) if unit else None
            written.append((key, text))
            measurements.append({
                "id": f"link:{source}:{line}", "material": key, "material_text": text, "property": pkey,
                "value": value, "unit": unit, "si_value": si[0] if si else None, "si_unit": si[1] if si else None,
                "text": f"{raw} {unit}" if unit else raw, "source": source})
    materials, contains = material_rows(written)
    properties = ({"key": pkey, "uid": entity_uid("Property", pkey), "aliases": sorted({prop})},)
    return LinkedTable(source, "table", str(path), sha256(path), materials, properties, contains,
                       tuple(measurements), tuple(skipped))


def write_rows(store: GraphStore, query: str, rows: Sequence[Row], stats: WriteStats) -> None:
    for part in chunks(rows, CHUNK_ROWS):
        result = store.run(query, {"rows": list(part)})
        result.stats.rows, result.stats.statements = len(part), 1
        stats.add(result.stats)


def write_common(store: GraphStore, table: LinkedTable, rows: int, stats: WriteStats) -> None:
    """The Source node, then materials, properties and CONTAINS edges: what every row points at."""
    result = store.run(cypher.LINK_SOURCE, {"id": table.source, "kind": table.kind, "path": table.path,
                                            "sha256": table.sha256, "rows": rows})
    result.stats.statements = 1
    stats.add(result.stats)
    write_rows(store, cypher.merge_entities("Material"), table.materials, stats)
    if table.properties:
        write_rows(store, cypher.merge_entities("Property"), table.properties, stats)
    write_rows(store, cypher.MERGE_CONTAINS, table.contains, stats)


def link_table(store: GraphStore, table: LinkedTable) -> LinkStats:
    start = time.perf_counter()
    stats = LinkStats(table.source, len(table.measurements) + len(table.skipped), len(table.measurements),
                      len(table.skipped), len(table.materials))
    store.ensure_schema()
    write_common(store, table, len(table.measurements), stats.write)
    write_rows(store, cypher.LINK_MEASUREMENTS, table.measurements, stats.write)
    stats.seconds = time.perf_counter() - start
    return stats
