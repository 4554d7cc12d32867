"""Where the public corpora live: `MATTERMINE_CORPORA`, else `../shared/corpora` beside the checkout.

Tests and benchmarks read the data in place through `corpus_path`; nothing is copied into the
repository. See corpora/README.md for how to fetch each corpus from its original source.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

FETCH_HINT = (
    "public corpora not found: set MATTERMINE_CORPORA to a folder holding them "
    "(see corpora/README.md for the original sources), or place them at ../shared/corpora"
)


class CorpusMissing(FileNotFoundError):
    pass


def corpora_root() -> Path:
    env = os.environ.get("MATTERMINE_CORPORA")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "corpora"


def corpus_path(*parts: str) -> Path:
    """Path to a file or folder of the public corpora; raises CorpusMissing with a how-to-fetch hint."""
    path = corpora_root().joinpath(*parts)
    if not path.exists():
        raise CorpusMissing(f"{path}: {FETCH_HINT}")
    return path
