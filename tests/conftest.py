"""Shared test fixtures. Corpus-backed tests skip when the data is absent, and fail under CI=true."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from mattermine.corpora import CorpusMissing, corpus_path

# A data directory of the tests' own: models a developer installed (`nlp build-default`) must not
# change what `--ner auto` and `--linker auto` choose in a test. A test that wants a model builds it.
os.environ["MATTERMINE_HOME"] = tempfile.mkdtemp(prefix="mattermine-tests-")


def need_corpus(*parts: str) -> Path:
    """Path into the public corpora; skip the test (fail under CI=true) when they are missing."""
    try:
        return corpus_path(*parts)
    except CorpusMissing as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


# -- graph stores ----------------------------------------------------------------------------
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from graph.connect import GraphConfig, open_store  # noqa: E402
from graph.local_server import LocalServer  # noqa: E402


@pytest.fixture(scope="session")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """One real local FalkorDB server for the session (never a mock), stopped at the end."""
    server = LocalServer(tmp_path_factory.mktemp("mm") / "graph")
    server.start()
    yield server
    server.stop()


def _store_params() -> list[str]:
    return ["falkordb", "neo4j"]


@pytest.fixture(params=_store_params())
def store(request: pytest.FixtureRequest, local_server: LocalServer) -> Iterator[object]:
    """An empty graph on each store: the local server always; Neo4j where NEO4J_URI is set.

    The Neo4j run deletes everything in the database it is pointed at: use a throwaway one."""
    if request.param == "neo4j":
        if not os.environ.get("NEO4J_URI"):
            pytest.skip("Neo4j store tests need NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) "
                        "pointing at a throwaway Neo4j 5 database")
        config = GraphConfig.from_env()
        st, _ = open_store(config)
    else:
        from graph.falkordb_store import FalkorDBStore

        st = FalkorDBStore(str(local_server.socket_path), f"test-{uuid.uuid4().hex[:12]}")
    st.delete_graph()
    st.ensure_schema()
    yield st
    st.delete_graph()
    st.close()


def run_cli(home: Path, *args: str, ok: bool = True) -> object:
    """`mattermine ARGS` on the local server in data directory `home` (Neo4j unset); with `ok`,
    asserts it succeeded. Returns click's Result."""
    from click.testing import CliRunner

    from mattermine.cli import main

    result = CliRunner().invoke(main, [*args], env={"MATTERMINE_HOME": str(home), "NEO4J_URI": ""},
                                catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result
