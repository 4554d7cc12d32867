"""Dev scores and CPU throughput of a multi-head tagger (ner.multihead.v1) beside the single-head
tagger and the rules, in the same run; prints one JSON object.

    python benchmarks/ner_multihead.py --model multihead-v1 --single matscholar [--sentences 1000]

Dev splits only (MatScholar dev, synthesis-procedures ner-dev, MeasEval trial, SOFC-Exp dev); the
scoring rules are in nlp/evaluation/multitask.py. Baselines, each on the same gold:
  mat   the single-head model and ner.rules.v1, word-level micro F1;
  syn   nlp.evaluation.synthesis with ner.rules.v1, and with the single-head model's MAT (the
        rule quantities and operations either way), Material/Number/Operation/unit;
  meas  the rule quantity finder as Quantity; nlp.measeval.predict_rules (quantities, entities
        and properties linked by the rule pipeline) when it runs;
  sofc  MAT of ner.rules.v1 or of the single-head model as MATERIAL, rule quantities as VALUE.
Throughput: the same raw sentences (SOFC-Exp full texts, split as the pipeline splits them)
through `tag` of each engine as built by default (ONNX Runtime; int8 where the model's record
allows), in chunks of 200 sentences, engines interleaved, each chunk's fastest of `rounds` kept;
and the whole pipeline (nlp.pipeline.annotate) on SOFC-Exp documents with each tagger, rounds
interleaved, best kept.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.evaluation import multitask as mt  # noqa: E402
from nlp.registry import create  # noqa: E402
from nlp.transformer import tasks  # noqa: E402
from nlp.transformer.engine import TransformerTagger  # noqa: E402
from nlp.transformer.models import resolve  # noqa: E402


def _micro(s: dict[str, Any]) -> dict[str, Any]:
    return {k: s["micro"][k]["f1"] for k in ("exact", "overlap")}


def _by_passage(passages: list[tasks.Passage], spans: dict[str, list[tasks.CharSpan]]) -> list[list[tasks.CharSpan]]:
    """Document-level predictions cut to the gold sentences, offsets re-based to each."""
    out = []
    for p in passages:
        end = p.offset + len(p.text)
        out.append([(s - p.offset, e - p.offset, t) for s, e, t in spans.get(p.source, [])
                    if p.offset <= s and e <= end])
    return out


def dev_scores(multi: TransformerTagger, single: TransformerTagger | None, split: str) -> dict[str, Any]:
    rules = create("ner.rules.v1")
    out: dict[str, Any] = {}
    if split in tasks.SPLITS["mat"]:  # MatScholar has no test split
        mat_dev = tasks.task_sentences("mat", split)
        out["mat"] = {"multi": mt.word_f1(multi, mat_dev, head="mat"),
                      "rules": _rules_word_f1(rules, mat_dev)}
        if single is not None:
            out["mat"]["single"] = mt.word_f1(single, mat_dev)

    from nlp.evaluation.synthesis import evaluate as synthesis_rules

    if split in tasks.SPLITS["syn"]:
        syn = tasks.passages("syn", split)
        out["syn"] = {"multi_all_types": mt.score_passages(syn, mt.head_predictor(multi, "syn")),
                      "multi_mapped": mt.synthesis_mapped(multi, split),
                      "rules_mapped": synthesis_rules(tasks.root("syn"), rules, tasks.SPLITS["syn"][split])}
        if single is not None:
            out["syn"]["single_mat_rules_mapped"] = synthesis_rules(tasks.root("syn"), single, tasks.SPLITS["syn"][split])

    meas = tasks.passages("meas", split)
    gold_types = list(tasks.MEASEVAL_TYPES)
    out["meas"] = {"multi": mt.score_passages(meas, mt.head_predictor(multi, "meas"), gold_types),
                   "rules_quantities": mt.score_passages(meas, mt.quantities_predictor("Quantity"), ["Quantity"])}
    try:
        out["meas"]["rules_measeval"] = mt.span_scores([p.spans for p in meas], _by_passage(meas, _measeval_rules(rules, split)),
                                                       gold_types)
    except Exception as exc:  # another module's work in progress: reported, not fatal
        out["meas"]["rules_measeval"] = {"error": f"{type(exc).__name__}: {exc}"}

    sofc = tasks.passages("sofc", split)
    types = ["MATERIAL", "VALUE", "DEVICE", "EXPERIMENT"]
    out["sofc"] = {"multi": mt.score_passages(sofc, mt.head_predictor(multi, "sofc"), types),
                   "rules": mt.score_passages(sofc, mt.combined(mt.mentions_predictor(rules, {"MAT": "MATERIAL"}),
                                                                mt.quantities_predictor("VALUE")), ["MATERIAL", "VALUE"])}
    if single is not None:
        out["sofc"]["single_mat_rules_value"] = mt.score_passages(
            sofc, mt.combined(mt.mentions_predictor(single, {"MAT": "MATERIAL"}), mt.quantities_predictor("VALUE")),
            ["MATERIAL", "VALUE"])
    return out


def _rules_word_f1(rules: Any, sentences: list[tuple[list[str], list[str]]]) -> dict[str, Any]:
    from nlp.conll import entity_f1, tag_batch

    return entity_f1([g for _, g in sentences], tag_batch([w for w, _ in sentences], rules))


def _measeval_rules(rules: Any, split: str) -> dict[str, list[tasks.CharSpan]]:
    from nlp.evaluation.measeval import load_split
    from nlp.measeval import predict_rules

    spans: dict[str, list[tasks.CharSpan]] = defaultdict(list)
    for a in predict_rules(load_split(tasks.root("meas"), tasks.SPLITS["meas"][split]), rules):
        if a.type in tasks.MEASEVAL_TYPES:
            spans[a.doc].append((a.start, a.end, a.type))
    return spans


def summary(dev: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers of dev_scores."""
    s: dict[str, Any] = {"mat_micro_f1": {k: round(v["micro"]["f1"], 4) for k, v in dev.get("mat", {}).items()}}
    if "syn" in dev:
        s["syn_mapped_micro_f1"] = {k: dev["syn"][k]["micro"]["f1"] for k in dev["syn"] if k.endswith("mapped")}
        s["syn_mapped_per_type_f1"] = {k: {t: v["f1"] for t, v in dev["syn"][k]["per_type"].items()}
                                       for k in dev["syn"] if k.endswith("mapped")}
        s["syn_all_types"] = _micro(dev["syn"]["multi_all_types"])
    s["meas"] = {k: {t: {m: v[m]["f1"] for m in ("exact", "overlap")} for t, v in r["per_type"].items()}
                 for k, r in dev["meas"].items() if "per_type" in r}
    s["sofc"] = {k: {t: {m: v[m]["f1"] for m in ("exact", "overlap")} for t, v in r["per_type"].items()}
                 for k, r in dev["sofc"].items()}
    return s


def raw_sentences(limit: int) -> list[str]:
    from nlp.sentences import split_sentences

    out: list[str] = []
    for path in sorted(corpus_path("sofc-exp", "texts").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            out += [line[a:b] for a, b in split_sentences(line)]
        if len(out) >= limit:
            break
    return out[:limit]


def throughput(engines: dict[str, Any], sentences: list[str], rounds: int, chunk: int = 200) -> dict[str, Any]:
    """Seconds of each engine over `sentences`, cut into chunks: every chunk is timed `rounds`
    times for every engine, engines interleaved, and an engine's time is the sum of its chunks'
    fastest rounds (the machine is shared: a busy moment hits one engine's round, not its total)."""
    from nlp.tokenizer import tokenize

    words = sum(len(tokenize(s)) for s in sentences)
    chunks = [sentences[i:i + chunk] for i in range(0, len(sentences), chunk)]
    fastest = {name: [float("inf")] * len(chunks) for name in engines}
    for name, (tagger, kw) in engines.items():
        tagger.tag(sentences[:16], **kw)  # load, export, warm up
    for _ in range(rounds):
        for c, part in enumerate(chunks):
            for name, (tagger, kw) in engines.items():
                t0 = time.perf_counter()
                tagger.tag(part, **kw)
                fastest[name][c] = min(fastest[name][c], time.perf_counter() - t0)
    out = {}
    for name, times in fastest.items():
        s = sum(times)
        out[name] = {"sentences_per_s": round(len(sentences) / s, 1), "words_per_s": round(words / s),
                     "seconds": round(s, 2), "backend": engines[name][0].backend, "int8": bool(engines[name][0].quantize)}
    return {"sentences": len(sentences), "words": words, "chunk": chunk, "rounds": rounds, "engines": out}


def multi_quantized(tagger: TransformerTagger) -> bool:
    """Whether a tagger built with the defaults runs int8 (loads it)."""
    tagger.tag(["warm-up"])
    return bool(tagger.quantize)


def pipeline_speed(taggers: dict[str, Any], documents: int, rounds: int = 2) -> dict[str, Any]:
    from ingest.records import Paragraph, ParsedDocument, content_hash
    from nlp.pipeline import annotate

    docs = []
    for path in sorted(corpus_path("sofc-exp", "texts").glob("*.txt"))[:documents]:
        text = path.read_text(encoding="utf-8")
        docs.append(ParsedDocument(str(path), content_hash(text.encode()), "text", "bench",
                                   paragraphs=tuple(Paragraph(x) for x in text.splitlines() if x.strip())))
    out: dict[str, Any] = {"documents": len(docs)}
    for tagger in taggers.values():
        list(annotate(docs[:1], tagger))  # warm up
    for _ in range(rounds):  # interleaved, best round kept: the machine is shared
        for name, tagger in taggers.items():
            t0 = time.perf_counter()
            done = list(annotate(docs, tagger))
            seconds = time.perf_counter() - t0
            n = sum(len(a.sentences) for a in done)
            if name not in out or seconds < out[name]["seconds"]:
                out[name] = {"sentences": n, "sentences_per_s": round(n / seconds, 1), "seconds": round(seconds, 2),
                             "facts": sum(len(a.measurements) for a in done)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="Multi-head model name or folder.")
    ap.add_argument("--single", default=None, help="Single-head MatScholar model name or folder (baseline).")
    ap.add_argument("--sentences", type=int, default=1000, help="Raw sentences timed through tag().")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pipeline-docs", type=int, default=8, help="SOFC-Exp documents through the whole pipeline (0: skip).")
    ap.add_argument("--skip-dev", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--split", default="dev", choices=("dev", "test"),
                    help="test: once, at the very end, reported apart (MeasEval eval, SOFC-Exp test; MatScholar and "
                    "the shared synthesis copy have none).")
    args = ap.parse_args()
    multi = TransformerTagger(str(resolve(args.model)))
    single = TransformerTagger(str(resolve(args.single))) if args.single else None
    result: dict[str, Any] = {"model": str(multi.folder), "single": str(single.folder) if single else None,
                              "split": args.split, "cpus": len(os.sched_getaffinity(0)), "load_average_before": os.getloadavg()}
    if not args.skip_dev:
        t0 = time.perf_counter()
        dev = dev_scores(multi, single, args.split)
        result |= {"summary": summary(dev), "scores": dev, "scoring_seconds": round(time.perf_counter() - t0, 1)}
    if not args.skip_speed:
        engines: dict[str, Any] = {"multi_all_heads": (multi, {}), "multi_primary_head": (multi, {"heads": [multi.primary]})}
        other = TransformerTagger(str(multi.folder), quantize=not multi_quantized(multi))
        engines[f"multi_all_heads_{'fp32' if multi_quantized(multi) else 'int8'}"] = (other, {})
        if single is not None:
            engines["single"] = (single, {})
            other = TransformerTagger(str(single.folder), quantize=not multi_quantized(single))
            engines[f"single_{'fp32' if multi_quantized(single) else 'int8'}"] = (other, {})
        result["throughput"] = throughput(engines, raw_sentences(args.sentences), args.rounds)
        if args.pipeline_docs:
            taggers: dict[str, Any] = {"rules": create("ner.rules.v1"),
                                       "multi_primary_head": create("ner.multihead.v1", model=str(multi.folder),
                                                                    heads=[multi.primary])}
            if single is not None:
                taggers["single"] = single
            try:
                result["pipeline"] = pipeline_speed(taggers, args.pipeline_docs, args.rounds)
            except Exception as exc:  # the pipeline is other work in progress: reported, not fatal
                result["pipeline"] = {"error": f"{type(exc).__name__}: {exc}"}
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
