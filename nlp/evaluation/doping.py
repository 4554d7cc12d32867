"""Dopant-host pairs scored against the NERRE doping annotations (Dunn et al. 2022, doping-train.json).

Scoring rule: every annotated sentence of every abstract is tagged on its own (no context from
its neighbours) and its predicted pairs are compared with the gold pairs `dopants2basemats`
of that sentence, as sets. Both sides are normalised before comparing:

* dopant: the element symbol when the text names one element ("trivalent erbium", "Er3+",
  "Erx", "Eu(III)" -> Er, Er, Er, Eu), else the text lower-cased;
* host: the element set of the formula the text is or holds as a word (so "SrLa(1-x)MgTaO6"
  and "SrLaMgTaO6" agree, and the gold "SnO2 nanowire" is the host SnO2), else the text
  lower-cased with a plural "s" dropped.

precision = matched predicted pairs / predicted pairs; recall = matched gold pairs / gold
pairs; sentences the annotators marked irrelevant count too (predictions there are false).

With a linker (nlp.relations), each abstract's sentences, still tagged one by one, are given to it
together, as the pipeline gives it a document; pairs are still scored sentence by sentence. The
learned linker is scored by cross-validation (nlp.relations.nerre), since it trains on this file.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from nlp.doping import dopant_key, sentence_dopings
from nlp.evaluation import prf
from nlp.formula import elements, looks_like_formula, parse_formula
from nlp.records import Sentence
from nlp.registry import Tagger
from nlp.relations.linker import Linker

_ADJECTIVES = re.compile(r"^(?:(?:trivalent|divalent|tetravalent|monovalent|pentavalent|small|trace)\s+)+", re.I)


def norm_dopant(text: str) -> str:
    text = _ADJECTIVES.sub("", text.strip())
    text = re.sub(r"\s+(?:ions?|atoms?|cations?)$", "", text, flags=re.I)
    return dopant_key(text) or text.lower()


def norm_host(text: str) -> str:
    text = text.strip()
    for word in [text, *text.split()]:
        f = parse_formula(word.split(":")[0])
        if f is not None and (len(f.counts) > 1 or looks_like_formula(word)):
            return "formula:" + "".join(elements(f))
    low = text.lower()
    return low[:-1] if low.endswith("s") and len(low) > 3 else low


def gold_pairs(sentence: dict) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    out = set()
    for d, hosts in sentence.get("dopants2basemats", {}).items():
        dopant = sentence["dopants"].get(d)
        for b in hosts:
            host = sentence["basemats"].get(b)
            if dopant and host:
                out.add((norm_host(host), norm_dopant(dopant)))
    return out


def predicted_pairs(text: str, tagger: Tagger) -> set[tuple[str, str]]:
    mentions = tagger.tag([text])[0]
    s = Sentence(text, 0, len(text), 0, None, tuple(mentions))
    return {(norm_host(d.host.text), norm_dopant(d.dopant.text)) for d in sentence_dopings(0, s)}


def document_pairs(texts: list[str], tagger: Tagger, linker: Linker) -> list[set[tuple[str, str]]]:
    """Normalised pairs per sentence, the abstract's sentences given to the linker together."""
    sentences = [Sentence(t, 0, len(t), 0, None, tuple(m)) for t, m in zip(texts, tagger.tag(texts))]
    out: list[set[tuple[str, str]]] = [set() for _ in texts]
    for d in linker.dopings(sentences):
        out[d.sentence].add((norm_host(d.host.text), norm_dopant(d.dopant.text)))
    return out


def evaluate(path: Path, tagger: Tagger, linker: Linker | None = None) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    tp = fp = fn = sentences = 0
    for doc in data:
        texts = [sent["sentence_text"] for sent in doc["doping_sentences"]]
        preds = (document_pairs(texts, tagger, linker) if linker is not None
                 else [predicted_pairs(t, tagger) for t in texts])
        for sent, pred in zip(doc["doping_sentences"], preds):
            sentences += 1
            gold = gold_pairs(sent)
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
    return {"pairs": prf(tp, fp, fn), "abstracts": len(data), "sentences": sentences}
