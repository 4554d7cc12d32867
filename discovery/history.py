"""Historical validation: would a model trained on the literature up to year Y have pointed at
the materials that were first tied to an application after Y?

Train on documents dated <= Y, rank the materials mentioned by then that were not yet
co-mentioned with the application, and count how many of the top N were co-mentioned with it
in a later document; the baseline ranks the same pool by how often each was mentioned up to Y.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from discovery.corpus import graph_documents
from discovery.query import application_key, application_uids, load_model, material_word, rank_words
from discovery.train import DiscoveryError, EpochProgress, TrainSettings, train_named
from graph import cypher
from graph.store import GraphStore


@dataclass(frozen=True)
class Validation:
    application: tuple[str, ...]
    year: int
    top: int
    model: str
    documents_up_to: int  # dated <= year: the training corpus
    documents_after: int
    documents_undated: int  # left out on both sides
    pool: int  # materials mentioned up to the year, in the model's vocabulary, not yet co-mentioned
    known_up_to: int  # co-mentioned with the application up to the year
    future: int  # first co-mentioned after the year, and in the pool
    embedding_hits: int
    baseline_hits: int
    random_expected: float  # top * future / pool
    embedding_top: tuple[dict[str, Any], ...]
    baseline_top: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _year_counts(store: GraphStore, year: int) -> tuple[int, int, int]:
    before = after = undated = 0
    for y, n in store.read(cypher.DISCOVERY_DOCUMENT_YEARS).rows:
        if y is None:
            undated += n
        elif y <= year:
            before += n
        else:
            after += n
    return before, after, undated


def validate(store: GraphStore, data_dir: Path, applications: Sequence[str], year: int, *, top: int = 50,
             processing: str = "mat2vec", settings: TrainSettings = TrainSettings(), name: str | None = None,
             workers: int = 1, progress: EpochProgress | None = None) -> Validation:
    """Train a model on documents dated <= `year` (saved as `name`), then score it as above."""
    keys = [application_key(a) for a in applications]
    before, after, undated = _year_counts(store, year)
    if not before or not after:
        raise DiscoveryError(f"historical validation needs dated documents on both sides of {year}: "
                             f"the graph has {before} up to it, {after} after, {undated} undated")
    name = name or f"history-{'-'.join(k.replace(' ', '_') for k in keys)}-{year}"
    train_named(data_dir, name, settings, docs=graph_documents(store, year=year), processing=processing,
                year=year, workers=workers, progress=progress,
                extra={"history": {"applications": keys, "year": year}})
    model = load_model(data_dir, name)

    first = {k: int(y) for k, y, _ in store.read(cypher.DISCOVERY_FIRST_CO_MENTION,
                                                        {"uids": application_uids(applications)}).rows}
    mentions = {k: int(n) for k, n in store.read(cypher.DISCOVERY_MENTION_COUNTS, {"year": year}).rows}
    pool: dict[str, str] = {}
    for key in mentions:
        if first.get(key, year + 1) <= year:
            continue  # already known by the year
        word = material_word(model, key)
        if word is not None:
            pool[key] = word
    future = {k for k in pool if k in first}
    ranked, _ = rank_words(model, pool, applications, {})
    embedding = [c.material for c in ranked[:top]]
    baseline = sorted(pool, key=lambda k: (-mentions[k], k))[:top]

    def show(keys_: list[str]) -> tuple[dict[str, Any], ...]:
        return tuple({"material": k, "mentions": mentions[k], "first_year": first.get(k)} for k in keys_)

    return Validation(
        application=tuple(keys), year=year, top=top, model=name, documents_up_to=before,
        documents_after=after, documents_undated=undated, pool=len(pool),
        known_up_to=sum(1 for y in first.values() if y <= year), future=len(future),
        embedding_hits=sum(k in future for k in embedding), baseline_hits=sum(k in future for k in baseline),
        random_expected=round(min(top, len(pool)) * len(future) / len(pool), 3) if pool else 0.0,
        embedding_top=show(embedding), baseline_top=show(baseline),
    )
