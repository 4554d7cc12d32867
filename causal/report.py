"""A Markdown report of an analysis: data, missingness, assumptions, edge tables with bootstrap
frequencies, one drawn graph per algorithm (PNG) and the caveats that bound what it means."""
from __future__ import annotations

import math
from pathlib import Path

from causal.algorithms import ALGORITHMS, ASSUMPTIONS
from causal.analysis import AlgorithmResult, Analysis
from causal.graphs import CausalGraph

GENERAL_CAVEATS = (
    "Every edge below is a hypothesis to test by experiment (or by a designed computation), not a "
    "finding. Observational data cannot rule out unmeasured common causes except where FCI marks "
    "an edge `-->`, and even then only under its assumptions.",
    "Causal sufficiency: PC, GES and DirectLiNGAM assume every common cause of two variables is in "
    "the table. Synthesis route, sample form (film, powder, crystal), measurement method and "
    "temperature are not, so some edges may stand for such confounders.",
    "Faithfulness: a dependence that cancels out (two paths with opposite signs) is invisible to the "
    "tests; an edge missing here is not evidence of no effect.",
    "Fisher-z, GES (BIC) and LiNGAM assume linear relations; Fisher-z and GES also Gaussian-like noise, "
    "LiNGAM non-Gaussian noise. KCI drops linearity but runs on a subsample.",
    "Literature data: values were chosen for publication (reporting bias), repeated compositions come "
    "from different groups and methods, and text-mined values carry extraction errors. Experimental and "
    "DFT values must not be pooled without a variable that says which is which (this analysis uses "
    "experimental values only where the spec says so).",
    "Bootstrap frequencies measure stability under resampling of these rows, not the probability that "
    "an edge is causal.",
)


def _draw(graph: CausalGraph, tiers: dict[str, int], path: Path, title: str, labels: dict[tuple[str, str], str]) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(graph.nodes)
    if tiers and all(n in tiers for n in graph.nodes):
        by_tier: dict[int, list[str]] = {}
        for n in graph.nodes:
            by_tier.setdefault(tiers[n], []).append(n)
        # each tier a column bent into an arc, so edges inside a tier do not run on top of each other
        pos = {n: (t * 4.0 + 1.5 * math.sin(math.pi * i / max(len(ns) - 1, 1)), -i * 1.2 + len(ns) * 0.6)
               for t, ns in by_tier.items() for i, n in enumerate(ns)}
    else:
        pos = nx.circular_layout(g)
    fig, ax = plt.subplots(figsize=(11, 7))
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color="#dde6f0", node_size=900, edgecolors="#345")
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=8)
    styles = {"-->": ("-|>", "solid", "#222"), "---": ("-", "solid", "#222"), "<->": ("<|-|>", "solid", "#b22"),
              "o->": ("-|>", "dashed", "#555"), "o-o": ("-", "dashed", "#555")}
    for e in graph.edges:
        arrow, style, color = styles[e.mark]
        nx.draw_networkx_edges(g, pos, edgelist=[(e.a, e.b)], ax=ax, arrows=True, arrowstyle=arrow,
                               style=style, edge_color=color, node_size=900, arrowsize=14,
                               connectionstyle="arc3,rad=0.08")
    nx.draw_networkx_edge_labels(g, pos, edge_labels={(a, b): t for (a, b), t in labels.items()}, ax=ax,
                                 font_size=7, connectionstyle="arc3,rad=0.08")
    ax.set_title(title + "\nsolid arrow: directed; plain line: unoriented; red double arrow: latent common cause; "
                 "dashed: partially oriented (FCI)", fontsize=9)
    ax.margins(0.12)  # room for the labels of the outermost nodes
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _edge_table(result: AlgorithmResult) -> list[str]:
    lines = ["| edge | kind | frequency (this mark) | adjacency frequency | on full data |", "|---|---|---|---|---|"]
    for r in result.edges:
        lines.append(f"| `{r.edge.a} {r.edge.mark} {r.edge.b}` | {r.edge.kind} | {r.frequency:.2f} | "
                     f"{r.adjacency:.2f} | {'yes' if r.in_full_data else 'no (bootstrap only)'} |")
    if not result.edges:
        lines.append("| (no edges) | | | | |")
    return lines


def write_report(analysis: Analysis, out_dir: Path) -> Path:
    """README.md plus one PNG per algorithm in out_dir; returns the Markdown path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ds = analysis.dataset
    spec = ds.spec
    md = [f"# Causal analysis: {spec.name}", ""]
    if spec.description:
        md += [spec.description.strip(), ""]
    md += ["**Edges are hypotheses for experiment, not findings.** Read the caveats at the end first.", "",
           "## Data", "",
           f"- Unit of analysis: {spec.unit}; rows found in the graph: {ds.rows_found}; rows analysed: {len(ds.data)}.",
           f"- Missing values: {ds.handling}.",
           f"- Data hash (sha256 of the analysed table, first 16 hex digits): `{ds.data_hash}`.",
           f"- Significance level for independence tests: {analysis.settings.alpha}; KCI subsample: "
           f"{analysis.settings.kci_max_n} rows.", "",
           "| variable | kind | description | missing | share missing |", "|---|---|---|---|---|"]
    miss = {m["variable"]: m for m in ds.missingness()}
    for v in spec.variables:
        md.append(f"| {v.name} | {v.kind} | {v.description} | {miss[v.name]['missing']} | {miss[v.name]['share']:.3f} |")
    bk = spec.background
    md += ["", "## Background knowledge", ""]
    if bk.tiers:
        tiers: dict[int, list[str]] = {}
        for n, t in bk.tiers.items():
            tiers.setdefault(t, []).append(n)
        md += [f"- Tier {t}: {', '.join(ns)}" for t, ns in sorted(tiers.items())]
        md.append("- A variable may act on variables in its own or a later tier, never on an earlier tier.")
    md += [f"- Forbidden: `{a} --> {b}`" for a, b in bk.forbidden] + [f"- Required: `{a} --> {b}`" for a, b in bk.required]
    if bk.empty():
        md.append("- none")
    md += ["", "## Results", ""]
    md += ["| algorithm | rows used | edges | seconds (full data) | bootstrap resamples | bootstrap seconds |",
           "|---|---|---|---|---|---|"]
    for r in analysis.results:
        md.append(f"| {r.algorithm} | {r.discovery.n_used} | {len(r.discovery.graph.edges)} | "
                  f"{r.discovery.seconds:.2f} | {r.resamples} | {r.bootstrap_seconds:.1f} |")
    for r in analysis.results:
        png = f"{r.algorithm}.png"
        labels = {(e.edge.a, e.edge.b): f"{e.frequency:.2f}" for e in r.edges if e.in_full_data}
        _draw(r.discovery.graph, bk.tiers, out_dir / png, f"{spec.name}: {r.algorithm} (n={r.discovery.n_used})", labels)
        md += ["", f"### {r.algorithm}: {ALGORITHMS[r.algorithm]}", "",
               f"Assumes: {ASSUMPTIONS[r.algorithm]}.", ""]
        md += [f"- Note: {n}" for n in r.discovery.notes]
        md += [f"- Against the background knowledge: `{e}`" for e in r.violations]
        md += ["", *_edge_table(r), "", f"![{r.algorithm} graph]({png})"]
    md += ["", "## Caveats", ""] + [f"- {c}" for c in GENERAL_CAVEATS] + [f"- {c}" for c in spec.caveats]
    md += ["", "## Spec", "", "```yaml", spec.text.strip(), "```", ""]
    path = out_dir / "README.md"
    path.write_text("\n".join(md), encoding="utf-8")
    return path
