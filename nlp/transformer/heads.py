"""Heads of a multi-head tagger: one token-classification layer whose outputs are the concatenated
label sets of several tasks, `mat:O mat:B-MAT ... | syn:O syn:B-Material ...`. Each head's slice is
decoded on its own (softmax and Viterbi over its labels only), so one encoder pass per sentence
serves every task. No torch here."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SEPARATOR = ":"


@dataclass(frozen=True)
class Head:
    name: str
    labels: tuple[str, ...]  # IOB2 labels of this task, "O" first
    start: int  # first column of this head in the model's output

    @property
    def end(self) -> int:
        return self.start + len(self.labels)

    def global_ids(self) -> dict[str, int]:
        """Local label name -> column of the model's output."""
        return {lab: self.start + i for i, lab in enumerate(self.labels)}


def build_heads(label_sets: Mapping[str, Sequence[str]]) -> list[Head]:
    """Heads in the given order, their slices laid end to end."""
    heads, at = [], 0
    for name, labels in label_sets.items():
        if SEPARATOR in name or not name:
            raise ValueError(f"a head name must be non-empty and hold no {SEPARATOR!r}: {name!r}")
        heads.append(Head(name, tuple(labels), at))
        at += len(labels)
    return heads


def flat_labels(heads: Sequence[Head]) -> list[str]:
    """The model's label names: "<head>:<label>" for every head, in column order."""
    return [f"{h.name}{SEPARATOR}{lab}" for h in heads for lab in h.labels]


def heads_meta(heads: Sequence[Head]) -> list[dict[str, Any]]:
    return [{"name": h.name, "labels": list(h.labels), "start": h.start} for h in heads]


def read_heads(meta: Mapping[str, Any], labels: Sequence[str]) -> list[Head] | None:
    """The heads recorded in a model's metadata, checked against its label names; None for a
    single-head model (no "heads" entry)."""
    recorded = meta.get("heads")
    if not recorded:
        return None
    heads = [Head(str(h["name"]), tuple(h["labels"]), int(h["start"])) for h in recorded]
    if flat_labels(heads) != list(labels):
        raise ValueError("the model's label names do not match the heads in its mattermine.json")
    return heads
