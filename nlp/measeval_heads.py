"""The multi-head tagger's MeasEval head ("meas": Quantity, MeasuredEntity, MeasuredProperty spans) as evidence
for the learned MeasEval system (nlp.measeval_model).

The head tags spans without knowing which quantity they belong to; the linear context model knows the
quantity but draws poor span boundaries. So, per quantity, the head's word log-probabilities are mixed
into the linear model's (weight `weight`) before decoding, and each decoded entity or property is then
snapped to the head span it overlaps; a quantity still without a property may take the head's property
span that the mixed scores favour (`floors`). The head runs once per paragraph (`head_scores`); everything
after that is NumPy, so the combination can be tested on hand-made scores.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.evaluation.measeval import Annotation, MeasEvalParagraph
from nlp.measeval import Measured, to_annotations
from nlp.measeval_rules import QuantitySpan
from nlp.measeval_linear import spans, viterbi

if TYPE_CHECKING:
    from nlp.measeval_model import MeasEvalModel

HEAD = "meas"
LABELS = ("O", "BE", "IE", "BP", "IP", "BQ", "IQ")  # the head's labels, short as the linear model names them
_SHORT = {"MeasuredEntity": "E", "MeasuredProperty": "P", "Quantity": "Q"}
Span = tuple[int, int]


@dataclass(frozen=True)
class HeadScores:
    """The head's view of one paragraph: its words (paragraph character offsets) and, per word, the
    log-probability of each of LABELS."""

    words: tuple[Span, ...]
    logp: np.ndarray  # (words, len(LABELS))

    def spans(self) -> list[tuple[str, int, int, float]]:
        """(kind, start, end, mean probability) of the head's best BIO path; kind is E, P or Q."""
        out = []
        for kind, a, b in spans(viterbi(self.logp, LABELS)):
            cols = [LABELS.index(("B" if i == a else "I") + kind) for i in range(a, b)]
            conf = float(np.mean([np.exp(self.logp[i, c]) for i, c in zip(range(a, b), cols)]))
            out.append((kind, self.words[a][0], self.words[b - 1][1], conf))
        return out

    def on(self, toks: Sequence[tuple[int, int, str]], offset: int = 0) -> np.ndarray:
        """The head's log-probabilities moved onto other tokens (offsets + `offset` into the paragraph):
        each token takes the head word it starts in; a token inside a word the previous token also lies
        in is I- of that word's kind. Tokens in no word get O."""
        out = np.full((len(toks), len(LABELS)), -20.0)
        out[:, 0] = 0.0
        starts = np.array([a for a, _ in self.words]) if self.words else np.zeros(0, dtype=int)
        prev = -1
        for t, (s, e, _) in enumerate(toks):
            k = int(np.searchsorted(starts, s + offset, side="right")) - 1
            if k < 0 or self.words[k][1] <= s + offset:
                prev = -1
                continue
            row = self.logp[k].copy()
            if k == prev:  # a later piece of the same head word: its B mass moves to I
                for kind in "EPQ":
                    b, i = LABELS.index("B" + kind), LABELS.index("I" + kind)
                    row[i] = np.logaddexp(row[i], row[b])
                    row[b] = -20.0
            out[t] = row
            prev = k
        return out


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=1, keepdims=True)
    return np.asarray(x - np.log(np.exp(x).sum(axis=1, keepdims=True)))


def head_scores(tagger: Any, texts: Sequence[str]) -> list[HeadScores]:
    """Run the head of a multi-head TransformerTagger (nlp.transformer.engine) over paragraphs, cut into
    sentences (nlp.sentences) and words (nlp.tokenizer) as it was trained."""
    from nlp.sentences import split_sentences
    from nlp.tokenizer import tokenize

    cuts: list[tuple[int, list[Span]]] = []  # (paragraph index, word offsets) per sentence
    words: list[list[str]] = []
    for n, text in enumerate(texts):
        for a, b in split_sentences(text) or [(0, len(text))]:
            toks = [t for t in tokenize(text[a:b]) if t[0].strip()]
            if toks:
                cuts.append((n, [(a + s, a + e) for _, s, e in toks]))
                words.append([t[0] for t in toks])
    labels, logits = tagger.head_logits(words, HEAD) if words else ([], [])
    order = [LABELS.index(_label(lab)) for lab in labels]
    per: list[tuple[list[Span], list[np.ndarray]]] = [([], []) for _ in texts]
    for (n, offsets), lg in zip(cuts, logits):
        lp = np.full((len(offsets), len(LABELS)), -20.0)
        lp[:, order] = _log_softmax(np.asarray(lg, dtype=np.float64))
        per[n][0].extend(offsets)
        per[n][1].append(lp)
    return [HeadScores(tuple(w), np.concatenate(lp) if lp else np.zeros((0, len(LABELS)))) for w, lp in per]


def mix_columns(head_logp: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Head log-probabilities (columns LABELS) as columns of the linear context model's `labels`: E and P
    as they are; O, and the qualifier labels the head does not have, get the head's mass for "no
    entity or property here" (O or quantity)."""
    other = np.logaddexp.reduce(head_logp[:, [LABELS.index(k) for k in ("O", "BQ", "IQ")]], axis=1)
    cols = [head_logp[:, LABELS.index(lab)] if lab in LABELS and lab[-1] in "EP" else other for lab in labels]
    return np.stack(cols, axis=1) if cols else np.zeros((len(head_logp), 0))


def snap_spans(found: dict[str, Span], head_spans: Sequence[tuple[str, int, int, float]]) -> dict[str, Span]:
    """Each entity (E) and property (P) span replaced by the head span of its kind that it overlaps most."""
    out = dict(found)
    for kind, (a, b) in found.items():
        best = max(((min(b, e) - max(a, s), (s, e)) for k, s, e, _ in head_spans if k == kind and s < b and a < e),
                   default=None)
        if best is not None:
            out[kind] = best[1]
    return out


def _label(head_label: str) -> str:
    """"B-MeasuredEntity" -> "BE", "O" -> "O"."""
    if head_label == "O":
        return "O"
    bio, _, kind = head_label.partition("-")
    return bio + _SHORT[kind]


@dataclass
class HeadedModel:
    """A learned MeasEval model (nlp.measeval_model) whose entity and property choices also weigh the meas
    head. The defaults were chosen on trial (see docs/measeval/): head weight 0.1-0.25 and a property
    floor of -3 to -1.5 all gained 0.004-0.014 overlap over the linear model alone; 0.2 and -2 were best."""

    model: MeasEvalModel
    weight: float = 0.2  # share of the head in the mixed log-probabilities
    snap: bool = True  # move a chosen span's boundaries onto the head span it overlaps
    # a quantity left without a property takes the head's property span that the mixed model scores at
    # least this (mean log-probability); entities forced this way lost on trial, so none by default
    floors: dict[str, float] = field(default_factory=lambda: {"P": -2.0})

    def link(self, text: str, quantities: Sequence[QuantitySpan], head: HeadScores) -> list[Measured]:
        return self.model.link(text, quantities, head=head, head_weight=self.weight, snap=self.snap,
                               head_floors=self.floors)

    def predict(self, paragraphs: Sequence[MeasEvalParagraph], heads: Sequence[HeadScores]) -> list[Annotation]:
        """Annotations of each paragraph, given the head's scores of each (head_scores)."""
        if len(heads) != len(paragraphs):
            raise ValueError(f"{len(paragraphs)} paragraphs but head scores for {len(heads)}")
        out: list[Annotation] = []
        for p, h in zip(paragraphs, heads):
            out += to_annotations(p.doc, p.text, self.link(p.text, self.model.quantities(p.text), h))
        return out
