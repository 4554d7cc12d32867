"""Ask a trained model: nearest words, analogies, and graph materials ranked by their similarity
to an application ("thermoelectric"), flagging those the corpus already ties to it; the new
candidates are written back as (:Material)-[:PREDICTED_FOR {score, model, rank}]->(:Application).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from discovery.process import normalized_formula, processor
from discovery.train import INFO_FILE, MODEL_FILE, PHRASES_FILE, DiscoveryError, ModelNotFound, model_dir
from graph import cypher
from graph.schema import entity_uid
from graph.store import GraphStore, WriteStats, chunks


class UnknownWord(DiscoveryError):
    pass


@dataclass
class TrainedModel:
    """Word vectors with the processing and phrases they were trained with."""

    name: str
    wv: Any  # gensim KeyedVectors
    info: dict[str, Any]
    phrases: Any | None  # gensim FrozenPhrases, or None when trained without phrases

    @property
    def processing(self) -> str:
        return str(self.info.get("processing", "unknown"))

    def tokens(self, text: str) -> list[str]:
        """`text` as the model's training corpus would have it: processed, phrases joined."""
        toks = processor(self.processing)(text) if self.processing != "unknown" else text.split()
        return list(self.phrases[toks]) if self.phrases is not None and toks else toks

    def term(self, text: str) -> str | None:
        """The vocabulary entry for what a user typed ("TiO2" -> "O2Ti", "solar cell" ->
        "solar_cell"), or None when the model has no single entry for it."""
        if text in self.wv.key_to_index:
            return text
        toks = self.tokens(text)
        joined = "_".join(toks)
        return joined if toks and joined in self.wv.key_to_index else None

    def terms(self, text: str) -> list[str]:
        """The entry for `text`, else those of its words that the vocabulary holds."""
        whole = self.term(text)
        if whole is not None:
            return [whole]
        return [t for t in self.tokens(text) if t in self.wv.key_to_index]

    def count(self, word: str) -> int:
        return int(self.wv.get_vecattr(word, "count"))


def load_model(data_dir: Path, name: str) -> TrainedModel:
    """A model saved by discovery.train under <data_dir>/models/word2vec/<name>/."""
    from gensim.models import Word2Vec
    from gensim.models.phrases import FrozenPhrases

    path = model_dir(data_dir, name)
    if not (path / MODEL_FILE).exists():
        raise ModelNotFound(f"no model {name!r} in {path.parent}: train one with "
                            f"`mattermine discover train --name {name}`")
    info = json.loads((path / INFO_FILE).read_text(encoding="utf-8"))
    wv = Word2Vec.load(str(path / MODEL_FILE), mmap="r").wv
    phrases = FrozenPhrases.load(str(path / PHRASES_FILE)) if (path / PHRASES_FILE).exists() else None
    return TrainedModel(name, wv, info, phrases)


def _query_terms(model: TrainedModel, words: Sequence[str]) -> list[str]:
    found: list[str] = []
    for w in words:
        got = model.terms(w)
        if not got:
            raise UnknownWord(f"{w!r} is not in the vocabulary of model {model.name!r} "
                              f"({len(model.wv)} words)")
        found.extend(got)
    return found


def nearest(model: TrainedModel, words: Sequence[str], *, top: int = 10) -> list[tuple[str, float]]:
    """The `top` words closest (cosine) to the mean of `words`."""
    terms = _query_terms(model, words)
    return [(w, float(s)) for w, s in model.wv.most_similar(positive=terms, topn=top)]


def analogy(model: TrainedModel, a: str, b: str, c: str, *, top: int = 5) -> list[tuple[str, float]]:
    """`a` is to `b` as `c` is to ...: vector b - a + c, the query words left out."""
    ta, tb, tc = (_query_terms(model, [w])[0] for w in (a, b, c))
    return [(w, float(s)) for w, s in model.wv.most_similar(positive=[tb, tc], negative=[ta], topn=top)]


def application_key(text: str) -> str:
    """The graph key of an application as a user writes it ("Solar cells" -> "solar cell")."""
    from nlp.lexicon import entries, normalize_key

    for etype, phrase, key in entries():
        if etype == "APL" and phrase.lower() == text.strip().lower():
            return key
    return normalize_key(text)


def application_uids(applications: Sequence[str]) -> list[str]:
    """Entity uids an application may sit under: taggers following MatScholar's scheme label
    "thermoelectric" a property and "solar cell" an application."""
    from nlp.keys import property_key
    from nlp.lexicon import normalize_key

    uids: list[str] = []
    for text in applications:
        uids += [entity_uid("Application", application_key(text)), entity_uid("Property", property_key(text)),
                 entity_uid("Descriptor", normalize_key(text))]
    return list(dict.fromkeys(uids))


def target_vector(model: TrainedModel, applications: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Mean of the unit vectors of the application words, and the vocabulary entries used."""
    terms = _query_terms(model, applications)
    vecs = np.stack([model.wv.get_vector(t, norm=True) for t in terms])
    mean = vecs.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0), terms


def similarities(model: TrainedModel, words: Sequence[str], target: np.ndarray) -> np.ndarray:
    """Cosine similarity of each word (all in the vocabulary) to the unit vector `target`."""
    if not words:
        return np.zeros(0, dtype=np.float32)
    idx = [model.wv.key_to_index[w] for w in words]
    vecs = np.asarray(model.wv.get_normed_vectors()[idx])
    return np.asarray(vecs @ target, dtype=np.float64)


def material_word(model: TrainedModel, key: str, aliases: Iterable[str] = ()) -> str | None:
    """The vocabulary entry standing for a graph material: its formula token, else the most
    frequent of its written forms that the model knows."""
    mat2vec = model.processing == "mat2vec"
    options: list[str | None] = []
    for text in (key, *aliases):
        formula = normalized_formula(text)
        if formula is not None:  # taken as it is, so that the element "In" never becomes "in"
            options.append(formula if mat2vec else text)
        else:  # a name ("magnetite", "carbon nanotube") goes through the model's processing
            options.append(model.term(text))
    known = [w for w in dict.fromkeys(options) if w is not None and w in model.wv.key_to_index]
    return max(known, key=model.count) if known else None


def graph_materials(store: GraphStore, *, page: int = 5000) -> Iterator[tuple[str, list[str]]]:
    """(key, aliases) of every Material node, read in id-ordered pages."""
    after = -1
    while True:
        rows = store.read(cypher.DISCOVERY_MATERIALS, {"after": after, "limit": page}).rows
        if not rows:
            return
        after = rows[-1][0]
        for _, key, aliases in rows:
            yield key, list(aliases or [])


@dataclass(frozen=True)
class Candidate:
    rank: int  # 1-based, over every ranked material
    material: str  # graph key
    word: str  # the model's vocabulary entry for it
    score: float  # cosine similarity to the application
    known: bool  # already co-mentioned with the application in the corpus
    documents: int  # documents co-mentioning it with the application

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Ranking:
    model: str
    applications: tuple[str, ...]  # graph keys
    terms: tuple[str, ...]  # vocabulary entries whose mean is the target
    materials: int  # Material nodes in the graph
    in_vocabulary: int  # of those, how many the model has a vector for
    candidates: tuple[Candidate, ...]

    def new(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.known]

    def summary(self) -> dict[str, Any]:
        return {"model": self.model, "applications": list(self.applications), "terms": list(self.terms),
                "materials": self.materials, "in_vocabulary": self.in_vocabulary,
                "known": sum(c.known for c in self.candidates)}


def rank_words(model: TrainedModel, words: dict[str, str], applications: Sequence[str],
               known: dict[str, int]) -> tuple[list[Candidate], list[str]]:
    """Rank `words` (material key -> vocabulary entry) by similarity to the applications."""
    target, terms = target_vector(model, applications)
    keys = sorted(words)
    scores = similarities(model, [words[k] for k in keys], target)
    order = sorted(range(len(keys)), key=lambda i: (-scores[i], keys[i]))
    ranked = [Candidate(r + 1, keys[i], words[keys[i]], round(float(scores[i]), 6), keys[i] in known,
                        known.get(keys[i], 0)) for r, i in enumerate(order)]
    return ranked, terms


def rank_materials(model: TrainedModel, store: GraphStore, applications: Sequence[str]) -> Ranking:
    """Every graph material the model knows, by cosine similarity to the application words."""
    keys = tuple(dict.fromkeys(application_key(a) for a in applications))
    words: dict[str, str] = {}
    total = 0
    for key, aliases in graph_materials(store):
        total += 1
        word = material_word(model, key, aliases)
        if word is not None:
            words[key] = word
    known = {k: int(n) for k, n in store.read(cypher.DISCOVERY_KNOWN, {"uids": application_uids(applications)}).rows}
    ranked, terms = rank_words(model, words, applications, known)
    return Ranking(model.name, keys, tuple(terms), total, len(words), tuple(ranked))


def write_predictions(store: GraphStore, ranking: Ranking, *, top: int = 50, chunk_rows: int = 1000) -> WriteStats:
    """The top `top` new candidates as PREDICTED_FOR edges, rank 1..top among the new ones.

    One edge per (material, application, model): a re-run updates scores and ranks in place
    and removes this model's edges to materials that left the top."""
    rows = [{"material": c.material, "score": c.score, "rank": r}
            for r, c in enumerate(ranking.new()[:top], start=1)]
    keep = [row["material"] for row in rows]
    total = WriteStats()
    for app in ranking.applications:
        params: dict[str, Any] = {"model": ranking.model, "application": app}
        total.add(store.run(cypher.DELETE_STALE_PREDICTIONS, {**params, "keep": keep}).stats)
        for part in chunks(rows, chunk_rows) if rows else [[]]:
            stats = store.run(cypher.WRITE_PREDICTIONS,
                              {**params, "uid": entity_uid("Application", app), "rows": list(part)}).stats
            stats.rows, stats.statements = len(part), 1
            total.add(stats)
    return total
