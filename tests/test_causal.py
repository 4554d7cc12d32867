"""Causal discovery: metrics, synthetic recovery, descriptors, linking, datasets, write-back, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from causal import CausalError
from causal.algorithms import Background, Settings, discover
from causal.graphs import CausalGraph, Edge
from causal.metrics import cpdag, recovery, shd, skeleton_scores
from causal.synthetic import CASES, slopes
from tests.conftest import need_corpus, run_cli

REPO = Path(__file__).resolve().parent.parent


def _g(*edges: tuple[str, str, str]) -> CausalGraph:
    return CausalGraph.of("abcd", [Edge(a, b, m) for a, m, b in edges])


# -- metrics -----------------------------------------------------------------------------------
def test_shd_counts_missing_extra_and_misoriented_edges_once_each() -> None:
    truth = _g(("a", "-->", "b"), ("b", "-->", "c"))
    assert shd(truth, truth) == 0
    assert shd(truth, _g(("b", "-->", "a"), ("b", "-->", "c"))) == 1  # reversed
    assert shd(truth, _g(("a", "---", "b"), ("b", "-->", "c"), ("c", "-->", "d"))) == 2  # unoriented + extra
    assert shd(truth, _g(("a", "-->", "b"))) == 1  # missing
    p, r, f1 = skeleton_scores(truth, _g(("a", "---", "b"), ("c", "-->", "d")))
    assert (p, r) == (0.5, 0.5) and f1 == 0.5


def test_cpdag_of_a_chain_is_unoriented_and_keeps_a_collider() -> None:
    chain = cpdag(_g(("a", "-->", "b"), ("b", "-->", "c")))
    assert {e.mark for e in chain.edges} == {"---"}
    collider = cpdag(_g(("a", "-->", "c"), ("b", "-->", "c")))
    assert {str(e) for e in collider.edges} == {"a --> c", "b --> c"}


# -- synthetic recovery ------------------------------------------------------------------------
def test_pc_and_ges_recover_the_linear_gaussian_equivalence_class() -> None:
    case = CASES["linear_gaussian"](1000, 0)
    for algorithm in ("pc-fisherz", "ges"):
        r = recovery(case.truth, discover(algorithm, case.data, list(case.names)).graph)
        assert r.shd_cpdag == 0 and r.f1 == 1.0, algorithm


def test_lingam_orients_everything_only_with_non_gaussian_noise() -> None:
    non_gaussian = CASES["non_gaussian"](1000, 0)
    assert recovery(non_gaussian.truth, discover("lingam", non_gaussian.data, list(non_gaussian.names)).graph).shd == 0
    gaussian = CASES["linear_gaussian"](1000, 0)
    assert recovery(gaussian.truth, discover("lingam", gaussian.data, list(gaussian.names)).graph).shd > 2


def test_fci_flags_the_hidden_confounder_that_pc_cannot() -> None:
    case = CASES["hidden_confounder"](1000, 0)
    fci = discover("fci", case.data, list(case.names)).graph
    assert fci.edge_between("x", "y") == Edge("x", "y", "<->")
    pc = discover("pc-fisherz", case.data, list(case.names)).graph
    assert all(e.mark != "<->" for e in pc.edges)


def test_kci_finds_the_nonlinear_edges_fisher_z_misses() -> None:
    case = CASES["nonlinear"](400, 0)
    kci = discover("pc-kci", case.data, list(case.names), settings=Settings(kci_max_n=100))
    fz = discover("pc-fisherz", case.data, list(case.names))
    assert kci.n_used == 100 and kci.notes  # the subsample is stated
    assert recovery(case.truth, kci.graph).f1 > recovery(case.truth, fz.graph).f1


def test_simpsons_case_reverses_the_slope_and_pc_orients_the_causal_edge() -> None:
    case = CASES["simpsons_paradox"](1000, 0)
    pooled, adjusted = slopes(case, "dopant_level", "conductivity", "anneal_temperature")
    assert pooled > 0 > adjusted
    graph = discover("pc-fisherz", case.data, list(case.names)).graph
    assert graph.edge_between("dopant_level", "conductivity") == Edge("dopant_level", "conductivity", "-->")


def test_background_tiers_are_obeyed() -> None:
    case = CASES["relaxor_chain"](800, 0)
    names = list(case.names)
    # Deliberately wrong knowledge: the response is declared a root. Nothing may point into it.
    bk = Background(tiers={"electromechanical_response": 0, **{n: 1 for n in names if n != "electromechanical_response"}},
                    forbidden=(("local_composition", "local_polarization"),))
    for algorithm in ("pc-fisherz", "lingam"):
        graph = discover(algorithm, case.data, names, bk).graph
        assert bk.violations(graph) == [], algorithm
        assert graph.edge_between("local_composition", "local_polarization") != Edge(
            "local_composition", "local_polarization", "-->")


# -- descriptors -------------------------------------------------------------------------------
def test_descriptors_of_tio2_by_hand() -> None:
    from causal.descriptors import describe

    d = describe("O2Ti")
    assert d["n_elements"] == 2
    assert d["mean_electronegativity"] == pytest.approx((1.54 + 2 * 3.44) / 3)  # Pauling: Ti 1.54, O 3.44
    assert d["mean_valence_electrons"] == pytest.approx((4 + 2 * 6) / 3)
    assert d["transition_metal_fraction"] == pytest.approx(1 / 3)
    assert describe("graphene")["n_elements"] is None
    assert describe("CoLi1+xO2")["mean_atomic_mass"] is None  # symbolic count


def test_spec_errors_are_clear() -> None:
    from causal.dataset import parse_spec

    base = {"unit": "material", "variables": [{"name": "g", "kind": "property", "property": "band gap"},
                                              {"name": "n_elements", "kind": "descriptor"}]}
    parse_spec(base)
    with pytest.raises(CausalError, match="not a variable"):
        parse_spec({**base, "tiers": [["nope"]]})
    with pytest.raises(CausalError, match="unknown descriptor"):
        parse_spec({**base, "variables": [*base["variables"], {"name": "zz", "kind": "descriptor"}]})
    with pytest.raises(CausalError, match="unknown algorithm"):
        parse_spec({**base, "algorithms": ["magic"]})


# -- linking and write-back on the real graph stores ------------------------------------------
def _count(store: object, query: str) -> int:
    return int(store.read(query).rows[0][0])  # type: ignore[attr-defined]


def test_link_table_is_idempotent_and_joins_extracted_keys(store: object, tmp_path: Path) -> None:
    from causal.link import link_table, read_table
    from graph import cypher

    csv = tmp_path / "gaps.csv"
    csv.write_text(",composition,Eg\n0,TiO2,3.2\n1,ZnO,3.37\n2,TiO2,3.0\n3,,1.0\n4,GaN,n/a\n", encoding="utf-8")
    table = read_table(csv, formula_column="composition", prop="band gap", unit="eV", source="toy")
    assert len(table.measurements) == 3 and len(table.skipped) == 2
    first = link_table(store, table)  # type: ignore[arg-type]
    nodes = _count(store, cypher.COUNT_NODES)
    second = link_table(store, table)  # type: ignore[arg-type]
    assert first.write.nodes_created > 0 and second.write.nodes_created == 0
    assert second.write.relationships_created == 0 and _count(store, cypher.COUNT_NODES) == nodes
    rows = store.read(cypher.CAUSAL_PROPERTY_VALUES, {"property": "band gap", "source": "toy"}).rows  # type: ignore[attr-defined]
    assert sorted((r[0], r[1]) for r in rows) == [("O2Ti", 3.0), ("O2Ti", 3.2), ("OZn", 3.37)]
    assert store.read(cypher.CAUSAL_PROPERTY_VALUES, {"property": "band gap", "source": "extracted"}).rows == []  # type: ignore[attr-defined]


def test_material_dataset_joins_linked_values_descriptors_and_co_mentions(store: object, tmp_path: Path) -> None:
    from causal.dataset import assemble, parse_spec
    from causal.link import link_table, read_table

    csv = tmp_path / "gaps.csv"
    rows = ["TiO2,3.2", "TiO2,3.0", "ZnO,3.37", "GaN,3.4", "CdS,2.42", "Si,1.12", "GaAs,1.42", "ZnS,3.6",
            "CdTe,1.5", "InP,1.34", "AlN,6.0", "MgO,7.8"]
    csv.write_text("composition,Eg\n" + "\n".join(rows) + "\n", encoding="utf-8")
    link_table(store, read_table(csv, formula_column="composition", prop="band gap", unit="eV", source="toy"))  # type: ignore[arg-type]
    # what extraction writes when a sentence names TiO2 together with photocatalysis
    store.run("MATCH (m:Material {key: 'O2Ti'}) MERGE (a:Application:Entity {key: 'photocatalysis', "  # type: ignore[attr-defined]
              "uid: 'Application:photocatalysis'}) MERGE (m)-[:CO_MENTIONED {documents: 2, sentences: 3}]->(a)")
    spec = parse_spec({"unit": "material", "variables": [
        {"name": "gap", "kind": "property", "property": "band gap", "source": "toy", "unit": "eV"},
        {"name": "mean_electronegativity", "kind": "descriptor"},
        {"name": "photocatalysis", "kind": "application", "application": "photocatalysis"}]})
    ds = assemble(store, spec)  # type: ignore[arg-type]
    table = {key: dict(zip(ds.names, map(float, row))) for key, row in zip(ds.rows, ds.data)}
    assert ds.rows_found == 11 and table["O2Ti"]["gap"] == pytest.approx(3.1)  # median of the two rows
    assert table["O2Ti"]["photocatalysis"] == 1.0 and table["OZn"]["photocatalysis"] == 0.0
    assert table["Si"]["mean_electronegativity"] == pytest.approx(1.90)  # Pauling


def test_band_gap_spec_end_to_end_with_writeback(store: object, tmp_path: Path) -> None:
    from causal.analysis import run_analysis
    from causal.dataset import assemble, load_spec
    from causal.link import link_table, read_table
    from causal.report import write_report
    from causal.writeback import write_analysis
    from graph import cypher

    path = need_corpus("property-tables", "expt-band-gaps.csv")
    link_table(store, read_table(path, formula_column="composition", prop="band gap", unit="eV",  # type: ignore[arg-type]
                                 source="expt-band-gaps", limit=600))
    spec = load_spec(REPO / "docs" / "causal" / "band-gap" / "spec.yaml")
    spec = type(spec)(**{**spec.__dict__, "algorithms": ("pc-fisherz", "fci")})
    ds = assemble(store, spec)  # type: ignore[arg-type]
    assert 400 < len(ds.data) <= ds.rows_found <= 600
    assert ds.missing["mean_electronegativity"] > 0  # noble gases and some lanthanides have no Pauling value
    analysis = run_analysis(ds, resamples=3)
    report = write_report(analysis, tmp_path / "report")
    text = report.read_text()
    assert "hypotheses for experiment" in text and (tmp_path / "report" / "fci.png").stat().st_size > 1000
    write_analysis(store, analysis)  # type: ignore[arg-type]
    aid = analysis.analysis_id("pc-fisherz")
    edges = store.read(cypher.READ_CAUSAL_EDGES, {"id": aid}).rows  # type: ignore[attr-defined]
    graph = analysis.results[0].discovery.graph
    assert {(a, mark, b) for a, mark, b, _, _ in edges} == {(e.a, e.mark, e.b) for e in graph.edges} != set()
    # the tiers hold: nothing is oriented from the band gap into a composition descriptor
    assert not any(e.a == "band_gap" and e.mark == "-->" for e in graph.edges)
    total = _count(store, "MATCH ()-[e:CAUSAL_EDGE]->() RETURN count(e)")
    write_analysis(store, analysis)  # type: ignore[arg-type]
    assert _count(store, "MATCH ()-[e:CAUSAL_EDGE]->() RETURN count(e)") == total
    assert _count(store, "MATCH (c:CausalAnalysis) RETURN count(c)") == 2


@pytest.fixture(scope="module")
def reactions() -> tuple[Path, list[dict[str, object]]]:
    from causal.recipes import load

    path = need_corpus("synthesis-recipes", "solid-state_dataset_2019-12-03.json.xz")
    return path, load(path)[:300]


def test_recipes_link_and_assemble(store: object, reactions: tuple[Path, list[dict[str, object]]]) -> None:
    from causal.dataset import assemble, load_spec
    from causal.recipes import link_recipes

    path, recs = reactions
    first = link_recipes(store, path, "kononova2019", reactions=recs)  # type: ignore[arg-type]
    again = link_recipes(store, path, "kononova2019", reactions=recs)  # type: ignore[arg-type]
    assert first.rows_linked == 300 and again.write.nodes_created == 0
    temps = store.read("MATCH (:Synthesis {id: 'link:kononova2019:0'})-[:HAS_STEP]->(op:Operation) "  # type: ignore[attr-defined]
                       "WHERE op.type = 'HeatingOperation' RETURN op.temperature, op.time").rows
    assert temps == [[pytest.approx(1473.15), 43200.0]]  # 1200 °C for 12 h, the first recipe's firing
    ds = assemble(store, load_spec(REPO / "docs" / "causal" / "synthesis" / "spec.yaml"))  # type: ignore[arg-type]
    assert ds.rows_found == 300 and 50 < len(ds.data) < 300
    t = list(ds.names).index("max_temperature")
    assert 500 < float(np.median(ds.data[:, t])) < 2000  # kelvin


# -- CLI -----------------------------------------------------------------------------------------
def test_causal_commands_have_help() -> None:
    from mattermine.cli import main

    group = main.commands["causal"]
    for name, command in [("link", main.commands["link"]), *group.commands.items()]:  # type: ignore[attr-defined]
        assert command.help and len(command.help) > 20, name


def test_validate_cli_prints_json(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "causal", "validate", "--n", "300", "--case", "simpsons_paradox",
                     "--algorithm", "pc-fisherz", "--algorithm", "ges", "--format", "json")
    rows = json.loads(result.output)  # type: ignore[attr-defined]
    assert [r["algorithm"] for r in rows] == ["pc-fisherz", "ges"]
    for r in rows:
        assert {"shd", "skeleton_precision", "skeleton_recall", "skeleton_f1", "seconds"} <= set(r)
        assert r["pooled_slope"] > 0 > r["adjusted_slope"]


def test_link_cli_refuses_a_table_without_property(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("composition,Eg\nZnO,3.3\n", encoding="utf-8")
    result = run_cli(tmp_path, "link", str(csv), "--source", "x", ok=False)
    assert result.exit_code != 0 and "--property" in result.output  # type: ignore[attr-defined]
