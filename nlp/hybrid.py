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

Opt-in (`synthesis_head="syn"`): a multi-head encoder with a synthesis-procedures head also gives,
from the same pass, the materials that head finds; the pipeline carries them on each Sentence for
recipe finding only (`Sentence.synthesis_materials`, nlp.synthesis), never as graph mentions. Off
by default: on synthesis-procedures dev (benchmarks/synthesis_recipes.py) recipe roles with it
scored F1 0.480 exact / 0.500 overlap / 0.561 per material, against 0.480 / 0.480 / 0.575 for the
rules tagger and 0.468 / 0.488 / 0.557 for this tagger without it: no clear gain over the rules.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nlp.keys import material_key
from nlp.records import Mention
from nlp.registry import Tagger, create, register

NAME = "ner.hybrid.v1"
AUTO = "auto"
SYNTHESIS_HEAD = "syn"  # the multi-head encoder's synthesis-procedures head (Material, Operation, ...)
DEFAULT_MODEL = "default"  # <data dir>/models/ner/default, where `nlp build-default` installs it


class HybridTagger:
    """Rule materials first; the encoder's mentions that do not overlap them."""

    name = NAME

    def __init__(self, rules: Tagger, encoder: Tagger, synthesis_head: str | None = None) -> None:
        self.rules = rules
        self.encoder = encoder
        heads = [str(h["name"]) for h in (getattr(encoder, "meta", None) or {}).get("heads") or []]
        if synthesis_head is not None and synthesis_head not in heads:
            raise ValueError(f"synthesis_head={synthesis_head!r}: the encoder has no such head "
                             f"(its heads: {', '.join(heads) or 'none, it is a single-head model'})")
        self.synthesis_head = synthesis_head  # the encoder's head whose materials recipe finding takes

    def tag(self, sentences: Sequence[str]) -> list[list[Mention]]:
        return [self._merge(ruled, learned) for ruled, learned in zip(self.rules.tag(sentences), self.encoder.tag(sentences))]

    def tag_with_synthesis(self, sentences: Sequence[str]) -> tuple[list[list[Mention]], list[list[Mention]]]:
        """`tag`'s mentions and, from the same encoder pass, the synthesis head's materials as
        "MAT" mentions (none without such a head)."""
        if self.synthesis_head is None:
            return self.tag(sentences), [[] for _ in sentences]
        prefix = self.synthesis_head + ":"
        heads = list(dict.fromkeys([*getattr(self.encoder, "selected", []), self.synthesis_head]))
        mentions, materials = [], []
        for ruled, learned in zip(self.rules.tag(sentences), self.encoder.tag(sentences, heads=heads)):  # type: ignore[call-arg]
            mentions.append(self._merge(ruled, [m for m in learned if not m.type.startswith(prefix)]))
            materials.append([replace(m, type="MAT", key=material_key(m.text), method=f"{m.method}:{self.synthesis_head}")
                              for m in learned if m.type == prefix + "Material"])
        return mentions, materials

    @staticmethod
    def _merge(ruled: list[Mention], learned: list[Mention]) -> list[Mention]:
        materials = [m for m in ruled if m.type == "MAT"]
        kept = materials + [m for m in learned if not any(_overlap(m, r) for r in materials)]
        return sorted(kept, key=lambda m: (m.start, m.end))


def tag_with_synthesis(tagger: Tagger, sentences: Sequence[str]) -> tuple[list[list[Mention]], list[list[Mention]]]:
    """Any tagger's mentions, and the synthesis materials of a hybrid whose encoder has a synthesis
    head (empty lists for every other tagger)."""
    if isinstance(tagger, HybridTagger):
        return tagger.tag_with_synthesis(sentences)
    return tagger.tag(sentences), [[] for _ in sentences]


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


@register(NAME)
def hybrid_tagger(model: str | None = None, data_dir: Path | None = None, **config: Any) -> Tagger:
    """Rule materials with a trained model's (single- or multi-head) other mentions."""
    from nlp.registry import create_from_spec

    if not model:
        raise ValueError(f"{NAME} needs model=NAME_OR_PATH (a folder written by `mattermine nlp train-multi` "
                         "or `mattermine nlp build-default`)")
    synthesis_head = config.pop("synthesis_head", None)
    return HybridTagger(create("ner.rules.v1"), create_from_spec(model, data_dir=data_dir, **config), synthesis_head)


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
        return Choice("ner.rules.v1", {}, "rules (no encoder installed; `mattermine nlp build-default` "
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
