"""Transformer (BERT-family) token-classification NER: training, the batch inference engine and
model folders. Importing this package registers `ner.transformer.v1` and `ner.multihead.v1` and
loads no torch."""
from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from nlp.registry import Tagger, register

NAME = "ner.transformer.v1"
MULTI_NAME = "ner.multihead.v1"  # one encoder pass, several tasks' heads (train_multi)


class MissingDependency(ImportError):
    pass


def require_torch() -> None:
    """Fail with the install command, before any work, when the optional extra is missing."""
    missing = [m for m in ("torch", "transformers") if find_spec(m) is None]
    if missing:
        raise MissingDependency(f"{' and '.join(missing)} not installed: the transformer tagger needs "
                                "`pip install -e '.[transformer]'` (torch==2.13.0, transformers)")


@register(NAME)
def transformer_tagger(model: str | None = None, **config: Any) -> Tagger:
    """The engine for a trained model folder (`model`: name under the models dir or path)."""
    if not model:
        raise ValueError(f"{NAME} needs model=NAME_OR_PATH (a folder written by `mattermine nlp train`)")
    require_torch()
    from nlp.transformer.engine import TransformerTagger

    return TransformerTagger(model, **config)


@register(MULTI_NAME)
def multihead_tagger(model: str | None = None, heads: Any = None, **config: Any) -> Tagger:
    """The engine for a multi-head model folder (`mattermine nlp train-multi`): every head's
    mentions from one encoder pass, or those of `heads`; the primary head's types as they are
    ("MAT"), the others' as "<head>:<type>"."""
    if not model:
        raise ValueError(f"{MULTI_NAME} needs model=NAME_OR_PATH (a folder written by `mattermine nlp train-multi`)")
    require_torch()
    from nlp.transformer.engine import TransformerTagger

    tagger = TransformerTagger(model, heads=heads, **config)
    if tagger.name != MULTI_NAME:
        raise ValueError(f"{model} is a single-head model: use {NAME}")
    return tagger
