"""`mattermine link` and `mattermine causal ...`: linked data and causal discovery (causal/)."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graph.connect import GraphConfig
from mattermine.cli import _connect, graph_options, main
from mattermine.output import format_table


def _causal_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Spec, data and algorithm errors as one clear line."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from causal import CausalError

        try:
            return fn(*args, **kwargs)
        except CausalError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _emit(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, default=str))
    elif rows:
        columns = list(rows[0])
        click.echo(format_table(columns, [[r.get(c) for c in columns] for r in rows]))


_fmt = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                    help="Output format.")


# -- link ------------------------------------------------------------------------------------
@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Label stored on every imported row (e.g. expt-band-gaps).")
@click.option("--formula-column", default="composition", show_default=True, help="CSV column holding the formula.")
@click.option("--value-column", default=None, help="CSV column holding the value (default: the last other column).")
@click.option("--property", "prop", default=None, help="Property the values measure (e.g. \"band gap\").")
@click.option("--unit", default=None, help="Unit of the values as written (e.g. eV, K).")
@click.option("--recipes", is_flag=True,
              help="FILE is a text-mined synthesis-recipes JSON (.json or .json.xz, Kononova et al. 2019).")
@click.option("--limit", type=int, default=None, help="Import only the first N rows or recipes.")
@_fmt
@graph_options
@_causal_errors
def link(file: Path, source: str, formula_column: str, value_column: str | None, prop: str | None,
         unit: str | None, recipes: bool, limit: int | None, fmt: str, config: GraphConfig) -> None:
    """Import an external table (or synthesis recipes) into the graph, keyed to the same
    normalised materials as extracted facts. Batched and idempotent: re-running changes nothing."""
    from causal.link import link_table, read_table
    from causal.recipes import link_recipes

    if not recipes and not prop:
        raise click.UsageError("--property is required for a table (or pass --recipes)")
    store = _connect(config)
    try:
        if recipes:
            stats = link_recipes(store, file, source, limit)
        else:
            assert prop is not None
            table = read_table(file, formula_column=formula_column, prop=prop, unit=unit, source=source,
                               value_column=value_column, limit=limit)
            stats = link_table(store, table)
    finally:
        store.close()
    _emit([stats.as_dict()], fmt)


# -- causal ----------------------------------------------------------------------------------
@main.group()
def causal() -> None:
    """Causal discovery over graph facts and linked data; edges are hypotheses, not findings."""


@causal.command("validate")
@click.option("--n", "n", default=1000, show_default=True, help="Rows drawn from each synthetic SCM.")
@click.option("--seed", default=0, show_default=True, help="Random seed of the SCMs.")
@click.option("--case", "cases", multiple=True, help="Only these cases (repeatable).")
@click.option("--algorithm", "algorithms", multiple=True, help="Only these algorithms (repeatable).")
@click.option("--kci-max-n", default=None, type=int, help="Rows KCI subsamples to (default 300: it is cubic in n).")
@_fmt
@_causal_errors
def causal_validate(n: int, seed: int, cases: tuple[str, ...], algorithms: tuple[str, ...],
                    kci_max_n: int | None, fmt: str) -> None:
    """Recover the known graphs of synthetic SCMs: SHD, skeleton precision/recall/F1, seconds."""
    from causal import CausalError
    from causal.algorithms import Settings
    from causal.synthetic import CASES
    from causal.validate import validate

    for c in cases:
        if c not in CASES:
            raise CausalError(f"unknown case {c!r}; choose from {', '.join(CASES)}")
    settings = Settings(seed=seed) if kci_max_n is None else Settings(seed=seed, kci_max_n=kci_max_n)
    rows = validate(n, seed, cases or None, algorithms or None, settings)
    if fmt == "table":
        rows = [{k: v for k, v in r.items() if k != "edges"} for r in rows]
    _emit(rows, fmt)


@causal.command("dataset")
@click.argument("spec_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the assembled table as CSV.")
@_fmt
@graph_options
@_causal_errors
def causal_dataset(spec_path: Path, csv_out: Path | None, fmt: str, config: GraphConfig) -> None:
    """Assemble a spec's table from the graph and report rows and missingness per variable."""
    from causal.dataset import assemble, load_spec

    store = _connect(config)
    try:
        ds = assemble(store, load_spec(spec_path))
    finally:
        store.close()
    if csv_out is not None:
        import numpy as np

        header = ",".join(("row", *ds.names))
        with csv_out.open("w", encoding="utf-8") as fh:
            fh.write(header + "\n")
            for key, values in zip(ds.rows, ds.data):
                fh.write(json.dumps(key) + "," + ",".join(f"{x:.6g}" for x in np.asarray(values)) + "\n")
    if fmt == "json":
        click.echo(json.dumps({"rows_found": ds.rows_found, "rows_used": len(ds.data), "handling": ds.handling,
                               "data_hash": ds.data_hash, "missingness": ds.missingness()}, indent=2))
    else:
        click.echo(f"rows found: {ds.rows_found}; rows used: {len(ds.data)}; {ds.handling}")
        _emit(ds.missingness(), "table")


@causal.command("run")
@click.argument("spec_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the Markdown report and its graph pictures.")
@click.option("--resamples", type=int, default=None, help="Bootstrap resamples (default: the spec's).")
@click.option("--no-write", is_flag=True, help="Do not write the result back to the graph.")
@_fmt
@graph_options
@_causal_errors
def causal_run(spec_path: Path, out_dir: Path, resamples: int | None, no_write: bool, fmt: str,
               config: GraphConfig) -> None:
    """Run a spec end to end: dataset, algorithms, bootstrap, report, write-back to the graph."""
    import sys

    from causal.analysis import run_analysis
    from causal.dataset import assemble, load_spec
    from causal.report import write_report
    from causal.writeback import write_analysis

    spec = load_spec(spec_path)
    store = _connect(config)
    try:
        ds = assemble(store, spec)
        tty = sys.stderr.isatty()
        analysis = run_analysis(ds, resamples=resamples,
                                progress=(lambda m: click.echo(m, err=True)) if tty else None)
        report = write_report(analysis, out_dir)
        if not no_write:
            write_analysis(store, analysis)
    finally:
        store.close()
    rows = [{"algorithm": r.algorithm, "analysis": analysis.analysis_id(r.algorithm), "n": r.discovery.n_used,
             "edges": len(r.discovery.graph.edges), "seconds": round(r.discovery.seconds, 2),
             "resamples": r.resamples} for r in analysis.results]
    _emit(rows, fmt)
    if fmt == "table":
        click.echo(f"report: {report}")


@causal.command("analyses")
@_fmt
@graph_options
def causal_analyses(fmt: str, config: GraphConfig) -> None:
    """List the causal analyses written back to the graph."""
    from graph import cypher

    store = _connect(config)
    try:
        res = store.read(cypher.LIST_CAUSAL_ANALYSES)
    finally:
        store.close()
    _emit([dict(zip(res.columns, r)) for r in res.rows], fmt)
