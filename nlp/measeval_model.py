"""The learned MeasEval system: three linear models over hand-made token features, plus an optional MiniLM.

1. quantities: BIO tagging of paragraph tokens; the rule spans (nlp.measeval_rules, built on
   nlp.quantities) are among the features, so the model learns where MeasEval's spans differ.
2. modifiers: one yes/no model per modifier (IsRange, IsCount, ...) over the span's words.
3. context: for each quantity, BIO tagging of its sentence with MeasuredEntity (E), MeasuredProperty
   (P) and Qualifier (L) labels; features say where each token lies relative to the quantity and
   what stands between. At most one span of each kind is kept per quantity. When the model has a
   fine-tuned MiniLM context tagger (nlp.measeval_encoder), the two log-probabilities are mixed
   (weight `encoder_weight`, tuned on trial) before decoding.

The unit is read off the span by rule (nlp.measeval_rules.unit_of). Everything is trained on
MeasEval train only; nothing is tuned on eval.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlp.evaluation.measeval import Annotation, MeasEvalParagraph
from nlp.measeval import Measured, to_annotations
from nlp.measeval_heads import mix_columns, snap_spans
from nlp.measeval_linear import LinearModel, fit_linear, spans, viterbi
from nlp.measeval_rules import NUMBER_WORDS, TOKEN, QuantitySpan, mods_of, rule_quantities, unit_of
from nlp.sentences import split_sentences
from nlp.units import match_unit

if TYPE_CHECKING:
    from nlp.measeval_encoder import ContextEncoder
    from nlp.measeval_heads import HeadScores

VERSION = "measeval.linear.v1"
MODS = ("IsApproximate", "IsCount", "IsRange", "IsList", "IsMean", "HasTolerance", "IsMedian")
_CONTEXT_KINDS = {"MeasuredEntity": "E", "MeasuredProperty": "P", "Qualifier": "L"}
_LINKERS = frozenset("of for in at on by with was were is are be been has had have than to from as".split())

Tok = tuple[int, int, str]


def tokens(text: str) -> list[Tok]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def _shape(w: str) -> str:
    s = re.sub(r"[A-Z]+", "A", re.sub(r"[a-z]+", "a", re.sub(r"\d+", "0", w)))
    return s[:6]


def _word_feats(text: str, toks: Sequence[Tok], i: int) -> list[str]:
    """What a token is, with its neighbours; shared by both taggers."""
    s, e, w = toks[i]
    lw = w.lower()
    out = [f"w={lw}", f"sh={_shape(w)}", f"s3={lw[-3:]}", f"p3={lw[:3]}"]
    if lw in NUMBER_WORDS:
        out.append("numword")
    if match_unit(text, s):
        out.append("unit")
    if s > 0 and text[s - 1] == " ":
        out.append("sp<")
    for d in (-2, -1, 1, 2):
        j = i + d
        nb = toks[j][2].lower() if 0 <= j < len(toks) else ("<s>" if j < 0 else "</s>")
        out.append(f"w{d}={nb}")
        if abs(d) == 1:
            out.append(f"sh{d}={_shape(nb)}")
            out.append(f"w{d}|w={nb}|{lw}")
    return out


def _bio(toks: Sequence[Tok], char_spans: Sequence[tuple[int, int]], kind: str, tags: list[str]) -> None:
    """Write B<kind>/I<kind> over the tokens that the character spans cover."""
    for a, b in char_spans:
        inside = [i for i, (s, e, _) in enumerate(toks) if s < b and a < e]
        for n, i in enumerate(inside):
            tags[i] = ("B" if n == 0 else "I") + kind


def _char_span(toks: Sequence[Tok], first: int, last: int) -> tuple[int, int]:
    return toks[first][0], toks[last - 1][1]


# -- quantities ------------------------------------------------------------------------------

def _quantity_rows(text: str, toks: Sequence[Tok]) -> list[list[str]]:
    rule = ["O"] * len(toks)
    _bio(toks, [(q.start, q.end) for q in rule_quantities(text)], "Q", rule)
    rows = []
    for i in range(len(toks)):
        f = _word_feats(text, toks, i)
        f += [f"rule={rule[i]}", f"rule-1={rule[i - 1] if i else '<s>'}",
              f"rule+1={rule[i + 1] if i + 1 < len(toks) else '</s>'}", f"rule|w={rule[i]}|{toks[i][2].lower()}"]
        rows.append(f)
    return rows


def _mod_feats(text: str, toks: Sequence[Tok], first: int, last: int) -> list[str]:
    body = text[toks[first][0]:toks[last - 1][1]]
    out = [f"in={t[2].lower()}" for t in toks[first:last]] + [f"insh={_shape(t[2])}" for t in toks[first:last]]
    out += [f"prev{d}={toks[first - d][2].lower()}" for d in (1, 2, 3) if first - d >= 0]
    out += [f"next{d}={toks[last + d - 1][2].lower()}" for d in (1, 2) if last + d - 1 < len(toks)]
    unit = unit_of(body)
    out += [f"rulemod={m}" for m in mods_of(body, unit)]
    out += ["unit" if unit else "nounit", f"first={toks[first][2].lower()}", f"n={min(last - first, 6)}"]
    return out


_JOINS = frozenset({"and", "or", "to", ",", "×", ":", "near", "of", "in", "at"})


def _tidy(toks: Sequence[Tok], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token spans with a dangling connector joined to the next span ("1000 and" + "2000 ppm", as MeasEval
    marks a list sharing its unit) or, with no span right after it, cut off ("420 ± 30 K near")."""
    out: list[tuple[int, int]] = []
    for a, b in found:
        if out and toks[out[-1][1] - 1][2].lower() in _JOINS and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    tidy = []
    for a, b in out:
        while b - a > 1 and toks[b - 1][2].lower() in _JOINS:
            b -= 1
        tidy.append((a, b))
    return tidy


# -- context (entity, property, qualifier) ---------------------------------------------------

def _bucket(d: int) -> str:
    return str(d) if d <= 3 else "4-5" if d <= 5 else "6-8" if d <= 8 else "9-13" if d <= 13 else "14+"


def _context_rows(text: str, toks: Sequence[Tok], qfirst: int, qlast: int,
                  others: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Features of each token of a sentence, relative to the quantity tokens [qfirst, qlast)."""
    other = [False] * len(toks)
    for a, b in others:
        for i in range(a, b):
            other[i] = True
    qprev = toks[qfirst - 1][2].lower() if qfirst else "<s>"
    qnext = toks[qlast][2].lower() if qlast < len(toks) else "</s>"
    qunit = "unit" if unit_of(text[toks[qfirst][0]:toks[qlast - 1][1]]) else "nounit"
    depth, d = [], 0
    for t in toks:
        d = max(0, d + (t[2] in "([") - (t[2] in ")]")) if t[2] in "()[]" else d
        depth.append(min(d, 1))
    rows = []
    for i in range(len(toks)):
        base = _word_feats(text, toks, i)
        if i < qfirst:
            side, dist, between = "L", qfirst - i, toks[i + 1:qfirst]
        elif i >= qlast:
            side, dist, between = "R", i - qlast + 1, toks[qlast:i]
        else:
            side, dist, between = "Q", 0, []
        lw = toks[i][2].lower()
        f = [x for x in base] + [f"{side}|{x}" for x in base[:4]]
        f += [f"side={side}", f"dist={side}{_bucket(dist)}", f"qprev={qprev}|{side}{_bucket(dist)}",
              f"qnext={qnext}|{side}{_bucket(dist)}", f"qunit={qunit}|{side}", f"qprev|w={qprev}|{lw}",
              f"other={other[i]}|{side}"]
        words = {t[2].lower() for t in between}
        f += [f"btw={side}|{w}" for w in words & _LINKERS]
        if dist <= 4:
            f += [f"near={side}|{w}" for w in words]
            f.append(f"{side}{dist}|{lw}")
        f.append(f"paren={depth[i]}|{side}")
        f += [f"btwp={side}|{p}" for p in words & {",", ";", "(", ")", ":"}]
        n_other = sum(other[j] and not other[j - 1] for j in range(min(i, qfirst) + 1, max(i, qlast))) if between else 0
        f.append(f"btwq={side}{min(n_other, 2)}")
        rows.append(f)
    return rows


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    sents = split_sentences(text) or [(0, len(text))]
    first = next((s for s in sents if s[0] <= start < s[1]), (0, len(text)))
    last = next((s for s in sents if s[0] < end <= s[1]), first)
    return first[0], max(first[1], last[1])


@dataclass
class MeasEvalModel:
    quantity: LinearModel
    mods: dict[str, LinearModel]
    context: LinearModel
    # When Viterbi finds no entity, take the likeliest entity start whose log-probability is at least
    # this; None (the default, best on trial) leaves such a quantity without an entity.
    entity_floor: float | None = None
    encoder: ContextEncoder | None = None  # optional fine-tuned MiniLM (nlp.measeval_encoder), mixed in
    encoder_weight: float = 0.4  # tuned on trial (0.2-0.5 tried; 0.4 and 0.5 within 0.001 overlap)

    def _encoder_order(self) -> list[int]:
        assert self.encoder is not None
        return [self.encoder.labels.index(lab) for lab in self.context.labels]

    # ---- prediction
    def quantities(self, text: str) -> list[QuantitySpan]:
        toks = tokens(text)
        tags = viterbi(self.quantity.log_proba(_quantity_rows(text, toks)), self.quantity.labels)
        out = []
        for a, b in _tidy(toks, [(a, b) for _, a, b in spans(tags)]):
            start, end = _char_span(toks, a, b)
            feats = _mod_feats(text, toks, a, b)
            mods = tuple(m for m, lm in self.mods.items()
                         if lm.log_proba([feats])[0][lm.labels.index("yes")] > np.log(0.5))
            out.append(QuantitySpan(start, end, unit_of(text[start:end]), mods))
        return out

    def link(self, text: str, quantities: Sequence[QuantitySpan], head: HeadScores | None = None,
             head_weight: float = 0.0, snap: bool = False,
             head_floors: dict[str, float] | None = None) -> list[Measured]:
        """Each quantity with the entity, property and qualifier spans found in its sentence.

        With `head` (the multi-head tagger's MeasEval scores, nlp.measeval_heads), its word log-probabilities
        are mixed in with weight `head_weight`, and with `snap` each entity and property takes the
        boundaries of the head span of its kind that it overlaps most."""
        items = []  # (quantity, sentence start, end, words, first, last) for quantities that cover a word
        for q in quantities:
            s0, s1 = _sentence_of(text, q.start, q.end)
            toks = tokens(text[s0:s1])
            inside = [i for i, (a, b, _) in enumerate(toks) if a < q.end - s0 and q.start - s0 < b]
            if inside:
                items.append((q, s0, s1, toks, inside[0], inside[-1] + 1))
        encoded = (self.encoder.log_proba_many([(text[s0:s1], toks, f, la) for _, s0, s1, toks, f, la in items])
                   if self.encoder is not None and items else [])
        found_for: dict[int, Measured] = {}
        head_spans = head.spans() if head is not None else []
        for n, (q, s0, s1, toks, first, last) in enumerate(items):
            others = [(i, i + 1) for o in quantities if o is not q
                      for i, (a, b, _) in enumerate(toks) if a < o.end - s0 and o.start - s0 < b]
            logp = self.context.log_proba(_context_rows(text[s0:s1], toks, first, last, others))
            if encoded:
                logp = (1 - self.encoder_weight) * logp + self.encoder_weight * encoded[n][:, self._encoder_order()]
            if head is not None and head_weight > 0:
                logp = (1 - head_weight) * logp + head_weight * mix_columns(head.on(toks, s0), self.context.labels)
            found = self._best_spans(logp, viterbi(logp, self.context.labels))
            if "E" not in found and self.entity_floor is not None:
                found.update(self._forced_entity(logp))
            for kind, floor in (head_floors or {}).items():
                if kind not in found:
                    found.update(self._forced_from(logp, kind, floor, head_spans, toks, s0))
            span = {k: (s0 + toks[a][0], s0 + toks[b - 1][1]) for k, (a, b) in found.items()}
            if head is not None and snap:
                span = snap_spans(span, head_spans)
            found_for[id(q)] = Measured(q, span.get("E"), span.get("P"), span.get("L"))
        return [found_for.get(id(q), Measured(q)) for q in quantities]

    def _best_spans(self, logp: np.ndarray, tags: list[str]) -> dict[str, tuple[int, int]]:
        best: dict[str, tuple[float, tuple[int, int]]] = {}
        for kind, a, b in spans(tags):
            cols = [self.context.labels.index(("B" if i == a else "I") + kind) for i in range(a, b)]
            conf = float(np.mean([logp[i, c] for i, c in zip(range(a, b), cols)]))
            if kind not in best or conf > best[kind][0]:
                best[kind] = (conf, (a, b))
        return {k: v[1] for k, v in best.items()}

    def _forced_from(self, logp: np.ndarray, kind: str, floor: float, head_spans: Sequence[tuple[str, int, int, float]],
                     toks: Sequence[Tok], s0: int) -> dict[str, tuple[int, int]]:
        """The head span of `kind` in the sentence that the (mixed) context model likes best, when its mean
        log-probability of being that kind is at least `floor`."""
        b_col, i_col = self.context.labels.index("B" + kind), self.context.labels.index("I" + kind)
        best: tuple[float, tuple[int, int]] | None = None
        for k, s, e, _ in head_spans:
            inside = [i for i, (a, b, _) in enumerate(toks) if s - s0 <= a and b <= e - s0]
            if k != kind or not inside:
                continue
            conf = float(np.mean([logp[i, b_col if n == 0 else i_col] for n, i in enumerate(inside)]))
            if conf >= floor and (best is None or conf > best[0]):
                best = (conf, (inside[0], inside[-1] + 1))
        return {kind: best[1]} if best else {}

    def _forced_entity(self, logp: np.ndarray) -> dict[str, tuple[int, int]]:
        b_col, i_col = self.context.labels.index("BE"), self.context.labels.index("IE")
        a = int(logp[:, b_col].argmax())
        if self.entity_floor is None or logp[a, b_col] < self.entity_floor:
            return {}
        b = a + 1
        while b < len(logp) and logp[b, i_col] >= logp[b].max():
            b += 1
        return {"E": (a, b)}

    def predict(self, paragraphs: Sequence[MeasEvalParagraph]) -> list[Annotation]:
        out: list[Annotation] = []
        for p in paragraphs:
            out += to_annotations(p.doc, p.text, self.link(p.text, self.quantities(p.text)))
        return out

    # ---- persistence
    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.quantity.save(path, "quantity")
        self.context.save(path, "context")
        for m, lm in self.mods.items():
            lm.save(path, f"mod-{m}")
        if self.encoder is not None:
            self.encoder.save(path / "encoder")
        (path / "model.json").write_text(json.dumps({"version": VERSION, "mods": list(self.mods),
                                                     "entity_floor": self.entity_floor,
                                                     "encoder": self.encoder is not None,
                                                     "encoder_weight": self.encoder_weight}), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> MeasEvalModel:
        meta_path = path / "model.json"
        if not meta_path.exists():
            raise FileNotFoundError(f"{path}: no MeasEval model here; build one with "
                                    "nlp.measeval.train_measeval(out_dir=...)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("version") != VERSION:
            raise ValueError(f"{path}: model version {meta.get('version')!r}, this code reads {VERSION!r}; rebuild it")
        encoder = None
        if meta.get("encoder"):
            from nlp.measeval_encoder import ContextEncoder
            encoder = ContextEncoder.load(path / "encoder")
        return cls(LinearModel.load(path, "quantity"), {m: LinearModel.load(path, f"mod-{m}") for m in meta["mods"]},
                   LinearModel.load(path, "context"), meta.get("entity_floor"), encoder,
                   meta.get("encoder_weight", 0.4))


def fit(paragraphs: Sequence[MeasEvalParagraph], *, l2: float = 1.0, max_iter: int = 200, encoder_epochs: int = 0,
        threads: int | None = None, log: Callable[[str], None] | None = None) -> MeasEvalModel:
    """Train the three parts on gold paragraphs (MeasEval train); `encoder_epochs` > 0 also fine-tunes MiniLM."""
    q_rows: list[list[str]] = []
    q_tags: list[str] = []
    mod_rows: list[tuple[list[str], tuple[str, ...]]] = []
    c_rows: list[list[str]] = []
    c_tags: list[str] = []
    examples: list[tuple[str, list[Tok], int, int, list[str]]] = []
    for p in paragraphs:
        toks = tokens(p.text)
        gold_q = [a for a in p.annotations if a.type == "Quantity"]
        tags = ["O"] * len(toks)
        _bio(toks, [(a.start, a.end) for a in gold_q], "Q", tags)
        q_rows += _quantity_rows(p.text, toks)
        q_tags += tags
        for q in gold_q:
            inside = [i for i, (s, e, _) in enumerate(toks) if s < q.end and q.start < e]
            mod_rows.append((_mod_feats(p.text, toks, inside[0], inside[-1] + 1), q.mods or ()))
            examples.append(_context_examples(p, q, gold_q, c_rows, c_tags))
    quantity = fit_linear(q_rows, q_tags, l2=l2, max_iter=max_iter)
    mods = {}
    for m in MODS:
        labels = ["yes" if m in ms else "no" for _, ms in mod_rows]
        if len(set(labels)) == 2:
            mods[m] = fit_linear([f for f, _ in mod_rows], labels, l2=l2, max_iter=max_iter)
    context = fit_linear(c_rows, c_tags, l2=l2, max_iter=max_iter)
    encoder = None
    if encoder_epochs > 0:
        from nlp.measeval_encoder import train_encoder
        encoder = train_encoder(examples, epochs=encoder_epochs, threads=threads, log=log)
    return MeasEvalModel(quantity, mods, context, encoder=encoder)


def _context_examples(p: MeasEvalParagraph, q: Annotation, gold_q: Sequence[Annotation], rows: list[list[str]],
                      tags_out: list[str]) -> tuple[str, list[Tok], int, int, list[str]]:
    s0, s1 = _sentence_of(p.text, q.start, q.end)
    toks = tokens(p.text[s0:s1])
    inside = [i for i, (a, b, _) in enumerate(toks) if a < q.end - s0 and q.start - s0 < b]
    others = [(i, i + 1) for o in gold_q if o is not q
              for i, (a, b, _) in enumerate(toks) if a < o.end - s0 and o.start - s0 < b]
    tags = ["O"] * len(toks)
    for a in p.annotations:
        kind = _CONTEXT_KINDS.get(a.type)
        if kind and a.set == q.set and s0 <= a.start and a.end <= s1:
            _bio(toks, [(a.start - s0, a.end - s0)], kind, tags)
    rows += _context_rows(p.text[s0:s1], toks, inside[0], inside[-1] + 1, others)
    tags_out += tags
    return p.text[s0:s1], toks, inside[0], inside[-1] + 1, tags
