"""mat2vec-style processing vs plain whitespace tokenisation for word2vec, same corpus, same
hyperparameters; prints one JSON object.

    python benchmarks/embedding_processing.py [--epochs 15] [--workers 0] [--keep DIR]

Corpus: the materials text of the public corpora (benchmarks/embedding_corpus.py). For each
variant: processing speed, training speed (corpus words x epochs / s), analogy accuracy over the
questions the vocabulary covers and coverage per section (mat2vec-analogies.txt), and the
thermoelectric ranking against computed power factors (mat2vec-thermoelectric-data.json).
The plain variant gets no phrase detection: joining terms is part of the mat2vec processing.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from embedding_corpus import shared_documents  # noqa: E402

from discovery.evaluate import evaluate_analogies, evaluate_thermoelectric  # noqa: E402
from discovery.query import load_model  # noqa: E402
from discovery.train import TrainSettings, train_named  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402


def run_variant(data_dir: Path, processing: str, settings: TrainSettings, workers: int) -> dict[str, Any]:
    settings = replace(settings, phrases=settings.phrases and processing == "mat2vec")
    start = time.perf_counter()
    info = train_named(data_dir, processing, settings, docs=shared_documents(), processing=processing,
                       workers=workers)
    total_s = time.perf_counter() - start
    model = load_model(data_dir, processing)
    analogies = evaluate_analogies(model.wv, corpus_path("embedding-benchmarks", "mat2vec-analogies.txt"))
    thermo = evaluate_thermoelectric(model, corpus_path("embedding-benchmarks", "mat2vec-thermoelectric-data.json"))

    def brief(s: dict[str, Any]) -> dict[str, Any]:
        return {k: s[k] for k in ("questions", "covered", "coverage", "correct", "accuracy")}

    return {
        "processing": processing,
        "phrases": settings.phrases,
        "corpus": {k: info.corpus[k] for k in ("documents", "sentences", "tokens", "sha256")},
        "processing_tokens_per_s": round(info.corpus["tokens"] / max(info.corpus["seconds"], 1e-9), 1),
        "vocabulary": info.vocabulary,
        "phrases_learned": info.phrases_learned,
        "train_seconds": info.train_seconds,
        "words_per_second": info.words_per_second,
        "effective_words_per_second": info.effective_words_per_second,
        "total_seconds": round(total_s, 1),
        "sections": {s["section"]: brief(s) for s in analogies["sections"]},
        "materials": brief(analogies["materials"]),
        "grammar": brief(analogies["grammar"]),
        "overall": brief(analogies["overall"]),
        "thermoelectric": thermo,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = TrainSettings()
    ap.add_argument("--epochs", type=int, default=15, help="default 15: a few CPU minutes per variant")
    ap.add_argument("--alpha", type=float, default=0.025,
                    help="default 0.025 (gensim's); mat2vec's 0.01 suits far larger corpora")
    ap.add_argument("--min-count", type=int, default=d.min_count)
    ap.add_argument("--workers", type=int, default=0, help="0: every core")
    ap.add_argument("--variants", default="mat2vec,plain")
    ap.add_argument("--keep", type=Path, default=None, help="keep corpora and models in this data dir")
    args = ap.parse_args()
    workers = args.workers or os.cpu_count() or 1
    settings = TrainSettings(epochs=args.epochs, alpha=args.alpha, min_count=args.min_count, workers=workers)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.keep or Path(tmp)
        results = {v: run_variant(data_dir, v, settings, workers) for v in args.variants.split(",")}
    print(json.dumps({"settings": asdict(settings), "cpu_count": os.cpu_count(),
                      "load_average": os.getloadavg(), "variants": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
