"""Learned relation scoring: which material and property each value belongs to, and which host each
dopant is in, with calibrated probabilities. The hand-written rules (nlp.facts, nlp.doping) are
features here and the fallback when no model is installed (`mattermine nlp build-default`).

Nothing is loaded at import: `load_linker` reads a model folder when it is called.
"""
from __future__ import annotations

from nlp.relations.linker import LINKER_DIR, Linker, RulesLinker, load_linker

__all__ = ["LINKER_DIR", "Linker", "RulesLinker", "load_linker"]
