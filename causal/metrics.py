"""Recovery of a known graph: structural Hamming distance and skeleton precision/recall/F1.

SHD counts, over unordered node pairs, an edge present in one graph and not the other, or
present in both with different marks (a reversed, undirected or bidirected edge where the truth
says "-->"): each counts once, as in Tsamardinos et al. 2006 (MMHC paper, section 6).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from causal.graphs import CausalGraph, Edge


@dataclass(frozen=True)
class Recovery:
    shd: int
    shd_cpdag: int | None  # against the truth's Markov equivalence class (None: truth not a DAG)
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float | int | None]:
        return {"shd": self.shd, "shd_cpdag": self.shd_cpdag, "skeleton_precision": round(self.precision, 3),
                "skeleton_recall": round(self.recall, 3), "skeleton_f1": round(self.f1, 3)}


def shd(truth: CausalGraph, estimate: CausalGraph) -> int:
    distance = 0
    for x, y in combinations(sorted(set(truth.nodes) | set(estimate.nodes)), 2):
        t, e = truth.edge_between(x, y), estimate.edge_between(x, y)
        if (t is None) != (e is None):
            distance += 1
        elif t is not None and e is not None and t.canonical() != e.canonical():
            distance += 1
    return distance


def skeleton_scores(truth: CausalGraph, estimate: CausalGraph) -> tuple[float, float, float]:
    t, e = truth.skeleton(), estimate.skeleton()
    hits = len(t & e)
    precision = hits / len(e) if e else (1.0 if not t else 0.0)
    recall = hits / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def is_dag(graph: CausalGraph) -> bool:
    return all(e.mark == "-->" for e in graph.edges)


def cpdag(dag: CausalGraph) -> CausalGraph:
    """The completed partially directed graph of a DAG's equivalence class (causal-learn's
    dag2cpdag): the best any method that sees only conditional independences can return."""
    from causallearn.graph.Dag import Dag
    from causallearn.graph.GraphNode import GraphNode
    from causallearn.utils.DAG2CPDAG import dag2cpdag

    from causal.graphs import from_causallearn

    nodes = {n: GraphNode(n) for n in dag.nodes}
    g = Dag(list(nodes.values()))
    for e in dag.edges:
        g.add_directed_edge(nodes[e.a], nodes[e.b])
    return from_causallearn(dag2cpdag(g), list(dag.nodes))


def recovery(truth: CausalGraph, estimate: CausalGraph) -> Recovery:
    precision, recall, f1 = skeleton_scores(truth, estimate)
    shd_eq = shd(cpdag(truth), estimate) if is_dag(truth) else None
    return Recovery(shd(truth, estimate), shd_eq, precision, recall, f1)


def directed(a: str, b: str) -> Edge:
    return Edge(a, b, "-->")
