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
    """Train, evaluate and list transformer NER models (ner.transformer.v1)."""


def _model_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from nlp.transformer import MissingDependency, require_torch
        from nlp.transformer.models import ModelNotFound

        try:
            if fn.__name__ in ("nlp_train", "nlp_evaluate"):
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
@click.option("--base", default=None, help="Base checkpoint name or path (default: offline all-MiniLM-L6-v2).")
@click.option("--epochs", default=4, show_default=True)
@click.option("--lr", default=2e-4, show_default=True)
@click.option("--batch-size", default=32, show_default=True)
@click.option("--crf/--no-crf", default=True, show_default=True,
              help="Train a CRF over word labels jointly with the encoder (decoded with Viterbi).")
@_DATA_DIR
@_model_errors
def nlp_train(data: Path, dev: Path | None, name: str, out: Path | None, base: str | None, epochs: int,
              lr: float, batch_size: int, crf: bool, data_dir: Path | None) -> None:
    """Fine-tune a token-classification model on IOB2 data and save it as a named model."""
    from nlp.transformer.models import models_dir
    from nlp.transformer.train import train

    target = out or models_dir(data_dir) / name
    meta = train(data, target, base=base, epochs=epochs, lr=lr, batch_size=batch_size, dev=dev, crf=crf)
    click.echo(json.dumps({"path": str(target), "history": meta["history"],
                           "dev": meta["metrics"]["dev"]}, indent=2))


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
@click.option("--quantize", is_flag=True, help="int8 dynamic quantisation on CPU (faster, slightly less accurate).")
@_DATA_DIR
@_model_errors
def nlp_evaluate(model: str, data: Path, predictions_out: Path | None, decode: str, backend: str,
                 quantize: bool, data_dir: Path | None) -> None:
    """Entity-level micro and per-type precision/recall/F1 (exact span and type) as JSON."""
    from nlp.transformer.models import resolve
    from nlp.transformer.train import evaluate

    scores = evaluate(resolve(model, data_dir), data, predictions_out=predictions_out, decode=decode,
                      backend=backend, quantize=quantize, data_dir=data_dir)
    click.echo(json.dumps(scores, indent=2))


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
