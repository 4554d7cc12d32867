"""Text-mined solid-state synthesis recipes (Kononova et al., Sci. Data 6:203, 2019) -> the graph.

Each reaction becomes (:Material target)-[:SYNTHESIZED_BY]->(:Synthesis {source, doi})
-[:USES {role: "precursor"}]->(:Material) with its operations as ordered (:Operation) steps
holding temperature (K), time (s) and atmosphere: the shape the extractor writes for recipes it
reads in papers, so dataset specs query both alike.
"""
from __future__ import annotations

import json
import lzma
import time
from pathlib import Path
from typing import Any

from causal import CausalError
from causal.link import LinkedTable, LinkStats, Row, material_rows, sha256, write_common, write_rows
from graph import cypher
from graph.store import GraphStore

# The dataset writes Celsius as "C" and hours as "h"; nlp.si would read a bare "C" as coulomb.
_UNITS = {"C": "°C", "K": "K", "h": "h", "min": "min", "s": "s", "days": "d", "day": "d"}


def load(path: Path) -> list[dict[str, Any]]:
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        data = json.load(fh)
    reactions = data.get("reactions") if isinstance(data, dict) else data
    if not isinstance(reactions, list):
        raise CausalError(f"{path}: expected a list of reactions or {{'reactions': [...]}}")
    return reactions


def _condition(values: list[dict[str, Any]] | None) -> float | None:
    """The highest value stated for a step (a range 900-1000 °C counts as 1000 °C), in SI units."""
    from nlp.si import to_si

    best: float | None = None
    for v in values or []:
        unit = _UNITS.get(str(v.get("units")))
        nums = [x for x in (v.get("max_value"), *(v.get("values") or [])) if isinstance(x, (int, float))]
        if unit is None or not nums:
            continue
        si = to_si(float(max(nums)), unit)
        if si is not None and (best is None or si[0] > best):
            best = si[0]
    return best


def recipe_rows(reactions: list[dict[str, Any]], source: str) -> tuple[list[Row], list[Row], list[Row], list[tuple[str, str]]]:
    from nlp.keys import material_key

    syntheses: list[Row] = []
    uses: list[Row] = []
    operations: list[Row] = []
    written: list[tuple[str, str]] = []
    for i, r in enumerate(reactions):
        target = (r.get("target") or {}).get("material_formula") or (r.get("target") or {}).get("material_string")
        if not target:
            continue
        sid = f"link:{source}:{i}"
        key = material_key(target)
        written.append((key, target))
        syntheses.append({"id": sid, "source": source, "target": key, "target_text": target,
                          "doi": r.get("doi"), "reaction": r.get("reaction_string"), "method": "solid-state"})
        seen: set[str] = set()
        for p in r.get("precursors") or []:
            text = p.get("material_formula") or p.get("material_string")
            if not text or material_key(text) in seen:
                continue
            pkey = material_key(text)
            seen.add(pkey)
            written.append((pkey, text))
            uses.append({"synthesis": sid, "material": pkey, "text": text, "role": "precursor"})
        for order, op in enumerate(r.get("operations") or []):
            cond = op.get("conditions") or {}
            atmosphere = ", ".join(sorted(set(cond.get("heating_atmosphere") or []))) or None
            operations.append({"id": f"{sid}:{order}", "synthesis": sid, "order": order, "type": op.get("type"),
                               "text": op.get("token"), "temperature": _condition(cond.get("heating_temperature")),
                               "time": _condition(cond.get("heating_time")), "atmosphere": atmosphere})
    return syntheses, uses, operations, written


def link_recipes(store: GraphStore, path: Path, source: str, limit: int | None = None,
                 reactions: list[dict[str, Any]] | None = None) -> LinkStats:
    """Link the recipes of `path` (or `reactions` already loaded from it: the file takes seconds
    to decompress and parse)."""
    start = time.perf_counter()
    reactions = load(path) if reactions is None else reactions
    if limit is not None:
        reactions = reactions[:limit]
    syntheses, uses, operations, written = recipe_rows(reactions, source)
    materials, contains = material_rows(written)
    table = LinkedTable(source, "recipes", str(path), sha256(path), materials, (), contains)
    stats = LinkStats(source, len(reactions), len(syntheses), len(reactions) - len(syntheses), len(materials))
    store.ensure_schema()
    write_common(store, table, len(syntheses), stats.write)
    write_rows(store, cypher.LINK_SYNTHESES, syntheses, stats.write)
    write_rows(store, cypher.LINK_USES, uses, stats.write)
    write_rows(store, cypher.LINK_OPERATIONS, operations, stats.write)
    stats.seconds = time.perf_counter() - start
    return stats
