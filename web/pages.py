"""What each page shows, read from the graph as plain data for the templates. Every query is in
graph/cypher.py and runs read-only."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph import cypher
from graph.curation import load_facts
from graph.store import GraphStore
from web.drawing import Drawing, Neighbour, radial
from web.text import display_formula, link

LIMIT = 50
MAX_QUERY_TEXT = 200


def _rows(store: GraphStore, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = store.read(query, params)
    return [dict(zip(result.columns, row)) for row in result.rows]


def search(store: GraphStore, text: str) -> dict[str, Any]:
    """Materials, properties and applications matching what a curator typed: a formula in any
    element order, a name or abbreviation, a property name or symbol, or part of any of them."""
    from nlp.keys import material_key, property_key  # the normalisation `mattermine facts` uses

    q = text.strip()[:MAX_QUERY_TEXT]
    if not q:
        return {"q": "", "materials": [], "properties": [], "applications": []}
    params = {"key": material_key(q), "property": property_key(q), "text": q.lower(), "limit": LIMIT}
    return {"q": q, "materials": _rows(store, cypher.SEARCH_MATERIALS, params),
            "properties": _rows(store, cypher.SEARCH_PROPERTIES, params),
            "applications": _rows(store, cypher.SEARCH_APPLICATIONS, params)}


def _syntheses(store: GraphStore, key: str) -> list[dict[str, Any]]:
    recipes = _rows(store, cypher.MATERIAL_SYNTHESES, {"key": key, "limit": LIMIT})
    ids = [r["id"] for r in recipes]
    uses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        for row in _rows(store, cypher.CAUSAL_RECIPE_PRECURSORS, {"ids": ids}):
            uses[row["synthesis"]].append(row)
        for row in _rows(store, cypher.CAUSAL_RECIPE_STEPS, {"ids": ids}):
            steps[row["synthesis"]].append(row)
    for r in recipes:
        r["uses"] = sorted(uses[r["id"]], key=lambda u: (u["role"] or "", u["material"]))
        r["steps"] = sorted(steps[r["id"]], key=lambda s: s["step"])
    return recipes


def _spec_includes(store: GraphStore, key: str, spec_text: str | None) -> bool:
    """Whether the material is a row of the analysis its spec describes: for a material analysis,
    it has a value of one of its properties (from that variable's source); for a recipe analysis,
    it is the target of one of its recipes."""
    import yaml

    from nlp.keys import property_key

    try:
        spec = yaml.safe_load(spec_text or "")
    except yaml.YAMLError:
        return False
    if not isinstance(spec, dict):
        return False
    if spec.get("unit") == "recipe":
        return bool(store.read(cypher.MATERIAL_RECIPE_COUNT, {"key": key, "source": spec.get("source")}).rows[0][0])
    for var in spec.get("variables") or []:
        if isinstance(var, dict) and var.get("kind") == "property" and var.get("property"):
            params = {"key": key, "property": property_key(str(var["property"])), "source": var.get("source")}
            if store.read(cypher.MATERIAL_PROPERTY_COUNT, params).rows[0][0]:
                return True
    return False


def _analyses(store: GraphStore, key: str) -> list[dict[str, Any]]:
    out = []
    for a in _rows(store, cypher.CAUSAL_ANALYSES_WITH_SPECS, {}):
        if _spec_includes(store, key, a.pop("spec")):
            a["edges"] = _rows(store, cypher.READ_CAUSAL_EDGES, {"id": a["id"]})
            out.append(a)
    return out


_KINDS = {"Material": "material", "Property": "property", "Application": "application"}


def _kind(labels: list[str]) -> str:
    return next((_KINDS[label] for label in labels if label in _KINDS), "other")


def entity_href(kind: str, key: str) -> str:
    if kind in ("material", "property", "application"):
        return link(f"/{kind}", key=key)
    return link("/", q=key)


def _neighbourhood(store: GraphStore, key: str, aliases: list[str], elements: list[str]) -> Drawing:
    neighbours = [Neighbour(p["key"], "property", entity_href("property", p["key"]),
                            f"{p['facts']} fact{'s' if p['facts'] != 1 else ''}")
                  for p in _rows(store, cypher.MATERIAL_PROPERTIES, {"key": key})[:5]]
    seen = {n.key for n in neighbours}
    for row in _rows(store, cypher.MATERIAL_CO_MENTIONS, {"key": key, "limit": 16}):
        kind = _kind(row["labels"])
        if row["key"] not in seen and len(neighbours) < 14:
            seen.add(row["key"])
            name = display_formula(row["key"], row["aliases"]) if kind == "material" else row["key"]
            neighbours.append(Neighbour(name, kind, entity_href(kind, row["key"]),
                                        f"co-mentioned in {row['documents']} document(s)"))
    for symbol in sorted(elements)[:max(0, 18 - len(neighbours))]:
        neighbours.append(Neighbour(symbol, "element", link("/", q=symbol), "element it contains"))
    return radial(display_formula(key, aliases), neighbours)


def material(store: GraphStore, key: str) -> dict[str, Any] | None:
    """Everything the graph holds about one material, or None when there is no such material."""
    found = _rows(store, cypher.MATERIAL, {"key": key})
    if not found or found[0]["key"] is None:
        return None
    info = found[0]
    info["elements"] = sorted(e for e in info["elements"] if e)
    return {"material": info, "facts": load_facts(store, material=key),
            "syntheses": _syntheses(store, key),
            "applications": _rows(store, cypher.MATERIAL_APPLICATIONS, {"key": key, "limit": 30}),
            "predictions": _rows(store, cypher.MATERIAL_PREDICTIONS, {"key": key}),
            "analyses": _analyses(store, key),
            "drawing": _neighbourhood(store, key, info["aliases"] or [], info["elements"])}


def prop(store: GraphStore, key: str) -> dict[str, Any]:
    return {"key": key, "facts": load_facts(store, prop=key)}


def application(store: GraphStore, key: str) -> dict[str, Any]:
    params = {"key": key, "limit": 200}
    return {"key": key, "materials": _rows(store, cypher.APPLICATION_MATERIALS, params),
            "predictions": _rows(store, cypher.APPLICATION_PREDICTIONS, params)}


def fact(store: GraphStore, fact_id: str) -> dict[str, Any] | None:
    from graph.review import history

    facts = load_facts(store, fact_id=fact_id, limit=1)
    if not facts:
        return None
    return {"fact": facts[0], "history": history(store, fact_id)}
