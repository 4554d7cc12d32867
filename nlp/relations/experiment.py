"""Whether a sentence reports a measurement of the paper itself, as opposed to a cited, compared or
general value: a word and word-pair logistic regression trained on the sentence labels of SOFC-Exp
train (the annotators marked each sentence that describes an experiment).

Its probability is one feature of the fact scorers. SOFC-Exp frames exist only in marked sentences,
so without it a correctly linked value quoted from the literature counts against precision; with
it, a fact's confidence also says how likely the value is the paper's own measurement.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.relations.scorer import one_thread


@dataclass
class SentenceClassifier:
    vectorizer: Any  # a fitted sklearn TfidfVectorizer
    model: Any  # a fitted sklearn LogisticRegression

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        with one_thread():
            return [float(p) for p in self.model.predict_proba(self.vectorizer.transform(list(texts)))[:, 1]]


def fit_sentence_classifier(texts: Sequence[str], labels: Sequence[int]) -> SentenceClassifier:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
    with one_thread():
        x = vectorizer.fit_transform(list(texts))
        model = LogisticRegression(C=3.0, max_iter=2000, class_weight="balanced").fit(x, list(labels))
    return SentenceClassifier(vectorizer, model)


def sofc_sentences(root: Path, names: Sequence[str]) -> tuple[list[str], list[int]]:
    """Every sentence of the named SOFC-Exp documents and whether it is marked as an experiment."""
    from nlp.evaluation.sofc import read_document

    texts, labels = [], []
    for name in names:
        gold = read_document(root, name)
        for sid, text in sorted(gold.sentences.items()):
            texts.append(text)
            labels.append(int(sid in gold.experiment))
    return texts, labels
