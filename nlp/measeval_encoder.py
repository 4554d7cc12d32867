"""A fine-tuned MiniLM that tags, for one quantity, its MeasuredEntity (E), MeasuredProperty (P) and Qualifier (L).

The quantity is marked by token type 1 on its sub-words (type 0 elsewhere), so one sentence gives one
example per quantity. Every word's first sub-word carries the word's BIO label; the word-level
log-probabilities are what nlp.measeval_model mixes with its linear context model. The base is the
offline all-MiniLM-L6-v2 (nlp.transformer.models.default_base); torch loads only when this is used.
"""
from __future__ import annotations

import os
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

LABELS = ("O", "BE", "IE", "BP", "IP", "BL", "IL")
MAX_LEN = 160  # sub-words; longer sentences are cut around the quantity

Tok = tuple[int, int, str]
Example = tuple[str, list[Tok], int, int, list[str]]  # sentence, words, quantity words [first, last), labels


class ContextEncoder:
    def __init__(self, model: Any, tokenizer: Any) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.labels = list(LABELS)

    def _encode(self, text: str, toks: Sequence[Tok], qfirst: int, qlast: int) -> tuple[dict[str, Any], list[int]]:
        """Model inputs and, per word, the index of its first sub-word (-1 when cut off)."""
        enc = self.tokenizer(text, return_offsets_mapping=True, truncation=False, add_special_tokens=False)
        offsets = enc["offset_mapping"]
        qs, qe = toks[qfirst][0], toks[qlast - 1][1]
        centre = next((i for i, (a, b) in enumerate(offsets) if b > qs), 0)
        lo = max(0, min(centre - (MAX_LEN - 2) // 2, len(offsets) - (MAX_LEN - 2)))
        hi = min(len(offsets), lo + MAX_LEN - 2)
        ids = [self.tokenizer.cls_token_id] + enc["input_ids"][lo:hi] + [self.tokenizer.sep_token_id]
        types = [0] + [int(a < qe and qs < b) for a, b in offsets[lo:hi]] + [0]
        first = []
        for s, e, _ in toks:
            j = next((i for i in range(lo, hi) if offsets[i][1] > s), None)
            first.append(j - lo + 1 if j is not None and offsets[j][0] < e else -1)
        return {"input_ids": ids, "token_type_ids": types}, first

    def log_proba(self, text: str, toks: Sequence[Tok], qfirst: int, qlast: int) -> np.ndarray:
        """(words, labels) log-probabilities for one quantity; words the model did not see get O."""
        return self.log_proba_many([(text, toks, qfirst, qlast)])[0]

    def log_proba_many(self, items: Sequence[tuple[str, Sequence[Tok], int, int]], batch: int = 32) -> list[np.ndarray]:
        """log_proba for many (sentence, words, first, last) quantities, run in padded batches."""
        import torch
        encoded = [self._encode(*item) for item in items]
        out: list[np.ndarray] = []
        for lo in range(0, len(encoded), batch):
            chunk = encoded[lo:lo + batch]
            width = max(len(inputs["input_ids"]) for inputs, _ in chunk)
            ids = torch.tensor([c["input_ids"] + [0] * (width - len(c["input_ids"])) for c, _ in chunk])
            types = torch.tensor([c["token_type_ids"] + [0] * (width - len(c["token_type_ids"])) for c, _ in chunk])
            mask = torch.tensor([[1] * len(c["input_ids"]) + [0] * (width - len(c["input_ids"])) for c, _ in chunk])
            with torch.inference_mode():
                logits = self.model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
            logp = torch.log_softmax(logits.float(), dim=-1).numpy()
            for (_, first), lp, (_, toks, _, _) in zip(chunk, logp, items[lo:lo + batch]):
                words = np.full((len(toks), len(LABELS)), -20.0)
                words[:, 0] = 0.0
                for w, j in enumerate(first):
                    if j >= 0:
                        words[w] = lp[j]
                out.append(words)
        return out

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(path)
        self.tokenizer.save_pretrained(path)

    @classmethod
    def load(cls, path: Path) -> ContextEncoder:
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        model = AutoModelForTokenClassification.from_pretrained(path)
        model.eval()
        return cls(model, AutoTokenizer.from_pretrained(path))


def train_encoder(examples: Sequence[Example], *, base: str | None = None, epochs: int = 6, lr: float = 1e-4,
                  batch: int = 16, seed: int = 0, threads: int | None = None, log: Any = None) -> ContextEncoder:
    """Fine-tune the base on (sentence, words, quantity, labels) examples; a few minutes on 2 CPU cores."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from nlp.transformer.models import default_base
    torch.manual_seed(seed)
    random.seed(seed)
    torch.set_num_threads(threads or len(os.sched_getaffinity(0)))
    base = base or default_base()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id={k: i for i, k in enumerate(LABELS)})
    enc = ContextEncoder(model, tokenizer)
    data = []
    for text, toks, qf, ql, labels in examples:
        inputs, first = enc._encode(text, toks, qf, ql)
        target = [-100] * len(inputs["input_ids"])
        for j, lab in zip(first, labels):
            if j >= 0:
                target[j] = LABELS.index(lab)
        data.append((inputs["input_ids"], inputs["token_type_ids"], target))
    steps = epochs * ((len(data) + batch - 1) // batch)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10))
                                              * max(0.0, 1 - s / steps))
    model.train()
    t0 = time.time()
    for epoch in range(epochs):
        order = sorted(range(len(data)), key=lambda i: (len(data[i][0]) + random.random() * 8))
        chunks = [order[i:i + batch] for i in range(0, len(order), batch)]
        random.shuffle(chunks)
        total = 0.0
        for chunk in chunks:
            width = max(len(data[i][0]) for i in chunk)
            pad = [(ids + [0] * (width - len(ids)), tt + [0] * (width - len(tt)), tg + [-100] * (width - len(tg)),
                    [1] * len(ids) + [0] * (width - len(ids))) for ids, tt, tg in (data[i] for i in chunk)]
            ids, tt, tg, mask = (torch.tensor([p[k] for p in pad]) for k in range(4))
            loss = model(input_ids=ids, token_type_ids=tt, attention_mask=mask, labels=tg).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item()
        if log:
            log(f"encoder epoch {epoch + 1}/{epochs}: loss {total / len(chunks):.4f}, {time.time() - t0:.0f} s")
    model.eval()
    return enc

