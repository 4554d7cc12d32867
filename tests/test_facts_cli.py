"""`mattermine facts` end to end: the demo corpus extracted into a real local server, then listed."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.facts import FACT_COLUMNS
from mattermine.cli import main
from tests.conftest import run_cli
from mattermine.corpora import REPO_ROOT

DEMO = REPO_ROOT / "corpora" / "demo"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("facts-home")
    run(path, "extract", str(DEMO))
    yield path
    CliRunner().invoke(main, ["graph", "stop", "--data-dir", str(path)])


def run(home: Path, *args: str) -> str:
    return run_cli(home, *args).stdout  # type: ignore[attr-defined]


def test_facts_as_csv_with_every_column(home):
    rows = list(csv.DictReader(io.StringIO(run(home, "facts", "--property", "band gap", "--format", "csv"))))
    assert rows and list(rows[0]) == FACT_COLUMNS
    assert {r["property"] for r in rows} == {"band gap"}
    gan = [r for r in rows if r["material_key"] == "GaN" and r["method"] == "facts.table.v1"]
    assert gan and gan[0]["value"] == "3.39" and gan[0]["unit"] == "eV" and gan[0]["si_unit"] == "J"
    assert gan[0]["phase"] == "wurtzite" and gan[0]["sentence"].startswith("Material: GaN")
    assert all(r["path"] and r["sentence"] and float(r["confidence"]) > 0 for r in rows)


def test_facts_for_a_material_written_any_way(home):
    by_name = [json.loads(line) for line in run(home, "facts", "--material", "titania", "--format", "jsonl").splitlines()]
    by_formula = [json.loads(line) for line in run(home, "facts", "--material", "TiO2", "--format", "jsonl").splitlines()]
    assert by_name == by_formula and by_name
    assert {f["material_key"] for f in by_name} == {"O2Ti"}
    assert {f["phase"] for f in by_name if f["property"] == "band gap"} >= {"anatase", "rutile"}


def test_facts_as_a_table_and_an_empty_result(home):
    table = run(home, "facts", "--property", "Tc", "--material", "LaH10")
    assert "| path" in table and "LaH10" in table and "1 row" in table
    assert "0 rows" in run(home, "facts", "--material", "unobtainium")
