"""Training one encoder with several heads (nlp.transformer.heads): each training sentence comes from
one task's corpus and its loss covers only that task's slice of the output (sub-word cross-entropy
over the slice, plus the task's own CRF over words). Batches hold one task each; tasks are drawn
per step with probability proportional to (examples)**alpha, so small corpora are not drowned by
MatScholar. The saved folder is a plain token-classification checkpoint whose label names are
"<head>:<label>", with the heads and their CRFs recorded beside it."""
from __future__ import annotations

import logging
import math
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.conll import Sentence, entity_f1
from nlp.transformer.data import data_sha256, normalise_word
from nlp.transformer.heads import Head, build_heads, flat_labels, heads_meta
from nlp.transformer.models import default_base
from nlp.transformer.train import (
    IGNORE,
    Example,
    _collate,
    _examples,
    _save,
    _schedule,
    label_list,
    length_batches,
    step,
)

log = logging.getLogger(__name__)
Progress = Callable[[dict[str, Any]], None]  # called with {"step", "steps", "task", "loss", "seconds"} and eval rows


@dataclass
class Task:
    """One head's data: word-level IOB2 sentences for training and (optionally) dev scoring."""

    train: list[Sentence]
    dev: list[Sentence] | None = None
    normalised: bool = False  # words already written the model's way (MatScholar's CoNLL)
    source: str = ""  # where the data came from, recorded in the metadata
    weight: float = 1.0  # multiplies the task's sampling probability
    info: dict[str, Any] = field(default_factory=dict)


def sampling(sizes: Mapping[str, int], alpha: float, weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Probability of drawing each task for a step: proportional to weight * size**alpha
    (alpha 1: as many batches as examples; 0: every task alike)."""
    raw = {t: (weights or {}).get(t, 1.0) * n ** alpha for t, n in sizes.items() if n}
    total = sum(raw.values())
    return {t: v / total for t, v in raw.items()}


def _normalised(sentences: Sequence[Sentence], scheme: str, already: bool) -> list[Sentence]:
    if already:
        return list(sentences)
    return [([normalise_word(w, scheme) for w in words], list(tags)) for words, tags in sentences]


def _stream(examples: list[Example], batch_size: int, rng: random.Random) -> Iterator[list[Example]]:
    """Length-pooled batches of one task, reshuffled each time the task's data run out."""
    while True:
        yield from length_batches(examples, lambda e: len(e[0]), batch_size, rng.shuffle)


def _head_loss(model: Any, head: Head, crf: Any, batch: dict[str, Any]) -> Any:
    """Cross-entropy over the head's slice at every labelled sub-word, plus its CRF's negative
    log-likelihood per word; the other heads' outputs take no part."""
    import torch
    import torch.nn.functional as F

    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[..., head.start:head.end]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["labels"].reshape(-1), ignore_index=IGNORE)
    if crf is None:
        return loss
    heads = batch["heads"]
    emissions = torch.gather(logits, 1, heads.unsqueeze(-1).expand(-1, -1, logits.shape[-1]))
    return loss + crf.nll(emissions, batch["word_tags"], batch["word_mask"]) / batch["word_mask"].sum()


def train_multi(tasks: Mapping[str, Task], out_dir: str | Path, base: str | None = None, epochs: float = 3.0,
                steps: int | None = None, lr: float = 2e-4, batch_size: int = 32, alpha: float = 0.5,
                schedule: str = "one-cycle", warmup: float = 0.1, weight_decay: float = 0.01,
                max_pieces: int = 254, overlap: int = 32, seed: int = 0, threads: int | None = None,
                model_overrides: dict[str, Any] | None = None, normalise: str = "matscholar",
                crf: bool = True, crf_lr: float = 5e-3, primary: str | None = None, eval_every: int = 0,
                freeze_embeddings: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Fine-tune `base` (default: the offline MiniLM) on every task at once and save the model.

    Training runs `steps` optimiser steps (default: `epochs` times the examples of all tasks over
    batch_size); each step trains one task's batch, the task drawn by `sampling`. Every word is
    normalised with `normalise` unless its task says it already is. `eval_every` steps (and at
    the end) each task with dev data is scored (word-level entity F1, its CRF). With
    `freeze_embeddings` the word-embedding matrix is not trained (about 30% less time per step on
    a CPU for MiniLM: half its weights are that matrix). Returns the metadata written to
    out_dir/mattermine.json."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    rng = random.Random(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads or len(os.sched_getaffinity(0)))
    base = base or default_base()
    train_sets = {t: _normalised(task.train, normalise, task.normalised) for t, task in tasks.items()}
    dev_sets = {t: _normalised(task.dev, normalise, task.normalised) for t, task in tasks.items() if task.dev}
    heads = build_heads({t: label_list(train_sets[t] + dev_sets.get(t, [])) for t in tasks})
    by_name = {h.name: h for h in heads}
    labels = flat_labels(heads)
    config_labels = {"num_labels": len(labels), "id2label": dict(enumerate(labels)),
                     "label2id": {lab: i for i, lab in enumerate(labels)}}
    tokenizer = AutoTokenizer.from_pretrained(base)
    if model_overrides:
        model = AutoModelForTokenClassification.from_config(
            AutoConfig.from_pretrained(base, **config_labels, **model_overrides))
    else:
        model = AutoModelForTokenClassification.from_pretrained(base, ignore_mismatched_sizes=True, **config_labels)
    if freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    limit = min(model.config.max_position_embeddings, tokenizer.model_max_length or 512) - 2
    max_pieces = min(max_pieces, limit)
    examples = {t: _examples(tokenizer, train_sets[t], {lab: i for i, lab in enumerate(by_name[t].labels)},
                             max_pieces, overlap) for t in tasks}
    probs = sampling({t: len(e) for t, e in examples.items()}, alpha, {t: task.weight for t, task in tasks.items()})
    total = steps or math.ceil(epochs * sum(len(e) for e in examples.values()) / batch_size)
    crfs = {t: _crf(by_name[t].labels) for t in tasks} if crf else {}
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in trained if "bias" not in n and "LayerNorm" not in n]
    rest = [p for n, p in trained if "bias" in n or "LayerNorm" in n]
    groups: list[dict[str, Any]] = [{"params": decay, "weight_decay": weight_decay},
                                    {"params": rest, "weight_decay": 0.0}]
    for chain in crfs.values():
        groups.append({"params": list(chain.parameters()), "weight_decay": 0.0, "lr": crf_lr})
    opt = torch.optim.AdamW(groups, lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: _schedule(s, total, warmup, schedule))
    streams = {t: _stream(examples[t], batch_size, rng) for t in probs}
    order = list(probs)
    pad = tokenizer.pad_token_id or 0
    meta_base = {"normalise": normalise, "max_pieces": max_pieces, "heads": heads_meta(heads),
                 "primary_head": primary or heads[0].name}
    history: list[dict[str, Any]] = []
    losses: dict[str, list[float]] = {t: [] for t in order}
    t0 = time.perf_counter()
    model.train()
    for n in range(1, total + 1):
        t = rng.choices(order, weights=[probs[x] for x in order])[0]
        loss = step(_head_loss(model, by_name[t], crfs.get(t), _collate(next(streams[t]), pad)), model, opt, sched)
        losses[t].append(loss)
        if progress:
            progress({"step": n, "steps": total, "task": t, "loss": loss, "seconds": time.perf_counter() - t0})
        if (eval_every and n % eval_every == 0) or n == total:
            row: dict[str, Any] = {"step": n, "seconds": round(time.perf_counter() - t0, 1),
                                   "loss": {x: round(sum(v) / len(v), 4) for x, v in losses.items() if v}}
            losses = {x: [] for x in order}
            if dev_sets:
                model.eval()
                scored = score_words(model, tokenizer, meta_base, heads, crfs, dev_sets)
                row["dev_f1"] = {x: s["micro"]["f1"] for x, s in scored.items()}
                model.train()
            log.info("multi-head training %s", row)
            history.append(row)
            if progress:
                progress({"eval": row})
    model.eval()
    final = score_words(model, tokenizer, meta_base, heads, crfs, dev_sets) if dev_sets else {}
    meta = {
        "base": base, "labels": labels, **meta_base,
        "tasks": {t: {"source": task.source, "train_sentences": len(task.train), "train_windows": len(examples[t]),
                      "data_sha256": data_sha256(None, task.train), "sampling": round(probs.get(t, 0.0), 4),
                      "weight": task.weight,
                      **task.info} for t, task in tasks.items()},
        "data_sha256": data_sha256(None, [s for t in tasks for s in tasks[t].train]),
        "steps": total, "epochs": epochs if steps is None else None, "alpha": alpha, "lr": lr,
        "batch_size": batch_size, "schedule": schedule, "seed": seed, "freeze_embeddings": freeze_embeddings,
        "train_seconds": round(time.perf_counter() - t0, 1),
        "decoder": "crf" if crfs else "argmax", "crf_lr": crf_lr if crfs else None, "history": history,
        "metrics": {"dev": _macro(final) if final else None, "dev_per_head": final or None},
    }
    out = Path(out_dir)
    _save(model, tokenizer, out, meta)
    if crfs:
        from nlp.transformer.crf import save_crfs

        save_crfs(crfs, out)
    return meta


def _crf(labels: Sequence[str]) -> Any:
    from nlp.transformer.crf import make_crf

    return make_crf(labels)


def score_words(model: Any, tokenizer: Any, meta: dict[str, Any], heads: Sequence[Head], crfs: Mapping[str, Any],
                dev_sets: Mapping[str, Sequence[Sentence]]) -> dict[str, dict[str, Any]]:
    """Word-level entity F1 of each head on its dev sentences (words already normalised), all
    heads decoded from the model in memory with their CRFs."""
    from nlp.transformer.crf import Decoder
    from nlp.transformer.engine import TransformerTagger

    tagger = TransformerTagger.from_objects(model, tokenizer, meta)
    for h in heads:
        tagger.head_decoders[h.name] = Decoder.from_module(crfs[h.name], h.labels) if h.name in crfs else None
    out = {}
    for name, dev in dev_sets.items():
        pred = tagger.tag_heads([s[0] for s in dev], normalise=False, heads=[name])[name]
        out[name] = entity_f1([s[1] for s in dev], [[t for t, _ in tags] for tags in pred])
    return out


def _macro(per_head: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The mean of the heads' micro F1 (what a single number for the model means here)."""
    f1s = [s["micro"]["f1"] for s in per_head.values()]
    return {"micro": {"f1": sum(f1s) / len(f1s)}, "macro_over_heads": True}


def record_int8_multi(folder: str | Path, dev_sets: Mapping[str, Sequence[Sentence]],
                      normalised: Mapping[str, bool] | None = None) -> dict[str, Any]:
    """Score every head on its dev sentences in float and in int8 (ONNX Runtime, CPU) and record
    both in the model's metadata; the engine then picks int8 by itself only where no head loses
    more than INT8_TOLERANCE F1."""
    import json

    from nlp.transformer.engine import INT8_TOLERANCE, TransformerTagger
    from nlp.transformer.models import META_FILE
    from nlp.transformer.onnx import INT8_SCHEME

    folder = Path(folder)
    scores: dict[bool, dict[str, float]] = {}
    for q in (False, True):
        tagger = TransformerTagger(str(folder), device="cpu", backend="onnx", quantize=q)
        scores[q] = {}
        for head, dev in dev_sets.items():
            pred = tagger.tag_heads([s[0] for s in dev], normalise=not (normalised or {}).get(head, False),
                                    heads=[head])[head]
            scores[q][head] = entity_f1([s[1] for s in dev], [[t for t, _ in tags] for tags in pred])["micro"]["f1"]
    per_head = {h: {"dev_f1": round(scores[True][h], 4), "float_dev_f1": round(scores[False][h], 4)} for h in dev_sets}
    record = {"scheme": INT8_SCHEME, "dev_f1": round(sum(scores[True].values()) / len(dev_sets), 4),
              "float_dev_f1": round(sum(scores[False].values()) / len(dev_sets), 4), "per_head": per_head,
              "dev_sha256": {h: data_sha256(None, dev) for h, dev in dev_sets.items()},
              "chosen_by_default": all(r["dev_f1"] >= r["float_dev_f1"] - INT8_TOLERANCE for r in per_head.values())}
    meta_path = folder / META_FILE
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    meta["int8"] = record
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return record
