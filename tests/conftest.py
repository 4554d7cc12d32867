"""Shared test fixtures. Corpus-backed tests skip when the data is absent, and fail under CI=true."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from mattermine.corpora import CorpusMissing, corpus_path


def need_corpus(*parts: str) -> Path:
    """Path into the public corpora; skip the test (fail under CI=true) when they are missing."""
    try:
        return corpus_path(*parts)
    except CorpusMissing as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
