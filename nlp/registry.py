"""Taggers by versioned name, so the transformer tagger of a later issue drops in beside the rules.

A tagger is any object with `name` and `tag(sentences: Sequence[str]) -> list[list[Mention]]`:
it sees a batch of sentence texts (possibly from many documents) and returns the mentions of
each, offsets relative to that sentence. Factories are registered here and built lazily: no
model is loaded at import.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from nlp.records import Mention


class Tagger(Protocol):
    name: str

    def tag(self, sentences: Sequence[str]) -> list[list[Mention]]: ...


class UnknownTagger(KeyError):
    pass


_FACTORIES: dict[str, Callable[..., Tagger]] = {}


def register(name: str) -> Callable[[Callable[..., Tagger]], Callable[..., Tagger]]:
    def deco(factory: Callable[..., Tagger]) -> Callable[..., Tagger]:
        _FACTORIES[name] = factory
        return factory

    return deco


def _load_builtin() -> None:
    # Importing the module runs its @register decorators; kept here so `import nlp` stays cheap.
    import nlp.hybrid  # noqa: F401  (ner.hybrid.v1: rule materials + an encoder's other types)
    import nlp.rules  # noqa: F401
    import nlp.transformer  # noqa: F401  (registers ner.transformer.v1; torch loads only when one is built)


def available() -> list[str]:
    _load_builtin()
    return sorted(_FACTORIES)


def create(name: str, **config: Any) -> Tagger:
    _load_builtin()
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise UnknownTagger(f"unknown tagger {name!r}; available: {', '.join(sorted(_FACTORIES))}") from None
    return factory(**config)


def create_from_spec(spec: str, *, data_dir: Any = None, **config: Any) -> Tagger:
    """A tagger from what a user typed: a registered name, or a trained model's name or folder
    (which means ner.transformer.v1 with that model, looked up under `data_dir`). A multi-head
    model means ner.multihead.v1 with its primary head only (the seven MatScholar types the graph
    knows) unless `heads` is given. `auto` is the installed default encoder beside the rules
    (nlp.hybrid) when there is one, else the rules."""
    _load_builtin()
    if spec == "auto":
        from nlp.hybrid import choose

        chosen = choose(data_dir)
        return create(chosen.spec, data_dir=data_dir, **chosen.config, **config) if chosen.config else create(chosen.spec)
    if spec in _FACTORIES:
        return create(spec, **config)
    from nlp.transformer.models import is_model, read_meta, resolve

    if is_model(spec, data_dir):
        meta = read_meta(resolve(spec, data_dir))
        if meta.get("heads"):
            config.setdefault("heads", [meta.get("primary_head") or meta["heads"][0]["name"]])
            return create("ner.multihead.v1", model=spec, data_dir=data_dir, **config)
        return create("ner.transformer.v1", model=spec, data_dir=data_dir, **config)
    raise UnknownTagger(f"{spec!r} is neither a tagger ({', '.join(sorted(_FACTORIES))}) nor a trained model "
                        "name or folder (`mattermine nlp models` lists them)")
