"""Curators' decisions on property facts: accept, reject or correct one, with who and when.

Each decision is a `(:Review)-[:REVIEWS]->(:Measurement)` node kept for the record, and the newest
is applied to the fact itself (`review`, `reviewed_by`, `reviewed_at`; a correction rewrites the
value, unit, material and property in place), so `facts`, `graph export` and any query see it.
"""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from graph import cypher
from graph.schema import entity_uid
from graph.store import GraphError, GraphStore

DECISIONS = ("accepted", "rejected", "corrected")
MAX_TEXT = 200  # reviewer names, units, materials, properties: short fields, bounded


class ReviewError(GraphError):
    """A decision that cannot be recorded: unknown fact, empty reviewer, a value that is no number."""


@dataclass(frozen=True)
class Correction:
    """A fact as the curator says it should read: material and property as typed, keyed later."""

    value: float
    unit: str | None
    material: str
    property: str


@dataclass(frozen=True)
class Decision:
    fact: str  # the Measurement's id
    decision: str  # one of DECISIONS
    reviewer: str
    note: str = ""
    correction: Correction | None = None  # required for "corrected", refused otherwise


def _short(text: str, what: str, *, required: bool = True) -> str:
    text = " ".join(text.split())
    if required and not text:
        raise ReviewError(f"{what} is required")
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{what} is longer than {MAX_TEXT} characters")
    return text


def parse_correction(value: str, unit: str, material: str, prop: str) -> Correction:
    """A correction from form fields as typed; ReviewError says which field is wrong."""
    try:
        number = float(value.strip())
    except ValueError:
        raise ReviewError(f"value {value.strip()[:40]!r} is not a number") from None
    if not math.isfinite(number):
        raise ReviewError("value must be a finite number")
    return Correction(number, _short(unit, "unit", required=False) or None, _short(material, "material"),
                      _short(prop, "property"))


def now_utc() -> str:
    # milliseconds, so two decisions within one second still sort in the order they were made
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _correction_params(c: Correction) -> dict[str, Any]:
    from nlp.formula import parse_formula
    from nlp.keys import material_key, property_key  # the keys extraction writes
    from nlp.si import to_si

    mkey, pkey = material_key(c.material), property_key(c.property)
    si = to_si(c.value, c.unit)
    return {"value": c.value, "unit": c.unit, "si_value": si[0] if si else None, "si_unit": si[1] if si else None,
            "material": mkey, "material_text": c.material, "material_uid": entity_uid("Material", mkey),
            "formula": mkey if parse_formula(mkey) is not None else None,
            "property": pkey, "property_uid": entity_uid("Property", pkey)}


def record(store: GraphStore, decision: Decision, *, time: str | None = None) -> str:
    """Store one decision and apply it to its fact; returns the Review's id."""
    if decision.decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}")
    if (decision.decision == "corrected") != (decision.correction is not None):
        raise ReviewError("a correction needs the corrected fields, and only a correction has them")
    params: dict[str, Any] = {"id": decision.fact, "review": uuid.uuid4().hex, "time": time or now_utc(),
                              "reviewer": _short(decision.reviewer, "reviewer"),
                              "note": _short(decision.note, "note", required=False) or None}
    if decision.correction is not None:
        query = cypher.CORRECT_FACT
        params.update(_correction_params(decision.correction))
    else:
        query, params["decision"] = cypher.REVIEW_FACT, decision.decision
    if not store.run(query, params).rows:
        raise ReviewError(f"no fact with id {decision.fact!r} in the graph")
    return str(params["review"])


def history(store: GraphStore, fact: str) -> list[dict[str, Any]]:
    """Every decision on one fact, newest first."""
    result = store.read(cypher.REVIEW_HISTORY, {"id": fact})
    return [dict(zip(result.columns, row)) for row in result.rows]


def recent(store: GraphStore, limit: int = 100) -> list[dict[str, Any]]:
    """The newest decisions on any fact, with the fact's id and current material."""
    result = store.read(cypher.RECENT_REVIEWS, {"limit": limit})
    return [dict(zip(result.columns, row)) for row in result.rows]
