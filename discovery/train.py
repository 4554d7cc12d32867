"""Train a skip-gram word2vec model (gensim) on a processed corpus file, with phrase detection,
and save it with a JSON sidecar: settings, corpus hash, vocabulary size, training speed.

Models live in <data-dir>/models/word2vec/<name>/: word2vec.model (gensim), phrases.pkl (the
learned phrases, to apply the same joins to query words) and model.json.
"""
from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from discovery.corpus import CorpusInfo, SourceDocument, corpus_info, write_corpus
from discovery.process import NUMBER

MODEL_FILE = "word2vec.model"
PHRASES_FILE = "phrases.pkl"
INFO_FILE = "model.json"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class DiscoveryError(Exception):
    """A discovery step cannot go on; the message says what to do."""


class ModelNotFound(DiscoveryError):
    pass


@dataclass(frozen=True)
class TrainSettings:
    """Skip-gram with negative sampling; defaults follow the mat2vec paper's choices."""

    vector_size: int = 200
    window: int = 8
    negative: int = 15
    min_count: int = 5
    sample: float = 1e-4
    alpha: float = 0.01
    min_alpha: float = 0.0001
    epochs: int = 30
    phrases: bool = True  # learn word pairs that behave as one term ("current_density")
    phrase_min_count: int = 10
    phrase_threshold: float = 15.0
    workers: int = 0  # 0: every core
    seed: int = 1

    def resolved_workers(self) -> int:
        return self.workers or os.cpu_count() or 1

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainSettings:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str
    processing: str
    settings: dict[str, Any]
    corpus: dict[str, Any]
    vocabulary: int
    corpus_words: int
    phrases_learned: int
    train_seconds: float
    words_per_second: float  # corpus words x epochs / training time
    effective_words_per_second: float  # after down-sampling of frequent words, as gensim counts
    workers: int
    created: str
    gensim: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


EpochProgress = Callable[[int, int, float], None]  # (epochs done, epochs, seconds so far)


def models_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "models" / "word2vec"


def model_dir(data_dir: Path, name: str) -> Path:
    if not _NAME.match(name):
        raise DiscoveryError(f"model name {name!r}: use letters, digits, '.', '_' or '-' (at most 100)")
    return models_dir(data_dir) / name


def _connectors() -> frozenset[str]:
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS

    # A number never starts or ends a phrase: "<nUm>_K" would hide the unit.
    return frozenset(ENGLISH_CONNECTOR_WORDS) | {NUMBER}


def _lines(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            toks = line.split()
            if toks:
                yield toks


def learn_phrases(corpus: Path, out: Path, settings: TrainSettings) -> tuple[Any, int]:
    """Learn phrases over `corpus` (streamed) and write the joined corpus to `out`."""
    from gensim.models.phrases import Phrases

    model = Phrases(_lines(corpus), min_count=settings.phrase_min_count, threshold=settings.phrase_threshold,
                    connector_words=_connectors()).freeze()
    with out.open("w", encoding="utf-8") as fh:
        for toks in _lines(corpus):
            fh.write(" ".join(model[toks]) + "\n")
    return model, len(model.phrasegrams)


def _progress_callback(progress: EpochProgress, epochs: int) -> Any:
    from gensim.models.callbacks import CallbackAny2Vec

    class _Epochs(CallbackAny2Vec):  # type: ignore[misc]
        def __init__(self) -> None:
            self.done = 0
            self.start = time.monotonic()

        def on_epoch_end(self, model: Any) -> None:
            self.done += 1
            progress(self.done, epochs, time.monotonic() - self.start)

    return _Epochs()


def train(corpus: Path, out_dir: Path, settings: TrainSettings = TrainSettings(), *,
          progress: EpochProgress | None = None, extra: dict[str, Any] | None = None) -> ModelInfo:
    """Train on `corpus` (one processed sentence per line) and save the model into `out_dir`."""
    import gensim
    from gensim.models import Word2Vec

    info: CorpusInfo = corpus_info(corpus)
    if info.tokens == 0:
        raise DiscoveryError(f"{corpus} holds no tokens: nothing to train on (is the graph empty?)")
    out_dir.mkdir(parents=True, exist_ok=True)
    source, phrases, n_phrases = corpus, None, 0
    if settings.phrases:
        source = out_dir / "corpus.phrased.txt"
        phrases, n_phrases = learn_phrases(corpus, source, settings)
    workers = settings.resolved_workers()
    model = Word2Vec(sg=1, hs=0, negative=settings.negative, vector_size=settings.vector_size,
                     window=settings.window, min_count=settings.min_count, sample=settings.sample,
                     alpha=settings.alpha, min_alpha=settings.min_alpha, epochs=settings.epochs,
                     workers=workers, seed=settings.seed)
    try:
        model.build_vocab(corpus_file=str(source))
        if not len(model.wv):
            raise DiscoveryError(f"no word occurs {settings.min_count} times in {corpus}: "
                                 "lower --min-count or train on a larger corpus")
        callbacks = [_progress_callback(progress, settings.epochs)] if progress else []
        start = time.monotonic()
        trained, _ = model.train(corpus_file=str(source), total_words=model.corpus_total_words,
                                 epochs=settings.epochs, callbacks=callbacks)
        seconds = max(time.monotonic() - start, 1e-9)
    finally:
        if source != corpus:
            source.unlink(missing_ok=True)
    model.save(str(out_dir / MODEL_FILE))
    if phrases is not None:
        phrases.save(str(out_dir / PHRASES_FILE))
    else:
        (out_dir / PHRASES_FILE).unlink(missing_ok=True)
    result = ModelInfo(
        name=out_dir.name, path=str(out_dir), processing=info.processing, settings=asdict(settings),
        corpus=info.to_json(), vocabulary=len(model.wv), corpus_words=int(model.corpus_total_words),
        phrases_learned=n_phrases, train_seconds=round(seconds, 3),
        words_per_second=round(model.corpus_total_words * settings.epochs / seconds, 1),
        effective_words_per_second=round(trained / seconds, 1), workers=workers,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"), gensim=gensim.__version__,
        extra=extra or {},
    )
    (out_dir / INFO_FILE).write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    return result


def train_named(data_dir: Path, name: str, settings: TrainSettings = TrainSettings(), *,
                corpus: Path | None = None, docs: Iterable[SourceDocument] = (), processing: str = "mat2vec",
                year: int | None = None, workers: int = 1, progress: EpochProgress | None = None,
                corpus_progress: Callable[[int, int], None] | None = None,
                extra: dict[str, Any] | None = None) -> ModelInfo:
    """Train model `name` under `data_dir` on a corpus file, or on `docs` processed into
    the model's folder first (corpus.txt, kept with the model for inspection and re-training)."""
    out = model_dir(data_dir, name)
    if corpus is None:
        corpus = out / "corpus.txt"
        write_corpus(docs, corpus, processing, year=year, workers=workers, progress=corpus_progress)
    return train(corpus, out, settings, progress=progress, extra=extra)


def list_models(data_dir: Path) -> list[dict[str, Any]]:
    """The sidecars of every saved model, by name."""
    root = models_dir(data_dir)
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.glob(f"*/{INFO_FILE}")):
        out.append(json.loads(path.read_text(encoding="utf-8")))
    return out
