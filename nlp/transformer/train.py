"""Fine-tuning a BERT-family checkpoint on word-level IOB2 data (first sub-word labelled, long
sentences windowed), saved as a folder that describes itself: weights, tokenizer, label names,
training data hash and metrics."""
from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from nlp.conll import Sentence, entity_f1
from nlp.transformer.crf import make_crf, save_crf
from nlp.transformer.data import data_sha256, detect_normalisation, read_iob, windows, word_pieces
from nlp.transformer.models import META_FILE, default_base

log = logging.getLogger(__name__)
IGNORE = -100  # label of sub-words after the first, special tokens and padding


def label_list(sentences: Sequence[Sentence]) -> list[str]:
    """"O" first, then B-/I- of every type seen, I- always beside its B-."""
    types = sorted({t.partition("-")[2] for _, tags in sentences for t in tags if t != "O"})
    return ["O"] + [f"{p}-{t}" for t in types for p in "BI"]


Example = tuple[list[int], list[int], list[int], list[int]]  # ids, piece labels, head positions, word labels


def repair_iob2(tags: Sequence[str]) -> list[str]:
    """A stray I-X (after O or another type, or first) becomes B-X, as the CRF allows no such step."""
    out: list[str] = []
    for tag in tags:
        prefix, _, etype = tag.partition("-")
        if prefix == "I" and (not out or out[-1].partition("-")[2] != etype):
            tag = "B-" + etype
        out.append(tag)
    return out


def _examples(tokenizer: Any, sentences: Sequence[Sentence], label2id: dict[str, int],
              max_pieces: int, overlap: int) -> list[Example]:
    """Every sub-word is labelled: the first with the word's tag, the rest I-X inside an entity and O
    outside, so the encoder alone is a sound token classifier (for tools that read sub-words, such as
    transformers' pipeline); the CRF reads the first sub-word of each word."""
    out = []
    for row, ((_, tags), per) in enumerate(zip(sentences, word_pieces(tokenizer, [s[0] for s in sentences]))):
        for w in windows(row, per, max_pieces, overlap):
            labels = [IGNORE] * len(w.ids)
            word_tags = repair_iob2(tags[w.first:w.last])
            for k, h in enumerate(w.heads):
                labels[h] = label2id[tags[w.first + k]]
                end = w.heads[k + 1] if k + 1 < len(w.heads) else len(w.ids)
                etype = tags[w.first + k].partition("-")[2]
                for c in range(h + 1, end):
                    labels[c] = label2id["I-" + etype] if etype else label2id["O"]
            out.append(([tokenizer.cls_token_id, *w.ids, tokenizer.sep_token_id], [IGNORE, *labels, IGNORE],
                        [h + 1 for h in w.heads], [label2id[t] for t in word_tags]))
    return out


def _collate(batch: list[Example], pad: int) -> dict[str, Any]:
    import torch

    width = max(len(ex[0]) for ex in batch)
    words = max(len(ex[2]) for ex in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    heads = torch.zeros((len(batch), words), dtype=torch.long)
    word_tags = torch.zeros((len(batch), words), dtype=torch.long)
    word_mask = torch.zeros((len(batch), words), dtype=torch.bool)
    for r, (i, lab, hd, wt) in enumerate(batch):
        ids[r, : len(i)] = torch.tensor(i)
        labels[r, : len(lab)] = torch.tensor(lab)
        mask[r, : len(i)] = 1
        heads[r, : len(hd)] = torch.tensor(hd)
        word_tags[r, : len(wt)] = torch.tensor(wt)
        word_mask[r, : len(wt)] = True
    return {"input_ids": ids, "attention_mask": mask, "labels": labels,
            "heads": heads, "word_tags": word_tags, "word_mask": word_mask}


def _loss(model: Any, crf: Any, batch: dict[str, Any]) -> Any:
    """Sub-word cross-entropy, plus the CRF's negative log-likelihood per word when there is a CRF."""
    import torch

    out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=batch["labels"])
    if crf is None:
        return out.loss
    heads = batch["heads"]
    emissions = torch.gather(out.logits, 1, heads.unsqueeze(-1).expand(-1, -1, out.logits.shape[-1]))
    nll = crf.nll(emissions, batch["word_tags"], batch["word_mask"])
    return out.loss + nll / batch["word_mask"].sum()


T = TypeVar("T")


def length_batches(items: list[T], length: Callable[[T], int], batch_size: int,
                   shuffle: Callable[[list[Any]], None]) -> list[list[T]]:
    """Shuffled batches of similar lengths (they pad less): items are shuffled in place, sorted by
    length within pools of 50 batches, cut into batches, and the batches shuffled."""
    shuffle(items)
    pool = 50 * batch_size
    order = [x for i in range(0, len(items), pool) for x in sorted(items[i:i + pool], key=length)]
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    shuffle(batches)
    return batches


def step(loss: Any, model: Any, opt: Any, sched: Any) -> float:
    """One optimiser step on `loss` with gradients clipped to norm 1; returns the loss."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    opt.zero_grad()
    return float(loss.detach())


def _schedule(step: int, total: int, warmup: float, kind: str) -> float:
    """LR multiplier: linear warm-up then linear decay ("linear"), or cosine decay ("one-cycle")."""
    ramp = max(1, int(total * warmup))
    if step < ramp:
        return (step + 1) / ramp
    frac = (step - ramp) / max(1, total - ramp)
    return 1.0 - frac if kind == "linear" else 0.5 * (1 + math.cos(math.pi * frac))


def train(data: str | Path | Sequence[Sentence], out_dir: str | Path, base: str | None = None,
          epochs: int = 4, lr: float = 2e-4, batch_size: int = 32, dev: str | Path | Sequence[Sentence] | None = None,
          schedule: str = "one-cycle", warmup: float = 0.1, weight_decay: float = 0.01,
          max_pieces: int = 254, overlap: int = 32, seed: int = 0, threads: int | None = None,
          model_overrides: dict[str, Any] | None = None, normalise: str | None = None,
          crf: bool = True, crf_lr: float = 5e-3, freeze_embeddings: bool = False) -> dict[str, Any]:
    """Fine-tune `base` (name or path; default: the offline MiniLM) and save it to out_dir.

    model_overrides builds a fresh, randomly initialised model from the base's config with these
    fields changed (a tiny model for tests) instead of loading the base weights. With `crf`, a
    linear-chain CRF over words is trained jointly (its own, higher learning rate: its few scores
    start at zero). `freeze_embeddings` leaves the word-embedding matrix as the base has it (a
    cheaper step on CPU). Returns the metadata written to out_dir/mattermine.json."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads or len(os.sched_getaffinity(0)))
    data_path = None if not isinstance(data, (str, Path)) else Path(data)
    sentences = _sentences(data)
    dev_sents = _sentences(dev) if dev else None
    base = base or default_base()
    labels = label_list(sentences + (dev_sents or []))
    label2id = {lab: i for i, lab in enumerate(labels)}
    id2label = dict(enumerate(labels))
    tokenizer = AutoTokenizer.from_pretrained(base)
    if model_overrides:
        config = AutoConfig.from_pretrained(base, num_labels=len(labels), id2label=id2label,
                                            label2id=label2id, **model_overrides)
        model = AutoModelForTokenClassification.from_config(config)
    else:
        model = AutoModelForTokenClassification.from_pretrained(base, num_labels=len(labels), id2label=id2label,
                                                                label2id=label2id, ignore_mismatched_sizes=True)
    if freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    limit = min(model.config.max_position_embeddings, tokenizer.model_max_length or 512) - 2
    max_pieces = min(max_pieces, limit)
    examples = _examples(tokenizer, sentences, label2id, max_pieces, overlap)
    steps = epochs * math.ceil(len(examples) / batch_size)
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in trained if "bias" not in n and "LayerNorm" not in n]
    rest = [p for n, p in trained if "bias" in n or "LayerNorm" in n]
    groups: list[dict[str, Any]] = [{"params": decay, "weight_decay": weight_decay},
                                    {"params": rest, "weight_decay": 0.0}]
    chain = make_crf(labels) if crf else None
    if chain is not None:
        groups.append({"params": list(chain.parameters()), "weight_decay": 0.0, "lr": crf_lr})
    opt = torch.optim.AdamW(groups, lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: _schedule(s, steps, warmup, schedule))
    out = Path(out_dir)
    norm = normalise or detect_normalisation(sentences)
    history: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        batches = length_batches(examples, lambda e: len(e[0]), batch_size, random.shuffle)
        total = 0.0
        for b in batches:
            total += step(_loss(model, chain, _collate(b, tokenizer.pad_token_id or 0)), model, opt, sched)
        row: dict[str, Any] = {"epoch": epoch + 1, "loss": total / max(1, len(batches)),
                               "seconds": round(time.perf_counter() - t0, 1)}
        if dev_sents:
            model.eval()
            scored = _score(model, tokenizer, norm, max_pieces, dev_sents, chain)
            row["dev_micro_f1"] = scored["micro"]["f1"]
            if chain is not None:
                row["dev_micro_f1_argmax"] = _score(model, tokenizer, norm, max_pieces, dev_sents)["micro"]["f1"]
        log.info("epoch %s", row)
        history.append(row)
    meta = {
        "base": base, "labels": labels, "normalise": norm, "max_pieces": max_pieces,
        "data_sha256": data_sha256(data_path, sentences), "data": str(data_path) if data_path else None,
        "train_sentences": len(sentences), "epochs": epochs, "lr": lr, "batch_size": batch_size,
        "schedule": schedule, "train_seconds": round(time.perf_counter() - t0, 1),
        **({"freeze_embeddings": True, "seed": seed} if freeze_embeddings else {}),
        "decoder": "crf" if chain is not None else "argmax", "crf_lr": crf_lr if chain is not None else None,
        "history": history,
        "metrics": {"dev": _score(model, tokenizer, norm, max_pieces, dev_sents, chain) if dev_sents else None},
    }
    _save(model, tokenizer, out, meta)
    if chain is not None:
        save_crf(chain, out)
    from nlp.transformer import onnx

    if dev_sents and onnx.available():
        meta["int8"] = record_int8(out, dev if isinstance(dev, (str, Path)) else dev_sents)
    return meta


def record_int8(folder: str | Path, dev: str | Path | Sequence[Sentence]) -> dict[str, Any]:
    """Score the model on `dev` in float and in int8 (both on ONNX Runtime, CPU) and record both in
    its metadata: the engine then chooses int8 by itself only where it costs at most
    INT8_TOLERANCE F1 on this model's own dev data."""
    from nlp.transformer.engine import INT8_TOLERANCE
    from nlp.transformer.onnx import INT8_SCHEME

    folder = Path(folder)
    sentences = _sentences(dev)
    scores = {q: evaluate(folder, sentences, device="cpu", backend="onnx", quantize=q)["micro"]["f1"]
              for q in (False, True)}
    record = {"scheme": INT8_SCHEME, "dev_f1": round(scores[True], 4), "float_dev_f1": round(scores[False], 4),
              "dev_sha256": data_sha256(dev if isinstance(dev, (str, Path)) else None, sentences),
              "chosen_by_default": scores[True] >= scores[False] - INT8_TOLERANCE}
    meta_path = folder / META_FILE
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    meta["int8"] = record
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return record


def _sentences(data: str | Path | Sequence[Sentence]) -> list[Sentence]:
    return read_iob(data) if isinstance(data, (str, Path)) else list(data)


def _save(model: Any, tokenizer: Any, out: Path, meta: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / META_FILE).write_text(json.dumps(meta, indent=2) + "\n")


def _score(model: Any, tokenizer: Any, norm: str, max_pieces: int, dev: Sequence[Sentence],
           crf: Any = None) -> dict[str, Any]:
    from nlp.transformer.crf import Decoder
    from nlp.transformer.engine import TransformerTagger

    tagger = TransformerTagger.from_objects(model, tokenizer, {"normalise": norm, "max_pieces": max_pieces})
    if crf is not None:
        tagger.decoder = Decoder.from_module(crf, tagger.labels)
    pred = [[t for t, _ in tags] for tags in tagger.tag_words([s[0] for s in dev], normalise=False)]
    return entity_f1([s[1] for s in dev], pred)


def evaluate(model_path: str | Path, data: str | Path | Sequence[Sentence],
             predictions_out: str | Path | None = None, **engine: Any) -> dict[str, Any]:
    """Entity-level micro and per-type P/R/F1 of a model on IOB2 data; optionally write its tags.
    `engine` goes to TransformerTagger (decode, backend, quantize, token_budget, ...)."""
    from nlp.transformer.engine import TransformerTagger

    sentences = _sentences(data)
    tagger = TransformerTagger(str(model_path), **engine)
    pred = [[t for t, _ in tags] for tags in tagger.tag_words([s[0] for s in sentences], normalise=False)]
    if predictions_out:
        with open(predictions_out, "w", encoding="utf-8") as fh:
            for (words, _), tags in zip(sentences, pred):
                fh.write("".join(f"{w} {t}\n" for w, t in zip(words, tags)) + "\n")
    return entity_f1([s[1] for s in sentences], pred)
