"""`mattermine nlp ...`: train, evaluate and list transformer NER models (nlp/transformer/)."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mattermine.cli import main

# -- nlp -----------------------------------------------------------------------------------
@main.group()
def nlp() -> None:
    """Train, evaluate and list transformer NER models (ner.transformer.v1); build the learned fact linker."""


def _model_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from nlp.transformer import MissingDependency, require_torch
        from nlp.transformer.models import ModelNotFound

        try:
            if fn.__name__ in ("nlp_train", "nlp_evaluate", "nlp_pretrain", "nlp_quantize", "nlp_train_multi"):
                require_torch()
            return fn(*args, **kwargs)
        except (ModelNotFound, MissingDependency, FileNotFoundError, OSError) as exc:
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
@click.option("--base", default=None, help="Base checkpoint: a name from `nlp pretrain`, a folder or a Hugging "
              "Face name (default: offline all-MiniLM-L6-v2).")
@click.option("--epochs", default=4, show_default=True)
@click.option("--lr", default=2e-4, show_default=True)
@click.option("--batch-size", default=32, show_default=True)
@click.option("--crf/--no-crf", default=True, show_default=True,
              help="Train a CRF over word labels jointly with the encoder (decoded with Viterbi).")
@click.option("--seed", default=0, show_default=True, help="Seed of initialisation and batch order.")
@click.option("--freeze-embeddings", is_flag=True,
              help="Do not train the word-embedding matrix (a cheaper step on CPU).")
@click.option("--threads", type=int, default=None,
              help="Torch threads (default: the cores this process may use).")
@_DATA_DIR
@_model_errors
def nlp_train(data: Path, dev: Path | None, name: str, out: Path | None, base: str | None, epochs: int,
              lr: float, batch_size: int, crf: bool, seed: int, freeze_embeddings: bool, threads: int | None,
              data_dir: Path | None) -> None:
    """Fine-tune a token-classification model on IOB2 data and save it as a named model."""
    from nlp.transformer.models import models_dir, resolve_base
    from nlp.transformer.train import train

    target = out or models_dir(data_dir) / name
    meta = train(data, target, base=resolve_base(base, data_dir), epochs=epochs, lr=lr, batch_size=batch_size, dev=dev, crf=crf,
                 seed=seed, freeze_embeddings=freeze_embeddings, threads=threads)
    click.echo(json.dumps({"path": str(target), "history": meta["history"],
                           "dev": meta["metrics"]["dev"]}, indent=2))


@nlp.command("pretrain")
@click.option("--text", "texts", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Plain text, one or more sentences per line (e.g. from `mattermine discover corpus`). Repeatable.")
@click.option("--conll", "conlls", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="CoNLL token/tag files; only the words are used (e.g. the tagger's training data). Repeatable.")
@click.option("--exclude", "excludes", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="CoNLL files whose text must not be trained on (the dev set): sentences sharing an "
              "8-word run with them are dropped. Repeatable.")
@click.option("--normalise", type=click.Choice(["matscholar", "none"]), default="matscholar", show_default=True,
              help="Word normalisation; match the data the tagger will be trained on.")
@click.option("--name", required=True, help="Saved under <data-dir>/models/base/NAME; use as `nlp train --base NAME`.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Save here instead of under the data directory.")
@click.option("--base", default=None, help="Checkpoint to start from (default: offline all-MiniLM-L6-v2).")
@click.option("--epochs", default=3, show_default=True)
@click.option("--lr", default=1e-4, show_default=True)
@click.option("--batch-size", default=64, show_default=True)
@_DATA_DIR
@_model_errors
def nlp_pretrain(texts: tuple[Path, ...], conlls: tuple[Path, ...], excludes: tuple[Path, ...], normalise: str,
                 name: str, out: Path | None, base: str | None, epochs: int, lr: float, batch_size: int,
                 data_dir: Path | None) -> None:
    """Continue masked-language-model training of a base checkpoint on materials text."""
    from nlp.transformer.models import bases_dir, resolve_base
    from nlp.transformer.pretrain import gather, pretrain

    if not texts and not conlls:
        raise click.UsageError("give text to pretrain on: --text FILE and/or --conll FILE")
    sentences, record = gather(texts, conlls, excludes, normalise)
    click.echo(f"{len(sentences)} sentences ({record['excluded_sentences']} excluded as overlapping --exclude)", err=True)
    target = out or bases_dir(data_dir) / name
    meta = pretrain(sentences, target, base=resolve_base(base, data_dir), epochs=epochs, lr=lr,
                    batch_size=batch_size, record=record)
    click.echo(json.dumps({"path": str(target), "sentences": meta["sentences"], "sub_words": meta["sub_words"],
                           "history": meta["history"]}, indent=2))


@nlp.command("evaluate")
@click.option("--model", required=True, help="Model name or folder.")
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="CoNLL token/IOB2 file to score against.")
@click.option("--predictions-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the predicted tags here in the same CoNLL layout.")
@click.option("--decode", type=click.Choice(["auto", "crf", "constrained", "argmax"]), default="auto",
              show_default=True, help="Word labels by CRF Viterbi, IOB2-valid best path, or per-word argmax.")
@click.option("--backend", type=click.Choice(["auto", "torch", "onnx"]), default="auto", show_default=True,
              help="auto: ONNX Runtime on CPU when installed, PyTorch otherwise.")
@click.option("--quantize/--no-quantize", default=None,
              help="int8 on CPU (per-token scales, batch-independent). Default: int8 where `nlp quantize` "
              "found it within 0.002 dev F1 of float for this model.")
@_DATA_DIR
@_model_errors
def nlp_evaluate(model: str, data: Path, predictions_out: Path | None, decode: str, backend: str,
                 quantize: bool | None, data_dir: Path | None) -> None:
    """Entity-level micro and per-type precision/recall/F1 (exact span and type) as JSON."""
    from nlp.transformer.models import resolve
    from nlp.transformer.train import evaluate

    scores = evaluate(resolve(model, data_dir), data, predictions_out=predictions_out, decode=decode,
                      backend=backend, quantize=quantize, data_dir=data_dir)
    click.echo(json.dumps(scores, indent=2))


@nlp.command("quantize")
@click.option("--model", required=True, help="Model name or folder.")
@click.option("--dev", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Dev data (CoNLL token/IOB2) to measure float and int8 F1 on.")
@_DATA_DIR
@_model_errors
def nlp_quantize(model: str, dev: Path, data_dir: Path | None) -> None:
    """Measure the int8 CPU path against float on dev data and record it in the model's metadata;
    the engine uses int8 by default only where it loses at most 0.002 F1. `nlp train --dev` does this."""
    from nlp.transformer import onnx
    from nlp.transformer.models import resolve
    from nlp.transformer.train import record_int8

    if not onnx.available():
        raise click.ClickException("int8 runs on ONNX Runtime: pip install -e '.[transformer]'")
    click.echo(json.dumps(record_int8(resolve(model, data_dir), dev), indent=2))


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


@nlp.command("train-multi")
@click.option("--name", required=True, help="Model name (saved under <data-dir>/models/ner/NAME).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Save here instead of under the data directory.")
@click.option("--heads", default="mat,syn,meas,sofc", show_default=True,
              help="Tasks, comma-separated: mat (MatScholar), syn (synthesis procedures), meas (MeasEval), "
              "sofc (SOFC-Exp); the first is the primary head.")
@click.option("--base", default=None, help="Base checkpoint: a name from `nlp pretrain`, a folder or a Hugging "
              "Face name (default: offline all-MiniLM-L6-v2).")
@click.option("--epochs", default=3.0, show_default=True,
              help="Steps = epochs x (training windows of all tasks) / batch size.")
@click.option("--steps", type=int, default=None, help="Optimiser steps (overrides --epochs).")
@click.option("--lr", default=2e-4, show_default=True)
@click.option("--batch-size", default=32, show_default=True)
@click.option("--alpha", default=0.5, show_default=True,
              help="A task is drawn for a step with probability proportional to its examples**alpha.")
@click.option("--weight", "weights", multiple=True, metavar="HEAD=W",
              help="Multiply a head's sampling probability by W (e.g. mat=2). Repeatable.")
@click.option("--crf/--no-crf", default=True, show_default=True, help="A CRF per head, trained jointly.")
@click.option("--seed", default=0, show_default=True)
@click.option("--freeze-embeddings", is_flag=True, help="Do not train the word-embedding matrix (cheaper on CPU).")
@click.option("--threads", type=int, default=None, help="Torch threads (default: the cores this process may use).")
@click.option("--eval-every", default=0, show_default=True, help="Score every head on dev every N steps (0: at the end).")
@_DATA_DIR
@_model_errors
def nlp_train_multi(name: str, out: Path | None, heads: str, base: str | None, epochs: float, steps: int | None,
                    lr: float, batch_size: int, alpha: float, weights: tuple[str, ...], crf: bool, seed: int,
                    freeze_embeddings: bool, threads: int | None, eval_every: int, data_dir: Path | None) -> None:
    """Train one encoder with a head per task on the public corpora (../shared/corpora or
    $MATTERMINE_CORPORA): train splits for training, dev splits scored; prints JSON."""
    from nlp.transformer.tasks import HEADS

    wanted = [h.strip() for h in heads.split(",") if h.strip()]
    unknown = [h for h in wanted if h not in HEADS]
    if unknown or not wanted:
        raise click.UsageError(f"unknown head(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(HEADS)}")
    weight: dict[str, float] = {}
    for item in weights:
        head, _, value = item.partition("=")
        try:
            weight[head] = float(value)
        except ValueError:
            raise click.UsageError(f"--weight takes HEAD=NUMBER, not {item!r}") from None
        if head not in wanted:
            raise click.UsageError(f"--weight names {head!r}, which is not among --heads {heads}")
    from nlp.transformer.models import models_dir, resolve_base

    target = out or models_dir(data_dir) / name
    meta = _train_multi(wanted, weight, target, base=resolve_base(base, data_dir), epochs=epochs, steps=steps, lr=lr,
                        batch_size=batch_size, alpha=alpha, crf=crf, seed=seed, freeze_embeddings=freeze_embeddings,
                        threads=threads, eval_every=eval_every)
    click.echo(json.dumps({"path": str(target), "steps": meta["steps"], "train_seconds": meta["train_seconds"],
                           "history": meta["history"], "dev": meta["metrics"]["dev_per_head"],
                           "int8": meta.get("int8")}, indent=2))


def _train_multi(wanted: list[str], weight: dict[str, float], target: Path, **settings: Any) -> dict[str, Any]:
    """Read the heads' public corpora, train, save into `target` and record int8 against float per head,
    with progress on stderr; the model's metadata."""
    from mattermine.corpora import CorpusMissing
    from nlp.transformer.multitask import record_int8_multi, train_multi
    from nlp.transformer.tasks import public_tasks

    click.echo(f"reading {', '.join(wanted)} (train and dev splits)", err=True)
    try:
        tasks = public_tasks(wanted)
    except CorpusMissing as exc:
        raise click.ClickException(str(exc)) from exc
    for head, task in tasks.items():
        task.weight = weight.get(head, 1.0)
        click.echo(f"  {head}: {len(task.train)} train, {len(task.dev or [])} dev sentences ({task.source})", err=True)
    show = _TrainProgress()
    try:
        meta = train_multi(tasks, target, primary=wanted[0], progress=show, **settings)
    finally:
        show.close()
    from nlp.transformer import onnx

    if onnx.available():
        click.echo("measuring int8 against float on every head's dev data", err=True)
        meta["int8"] = record_int8_multi(target, {h: t.dev for h, t in tasks.items() if t.dev},
                                         {h: t.normalised for h, t in tasks.items()})
    return meta


class _TrainProgress:
    """Step, rate, ETA and the last loss on one rewritten line on a terminal; dev rows as lines."""

    def __init__(self) -> None:
        import sys

        self.stream = sys.stderr
        self.tty = self.stream.isatty()
        self.last = 0.0

    def __call__(self, row: dict[str, Any]) -> None:
        import time

        if "eval" in row:
            self.stream.write(("\n" if self.tty else "") + json.dumps(row["eval"]) + "\n")
            self.stream.flush()
            return
        now = time.monotonic()
        if not self.tty or (now - self.last < 0.5 and row["step"] < row["steps"]):
            return
        self.last = now
        rate = row["step"] / max(row["seconds"], 1e-9)
        eta = int((row["steps"] - row["step"]) / rate) if rate else 0
        self.stream.write(f"\rstep {row['step']}/{row['steps']}  {rate:5.2f} steps/s  ETA {eta // 60}:{eta % 60:02d}  "
                          f"{row['task']} loss {row['loss']:.3f}   ")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class _StageProgress:
    """One rewritten line per stage on a terminal (stage, done/total, elapsed); silent in pipes."""

    def __init__(self) -> None:
        import sys
        import time

        self.stream = sys.stderr
        self.enabled = self.stream.isatty()
        self.clock = time.monotonic
        self.start = self.clock()
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or (stage == self.stage and done < total and self.clock() - self.last < 0.2):
            return
        self.last = self.clock()
        if stage != self.stage and self.stage:
            self.stream.write("\n")
        self.stage = stage
        count = f" {done}/{total}" if total > 1 else ""
        self.stream.write(f"\r[{self.clock() - self.start:6.1f} s] {stage}{count}   ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.stage:
            self.stream.write("\n")
            self.stream.flush()


# What `build-default` trains by default: the settings of the README's multi-head model (2,000 steps,
# 16.5 min on a quiet 2-core CPU; MatScholar dev micro F1 0.823, docs/ner/multihead-minilm-2000steps...).
ENCODER_SETTINGS: dict[str, Any] = {"steps": 2000, "batch_size": 16, "lr": 3e-4, "freeze_embeddings": True}
ENCODER_WEIGHTS = {"mat": 2.0}


@nlp.command("build-default")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Save the linker here instead of <data-dir>/models/relations/default (where `extract` looks).")
@click.option("--seed", default=0, show_default=True, help="Seed of the trees, the folds and the encoder.")
@click.option("--encoder/--no-encoder", default=True, show_default=True,
              help="Also train the multi-head encoder into <data-dir>/models/ner/default, which `extract --ner auto` "
                   "then uses for every entity type but materials (about 20 min on 2 CPU cores; minutes on a GPU).")
@click.option("--encoder-steps", default=ENCODER_SETTINGS["steps"], show_default=True,
              help="Optimiser steps of the encoder (batch 16).")
@click.option("--threads", type=int, default=None, help="Torch threads for the encoder (default: every core).")
@_DATA_DIR
@_model_errors
def nlp_build_default(out: Path | None, seed: int, encoder: bool, encoder_steps: int, threads: int | None,
                      data_dir: Path | None) -> None:
    """Build the default models from the public corpora on this machine and install them: the learned
    fact and dopant linker (about a minute), then, unless --no-encoder, the multi-head encoder.
    `extract` uses both by itself. Prints the dev numbers as JSON."""
    from mattermine.corpora import CorpusMissing
    from nlp.hybrid import DEFAULT_MODEL
    from nlp.registry import create
    from nlp.relations.build import CorpusPaths, build_default
    from nlp.relations.linker import linker_dir

    try:
        paths = CorpusPaths.default()
    except CorpusMissing as exc:
        raise click.ClickException(str(exc)) from exc
    target = out or linker_dir(data_dir)
    click.echo(f"1/{2 if encoder else 1} fact and dopant linker -> {target}", err=True)
    progress = _StageProgress()
    try:
        meta = build_default(target, paths, create("ner.rules.v1"), progress, seed=seed)
    finally:
        progress.close()
    meta.pop("curves", None)
    keep = ("threshold", "dev_sofc", "dev_sc_comics", "train_out_of_fold_sofc", "dev_ece", "doping_threshold",
            "training")
    result: dict[str, Any] = {"path": str(target), **{k: meta[k] for k in keep if k in meta}}
    if encoder:
        from nlp.transformer import require_torch
        from nlp.transformer.models import default_base, models_dir
        from nlp.transformer.tasks import HEADS

        require_torch()
        folder = models_dir(data_dir) / DEFAULT_MODEL
        click.echo(f"2/2 multi-head encoder ({', '.join(HEADS)}), {encoder_steps} steps -> {folder}", err=True)
        settings = {**ENCODER_SETTINGS, "steps": encoder_steps}
        enc = _train_multi(list(HEADS), ENCODER_WEIGHTS, folder, base=default_base(), seed=seed, threads=threads,
                           **settings)
        result["encoder"] = {"path": str(folder), "steps": enc["steps"], "train_seconds": enc["train_seconds"],
                             "dev": enc["metrics"]["dev_per_head"]}
    click.echo(json.dumps(result, indent=2))
