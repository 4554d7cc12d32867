"""Transformer (BERT-family) token-classification NER: training, the batch inference engine and
model folders. Importing this package registers `ner.transformer.v1` and loads no torch."""
from __future__ import annotations

from typing import Any

from nlp.registry import Tagger, register

NAME = "ner.transformer.v1"


@register(NAME)
def transformer_tagger(model: str | None = None, **config: Any) -> Tagger:
    """The engine for a trained model folder (`model`: name under the models dir or path)."""
    if not model:
        raise ValueError(f"{NAME} needs model=NAME_OR_PATH (a folder written by `mattermine nlp train`)")
    from nlp.transformer.engine import TransformerTagger

    return TransformerTagger(model, **config)
