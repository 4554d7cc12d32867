"""The `mattermine` command end to end, on the real local server in a temporary data directory."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mattermine.cli import main
from mattermine.corpora import REPO_ROOT
from tests.conftest import run_cli

DEMO = REPO_ROOT / "corpora" / "demo"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    """A data directory whose local server is stopped when the module's tests are done."""
    path = tmp_path_factory.mktemp("home")
    yield path
    CliRunner().invoke(main, ["graph", "stop", "--data-dir", str(path)])


def run(home: Path, *args: str, ok: bool = True) -> click.testing.Result:
    return run_cli(home, *args, ok=ok)  # type: ignore[return-value]


def counts(home: Path) -> dict[str, int]:
    out = run(home, "query", "MATCH (n) RETURN count(n) AS n", "--format", "json").stdout
    rels = run(home, "query", "MATCH ()-[r]->() RETURN count(r) AS n", "--format", "json").stdout
    return {"nodes": json.loads(out)[0]["n"], "relationships": json.loads(rels)[0]["n"]}


def test_every_command_has_help():
    def walk(cmd: click.Command, path: list[str]) -> None:
        assert cmd.help, f"`{' '.join(path)}` has no help text"
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(main, ["mattermine"])


def test_extract_is_idempotent_and_records_failures(home, tmp_path):
    papers = tmp_path / "papers"
    shutil.copytree(DEMO, papers)
    (papers / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    (papers / "empty.txt").write_bytes(b"")
    failures = tmp_path / "failures.jsonl"

    first = run(home, "extract", str(papers), "--failures", str(failures), "--json", "--workers", "2")
    summary = json.loads(first.stdout)
    n_docs = len([p for p in DEMO.iterdir() if p.suffix in {".txt", ".html", ".pdf"}])
    assert summary["documents"] == n_docs + 2
    assert summary["read"] == n_docs and summary["failed"] == 2
    assert summary["mentions"] > 100 and summary["facts"] > 5
    assert summary["tagger"].startswith("rules (no encoder installed")  # `--ner auto` says what it chose
    records = [json.loads(line) for line in failures.read_text().splitlines()]
    assert {Path(r["path"]).name for r in records} == {"broken.pdf", "empty.txt"}
    assert all(r["stage"] and r["error"] for r in records)
    after_one = counts(home)

    second = json.loads(run(home, "extract", str(papers), "--failures", str(failures), "--json").stdout)
    assert second["skipped"] == n_docs and second["read"] == 0
    assert counts(home) == after_one

    # Forced re-extraction rewrites every document through MERGE: still the same graph.
    run(home, "extract", str(papers), "--force", "--failures", str(failures))
    assert counts(home) == after_one


def test_query_formats_and_params(home):
    run(home, "extract", str(DEMO))
    table = run(home, "query", "MATCH (m:Material {key: $k}) RETURN m.key AS key", "--param", "k=O2Ti").stdout
    assert "| key  |" in table and "| O2Ti |" in table and "1 row" in table
    csv_out = run(home, "query", "MATCH (m:Material {key: $k}) RETURN m.key AS key", "-p", "k=O2Ti",
                  "--format", "csv").stdout
    assert csv_out.splitlines() == ["key", "O2Ti"]
    as_json = run(home, "query", "RETURN $n + 1 AS n, $s AS s", "-p", "n=41", "-p", "s=band gap",
                  "--format", "json").stdout
    assert json.loads(as_json) == [{"n": 42, "s": "band gap"}]


def test_query_refuses_writes_without_flag(home):
    before = counts(home)
    result = run(home, "query", "CREATE (:Material {key: 'not-a-material'})", ok=False)
    assert result.exit_code != 0
    assert "refused" in result.output and "--write" in result.output
    assert counts(home) == before
    written = run(home, "query", "CREATE (:Scratch {key: 'tmp'})", "--write")
    assert "1 nodes created" in written.stderr
    run(home, "query", "MATCH (n:Scratch) DELETE n", "--write")
    assert counts(home) == before


def test_bad_param_is_a_clear_error(home):
    result = run(home, "query", "RETURN 1", "--param", "no-equals-sign", ok=False)
    assert result.exit_code == 2 and "name=value" in result.output


def test_graph_status_stats_and_export(home, tmp_path):
    status = json.loads(run(home, "graph", "status", "--json").stdout)
    assert status["running"] and status["aof_enabled"] and status["socket"].endswith(".sock")
    stats = run(home, "graph", "stats", "--format", "json").stdout
    labels = {row["name"] for row in json.loads(stats)}
    assert {"Document", "Sentence", "Material", "Property", "Element", "Measurement"} <= labels
    out = run(home, "graph", "export", str(tmp_path / "csv")).stdout
    assert "import.sh" in out and (tmp_path / "csv" / "nodes_Document.csv").exists()


def test_credentials_are_never_printed(home):
    secret = "s3cr3t-Pa55word"
    result = CliRunner().invoke(main, ["query", "RETURN 1", "--uri", "bolt://127.0.0.1:9",
                                       "--user", "neo4j", "--password", secret])
    assert result.exit_code != 0
    assert secret not in result.output
    assert "unreachable" in result.output or "refused" in result.output


def test_graph_stop_and_start(tmp_path):
    home = tmp_path / "h"
    assert "started" in run(home, "graph", "start").stdout
    assert "already running" in run(home, "graph", "start").stdout
    assert "stopped" in run(home, "graph", "stop").stdout
    result = run(home, "graph", "status", ok=False)
    assert result.exit_code == 3 and "running: False" in result.stdout


def test_credentials_in_the_uri_are_never_printed():
    from graph.neo4j_store import redact

    assert redact("bolt://neo4j:hunter2@db.example:7687/x") == "bolt://db.example:7687/x"
    result = CliRunner().invoke(main, ["query", "RETURN 1", "--uri", "bolt://neo4j:hunter2@127.0.0.1:9"])
    assert result.exit_code != 0 and "hunter2" not in result.output
