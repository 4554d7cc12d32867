"""Dev scoring of a multi-head tagger, one task per head, and of the baselines it replaces.

* mat (MatScholar dev): entity micro F1 over the corpus' own words (exact span and type).
* syn, meas, sofc: character spans. Each gold sentence (nlp.transformer.tasks) is given to the
  tagger as text; its mentions of that head are compared with the gold spans of the sentence.
  "exact": same start, end and type. "overlap": a prediction is right when it shares a character
  with a gold span of its type, and a gold span is found when a prediction of its type shares a
  character with it (precision and recall counted on each side).
* syn is also scored with nlp.evaluation.synthesis's mapping (Material, Number, Operation, unit;
  whole files), the score the rule pipeline is known by.
Predictions of other sources (rules, quantities) are scored through the same functions.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from nlp.evaluation import prf
from nlp.transformer.tasks import CharSpan, Passage

Predict = Callable[[Sequence[str]], list[list[CharSpan]]]  # sentence texts -> spans of each


def span_scores(gold: Iterable[Sequence[CharSpan]], pred: Iterable[Sequence[CharSpan]],
                types: Sequence[str] | None = None) -> dict[str, Any]:
    """Exact and overlap P/R/F1, micro over `types` (default: every gold type) and per type."""
    counts: dict[str, dict[str, list[int]]] = {}
    for g_all, p_all in zip(gold, pred, strict=True):
        g_set, p_set = set(g_all), set(p_all)
        for t in {s[2] for s in g_set | p_set}:
            g = {s for s in g_set if s[2] == t}
            p = {s for s in p_set if s[2] == t}
            c = counts.setdefault(t, {"exact": [0, 0, 0], "overlap": [0, 0, 0, 0]})
            hit = len(g & p)
            c["exact"][0] += hit
            c["exact"][1] += len(p) - hit
            c["exact"][2] += len(g) - hit
            found = sum(any(a < e and s < b for s, e, _ in p) for a, b, _ in g)
            right = sum(any(a < e and s < b for s, e, _ in g) for a, b, _ in p)
            c["overlap"][0] += right
            c["overlap"][1] += len(p) - right
            c["overlap"][2] += found
            c["overlap"][3] += len(g)
    scored = sorted(types) if types is not None else sorted(t for t in counts if counts[t]["exact"][0] + counts[t]["exact"][2])
    per_type = {t: _both(counts.get(t)) for t in scored}
    total_e = [sum(counts[t]["exact"][i] for t in scored if t in counts) for i in range(3)]
    total_o = [sum(counts[t]["overlap"][i] for t in scored if t in counts) for i in range(4)]
    return {"micro": {"exact": prf(*total_e), "overlap": _overlap_prf(total_o)}, "per_type": per_type}


def _both(c: dict[str, list[int]] | None) -> dict[str, Any]:
    if c is None:
        return {"exact": prf(0, 0, 0), "overlap": prf(0, 0, 0)}
    return {"exact": prf(*c["exact"]), "overlap": _overlap_prf(c["overlap"])}


def _overlap_prf(c: Sequence[int]) -> dict[str, float]:
    right, wrong, found, gold = c
    p = right / (right + wrong) if right + wrong else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": gold}


def score_passages(passages: Sequence[Passage], predict: Predict, types: Sequence[str] | None = None) -> dict[str, Any]:
    """Score `predict` on gold sentences: the text of each, against its spans."""
    pred = predict([p.text for p in passages])
    return span_scores([p.spans for p in passages], pred, types) | {"sentences": len(passages)}


def head_predictor(tagger: Any, head: str) -> Predict:
    """Spans of one head of a multi-head tagger (`TransformerTagger`), types without the head's name."""
    prefix = "" if head == tagger.primary else head + ":"

    def predict(texts: Sequence[str]) -> list[list[CharSpan]]:
        out = tagger.tag(list(texts), heads=[head])
        return [[(m.start, m.end, m.type[len(prefix):]) for m in ms if m.type.startswith(prefix)] for ms in out]

    return predict


def mentions_predictor(tagger: Any, type_map: Mapping[str, str]) -> Predict:
    """Spans from any Tagger's mentions, their types renamed by `type_map` (others dropped):
    e.g. the rule tagger's MAT as SOFC-Exp's MATERIAL."""

    def predict(texts: Sequence[str]) -> list[list[CharSpan]]:
        return [[(m.start, m.end, type_map[m.type]) for m in ms if m.type in type_map] for ms in tagger.tag(list(texts))]

    return predict


def quantities_predictor(etype: str) -> Predict:
    """The rule quantity finder's spans (number and unit) as `etype`."""
    from nlp.quantities import find_quantities

    def predict(texts: Sequence[str]) -> list[list[CharSpan]]:
        return [[(q.start, q.end, etype) for q in find_quantities(t)] for t in texts]

    return predict


def combined(*predictors: Predict) -> Predict:
    def predict(texts: Sequence[str]) -> list[list[CharSpan]]:
        outs = [p(texts) for p in predictors]
        return [[s for out in outs for s in out[i]] for i in range(len(texts))]

    return predict


def synthesis_mapped(tagger: Any, split: str = "dev") -> dict[str, Any]:
    """The syn head scored as nlp.evaluation.synthesis scores the rule pipeline: whole files split
    into sentences, Material / Number / Operation / unit (Amount-Unit and Condition-Unit) spans."""
    from nlp.evaluation.synthesis import TYPE_MAP, read_gold, score
    from nlp.sentences import split_sentences
    from nlp.transformer.tasks import SPLITS, root

    base = root("syn")
    names = (base / f"ner-{SPLITS['syn'][split]}-fnames.txt").read_text(encoding="utf-8").split()
    predict = head_predictor(tagger, "syn")
    pairs = []
    for name in names:
        text = (base / "data" / f"{name}.txt").read_text(encoding="utf-8")
        spans = split_sentences(text)
        pred = predict([text[a:b] for a, b in spans])
        found = {(a + s, a + e, TYPE_MAP[t]) for (a, _), ps in zip(spans, pred) for s, e, t in ps if t in TYPE_MAP}
        pairs.append((read_gold(base / "data" / f"{name}.ann"), found))
    return score(pairs) | {"files": len(names)}


def word_f1(tagger: Any, sentences: Sequence[tuple[list[str], list[str]]], head: str | None = None,
            normalise: bool = False) -> dict[str, Any]:
    """Entity F1 over given words (MatScholar's CoNLL), one head of a multi-head tagger or a single-head one."""
    from nlp.conll import entity_f1

    words = [s[0] for s in sentences]
    if head is None:
        tags = tagger.tag_words(words, normalise=normalise)
    else:
        tags = tagger.tag_heads(words, normalise=normalise, heads=[head])[head]
    return entity_f1([s[1] for s in sentences], [[t for t, _ in ts] for ts in tags])
