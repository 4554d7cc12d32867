"""The Ray engine against the local engine on the same inputs and a real local server: the same
graph (every node, relationship and count), the same failure records, and a clear message when
Ray is not installed."""
from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.falkordb_store import FalkorDBStore
from graph.local_server import LocalServer
from mattermine.extract import ExtractOptions, run_extract
from mattermine.graphcheck import digest

ray = pytest.importorskip("ray", reason="the Ray engine needs pip install 'mattermine[ray]'")

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "demo"


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Text, HTML and PDF documents from the demo corpus, and two files that must fail."""
    folder = tmp_path_factory.mktemp("ray-inputs")
    for pattern in ("*.txt", "*.html", "*.pdf"):
        for path in sorted(DEMO.glob(pattern))[:5]:
            (folder / path.name).write_bytes(path.read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (folder / "empty.html").write_bytes(b"<html><body></body>")
    return folder


def _store(server: LocalServer) -> FalkorDBStore:
    store = FalkorDBStore(str(server.socket_path), f"ray-{uuid.uuid4().hex[:10]}")
    store.ensure_schema()
    return store


def _failures(path: Path) -> set[tuple[str, str]]:
    return {(r["path"], r["stage"]) for r in map(json.loads, path.read_text().splitlines())} if path.exists() else set()


@pytest.fixture(scope="module")
def local_run(local_server: LocalServer, inputs: Path, tmp_path_factory: pytest.TempPathFactory):
    store = _store(local_server)
    log = tmp_path_factory.mktemp("local") / "failures.jsonl"
    summary = run_extract([inputs], store, ExtractOptions(workers=2), log)
    yield summary, digest(store), _failures(log)
    store.delete_graph()
    store.close()


@pytest.mark.parametrize("layout,workers", [("fused", 2), ("split", 1)])
def test_ray_graph_equals_local_graph(ray_cluster, local_server, inputs, local_run, tmp_path, layout, workers):
    local_summary, local_graph, local_failures = local_run
    store = _store(local_server)
    try:
        options = ExtractOptions(engine="ray", workers=workers, ray_layout=layout, batch_docs=4)
        summary = run_extract([inputs], store, options, tmp_path / "failures.jsonl")
        assert summary.engine == "ray"
        assert (summary.read, summary.failed, summary.facts) == (local_summary.read, local_summary.failed,
                                                                  local_summary.facts)
        assert local_summary.read > 10 and local_summary.failed >= 1
        assert digest(store).differences(local_graph) == {}
        assert _failures(tmp_path / "failures.jsonl") == local_failures
        again = run_extract([inputs], store, options, tmp_path / "again.jsonl")
        assert again.read == 0 and again.skipped == local_summary.read
        assert digest(store).differences(local_graph) == {}
    finally:
        store.delete_graph()
        store.close()


def test_missing_ray_is_a_clear_message(home_dir, monkeypatch, inputs):
    from tests.conftest import run_cli

    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without the extra sees
    result = run_cli(home_dir, "extract", str(inputs / "broken.pdf"), "--engine", "ray", ok=False)
    assert result.exit_code == 1
    assert "pip install 'mattermine[ray]'" in result.output and "Traceback" not in result.output


@pytest.fixture
def home_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "home"
    LocalServer(tmp_path / "home" / "graph").stop()
