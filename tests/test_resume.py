"""Resumable jobs on a real local server: `kill -9` at random points, a server that goes away
mid-job, and a batch cut off between statements all end in the same graph as one clean run."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.batch import build_batch
from graph.connect import GraphConfig, open_store
from graph.falkordb_store import FalkorDBStore
from graph.local_server import LocalServer
from mattermine.extract import ExtractOptions, run_extract
from mattermine.graphcheck import GraphDigest, digest
from mattermine.readers import read_one
from nlp import registry
from nlp.pipeline import annotate

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "demo"
COPIES = 12


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus plus copies of its texts with a distinct last line: enough documents for
    a job to be interrupted mid-way, and entity pairs shared across many documents, so a
    co-mention counted twice would show."""
    folder = tmp_path_factory.mktemp("inputs")
    texts = sorted(DEMO.glob("*.txt"))
    (folder / "demo").mkdir()
    for text in texts:
        (folder / "demo" / text.name).write_bytes(text.read_bytes())
    for i in range(COPIES):
        src = texts[i % len(texts)]
        (folder / f"copy-{i:03d}.txt").write_bytes(src.read_bytes() + f"\nSample {i}.\n".encode())
    return folder


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    yield home
    LocalServer(home / "graph").stop()


def _paths(inputs: Path) -> list[Path]:
    return [inputs / "demo", *sorted(inputs.glob("copy-*.txt"))]


def _store(home: Path, graph: str) -> FalkorDBStore:
    store, _ = open_store(GraphConfig.from_env(data_dir=home, neo4j_uri="", graph=graph))
    assert isinstance(store, FalkorDBStore)
    return store


@pytest.fixture(scope="module")
def reference(home: Path, inputs: Path) -> GraphDigest:
    """One uninterrupted run, in this process, with the default batch size."""
    store = _store(home, "reference")
    try:
        summary = run_extract(_paths(inputs), store, ExtractOptions(workers=2), home / "ref-failures.jsonl")
        assert summary.read == summary.documents == len(list(DEMO.glob("*.txt"))) + COPIES
        return digest(store)
    finally:
        store.close()


def _complete(store: FalkorDBStore) -> int:
    return int(store.read("MATCH (d:Document) WHERE d.complete = true RETURN count(d)").rows[0][0])


def _start(home: Path, graph: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "MATTERMINE_HOME": str(home), "MATTERMINE_GRAPH": graph, "NEO4J_URI": ""}
    return subprocess.Popen([sys.executable, "-m", "mattermine.cli", "extract", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(store: FalkorDBStore, at_least: int, proc: subprocess.Popen[str]) -> int:
    while proc.poll() is None:
        try:
            n = _complete(store)
        except Exception:  # noqa: BLE001 - the graph may not exist yet
            n = 0
        if n >= at_least:
            return n
        time.sleep(0.02)
    raise AssertionError(f"job ended before {at_least} documents were complete: {proc.communicate()}")


def _finish(proc: subprocess.Popen[str], timeout: float = 240) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def test_kill_9_at_random_points_then_resume_gives_the_clean_graph(home, inputs, reference):
    rng = random.Random(8)
    total = reference.labels["Document"]
    for trial in range(2):
        graph, job = f"killed-{trial}", f"kill-job-{trial}"
        store = _store(home, graph)
        try:
            proc = _start(home, graph, *map(str, _paths(inputs)), "--job", job, "--batch-docs", "3",
                          "--workers", "1")
            _wait_for(store, rng.randint(2, total // 2), proc)
            time.sleep(rng.random() * 0.5)  # land anywhere: mid-read, mid-batch, between statements
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            before = _complete(store)
            assert 0 < before < total
            manifest = json.loads((home / "jobs" / job / "manifest.json").read_text())
            assert manifest["state"] == "running"  # killed: the manifest never heard the end
            inputs_listed = (home / "jobs" / job / "inputs.jsonl").read_text().splitlines()
            assert len(inputs_listed) == total
            code, out, err = _finish(_start(home, graph, "--resume", job, "--json"))
            assert code == 0, err
            summary = json.loads(out)
            assert summary["skipped"] == before and summary["read"] == total - before
            assert digest(store).differences(reference) == {}
            assert json.loads((home / "jobs" / job / "manifest.json").read_text())["state"] == "complete"
        finally:
            store.close()


def test_server_stopped_mid_job_the_job_waits_and_finishes(home, inputs, reference):
    store = _store(home, "server-loss")
    server = LocalServer(home / "graph")
    try:
        proc = _start(home, "server-loss", *map(str, _paths(inputs)), "--job", "loss", "--batch-docs", "3",
                      "--workers", "1", "--wait-server", "120")
        _wait_for(store, 6, proc)
        assert server.stop()
        time.sleep(2)
        server.start()
        code, out, err = _finish(proc)
        assert code == 0, err
        assert "graph server unreachable, retrying" in err
        store.close()
        store = _store(home, "server-loss")
        assert digest(store).differences(reference) == {}
    finally:
        server.start()
        store.close()


def test_server_gone_too_long_stops_cleanly_and_resumes(home, inputs, reference):
    store = _store(home, "server-gone")
    server = LocalServer(home / "graph")
    try:
        proc = _start(home, "server-gone", *map(str, _paths(inputs)), "--job", "gone", "--batch-docs", "3",
                      "--workers", "1", "--wait-server", "2")
        _wait_for(store, 6, proc)
        assert server.stop()
        code, _, err = _finish(proc)
        server.start()
        assert code != 0
        assert "--resume gone" in err and "Traceback" not in err
        assert json.loads((Path(home) / "jobs" / "gone" / "manifest.json").read_text())["state"] == "stopped"
        code, _, err = _finish(_start(home, "server-gone", "--resume", "gone"))
        assert code == 0, err
        store.close()
        store = _store(home, "server-gone")
        assert digest(store).differences(reference) == {}
    finally:
        server.start()
        store.close()


def test_batch_cut_between_statements_converges(home, inputs, reference):
    """What a writer that died between two statements of a batch leaves behind (nodes and edges
    of documents not yet complete) is absorbed by the next run without counting anything twice."""
    store = _store(home, "cut")
    try:
        tagger = registry.create_from_spec("ner.rules.v1")
        docs = [read_one(str(p)) for p in sorted(inputs.glob("copy-00*.txt"))]
        pairs = list(zip(docs, annotate(docs, tagger)))  # type: ignore[arg-type]
        batch = build_batch(pairs)
        store.ensure_schema()
        statements = list(batch.statements())
        for query, rows in statements[: len(statements) // 2 + 1]:
            store.run(query, {"rows": list(rows)})
        assert _complete(store) == 0 and store.read("MATCH (d:Document) RETURN count(d)").rows[0][0] > 0
        run_extract(_paths(inputs), store, ExtractOptions(workers=1, doc_timeout=None), home / "cut.jsonl")
        assert digest(store).differences(reference) == {}
    finally:
        store.close()


def test_resume_without_id_takes_the_latest_unfinished_job(home, inputs, tmp_path):
    from mattermine.jobs import Job

    jobs = tmp_path / "jobs"
    done = Job.open(jobs, "done", ["a"], {})
    done.start_run("local")
    done.end_run("complete")
    time.sleep(1.1)  # run start times have one-second resolution
    left = Job.open(jobs, "left", ["b"], {})
    left.start_run("local")
    assert Job.latest_unfinished(jobs) == "left"


def test_job_ids_and_resume_errors_are_clear(tmp_path, inputs):
    from tests.conftest import run_cli

    home = tmp_path / "h"
    result = run_cli(home, "extract", "--resume", ok=False)
    assert result.exit_code == 1 and "no unfinished job to resume" in result.output
    result = run_cli(home, "extract", str(inputs / "copy-000.txt"), "--job", "../escape", ok=False)
    assert result.exit_code == 1 and "job id" in result.output and not (tmp_path / "escape").exists()
    try:
        run_cli(home, "extract", str(inputs / "copy-000.txt"), "--job", "one")
        result = run_cli(home, "extract", str(inputs / "copy-001.txt"), "--job", "one", ok=False)
        assert result.exit_code == 1 and "--resume one" in result.output
        lines = (home / "jobs" / "one" / "inputs.jsonl").read_text().splitlines()
        assert [json.loads(line)["path"] for line in lines] == [str(inputs / "copy-000.txt")]
    finally:
        LocalServer(home / "graph").stop()


def test_job_records_are_private_and_hold_no_credentials(tmp_path):
    import stat

    from mattermine.jobs import Job

    secret = "hunter2-s3cret"
    config = GraphConfig.from_env(data_dir=tmp_path / "home", neo4j_uri=f"bolt://neo4j:{secret}@db:7687",
                                  neo4j_password=secret)
    options = ExtractOptions(graph=config)
    assert secret not in repr(config) and secret not in repr(options)
    job = Job.open(config.data_dir / "jobs", "private", ["papers"], options.settings())
    job.start_run("local")
    for path in (config.data_dir, config.data_dir / "jobs", job.folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert secret not in (job.folder / "manifest.json").read_text()
