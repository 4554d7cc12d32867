"""Property facts as curators review and export them: one dict per Measurement in the graph."""
from __future__ import annotations

from typing import Any

from graph import cypher
from graph.store import GraphStore

# review, reviewer, reviewed_at: the newest curator decision (`mattermine serve --review`); rejected
# facts are not listed and corrected ones show the corrected values.
FACT_COLUMNS = ["path", "doi", "material", "material_key", "property", "value", "unit", "si_value", "si_unit",
                "phase", "method", "confidence", "sentence", "review", "reviewer", "reviewed_at", "id"]


def list_facts(store: GraphStore, prop: str | None = None, material: str | None = None) -> list[dict[str, Any]]:
    """Property facts in the graph, filtered by property and material as a user writes them
    ("band gap", "Tc"; "TiO2", "titania", "O2Ti"): one dict per fact, keys FACT_COLUMNS."""
    from nlp.keys import material_key, property_key  # the same keys extraction wrote

    params = {"property": property_key(prop) if prop else None, "material": material_key(material) if material else None}
    result = store.read(cypher.LIST_FACTS, params)
    return [dict(zip(result.columns, row)) for row in result.rows]
