"""The `mattermine` command. Each command is a thin wrapper over one library function."""
from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graph.connect import GraphConfig, open_store
from graph.store import GraphError, GraphStore, ReadOnlyViolation

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def graph_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--uri/--user/--password/--database for Neo4j, --data-dir/--graph for the local server."""
    options = [
        click.option("--uri", envvar="NEO4J_URI", default=None,
                     help="Neo4j URI (bolt:// or neo4j://); default: the local graph server. Env NEO4J_URI."),
        click.option("--user", envvar="NEO4J_USER", default=None, help="Neo4j user. Env NEO4J_USER."),
        click.option("--password", envvar="NEO4J_PASSWORD", default=None,
                     help="Neo4j password. Env NEO4J_PASSWORD (preferred: flags show in `ps`)."),
        click.option("--database", envvar="NEO4J_DATABASE", default=None, help="Neo4j database name."),
        click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     envvar="MATTERMINE_HOME",
                     help="mattermine's data directory (local graph, job records). "
                          "Default: $MATTERMINE_HOME or ~/.local/share/mattermine."),
        click.option("--graph", "graph_name", default=None, envvar="MATTERMINE_GRAPH",
                     help="Graph name on the local server (default: mattermine)."),
    ]

    @functools.wraps(fn)
    def wrapper(*args: Any, uri: str | None, user: str | None, password: str | None,
                database: str | None, data_dir: Path | None, graph_name: str | None, **kwargs: Any) -> Any:
        config = GraphConfig.from_env(neo4j_uri=uri, neo4j_user=user, neo4j_password=password,
                                      neo4j_database=database, data_dir=data_dir, graph=graph_name)
        try:
            return fn(*args, config=config, **kwargs)
        except GraphError as exc:
            raise click.ClickException(str(exc)) from exc

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _connect(config: GraphConfig) -> GraphStore:
    store, started = open_store(config)
    if started:
        click.echo(f"started the local graph server ({config.server_dir}); "
                   "`mattermine graph stop` stops it", err=True)
    return store


@click.group()
@click.version_option(package_name="mattermine")
def main() -> None:
    """mattermine: papers in (PDF, HTML, XML, text), a materials knowledge graph out."""


# -- extract -------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--ner", "tagger", default="ner.rules.v1", show_default=True,
              help="Tagger: a backend name, or a trained model's name or folder (`mattermine nlp models`).")
@click.option("--workers", default=0, show_default=True, help="Reader processes (0: one per core).")
@click.option("--batch-docs", default=64, show_default=True, help="Documents per graph write.")
@click.option("--force", is_flag=True, help="Re-extract documents already complete in the graph.")
@click.option("--failures", "failures_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Failures JSONL (default: <data-dir>/jobs/<job>/failures.jsonl).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@graph_options
def extract(paths: tuple[Path, ...], tagger: str, workers: int, batch_docs: int, force: bool,
            failures_path: Path | None, as_json: bool, config: GraphConfig) -> None:
    """Read papers from files and folders, find entities and facts, write them to the graph."""
    summary = run_extract_command(paths, config, tagger=tagger, workers=workers, batch_docs=batch_docs,
                                  force=force, failures_path=failures_path)
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=2))
    else:
        click.echo(_summary_text(summary, config))


def run_extract_command(paths: tuple[Path, ...] | list[Path], config: GraphConfig, **opts: Any) -> Any:
    from mattermine.extract import ExtractOptions, job_id_for, run_extract
    from mattermine.output import ProgressLine
    from nlp.registry import UnknownTagger

    failures_path = opts.pop("failures_path", None)
    options = ExtractOptions(data_dir=config.data_dir, **opts)
    if failures_path is None:
        failures_path = config.data_dir / "jobs" / job_id_for(list(paths)) / "failures.jsonl"
    store = _connect(config)
    progress = ProgressLine()
    try:
        return run_extract(list(paths), store, options, failures_path, progress)
    except UnknownTagger as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    finally:
        progress.close()
        store.close()


def _summary_text(s: Any, config: GraphConfig) -> str:
    rate = s.read / s.seconds if s.seconds else 0.0
    lines = [
        f"documents: {s.documents} found, {s.read} read, {s.skipped} already in graph, {s.failed} failed",
        f"extracted: {s.sentences} sentences, {s.mentions} entity mentions, {s.facts} property facts",
        f"graph:     {s.writes.get('nodes_created', 0)} nodes and "
        f"{s.writes.get('relationships_created', 0)} relationships created in {config.describe()}",
        f"time:      {s.seconds:.1f} s ({rate:.2f} documents/s)",
    ]
    if s.failed:
        lines.append(f"failures:  {s.failures_path}")
    return "\n".join(lines)


# -- query ---------------------------------------------------------------------------------
def parse_params(items: tuple[str, ...]) -> dict[str, Any]:
    """name=value pairs; a value that parses as JSON (number, list, true, null, "quoted") is
    taken as such, anything else as a string."""
    params: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not _NAME.match(name):
            raise click.BadParameter(f"expected name=value, got {item!r}", param_hint="--param")
        try:
            params[name] = json.loads(raw)
        except ValueError:
            params[name] = raw
    return params


@main.command()
@click.argument("cypher")
@click.option("--param", "-p", "param_items", multiple=True, metavar="NAME=VALUE",
              help="Query parameter, used as $NAME (repeatable). Values never enter the query text.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@graph_options
def query(cypher: str, param_items: tuple[str, ...], fmt: str, write: bool, config: GraphConfig) -> None:
    """Run a Cypher query and print the result. Read-only unless --write (the server enforces it)."""
    from mattermine.output import FORMATS

    params = parse_params(param_items)
    store = _connect(config)
    try:
        result = store.run(cypher, params) if write else store.read(cypher, params)
    except ReadOnlyViolation as exc:
        raise click.ClickException(f"refused: {exc}. Nothing was changed.") from exc
    finally:
        store.close()
    click.echo(FORMATS[fmt](result.columns, result.rows))
    if write:
        st = result.stats
        click.echo(f"{st.nodes_created} nodes created, {st.relationships_created} relationships created, "
                   f"{st.properties_set} properties set", err=True)


# -- graph ---------------------------------------------------------------------------------
@main.group()
def graph() -> None:
    """Manage the local graph server; inspect and export the graph."""


def _local(config: GraphConfig) -> Any:
    from graph.local_server import LocalServer

    if config.neo4j_uri:
        raise click.ClickException("this command manages the local server; unset NEO4J_URI / --uri")
    return LocalServer(config.server_dir)


@graph.command("start")
@graph_options
def graph_start(config: GraphConfig) -> None:
    """Start the local graph server (or report the one already running)."""
    status, started = _local(config).start()
    click.echo(f"{'started' if started else 'already running'}: pid {status.pid}, socket {status.socket}")


@graph.command("stop")
@graph_options
def graph_stop(config: GraphConfig) -> None:
    """Stop the local graph server, flushing its append-only file."""
    stopped = _local(config).stop()
    click.echo("stopped" if stopped else "not running")


@graph.command("status")
@click.option("--json", "as_json", is_flag=True)
@graph_options
def graph_status(as_json: bool, config: GraphConfig) -> None:
    """Say whether the local server runs, where its data and socket are, and what it holds."""
    server = _local(config)
    st = server.status()
    info: dict[str, Any] = {"running": st.running, "pid": st.pid, "socket": st.socket,
                            "data_dir": st.data_dir}
    if st.note:
        info["note"] = st.note
    if st.running:
        info.update(server.info())
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        click.echo("\n".join(f"{k}: {v}" for k, v in info.items()))
    if not st.running:
        sys.exit(3)  # like `systemctl status`: scripts can test it


@graph.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@graph_options
def graph_stats(fmt: str, config: GraphConfig) -> None:
    """Count nodes by label and relationships by type."""
    from graph import cypher as q
    from mattermine.output import FORMATS

    store = _connect(config)
    try:
        rows = [["node", label, n] for label, n in store.read(q.COUNT_BY_LABEL).rows]
        rows += [["relationship", t, n] for t, n in store.read(q.COUNT_BY_TYPE).rows]
    finally:
        store.close()
    click.echo(FORMATS[fmt](["kind", "name", "count"], rows))


@graph.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--neo4j-database", default="neo4j", show_default=True, help="Target database in import.sh.")
@graph_options
def graph_export(out_dir: Path, neo4j_database: str, config: GraphConfig) -> None:
    """Write the graph as CSV files for `neo4j-admin database import` (run OUT_DIR/import.sh)."""
    from graph.export import export_csv

    store = _connect(config)
    try:
        counts = export_csv(store, out_dir, neo4j_database)
    finally:
        store.close()
    n = sum(counts["nodes"].values())
    r = sum(counts["relationships"].values())
    click.echo(f"wrote {n} nodes and {r} relationships to {out_dir}; load with {out_dir / 'import.sh'}")


# -- facts ---------------------------------------------------------------------------------
@main.command()
@click.option("--property", "prop", default=None, metavar="NAME",
              help="Only facts about this property: a name or symbol such as 'band gap' or 'Tc'.")
@click.option("--material", default=None, metavar="KEY",
              help="Only facts about this material: a formula, name or key (TiO2, titania, O2Ti).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
@graph_options
def facts(prop: str | None, material: str | None, fmt: str, config: GraphConfig) -> None:
    """List the property facts in the graph for review or export: document (path, DOI), material as
    written and its key, property, value, unit, SI value, phase, extraction method, confidence, sentence."""
    from graph.facts import FACT_COLUMNS, list_facts
    from mattermine.output import format_csv, format_table

    store = _connect(config)
    try:
        rows = list_facts(store, prop, material)
    finally:
        store.close()
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    table = [[row[c] for c in FACT_COLUMNS] for row in rows]
    click.echo(format_csv(FACT_COLUMNS, table) if fmt == "csv" else format_table(FACT_COLUMNS, table))


# -- parse ---------------------------------------------------------------------------------
@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def parse(file: Path, fmt: str) -> None:
    """Show what the reader made of one file: reader chosen (and why others declined),
    metadata, sections, paragraphs, tables with their cells, captions. Writes nothing."""
    from ingest import ReadError, read_document
    from ingest.report import document_report, format_report

    try:
        doc = read_document(file)
    except ReadError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(document_report(doc), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(doc))


# -- demo ----------------------------------------------------------------------------------


@main.command()
@graph_options
def demo(config: GraphConfig) -> None:
    """Extract the bundled demo corpus into the graph and run a few example queries."""
    from graph import cypher
    from mattermine.corpora import REPO_ROOT
    from mattermine.output import format_table

    corpus = REPO_ROOT / "corpora" / "demo"
    if not corpus.is_dir():
        raise click.ClickException(f"demo corpus not found at {corpus}: run from a clone of mattermine")
    summary = run_extract_command([corpus], config)
    click.echo(_summary_text(summary, config))
    store = _connect(config)
    try:
        for title, text in cypher.DEMO_QUERIES:
            result = store.read(text, {"property": "band gap"})
            click.echo(f"\n{title}:\n{format_table(result.columns, result.rows)}")
    finally:
        store.close()
    click.echo('\nNext: mattermine query "MATCH (m:Material) RETURN m.key LIMIT 10"')


# -- discover (issue 6) ----------------------------------------------------------------------
@main.group()
def discover() -> None:
    """Word embeddings over the corpus: train word2vec, query it, rank candidate materials."""


def _discovery(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Discovery errors (missing model, unknown word, empty corpus) as one clear line."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from discovery.process import UnknownProcessing
        from discovery.train import DiscoveryError

        try:
            return fn(*args, **kwargs)
        except (DiscoveryError, UnknownProcessing) as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _fmt_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                        show_default=True, help="Output format.")(fn)


def _processing_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--processing", type=click.Choice(["mat2vec", "plain"]), default="mat2vec",
                        show_default=True,
                        help="mat2vec: normalised formulas, <nUm>, units and terms kept whole, lower case; "
                             "plain: whitespace tokens.")(fn)


def _train_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """word2vec settings (discovery.train.TrainSettings), gathered into one `settings` argument."""
    from discovery.train import TrainSettings

    d = TrainSettings()
    options = [
        click.option("--epochs", default=d.epochs, show_default=True, help="Passes over the corpus."),
        click.option("--vector-size", default=d.vector_size, show_default=True, help="Dimensions."),
        click.option("--window", default=d.window, show_default=True, help="Context words on each side."),
        click.option("--negative", default=d.negative, show_default=True, help="Negative samples."),
        click.option("--min-count", default=d.min_count, show_default=True, help="Ignore rarer words."),
        click.option("--alpha", default=d.alpha, show_default=True, help="Initial learning rate."),
        click.option("--phrases/--no-phrases", default=d.phrases, show_default=True,
                     help="Learn multi-word terms (current_density) before training."),
        click.option("--workers", default=0, show_default=True, help="Threads and processes (0: every core)."),
    ]

    @functools.wraps(fn)
    def wrapper(*args: Any, epochs: int, vector_size: int, window: int, negative: int, min_count: int,
                alpha: float, phrases: bool, workers: int, **kwargs: Any) -> Any:
        settings = TrainSettings(vector_size=vector_size, window=window, negative=negative, min_count=min_count,
                                 alpha=alpha, epochs=epochs, phrases=phrases, workers=workers)
        return fn(*args, settings=settings, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _echo_rows(columns: list[str], rows: list[list[Any]], fmt: str) -> None:
    from mattermine.output import FORMATS

    click.echo(FORMATS[fmt](columns, rows))


def _echo_record(record: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(record, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo("\n".join(f"{k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v}"
                             for k, v in record.items()))


@discover.command("corpus")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="Only documents dated up to this year.")
@click.option("--workers", default=1, show_default=True, help="Processes for text processing (0: every core).")
@_processing_option
@_fmt_option
@graph_options
@_discovery
def discover_corpus(out: Path, year: int | None, workers: int, processing: str, fmt: str, config: GraphConfig) -> None:
    """Write the graph's sentences, processed for word2vec, to OUT (one sentence per line) and OUT.json."""
    from discovery.corpus import graph_documents, write_corpus
    from discovery.progress import Progress

    store, progress = _connect(config), Progress("documents")
    try:
        info = write_corpus(graph_documents(store, year=year), out, processing, year=year,
                            workers=workers, progress=progress)
    finally:
        progress.close()
        store.close()
    _echo_record(info.to_json(), fmt)


@discover.command("train")
@click.option("--name", required=True, help="Model name: saved in <data-dir>/models/word2vec/NAME/.")
@click.option("--corpus", "corpus_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A corpus from `discover corpus`; default: export the graph now.")
@click.option("--year", type=int, default=None, help="With no --corpus: only documents dated up to this year.")
@_processing_option
@_train_options
@_fmt_option
@graph_options
@_discovery
def discover_train(name: str, corpus_file: Path | None, year: int | None, processing: str, settings: Any,
                   fmt: str, config: GraphConfig) -> None:
    """Train a skip-gram word2vec model (negative sampling, phrases) and save it with its settings."""
    from discovery.corpus import graph_documents
    from discovery.progress import Progress
    from discovery.train import train_named

    store = _connect(config) if corpus_file is None else None
    docs, epochs = Progress("documents"), Progress("epochs", settings.epochs)
    try:
        info = train_named(config.data_dir, name, settings, corpus=corpus_file,
                           docs=graph_documents(store, year=year) if store else (), processing=processing,
                           year=year, workers=settings.resolved_workers(), progress=epochs, corpus_progress=docs)
    finally:
        docs.close()
        epochs.close()
        if store:
            store.close()
    _echo_record(info.to_json(), fmt)


@discover.command("models")
@_fmt_option
@graph_options
def discover_models(fmt: str, config: GraphConfig) -> None:
    """List the trained models: name, processing, vocabulary, corpus size, training speed."""
    from discovery.train import list_models

    cols = ["name", "processing", "vocabulary", "corpus_words", "words_per_second", "created"]
    _echo_rows(cols, [[m.get(c) for c in cols] for m in list_models(config.data_dir)], fmt)


@discover.command("nearest")
@click.argument("words", nargs=-1, required=True)
@click.option("--model", "model_name", required=True, help="Model name (see `discover models`).")
@click.option("--top", default=10, show_default=True, help="How many words to show.")
@_fmt_option
@graph_options
@_discovery
def discover_nearest(words: tuple[str, ...], model_name: str, top: int, fmt: str, config: GraphConfig) -> None:
    """The words closest to WORDS (their mean); formulas and terms are normalised as in training."""
    from discovery.query import load_model, nearest

    hits = nearest(load_model(config.data_dir, model_name), words, top=top)
    _echo_rows(["word", "similarity"], [[w, round(s, 4)] for w, s in hits], fmt)


@discover.command("analogy")
@click.argument("a")
@click.argument("b")
@click.argument("c")
@click.option("--model", "model_name", required=True, help="Model name (see `discover models`).")
@click.option("--top", default=5, show_default=True, help="How many answers to show.")
@_fmt_option
@graph_options
@_discovery
def discover_analogy(a: str, b: str, c: str, model_name: str, top: int, fmt: str, config: GraphConfig) -> None:
    """Solve "A is to B as C is to what" by the vector B - A + C; for example Fe Fe2O3 Al."""
    from discovery.query import analogy, load_model

    hits = analogy(load_model(config.data_dir, model_name), a, b, c, top=top)
    _echo_rows(["word", "similarity"], [[w, round(s, 4)] for w, s in hits], fmt)


@discover.command("rank")
@click.option("--model", "model_name", required=True, help="Model name (see `discover models`).")
@click.option("--application", "applications", multiple=True, required=True,
              help="Application word or term, e.g. thermoelectric (repeatable: their mean is the target).")
@click.option("--top", default=50, show_default=True, help="Rows shown, and new candidates written to the graph.")
@click.option("--new-only", is_flag=True, help="Show only materials not yet co-mentioned with the application.")
@click.option("--write/--no-write", default=True, show_default=True,
              help="Write the top new candidates as (:Material)-[:PREDICTED_FOR]->(:Application).")
@_fmt_option
@graph_options
@_discovery
def discover_rank(model_name: str, applications: tuple[str, ...], top: int, new_only: bool, write: bool,
                  fmt: str, config: GraphConfig) -> None:
    """Rank the graph's materials by similarity to an application; `known` marks those the corpus
    already co-mentions with it, so the others are the new candidates."""
    from discovery.query import load_model, rank_materials, write_predictions

    model = load_model(config.data_dir, model_name)
    store = _connect(config)
    try:
        ranking = rank_materials(model, store, applications)
        stats = write_predictions(store, ranking, top=top) if write else None
    finally:
        store.close()
    shown = ranking.new() if new_only else list(ranking.candidates)
    cols = ["rank", "material", "word", "score", "known", "documents"]
    _echo_rows(cols, [[getattr(c, k) for k in cols] for c in shown[:top]], fmt)
    s = ranking.summary()
    note = (f"{s['materials']} materials in the graph, {s['in_vocabulary']} in the model's vocabulary, "
            f"{s['known']} already co-mentioned with {', '.join(ranking.applications)}")
    if stats is not None:
        note += f"; PREDICTED_FOR: {stats.relationships_created} created, {stats.rows} written"
    click.echo(note, err=True)


@discover.command("evaluate")
@click.option("--model", "model_name", required=True, help="Model name (see `discover models`).")
@click.option("--analogies", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Analogy file: ': section' headers, 'a b c d' lines (mat2vec-analogies.txt).")
@click.option("--thermoelectric", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="mat2vec-thermoelectric-data.json: ranking against computed power factors.")
@click.option("--application", default="thermoelectric", show_default=True,
              help="The word formulas are ranked against for --thermoelectric.")
@click.option("--top", default=50, show_default=True, help="Top of the ranking compared with all of it.")
@_fmt_option
@graph_options
@_discovery
def discover_evaluate(model_name: str, analogies: Path | None, thermoelectric: Path | None, application: str,
                      top: int, fmt: str, config: GraphConfig) -> None:
    """Analogy accuracy and coverage per section; thermoelectric ranking vs power factor."""
    from discovery.evaluate import evaluate_analogies, evaluate_thermoelectric
    from discovery.query import load_model

    if analogies is None and thermoelectric is None:
        raise click.UsageError("give --analogies FILE, --thermoelectric FILE, or both")
    model = load_model(config.data_dir, model_name)
    report: dict[str, Any] = {"model": model_name, "processing": model.processing}
    if analogies is not None:
        report["analogies"] = evaluate_analogies(model.wv, analogies)
    if thermoelectric is not None:
        report["thermoelectric"] = evaluate_thermoelectric(model, thermoelectric, application=application, top=top)
    if fmt == "json":
        _echo_record(report, fmt)
        return
    if analogies is not None:
        a = report["analogies"]
        cols = ["section", "questions", "covered", "coverage", "correct", "accuracy"]
        rows = [[r[c] for c in cols] for r in (*a["sections"], a["materials"], a["grammar"], a["overall"])]
        _echo_rows(cols, rows, fmt)
    if thermoelectric is not None:
        _echo_record({k: v for k, v in report["thermoelectric"].items() if k != "top_materials"}, fmt)


@discover.command("validate")
@click.option("--application", "applications", multiple=True, required=True,
              help="Application word or term (repeatable).")
@click.option("--year", type=int, required=True, help="Train on documents dated up to this year.")
@click.option("--top", default=50, show_default=True, help="Candidates compared with later co-mentions.")
@click.option("--name", default=None, help="Name of the model trained on the early documents.")
@_processing_option
@_train_options
@_fmt_option
@graph_options
@_discovery
def discover_validate(applications: tuple[str, ...], year: int, top: int, name: str | None, processing: str,
                      settings: Any, fmt: str, config: GraphConfig) -> None:
    """Historical validation: train on documents up to YEAR, rank, and count how many top candidates
    were co-mentioned with the application only later, against ranking by mention frequency."""
    from discovery.history import validate
    from discovery.progress import Progress

    store, epochs = _connect(config), Progress("epochs", settings.epochs)
    try:
        result = validate(store, config.data_dir, applications, year, top=top, processing=processing,
                          settings=settings, name=name, workers=settings.resolved_workers(), progress=epochs)
    finally:
        epochs.close()
        store.close()
    record = result.to_json()
    if fmt == "table":
        record = {k: v for k, v in record.items() if k not in ("embedding_top", "baseline_top")}
    _echo_record(record, fmt)


# -- nlp -----------------------------------------------------------------------------------
@main.group()
def nlp() -> None:
    """Train, evaluate and list transformer NER models (ner.transformer.v1)."""


def _model_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from nlp.transformer.models import ModelNotFound

        try:
            return fn(*args, **kwargs)
        except (ModelNotFound, FileNotFoundError, OSError) as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


_DATA_DIR = click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                         envvar="MATTERMINE_HOME", help="Data directory; models live in <data-dir>/models/ner/.")


@nlp.command("train")
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Training data, CoNLL token/IOB2 lines.")
@click.option("--dev", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Dev data scored after each epoch.")
@click.option("--name", required=True, help="Model name (saved under <data-dir>/models/ner/NAME).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Save here instead of under the data directory.")
@click.option("--base", default=None, help="Base checkpoint name or path (default: offline all-MiniLM-L6-v2).")
@click.option("--epochs", default=4, show_default=True)
@click.option("--lr", default=2e-4, show_default=True)
@click.option("--batch-size", default=32, show_default=True)
@_DATA_DIR
@_model_errors
def nlp_train(data: Path, dev: Path | None, name: str, out: Path | None, base: str | None, epochs: int,
              lr: float, batch_size: int, data_dir: Path | None) -> None:
    """Fine-tune a token-classification model on IOB2 data and save it as a named model."""
    from nlp.transformer.models import models_dir
    from nlp.transformer.train import train

    target = out or models_dir(data_dir) / name
    meta = train(data, target, base=base, epochs=epochs, lr=lr, batch_size=batch_size, dev=dev)
    click.echo(json.dumps({"path": str(target), "history": meta["history"],
                           "dev": meta["metrics"]["dev"]}, indent=2))


@nlp.command("evaluate")
@click.option("--model", required=True, help="Model name or folder.")
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="CoNLL token/IOB2 file to score against.")
@click.option("--predictions-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the predicted tags here in the same CoNLL layout.")
@_DATA_DIR
@_model_errors
def nlp_evaluate(model: str, data: Path, predictions_out: Path | None, data_dir: Path | None) -> None:
    """Entity-level micro and per-type precision/recall/F1 (exact span and type) as JSON."""
    from nlp.transformer.models import resolve
    from nlp.transformer.train import evaluate

    click.echo(json.dumps(evaluate(resolve(model, data_dir), data, predictions_out=predictions_out), indent=2))


@nlp.command("models")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@_DATA_DIR
def nlp_models(as_json: bool, data_dir: Path | None) -> None:
    """List installed models: name, base checkpoint, labels, training data hash, dev F1."""
    from nlp.transformer.models import list_models

    for row in list_models(data_dir):
        if as_json:
            click.echo(json.dumps(row))
        else:
            f1 = "-" if row["dev_f1"] is None else f"{row['dev_f1']:.3f}"
            click.echo(f"{row['name']}\tbase={row['base']}\tlabels={','.join(row['labels'])}\t"
                       f"data={str(row['data_sha256'])[:12]}\tdev_f1={f1}")


if __name__ == "__main__":  # pragma: no cover
    main()
