"""`mattermine discover ...`: word embeddings over the corpus (discovery/)."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graph.connect import GraphConfig
from mattermine.cli import _connect, graph_options, main

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
