"""Continued masked-language-model pretraining of a base checkpoint on materials text (domain-
adaptive pretraining), before fine-tuning it as a tagger with `train(base=...)`.

Text is read as the tagger will see it: split into sentences and words by mattermine's own
segmenter and tokenizer, and normalised by the scheme of the tagging data (MatScholar: <nUm>,
canonical formulas). Whole words are masked (15%, of which 80% [MASK], 10% a random sub-word,
10% unchanged), and the vocabulary projection runs on masked positions only, so it costs little
beside the encoder. Sentences that share an 8-word run with an `exclude` file (a dev set) are
dropped, so text that will be scored never enters pretraining."""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from nlp.transformer.data import normalise_word, read_iob, word_pieces
from nlp.transformer.models import default_base

log = logging.getLogger(__name__)
PRETRAIN_FILE = "pretrain.json"  # beside the weights: base, text hashes, sentences, loss per epoch
NGRAM = 8


def text_sentences(path: Path) -> Iterator[list[str]]:
    """Words of each sentence of a plain-text file (a line may hold several sentences)."""
    from nlp.sentences import split_sentences
    from nlp.tokenizer import tokenize

    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = " ".join(line.split())
            for s, e in split_sentences(line):
                words = [t for t, _, _ in tokenize(line[s:e]) if t.strip()]
                if words:
                    yield words


def _grams(words: Sequence[str]) -> set[tuple[str, ...]]:
    low = [w.lower() for w in words]
    if len(low) < NGRAM:
        return {tuple(low)}
    return {tuple(low[i:i + NGRAM]) for i in range(len(low) - NGRAM + 1)}


def gather(texts: Iterable[Path], conll: Iterable[Path], exclude: Iterable[Path], scheme: str) -> tuple[list[list[str]], dict[str, Any]]:
    """Normalised sentences from text and CoNLL files (tags ignored), less those overlapping `exclude`,
    and a record of what was read."""
    banned: set[tuple[str, ...]] = set()
    for path in exclude:
        for words, _ in read_iob(path):
            banned |= _grams([normalise_word(w, scheme) for w in words])
    sources: list[tuple[Path, Iterator[list[str]]]] = [(p, text_sentences(p)) for p in texts]
    sources += [(p, (w for w, _ in read_iob(p))) for p in conll]
    out: list[list[str]] = []
    record: dict[str, Any] = {"files": [], "excluded_sentences": 0}
    seen: set[tuple[str, ...]] = set()
    for path, sentences in sources:
        kept = 0
        for words in sentences:
            norm = [normalise_word(w, scheme) for w in words]
            key = tuple(norm)
            if key in seen:
                continue
            seen.add(key)
            if banned and not banned.isdisjoint(_grams(norm)):
                record["excluded_sentences"] += 1
                continue
            out.append(norm)
            kept += 1
        record["files"].append({"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                "sentences": kept})
    return out, record


def _mask(ids: list[list[int]], vocab: int, mask_id: int, special: set[int], rng: random.Random,
          rate: float) -> tuple[list[int], list[int]]:
    """Whole-word masking of one sentence (sub-word ids per word): the flat input ids and a label per
    position (-100 where nothing is predicted). At least one word is masked."""
    chosen = {i for i in range(len(ids)) if rng.random() < rate} or {rng.randrange(len(ids))}
    flat: list[int] = []
    labels: list[int] = []
    for i, word in enumerate(ids):
        if i not in chosen:
            flat.extend(word)
            labels.extend([-100] * len(word))
            continue
        roll = rng.random()
        for tid in word:
            if roll < 0.8:
                flat.append(mask_id)
            elif roll < 0.9:
                flat.append(rng.randrange(vocab))
                while flat[-1] in special:
                    flat[-1] = rng.randrange(vocab)
            else:
                flat.append(tid)
            labels.append(tid)
    return flat, labels


def _head(model: Any) -> Any:
    """The masked-LM prediction head (BERT's `cls`, RoBERTa's `lm_head`)."""
    for name in ("cls", "lm_head", "vocab_projector"):
        if hasattr(model, name):
            return getattr(model, name)
    raise ValueError(f"{type(model).__name__}: no masked-LM head found (expected cls or lm_head)")


def pretrain(sentences: Sequence[Sequence[str]], out_dir: str | Path, base: str | None = None, epochs: int = 3,
             lr: float = 1e-4, batch_size: int = 64, max_pieces: int = 126, mask_rate: float = 0.15,
             warmup: float = 0.06, seed: int = 0, threads: int | None = None,
             record: dict[str, Any] | None = None, model_overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Continue masked-LM training of `base` on normalised word sentences; save model and tokenizer
    (loadable as `train(base=out_dir)`) and return the metadata written beside them."""
    import torch
    from transformers import AutoConfig, AutoModelForMaskedLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from nlp.transformer.train import _schedule, length_batches, step

    hf_logging.disable_progress_bar()
    if not sentences:
        raise ValueError("no text to pretrain on")
    rng = random.Random(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads or len(os.sched_getaffinity(0)))
    base = base or default_base()
    tokenizer = AutoTokenizer.from_pretrained(base)
    if model_overrides:
        model = AutoModelForMaskedLM.from_config(AutoConfig.from_pretrained(base, **model_overrides))
    else:
        model = AutoModelForMaskedLM.from_pretrained(base)  # a missing head starts fresh, tied to the embeddings
    head = _head(model)
    encoder = model.base_model
    pieces = [p for p in word_pieces(tokenizer, sentences) if p]
    # long sentences: whole words up to max_pieces sub-words; the rest is dropped (it is pretraining)
    clipped = []
    for per in pieces:
        size, keep = 0, []
        for word in per:
            if size + len(word) > max_pieces:
                break
            keep.append(word)
            size += len(word)
        if keep:
            clipped.append(keep)
    special = set(tokenizer.all_special_ids)
    vocab = len(tokenizer)
    steps = epochs * math.ceil(len(clipped) / batch_size)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: _schedule(s, steps, warmup, "linear"))
    history: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    pad = tokenizer.pad_token_id or 0
    model.train()
    for epoch in range(epochs):
        batches = length_batches(list(range(len(clipped))), lambda i: sum(map(len, clipped[i])), batch_size, rng.shuffle)
        total = 0.0
        for b in batches:
            rows = [_mask(clipped[i], vocab, tokenizer.mask_token_id, special, rng, mask_rate) for i in b]
            width = max(len(f) for f, _ in rows) + 2
            ids = torch.full((len(rows), width), pad, dtype=torch.long)
            labels = torch.full((len(rows), width), -100, dtype=torch.long)
            attn = torch.zeros((len(rows), width), dtype=torch.long)
            for r, (flat, lab) in enumerate(rows):
                ids[r, : len(flat) + 2] = torch.tensor([tokenizer.cls_token_id, *flat, tokenizer.sep_token_id])
                labels[r, 1 : len(lab) + 1] = torch.tensor(lab)
                attn[r, : len(flat) + 2] = 1
            hidden = encoder(input_ids=ids, attention_mask=attn)[0]
            where = labels != -100
            total += step(torch.nn.functional.cross_entropy(head(hidden[where]), labels[where]), model, opt, sched)
        row = {"epoch": epoch + 1, "mlm_loss": round(total / max(1, len(batches)), 4), "seconds": round(time.perf_counter() - t0, 1)}
        log.info("pretrain %s", row)
        history.append(row)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    meta = {"base": base, "sentences": len(clipped), "sub_words": sum(len(p) for per in clipped for p in per),
            "epochs": epochs, "lr": lr, "batch_size": batch_size, "mask_rate": mask_rate, "seed": seed,
            "text": record or {}, "history": history, "train_seconds": round(time.perf_counter() - t0, 1)}
    (out / PRETRAIN_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    return meta
