"""Throughput of the ner.transformer.v1 engine against transformers' token-classification pipeline
(aggregation_strategy="simple") at its best batch size: same model, same sentences (MatScholar dev
repeated to ~100k tokens), same run. Prints one JSON object.

    python benchmarks/ner_throughput.py --model NAME_OR_PATH [--tokens 100000]

same_spans: the engine's sub-word labels, grouped the way the pipeline's "simple" aggregation groups
them, give exactly the pipeline's spans on every sentence; this checks that batching, sorting,
windowing and padding change nothing. The engine's own word-level decoding (first sub-word, CRF)
differs from "simple" by design; its dev F1 is reported beside the speeds. On CPU the engine runs
on ONNX Runtime when it is installed (logits equal to eager PyTorch's to ~1e-5), in int8 where the
model's own record shows int8 within 0.002 dev F1 of float (`mattermine nlp quantize`); the float,
int8 and eager-PyTorch engines are each timed and scored (engine_fp32_*, engine_int8_*, engine_torch_*).
"""
from __future__ import annotations

import argparse
import json
import time
from typing import Any

from mattermine.corpora import corpus_path
from nlp.conll import entity_f1
from nlp.transformer.compare import piece_offsets, simple_spans
from nlp.transformer.data import read_iob
from nlp.transformer.engine import TransformerTagger
from nlp.transformer.models import resolve

def _repeat(sentences: list[list[str]], tokens: int) -> list[list[str]]:
    out: list[list[str]] = []
    while sum(map(len, out)) < tokens:
        out.extend(sentences)
    return out


def _timed(fn: Any, *args: Any, **kw: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    res = fn(*args, **kw)
    return time.perf_counter() - t0, res


def _dev_f1(tagger: TransformerTagger, dev: list[tuple[list[str], list[str]]]) -> float:
    pred = [[t for t, _ in tags] for tags in tagger.tag_words([w for w, _ in dev], normalise=False)]
    return round(entity_f1([g for _, g in dev], pred)["micro"]["f1"], 4)


def _flops_per_token(model: Any, mean_len: float) -> float:
    """Forward FLOPs per token: 2 per weight of each matmul, plus attention scores and mixing."""
    cfg = model.config
    h, layers = cfg.hidden_size, cfg.num_hidden_layers
    dense = layers * (4 * h * h + 2 * h * cfg.intermediate_size)
    return 2.0 * dense + layers * 4.0 * mean_len * h + 2.0 * h * cfg.num_labels


PEAK_BF16_TFLOPS = {"H100": 989.0, "H200": 989.0, "A100": 312.0}  # dense, NVIDIA data sheets (SXM)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="Trained model name or folder.")
    ap.add_argument("--tokens", type=int, default=100_000)
    ap.add_argument("--token-budgets", default="512,8192",
                    help="Other engine token budgets to time on the full set, beside the default.")
    ap.add_argument("--batch-sizes", default="8,32,128",
                    help="Pipeline batch sizes tried on a 10k-token sample; the fastest runs the full set.")
    args = ap.parse_args()
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    folder = resolve(args.model)
    dev = read_iob(corpus_path("matscholar-ner", "dev.txt"))
    sents = _repeat([w for w, _ in dev], args.tokens)
    n_tok = sum(map(len, sents))
    texts = [" ".join(s) for s in sents]  # the pipeline sees text: words joined by one space
    result: dict[str, Any] = {"model": str(folder), "sentences": len(sents), "tokens": n_tok}

    engine = TransformerTagger(str(folder))  # as configured by default: int8 on CPU where the model allows
    engine.tag_words(sents[:8], normalise=False)  # load and warm up
    result |= {"device": str(engine.device), "threads": torch.get_num_threads(),
               "decoder": "crf" if engine.decoder else "argmax", "engine_backend": engine.backend,
               "engine_int8": bool(engine.quantize), "engine_token_budget": engine.token_budget}
    eng_s, _ = _timed(engine.tag_words, sents, normalise=False)
    result |= {"engine_tokens_per_s": round(n_tok / eng_s), "engine_sentences_per_s": round(len(sents) / eng_s),
               "engine_dev_f1": _dev_f1(engine, dev)}
    by_budget = {engine.token_budget: result["engine_tokens_per_s"]}
    for budget in [int(b) for b in args.token_budgets.split(",") if b]:
        other = TransformerTagger(str(folder), token_budget=budget)
        other.tag_words(sents[:8], normalise=False)
        by_budget[budget] = round(n_tok / _timed(other.tag_words, sents, normalise=False)[0])
    result["engine_tokens_per_s_by_budget"] = dict(sorted(by_budget.items()))
    seconds = {"engine": eng_s}
    variants = {"fp32": {"quantize": False}, "int8": {"quantize": True}, "torch": {"backend": "torch"}}
    for label, kw in variants.items() if engine.device.type == "cpu" else ():
        if label != "torch" and bool(engine.quantize) == kw["quantize"]:
            same_as_default = engine
            seconds[label] = eng_s
        else:
            same_as_default = TransformerTagger(str(folder), **kw)
            same_as_default.tag_words(sents[:8], normalise=False)
            seconds[label] = _timed(same_as_default.tag_words, sents, normalise=False)[0]
        result |= {f"engine_{label}_tokens_per_s": round(n_tok / seconds[label]),
                   f"engine_{label}_dev_f1": _dev_f1(same_as_default, dev)}
    if engine.device.type == "cuda":
        flops = _flops_per_token(engine._model, n_tok / len(sents)) * n_tok / eng_s
        name = torch.cuda.get_device_name(0)
        peak = next((v for k, v in PEAK_BF16_TFLOPS.items() if k in name), None)
        result |= {"gpu": name, "model_tflops": round(flops / 1e12, 2),
                   "fraction_of_bf16_peak": round(flops / 1e12 / peak, 4) if peak else None}

    pipe = pipeline("token-classification", model=AutoModelForTokenClassification.from_pretrained(folder),
                    tokenizer=AutoTokenizer.from_pretrained(folder), aggregation_strategy="simple",
                    device=0 if torch.cuda.is_available() else -1)
    sample = texts[: max(1, len(texts) // 10)]
    trials = {}
    for bs in [int(b) for b in args.batch_sizes.split(",")]:
        pipe(sample[:bs], batch_size=bs)
        trials[bs] = round(_timed(pipe, sample, batch_size=bs)[0], 2)
    best = min(trials, key=lambda b: trials[b])
    pipe_s, res = _timed(pipe, texts, batch_size=best)
    result |= {"pipeline_tokens_per_s": round(n_tok / pipe_s), "pipeline_sentences_per_s": round(len(sents) / pipe_s),
               "pipeline_batch_size": best, "pipeline_sample_seconds_by_batch_size": trials,
               "speedup": round(pipe_s / eng_s, 2)}
    result |= {f"speedup_{label}": round(pipe_s / s, 2) for label, s in seconds.items() if label != "engine"}

    # same computation as the pipeline (float weights): batching, sorting, windows and padding change
    # nothing. int8 is a different computation; how far it moves is its dev F1 above.
    pipe_spans = [{(r["start"], r["end"], r["entity_group"]) for r in rs} for rs in res]
    offsets = piece_offsets(engine.tokenizer, sents)
    same_model = TransformerTagger(str(folder), quantize=False)
    eng_spans = [simple_spans(s, p, o) for s, p, o in zip(sents, same_model.piece_labels(sents), offsets)]
    same = sum(a == b for a, b in zip(eng_spans, pipe_spans))
    result |= {"same_spans": same == len(sents), "same_span_fraction": round(same / len(sents), 4)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
