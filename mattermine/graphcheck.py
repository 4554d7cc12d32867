"""What a graph holds, in a form two graphs can be compared by: every node by its natural key and
properties, every relationship by its ends' keys, type and properties. Used to check that engines,
interrupted runs and re-runs all converge on the same graph."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from graph import cypher
from graph.store import GraphStore

_KEY_PROPS = ("uid", "id", "symbol", "key")  # Entity uid, Document/Sentence/... id, Element symbol
# Lists whose order records only the order documents were written in (aliases and DOPED_WITH
# sentences are unions grown batch by batch), not what the graph says.
_SETS = ("aliases", "sentences")

_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
_RELS = ("MATCH (a)-[r]->(b) RETURN labels(a) AS al, properties(a) AS ap, type(r) AS type, "
         "properties(r) AS props, labels(b) AS bl, properties(b) AS bp")


def _key(labels: list[str], props: dict[str, Any]) -> str:
    for name in _KEY_PROPS:
        if props.get(name) is not None:
            return f"{':'.join(sorted(labels))}|{name}={props[name]}"
    return f"{':'.join(sorted(labels))}|{json.dumps(props, sort_keys=True, default=str)}"


def _canon(props: dict[str, Any]) -> str:
    clean = {k: sorted(v, key=str) if k in _SETS and isinstance(v, list) else v for k, v in props.items()}
    return json.dumps(clean, sort_keys=True, default=str)


@dataclass(frozen=True)
class GraphDigest:
    nodes: int
    relationships: int
    labels: dict[str, int]
    types: dict[str, int]
    node_items: frozenset[tuple[str, str]]  # (key, properties)
    rel_items: Counter[tuple[str, str, str, str]]  # (start key, type, end key, properties) -> count

    def summary(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "relationships": self.relationships, "labels": self.labels,
                "types": self.types}

    def differences(self, other: GraphDigest, limit: int = 5) -> dict[str, Any]:
        """Empty when the graphs are the same; else a few examples of what differs."""
        out: dict[str, Any] = {}
        if self.summary() != other.summary():
            out["counts"] = {"self": self.summary(), "other": other.summary()}
        only_self = sorted(self.node_items - other.node_items)[:limit]
        only_other = sorted(other.node_items - self.node_items)[:limit]
        if only_self or only_other:
            out["nodes"] = {"only_self": only_self, "only_other": only_other}
        rel_self = sorted((self.rel_items - other.rel_items).elements())[:limit]
        rel_other = sorted((other.rel_items - self.rel_items).elements())[:limit]
        if rel_self or rel_other:
            out["relationships"] = {"only_self": rel_self, "only_other": rel_other}
        return out


def digest(store: GraphStore) -> GraphDigest:
    nodes = store.read(_NODES).rows
    rels = store.read(_RELS).rows
    labels = {row[0]: row[1] for row in store.read(cypher.COUNT_BY_LABEL).rows}
    types = {row[0]: row[1] for row in store.read(cypher.COUNT_BY_TYPE).rows}
    node_items = frozenset((_key(ls, ps), _canon(ps)) for ls, ps in nodes)
    rel_items = Counter((_key(al, ap), t, _key(bl, bp), _canon(ps)) for al, ap, t, ps, bl, bp in rels)
    return GraphDigest(len(nodes), len(rels), labels, types, node_items, rel_items)
