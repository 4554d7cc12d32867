"""Agreement with transformers' token-classification pipeline: the engine's sub-word labels grouped
the way the pipeline's "simple" aggregation groups them, on the words joined by single spaces. Equal
spans mean batching, sorting, windowing and padding changed nothing."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Span = tuple[int, int, str]


def piece_offsets(tokenizer: Any, sentences: Sequence[Sequence[str]]) -> list[list[list[tuple[int, int]]]]:
    """Character offsets (within its word) of every sub-word of every word."""
    enc = tokenizer([list(s) for s in sentences], is_split_into_words=True, add_special_tokens=False,
                    return_offsets_mapping=True)
    out = []
    for row, words in enumerate(sentences):
        per: list[list[tuple[int, int]]] = [[] for _ in words]
        for (a, b), wid in zip(enc["offset_mapping"][row], enc.word_ids(row)):
            if wid is not None:
                per[wid].append((a, b))
        out.append(per)
    return out


def _split(tag: str) -> tuple[str, str]:
    return (tag[0], tag[2:]) if tag[:2] in ("B-", "I-") else ("I", tag)  # as the pipeline reads a bare "O"


def simple_spans(words: Sequence[str], piece_tags: Sequence[Sequence[str]],
                 offsets: Sequence[Sequence[tuple[int, int]]]) -> set[Span]:
    """Spans of "simple" aggregation: a run of sub-words goes on while the type stays the same and
    the label is not B-; runs of O are dropped."""
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    out: set[Span] = set()
    run: list[tuple[str, int, int]] = []  # (type, start, end)
    for i, (tags, offs) in enumerate(zip(piece_tags, offsets)):
        for tag, (a, b) in zip(tags, offs):
            prefix, etype = _split(tag)
            if run and etype == run[-1][0] and prefix != "B":
                run.append((etype, starts[i] + a, starts[i] + b))
                continue
            if run and run[0][0] != "O":
                out.add((run[0][1], run[-1][2], run[0][0]))
            run = [(etype, starts[i] + a, starts[i] + b)]
    if run and run[0][0] != "O":
        out.add((run[0][1], run[-1][2], run[0][0]))
    return out
