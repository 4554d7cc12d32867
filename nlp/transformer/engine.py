"""The batch inference engine behind `ner.transformer.v1`: windows sorted by length, batches sized
by a token budget, dynamic padding, inference mode; autocast and pinned memory on CUDA; an
out-of-memory batch is halved and retried. Results do not depend on batch size or input order."""
from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlp.conll import spans
from nlp.keys import mention_key
from nlp.records import Mention
from nlp.transformer import MULTI_NAME, NAME, MissingDependency
from nlp.transformer.crf import Decoder
from nlp.transformer.data import Window, normalise_word, owner, windows, word_pieces
from nlp.transformer.heads import Head, read_heads
from nlp.transformer.models import models_dir, read_meta, resolve
from nlp.transformer.onnx import INT8_SCHEME

log = logging.getLogger(__name__)

WordTags = list[tuple[str, float]]  # per word: IOB2 tag, its probability
Prediction = tuple[np.ndarray, np.ndarray]  # per window: logits at word heads [words, labels], label per sub-word
Prepared = tuple[list[str], list[list[tuple[str, int, int]]], list[list[str]], list[Window]]  # texts, tokens, words, windows
DECODERS = ("auto", "crf", "constrained", "argmax")
BACKENDS = ("auto", "torch", "onnx")
CPU_TOKEN_BUDGET = 2048  # sub-words per batch, padding included
CUDA_TOKEN_BUDGET = 32768
INT8_TOLERANCE = 0.002  # dev micro-F1 that int8 may lose and still be chosen automatically


class TransformerTagger:
    """Tags sentences with a token-classification model folder written by `train`."""

    name = NAME

    def __init__(self, model: str, device: str | None = None, token_budget: int | None = None,
                 threads: int | None = None, overlap: int = 32, chunk: int = 4096,
                 data_dir: Path | None = None, decode: str = "auto", quantize: bool | None = None,
                 backend: str = "auto", heads: Sequence[str] | None = None) -> None:
        """decode: "crf" (Viterbi with the model's learned transitions), "constrained" (best IOB2-valid
        path under the logits alone), "argmax" (each word's best label), "auto" (crf when the model
        has one, else argmax). quantize: int8 matrix products on CPU through ONNX Runtime, with one
        scale per token, so results still do not depend on the batch (onnx.quantize_rows). None
        (auto): int8 when the model's own record (`nlp quantize`, run by `nlp train`) shows its
        dev F1 within INT8_TOLERANCE of float; True/False force it.
        backend: "torch", "onnx" (ONNX Runtime on CPU: the model is exported once, beside its
        weights), or "auto" (onnx on CPU when onnxruntime is installed, else torch).
        heads: for a multi-head model (`train_multi`), the heads whose mentions `tag` returns
        (default: all); the primary head's types are given as they are ("MAT"), the others'
        as "<head>:<type>" ("syn:Material"). A single-head model takes no heads."""
        if decode not in DECODERS:
            raise ValueError(f"decode must be one of {', '.join(DECODERS)}, not {decode!r}")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        self.data_dir = data_dir
        self.backend = backend
        self._session: Any = None
        self.folder = resolve(model, data_dir)  # fail now on a bad name; the weights load on first use
        self.meta = read_meta(self.folder)
        self._choose_heads(heads)
        self.normalisation = str(self.meta.get("normalise", "none"))
        self.device_name = device
        self.token_budget = token_budget or 0  # 0: chosen for the device when the model loads
        self.threads = threads
        self.overlap = overlap
        self.chunk = chunk
        self.decode = decode
        self.quantize = quantize
        self.decoder: Decoder | None = None
        self._model: Any = None

    @classmethod
    def from_objects(cls, model: Any, tokenizer: Any, meta: dict[str, Any]) -> TransformerTagger:
        """A tagger over a model already in memory (dev scoring during training)."""
        self = cls.__new__(cls)
        self.folder, self.meta, self.normalisation = Path("."), meta, str(meta.get("normalise", "none"))
        self.device_name, self.token_budget, self.threads, self.overlap, self.chunk = None, 0, None, 32, 4096
        self.decode, self.quantize, self.decoder = "argmax", False, None
        self.backend, self.data_dir, self._session = "torch", None, None
        self._choose_heads(None)
        self._setup(model, tokenizer)
        return self

    def _choose_heads(self, heads: Sequence[str] | None) -> None:
        recorded = [str(h["name"]) for h in self.meta.get("heads") or []]
        if heads is not None and not recorded:
            raise ValueError(f"{self.folder} is a single-head model; heads= is for multi-head models")
        unknown = [h for h in heads or () if h not in recorded]
        if unknown:
            raise ValueError(f"no head {', '.join(unknown)} in {self.folder}; it has {', '.join(recorded)}")
        self.name = MULTI_NAME if recorded else NAME
        self.selected = list(heads) if heads is not None else recorded
        self.primary = str(self.meta.get("primary_head") or (recorded[0] if recorded else ""))
        self.heads: list[Head] | None = None
        self.head_decoders: dict[str, Decoder | None] = {}

    # -- loading -------------------------------------------------------------------------
    def _load(self) -> None:
        if self._model is not None:
            return
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        log.info("loading %s", self.folder)
        self._setup(AutoModelForTokenClassification.from_pretrained(self.folder),
                    AutoTokenizer.from_pretrained(self.folder))

    def _setup(self, model: Any, tokenizer: Any) -> None:
        import torch

        self.tokenizer = tokenizer
        self.device = torch.device(self.device_name or ("cuda" if torch.cuda.is_available() else "cpu"))
        if next(model.parameters()).device != self.device:
            model = model.to(self.device)
        if self.device.type == "cpu":
            # torch's default may count hyper-threads or ignore the affinity mask; use the cores we own
            torch.set_num_threads(self.threads or len(os.sched_getaffinity(0)))
        cfg = model.config
        self.labels = [cfg.id2label[i] for i in range(cfg.num_labels)]
        self.heads = read_heads(self.meta, self.labels)
        for name, labels in ([(h.name, h.labels) for h in self.heads] if self.heads else [(None, self.labels)]):
            decoder = None
            if self.decode in ("auto", "crf"):
                decoder = Decoder.load(self.folder, labels, head=name)
                if decoder is None and self.decode == "crf":
                    raise ValueError(f"{self.folder} has no CRF; use decode='constrained' or 'argmax'")
            elif self.decode == "constrained":
                decoder = Decoder.constrained(labels)
            if name is None:
                self.decoder = decoder
            else:
                self.head_decoders[name] = decoder
        self._model = model.eval()
        if self.quantize is None:
            self.quantize = self.device.type == "cpu" and self.backend != "torch" and int8_matches(self.meta)
        self._session = self._onnx_session() if self.device.type == "cpu" else None
        self.backend = "onnx" if self._session is not None else "torch"
        limit = min(getattr(cfg, "max_position_embeddings", 512), self.tokenizer.model_max_length or 512)
        self.max_pieces = int(self.meta.get("max_pieces") or limit - 2)
        self.max_pieces = min(self.max_pieces, limit - 2)
        if not self.token_budget:
            # CPU: batches that stay in cache; 2,048 sub-words was fastest of 512..8,192 on MatScholar
            # dev (benchmarks/ner_throughput.py). A GPU wants large batches to fill its cores.
            self.token_budget = CUDA_TOKEN_BUDGET if self.device.type == "cuda" else CPU_TOKEN_BUDGET
        self.amp_dtype = None
        if self.device.type == "cuda":
            self.amp_dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16

    # -- word level ----------------------------------------------------------------------
    def tag_words(self, sentences: Sequence[Sequence[str]], normalise: bool = True,
                  head: str | None = None) -> list[WordTags]:
        """IOB2 tag and probability per word of pre-tokenised sentences; of a multi-head model,
        those of `head` (default: its primary head)."""
        self._load()
        if self.heads is None:
            if head is not None:
                raise ValueError(f"{self.folder} is a single-head model; head= is for multi-head models")
            return self._decode_words(*self._prepare_words(sentences, normalise))
        return self.tag_heads(sentences, normalise, heads=[head or self.primary])[head or self.primary]

    def tag_heads(self, sentences: Sequence[Sequence[str]], normalise: bool = True,
                  heads: Sequence[str] | None = None) -> dict[str, list[WordTags]]:
        """Every selected head's IOB2 tags (local names, "B-Material") of pre-tokenised sentences,
        from one encoder pass. A single-head model answers under the head name ""."""
        self._load()
        words, wins = self._prepare_words(sentences, normalise)
        if self.heads is None:
            return {"": self._decode_words(words, wins)}
        return self._decode_heads(self._emissions(words, wins), heads or self.selected)

    def _prepare_words(self, sentences: Sequence[Sequence[str]], normalise: bool) -> tuple[list[list[str]], list[Window]]:
        """Normalised words and their windows of sub-word ids: the CPU work before the model."""
        words = [[normalise_word(w, self.normalisation) if normalise else w for w in s] for s in sentences]
        wins: list[Window] = []
        for i, p in enumerate(word_pieces(self.tokenizer, words)):
            if p:
                wins.extend(windows(i, p, self.max_pieces, self.overlap))
        return words, wins

    def _decode_words(self, words: list[list[str]], wins: list[Window]) -> list[WordTags]:
        return _decode(self._emissions(words, wins), self.labels, self.decoder)

    def _emissions(self, words: list[list[str]], wins: list[Window]) -> list[np.ndarray]:
        """Per sentence, the logits of every label at each word [words, labels]."""
        return [emissions for emissions, _ in self._assemble(words, wins, self._predict(wins))]

    def _decode_heads(self, per_sentence: list[np.ndarray], names: Sequence[str]) -> dict[str, list[WordTags]]:
        """Each head decoded on its own slice of the logits: its own softmax, its own Viterbi."""
        assert self.heads is not None
        unknown = set(names) - {h.name for h in self.heads}
        if unknown:
            raise ValueError(f"no head {', '.join(sorted(unknown))} in {self.folder}; it has "
                             f"{', '.join(h.name for h in self.heads)}")
        out = {}
        for h in self.heads:
            if h.name in names:
                out[h.name] = _decode([e[:, h.start:h.end] for e in per_sentence], h.labels,
                                      self.head_decoders.get(h.name))
        return out

    def head_logits(self, sentences: Sequence[Sequence[str]], head: str, normalise: bool = True
                    ) -> tuple[list[str], list[np.ndarray]]:
        """One head's labels and, per sentence, its logits at each word [words, labels], undecoded:
        for callers that weigh the head's scores against other evidence (nlp.measeval_heads)."""
        self._load()
        found = [h for h in self.heads or () if h.name == head]
        if not found:
            raise ValueError(f"no head {head} in {self.folder}")
        h = found[0]
        return list(h.labels), [e[:, h.start:h.end] for e in self._emissions(*self._prepare_words(sentences, normalise))]

    def piece_labels(self, sentences: Sequence[Sequence[str]]) -> list[list[list[str]]]:
        """The best label of every sub-word of every word, no word-level decoding: what a tool that
        reads sub-words (transformers' pipeline) sees. Used to check the engine against it. Of a
        multi-head model, the best over all heads' labels, which no task means: use tag_heads."""
        self._load()
        words, wins = self._prepare_words(sentences, normalise=False)
        return [per_word for _, per_word in self._assemble(words, wins, self._predict(wins), pieces=True)]

    def _assemble(self, words: list[list[str]], wins: list[Window], preds: list[Prediction],
                  pieces: bool = False) -> Iterator[tuple[np.ndarray, list[list[str]]]]:
        """Per sentence: logits [words, labels], each word taken from the window where it has the
        most context, and with `pieces` the labels of each word's sub-words."""
        by_sentence: dict[int, list[tuple[Window, Prediction]]] = {}
        for w, pr in zip(wins, preds):
            by_sentence.setdefault(w.sentence, []).append((w, pr))
        for i, s in enumerate(words):
            got = by_sentence.get(i, [])
            where = owner([w for w, _ in got], len(s))
            emissions = np.zeros((len(s), len(self.labels)), dtype=np.float32)
            per_word: list[list[str]] = []
            for n, (wi, k) in enumerate(where):
                w, (logits, piece) = got[wi]
                emissions[n] = logits[k]
                if pieces:
                    end = w.heads[k + 1] if k + 1 < len(w.heads) else len(w.ids)
                    per_word.append([self.labels[j] for j in piece[w.heads[k]:end]])
            yield emissions, per_word

    # -- batches -------------------------------------------------------------------------
    def _predict(self, wins: list[Window]) -> list[Prediction]:
        order = sorted(range(len(wins)), key=lambda i: (-len(wins[i].ids), i))
        empty = (np.zeros((0, len(self.labels)), dtype=np.float32), np.zeros(0, dtype=np.int64))
        result: list[Prediction] = [empty for _ in wins]
        for batch in self._batches(order, wins):
            for i, pred in zip(batch, self._run([wins[i] for i in batch])):
                result[i] = pred
        return result

    def _batches(self, order: list[int], wins: list[Window]) -> Iterator[list[int]]:
        batch: list[int] = []
        for i in order:  # longest first, so the first window of a batch sets its padded length
            longest = len(wins[batch[0]].ids) + 2 if batch else len(wins[i].ids) + 2
            if batch and (len(batch) + 1) * longest > self.token_budget:
                yield batch
                batch = []
            batch.append(i)
        if batch:
            yield batch

    def _run(self, batch: list[Window]) -> list[Prediction]:
        import torch

        try:
            return self._forward(batch)
        except torch.OutOfMemoryError:
            if len(batch) == 1:
                raise
            torch.cuda.empty_cache()
            self.token_budget = max(1, self.token_budget // 2)
            log.warning("out of memory on %d windows; halving the batch (token budget now %d)",
                        len(batch), self.token_budget)
            half = len(batch) // 2
            return self._run(batch[:half]) + self._run(batch[half:])

    def _forward(self, batch: list[Window]) -> list[Prediction]:
        tok = self.tokenizer
        cls = tok.cls_token_id if tok.cls_token_id is not None else tok.bos_token_id
        sep = tok.sep_token_id if tok.sep_token_id is not None else tok.eos_token_id
        width = max(len(w.ids) for w in batch) + 2
        ids = np.full((len(batch), width), tok.pad_token_id or 0, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for r, w in enumerate(batch):
            ids[r, : len(w.ids) + 2] = (cls, *w.ids, sep)
            mask[r, : len(w.ids) + 2] = 1
        if self._session is not None:
            logits = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        else:
            logits = self._torch_forward(ids, mask)
        label = logits.argmax(-1)
        return [(logits[r, [h + 1 for h in w.heads]], label[r, 1 : len(w.ids) + 1]) for r, w in enumerate(batch)]

    def _torch_forward(self, ids_np: np.ndarray, mask_np: np.ndarray) -> np.ndarray:
        import torch

        ids, mask = torch.from_numpy(ids_np), torch.from_numpy(mask_np)
        if self.device.type == "cuda":
            ids = ids.pin_memory().to(self.device, non_blocking=True)
            mask = mask.pin_memory().to(self.device, non_blocking=True)
        with torch.inference_mode():
            if self.amp_dtype is not None:
                with torch.autocast("cuda", dtype=self.amp_dtype):
                    logits = self._model(input_ids=ids, attention_mask=mask).logits
            else:
                logits = self._model(input_ids=ids, attention_mask=mask).logits
            out: np.ndarray = logits.float().cpu().numpy()
        return out

    def _onnx_session(self) -> Any:
        """An ONNX Runtime session when the backend asks for one and it can be had, else None."""
        from nlp.transformer import onnx

        if self.quantize and self.backend == "torch":
            raise ValueError("quantize runs on ONNX Runtime: use backend 'onnx' or 'auto'")
        if self.backend == "torch" or self.folder == Path("."):
            return None
        if not onnx.available():
            if self.backend == "onnx" or self.quantize:
                raise MissingDependency("backend='onnx' and quantize need onnxruntime and onnx: pip install -e '.[transformer]'")
            return None
        from transformers import AutoModelForTokenClassification

        cache = models_dir(self.data_dir).parent / "onnx-cache" / hashlib.sha256(str(self.folder.resolve()).encode()).hexdigest()[:16]
        path = onnx.exported(self.folder, cache)
        if path is None:
            # a fresh copy: tracing leaves the traced module unusable for eager runs
            path = onnx.export(AutoModelForTokenClassification.from_pretrained(self.folder), self.folder, cache)
        if self.quantize:
            path = onnx.int8(path, self.folder)
        return onnx.session(path, self.threads or len(os.sched_getaffinity(0)))

    # -- text level ----------------------------------------------------------------------
    def tag(self, sentences: Sequence[str], heads: Sequence[str] | None = None) -> list[list[Mention]]:
        """Mentions of each sentence text, offsets into that text as given; of a multi-head model,
        those of `heads` (default: the heads chosen when it was built)."""
        return list(self.tag_stream(sentences, heads))

    def tag_stream(self, sentences: Iterable[str], heads: Sequence[str] | None = None) -> Iterator[list[Mention]]:
        """Like tag, for a stream: sentences are taken `chunk` at a time and sorted within a chunk.
        The next chunk is tokenised on a second thread while the model runs on this one (the fast
        tokenizer and the model both release the GIL), so the device never waits for text."""
        from concurrent.futures import Future, ThreadPoolExecutor

        self._load()
        pending: Future[Prepared] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mm-tokenize") as pool:
            for chunk in _chunks(sentences, self.chunk):
                ready = pending.result() if pending is not None else None
                pending = pool.submit(self._prepare_texts, chunk)
                if ready is not None:
                    yield from self._finish_texts(ready, heads)
            if pending is not None:
                yield from self._finish_texts(pending.result(), heads)

    def _prepare_texts(self, texts: list[str]) -> Prepared:
        from nlp.tokenizer import tokenize

        toks = [[t for t in tokenize(text) if t[0].strip()] for text in texts]
        words, wins = self._prepare_words([[t[0] for t in ts] for ts in toks], normalise=True)
        return texts, toks, words, wins

    def _finish_texts(self, prepared: Prepared, heads: Sequence[str] | None = None) -> list[list[Mention]]:
        texts, toks, words, wins = prepared
        if self.heads is None:
            if heads is not None:
                raise ValueError(f"{self.folder} is a single-head model; heads= is for multi-head models")
            return [self._mentions(text, ts, tg, "") for text, ts, tg in zip(texts, toks, self._decode_words(words, wins))]
        by_head = self._decode_heads(self._emissions(words, wins), self.selected if heads is None else heads)
        out = []
        for i, (text, ts) in enumerate(zip(texts, toks)):
            ms = [m for head, tags in by_head.items()
                  for m in self._mentions(text, ts, tags[i], "" if head == self.primary else head + ":")]
            out.append(sorted(ms, key=lambda m: (m.start, m.end, m.type)))
        return out

    def _mentions(self, text: str, ts: list[tuple[str, int, int]], tg: WordTags, prefix: str) -> list[Mention]:
        ms = []
        for s, e, etype in sorted(spans([t for t, _ in tg])):
            start, end = ts[s][1], ts[e - 1][2]
            surface = text[start:end]
            conf = sum(p for _, p in tg[s:e]) / (e - s)
            ms.append(Mention(prefix + etype, surface, start, end, mention_key(etype, surface), self.name, round(conf, 4)))
        return ms


def int8_matches(meta: dict[str, Any]) -> bool:
    """Whether a model folder's metadata records an int8 dev F1 within INT8_TOLERANCE of its float
    one (for a multi-head model: of every head's)."""
    record = meta.get("int8") or {}
    if record.get("scheme") != INT8_SCHEME or record.get("dev_f1") is None or record.get("float_dev_f1") is None:
        return False
    per_head = record.get("per_head") or {}
    if any(float(r["dev_f1"]) < float(r["float_dev_f1"]) - INT8_TOLERANCE for r in per_head.values()):
        return False
    return float(record["dev_f1"]) >= float(record["float_dev_f1"]) - INT8_TOLERANCE


def _decode(per_sentence: list[np.ndarray], labels: Sequence[str], decoder: Decoder | None) -> list[WordTags]:
    """IOB2 label and its probability per word, by Viterbi when there is a decoder, else argmax."""
    if not per_sentence:
        return []
    flat = np.concatenate(per_sentence)  # every word of every sentence: one softmax, one argmax
    prob = np.exp(flat - flat.max(1, keepdims=True))
    prob /= prob.sum(1, keepdims=True)
    if decoder is not None:
        best = np.concatenate([np.asarray(p, dtype=np.int64) for p in decoder.decode_many(per_sentence)])
    else:
        best = flat.argmax(1)
    chosen = prob[np.arange(len(flat)), best].tolist()
    names = [labels[b] for b in best.tolist()]
    out: list[WordTags] = []
    at = 0
    for e in per_sentence:
        out.append(list(zip(names[at:at + len(e)], chosen[at:at + len(e)])))
        at += len(e)
    return out


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    buf: list[str] = []
    for item in items:
        buf.append(item)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf

