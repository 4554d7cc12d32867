"""One small graph record every algorithm's output is converted to, and the truth is stated in.

Edge marks follow the usual PAG notation: "-->" directed, "---" undirected (orientation not
identified), "<->" bidirected (a latent common cause), "o->" and "o-o" partially oriented (FCI:
the circle end may be a tail or an arrowhead).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MARKS = ("-->", "---", "<->", "o->", "o-o")
KINDS = {"-->": "directed", "---": "undirected", "<->": "bidirected", "o->": "partial", "o-o": "partial"}
_SYMMETRIC = {"---", "<->", "o-o"}


@dataclass(frozen=True, order=True)
class Edge:
    a: str
    b: str
    mark: str  # one of MARKS, read from a to b

    def __post_init__(self) -> None:
        if self.mark not in MARKS:
            raise ValueError(f"unknown edge mark {self.mark!r}")

    @property
    def kind(self) -> str:
        return KINDS[self.mark]

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))

    def canonical(self) -> Edge:
        """Symmetric marks with their ends in name order, so equal edges compare equal."""
        if self.mark in _SYMMETRIC and self.b < self.a:
            return Edge(self.b, self.a, self.mark)
        return self

    def __str__(self) -> str:
        return f"{self.a} {self.mark} {self.b}"


@dataclass(frozen=True)
class CausalGraph:
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]

    @classmethod
    def of(cls, nodes: Iterable[str], edges: Iterable[Edge]) -> CausalGraph:
        return cls(tuple(nodes), tuple(sorted({e.canonical() for e in edges})))

    def skeleton(self) -> set[frozenset[str]]:
        return {e.pair for e in self.edges}

    def edge_between(self, x: str, y: str) -> Edge | None:
        for e in self.edges:
            if e.pair == frozenset((x, y)):
                return e
        return None

    def parents(self, node: str) -> set[str]:
        return {e.a for e in self.edges if e.mark == "-->" and e.b == node}


def from_causallearn(graph: Any, names: list[str]) -> CausalGraph:
    """causal-learn's GeneralGraph (PC, FCI, GES) -> CausalGraph, via each edge's two endpoints."""
    from causallearn.graph.Endpoint import Endpoint

    node_names = [n.get_name() for n in graph.get_nodes()]
    rename = dict(zip(node_names, names)) if node_names != names else {n: n for n in names}
    # causal-learn's Endpoint enum defines __eq__ without __hash__: compare, don't look up
    def end(mark: Any) -> str:
        return "-" if mark == Endpoint.TAIL else ">" if mark == Endpoint.ARROW else "o"

    edges: list[Edge] = []
    for e in graph.get_graph_edges():
        a, b = rename[e.get_node1().get_name()], rename[e.get_node2().get_name()]
        e1, e2 = end(e.get_endpoint1()), end(e.get_endpoint2())  # mark at node1, at node2
        edges.append(_edge(a, b, e1, e2))
    return CausalGraph.of(names, edges)


def _edge(a: str, b: str, at_a: str, at_b: str) -> Edge:
    if at_b == ">" and at_a != ">":
        return Edge(a, b, "-->" if at_a == "-" else "o->")
    if at_a == ">" and at_b != ">":
        return Edge(b, a, "-->" if at_b == "-" else "o->")
    if at_a == ">" and at_b == ">":
        return Edge(a, b, "<->")
    if at_a == "-" and at_b == "-":
        return Edge(a, b, "---")
    return Edge(a, b, "o-o")  # o-o, and the rare o-- that FCI's rules can leave: still unresolved


def from_adjacency(weights: Any, names: list[str], threshold: float = 0.0) -> CausalGraph:
    """A weighted adjacency matrix in LiNGAM's convention (B[i, j] != 0: j -> i) -> CausalGraph."""
    edges = [Edge(names[j], names[i], "-->") for i in range(len(names)) for j in range(len(names))
             if i != j and abs(float(weights[i][j])) > threshold]
    return CausalGraph.of(names, edges)
