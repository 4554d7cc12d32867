"""CoNLL token/IOB2 files, tagging pre-tokenised sentences, and entity-level F1 (as seqeval scores it)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from nlp.records import Mention
from nlp.registry import Tagger

Sentence = tuple[list[str], list[str]]  # tokens, IOB2 tags


def read_conll(path: str | Path) -> list[Sentence]:
    """Sentences of a "token TAG" file, blank-line separated; the tag is the last field."""
    out: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    out.append((tokens, tags))
                    tokens, tags = [], []
                continue
            tok, _, tag = line.rpartition(" ")
            tokens.append(tok or tag)
            tags.append(tag if tok else "O")
    if tokens:
        out.append((tokens, tags))
    return out


def tag_tokens(tokens: Sequence[str], tagger: Tagger) -> list[str]:
    """IOB2 tags for pre-tokenised text: tag the space-joined string, map spans back to tokens."""
    return tag_batch([list(tokens)], tagger)[0]


def tag_batch(batch: Sequence[Sequence[str]], tagger: Tagger) -> list[list[str]]:
    """Like tag_tokens for many sentences in one tagger call (what a batched tagger wants)."""
    texts = [" ".join(toks) for toks in batch]
    mentions = tagger.tag(texts)
    return [_to_iob(toks, ms) for toks, ms in zip(batch, mentions)]


def _to_iob(tokens: Sequence[str], mentions: Iterable[Mention]) -> list[str]:
    starts = []
    pos = 0
    for t in tokens:
        starts.append((pos, pos + len(t)))
        pos += len(t) + 1
    tags = ["O"] * len(tokens)
    for m in sorted(mentions, key=lambda m: m.start):
        # a token belongs to a mention when they overlap; partial overlaps widen to the token
        idx = [i for i, (s, e) in enumerate(starts) if s < m.end and e > m.start]
        if not idx or any(tags[i] != "O" for i in idx):
            continue
        tags[idx[0]] = "B-" + m.type
        for i in idx[1:]:
            tags[i] = "I-" + m.type
    return tags


def spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end exclusive, type) of an IOB2 sequence; a stray I- opens an entity."""
    out = set()
    start, etype = -1, ""
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-")
        if etype and (prefix != "I" or t != etype):
            out.add((start, i, etype))
            etype = ""
        if prefix == "B" or (prefix == "I" and not etype):
            start, etype = i, t
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn}


def entity_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Micro and per-type precision/recall/F1 over exact (span, type) matches."""
    counts: dict[str, list[int]] = {}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(g), spans(p)
        for s in gs | ps:
            c = counts.setdefault(s[2], [0, 0, 0])
            if s in gs and s in ps:
                c[0] += 1
            elif s in ps:
                c[1] += 1
            else:
                c[2] += 1
    per_type = {t: _prf(*c) for t, c in sorted(counts.items())}
    tot = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"micro": _prf(*tot), "per_type": per_type}
