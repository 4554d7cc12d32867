"""Write an analysis back to the graph: (:CausalAnalysis)-[:INCLUDES]->(:Variable)
-[:CAUSAL_EDGE {analysis, kind, mark, frequency}]->(:Variable), one analysis per algorithm.

Re-running the same spec on the same data gives the same analysis id; its edges are deleted and
rewritten, so the graph holds exactly the latest result (idempotent)."""
from __future__ import annotations

import json
from dataclasses import asdict

from causal.analysis import Analysis
from graph import cypher
from graph.store import GraphStore, WriteStats


def write_analysis(store: GraphStore, analysis: Analysis) -> WriteStats:
    ds = analysis.dataset
    spec = ds.spec
    variables = [{"key": v.name, "kind": v.kind, "description": v.description} for v in spec.variables]
    total = WriteStats()
    store.ensure_schema()
    for result in analysis.results:
        aid = analysis.analysis_id(result.algorithm)
        params = {"alpha": analysis.settings.alpha, "missing": spec.missing, "unit": spec.unit,
                  "settings": asdict(analysis.settings), "tiers": spec.background.tiers,
                  "forbidden": spec.background.forbidden, "required": spec.background.required}
        for query, p in (
            (cypher.WRITE_CAUSAL_ANALYSIS, {"id": aid, "name": spec.name, "algorithm": result.algorithm,
                                            "parameters": json.dumps(params, sort_keys=True),
                                            "data_hash": ds.data_hash, "n": result.discovery.n_used,
                                            "resamples": result.resamples, "spec": spec.text,
                                            "variables": variables}),
            (cypher.DELETE_CAUSAL_EDGES, {"id": aid}),
            (cypher.WRITE_CAUSAL_EDGES, {"rows": [
                {"analysis": aid, "algorithm": result.algorithm, "a": r.edge.a, "b": r.edge.b, "mark": r.edge.mark,
                 "kind": r.edge.kind, "frequency": r.frequency, "adjacency": r.adjacency}
                for r in result.edges if r.in_full_data]}),
        ):
            stats = store.run(query, p).stats
            stats.statements = 1
            total.add(stats)
    return total
