"""Throughput of the ner.transformer.v1 engine against transformers' token-classification pipeline
(aggregation_strategy="simple") at its best batch size: same model, same sentences (MatScholar dev
repeated to ~100k tokens), same spans check. Prints one JSON object.

    python benchmarks/ner_throughput.py --model NAME_OR_PATH [--tokens 100000]
"""
from __future__ import annotations

import argparse
import json
import time

from mattermine.corpora import corpus_path
from nlp.transformer.data import read_iob
from nlp.transformer.engine import TransformerTagger
from nlp.transformer.models import resolve


def _sentences(tokens: int) -> list[list[str]]:
    dev = [words for words, _ in read_iob(corpus_path("matscholar-ner", "dev.txt"))]
    out: list[list[str]] = []
    while sum(map(len, out)) < tokens:
        out.extend(dev)
    return out


def _spans_from_tags(tags: list[str]) -> set[tuple[int, int, str]]:
    from nlp.conll import spans

    return spans(tags)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="Trained model name or folder.")
    ap.add_argument("--tokens", type=int, default=100_000)
    ap.add_argument("--batch-sizes", default="8,32,128")
    args = ap.parse_args()
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    folder = resolve(args.model)
    sents = _sentences(args.tokens)
    n_tok = sum(map(len, sents))
    texts = [" ".join(s) for s in sents]  # the pipeline sees text: words joined by one space
    engine = TransformerTagger(str(folder))
    engine.tag_words(sents[:8], normalise=False)  # load and warm up
    t0 = time.perf_counter()
    eng_tags = engine.tag_words(sents, normalise=False)
    eng_s = time.perf_counter() - t0
    starts = []
    for s in sents:
        pos, st = 0, []
        for w in s:
            st.append((pos, pos + len(w)))
            pos += len(w) + 1
        starts.append(st)
    eng_spans = [{(st[a][0], st[b - 1][1], t) for a, b, t in _spans_from_tags([x for x, _ in tags])}
                 for st, tags in zip(starts, eng_tags)]
    device = 0 if torch.cuda.is_available() else -1
    pipe = pipeline("token-classification", model=AutoModelForTokenClassification.from_pretrained(folder),
                    tokenizer=AutoTokenizer.from_pretrained(folder), aggregation_strategy="simple", device=device)
    best = None
    for bs in [int(b) for b in args.batch_sizes.split(",")]:
        pipe(texts[:bs], batch_size=bs)
        t0 = time.perf_counter()
        res = pipe(texts, batch_size=bs)
        secs = time.perf_counter() - t0
        if best is None or secs < best[0]:
            best = (secs, bs, res)
    assert best is not None
    pipe_spans = [{(r["start"], r["end"], r["entity_group"]) for r in rs} for rs in best[2]]
    same = sum(a == b for a, b in zip(eng_spans, pipe_spans))
    print(json.dumps({
        "model": str(folder), "device": str(engine.device), "threads": torch.get_num_threads(),
        "sentences": len(sents), "tokens": n_tok,
        "engine_tokens_per_s": round(n_tok / eng_s), "engine_sentences_per_s": round(len(sents) / eng_s),
        "pipeline_tokens_per_s": round(n_tok / best[0]), "pipeline_sentences_per_s": round(len(sents) / best[0]),
        "pipeline_batch_size": best[1], "speedup": round(best[0] / eng_s, 2),
        "same_spans": same == len(sents), "same_span_fraction": round(same / len(sents), 4),
    }))


if __name__ == "__main__":
    main()
