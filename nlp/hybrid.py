"""The default tagger once an encoder is installed: materials from the rules, the other six types
from the encoder's MatScholar head, and the choice `--ner auto` makes between it and the rules.

Why split by type (dev splits, this repository's benchmarks, December 2026):
- The rules' materials come with canonical formula keys, and the fact linker was trained on them.
  Given the encoder's materials instead, SOFC-Exp dev facts fell from P 0.641 / R 0.404 to
  0.564 / 0.385; rule materials plus the encoder's other mentions gave 0.659 / 0.442.
- The encoder is far better at everything else: MatScholar dev micro F1 0.725 (rules) against
  0.822 (multi-head MiniLM, 2,000 steps), e.g. properties 0.56 -> 0.77, characterisation methods
  0.71 -> 0.89. Rule materials plus encoder mentions score 0.822 as well.

An encoder mention that overlaps a rule material is dropped; an encoder material the rules missed
is kept.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.records import Mention
from nlp.registry import Tagger, create, register

NAME = "ner.hybrid.v1"
AUTO = "auto"
DEFAULT_MODEL = "default"  # <data dir>/models/ner/default, where `nlp build-default --encoder` installs it


class HybridTagger:
    """Rule materials first; the encoder's mentions that do not overlap them."""

    name = NAME

    def __init__(self, rules: Tagger, encoder: Tagger) -> None:
        self.rules = rules
        self.encoder = encoder

    def tag(self, sentences: Sequence[str]) -> list[list[Mention]]:
        out = []
        for ruled, learned in zip(self.rules.tag(sentences), self.encoder.tag(sentences)):
            materials = [m for m in ruled if m.type == "MAT"]
            kept = materials + [m for m in learned if not any(_overlap(m, r) for r in materials)]
            out.append(sorted(kept, key=lambda m: (m.start, m.end)))
        return out


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


@register(NAME)
def hybrid_tagger(model: str | None = None, data_dir: Path | None = None, **config: Any) -> Tagger:
    """Rule materials with a trained model's (single- or multi-head) other mentions."""
    from nlp.registry import create_from_spec

    if not model:
        raise ValueError(f"{NAME} needs model=NAME_OR_PATH (a folder written by `mattermine nlp train-multi` "
                         "or `mattermine nlp build-default --encoder`)")
    return HybridTagger(create("ner.rules.v1"), create_from_spec(model, data_dir=data_dir, **config))


@dataclass(frozen=True)
class Choice:
    """What `--ner auto` runs, and why, in words for the job summary."""

    spec: str  # a registered name
    config: dict[str, Any]
    reason: str


def choose(data_dir: Path | None = None) -> Choice:
    """The installed encoder (hybrid with the rules) when there is one and torch can run it, else the rules."""
    from importlib.util import find_spec

    from nlp.transformer.models import is_model, resolve

    if not is_model(DEFAULT_MODEL, data_dir):
        return Choice("ner.rules.v1", {}, "rules (no encoder installed; `mattermine nlp build-default --encoder` "
                      "trains one)")
    folder = resolve(DEFAULT_MODEL, data_dir)
    missing = [m for m in ("torch", "transformers") if find_spec(m) is None]
    if missing:
        return Choice("ner.rules.v1", {}, f"rules (an encoder is installed in {folder}, but {' and '.join(missing)} "
                      "is not: pip install -e '.[transformer]')")
    return Choice(NAME, {"model": str(folder)}, f"rule materials + encoder {folder} for the other types")


def describe(spec: str, data_dir: Path | None = None) -> str:
    """The tagger a spec means, in words: `auto` says which it chose and why."""
    return choose(data_dir).reason if spec == AUTO else spec
