"""The transformer tagger: a tiny model trained in seconds on hand-written IOB2 sentences."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from click.testing import CliRunner  # noqa: E402

from mattermine.cli import main  # noqa: E402
from nlp.registry import create, create_from_spec  # noqa: E402
from nlp.transformer.data import normalise_word, owner, read_iob, windows  # noqa: E402
from nlp.transformer.models import default_base, list_models  # noqa: E402
from nlp.transformer.train import train  # noqa: E402

TRAIN = """the O
O2Ti B-MAT
films B-DSC
were O
annealed B-SMT
at O
<nUm> O
K O

BaO3Ti B-MAT
thin B-DSC
films I-DSC
show O
high O
permittivity B-PRO

C 
MPam 1/2  O
OZn B-MAT
nanowires B-DSC
for O
solar B-APL
cells I-APL

"""
TINY = dict(num_hidden_layers=2, hidden_size=32, num_attention_heads=2, intermediate_size=64)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tx")
    data = root / "train.conll"
    data.write_text(TRAIN)
    home = root / "home"
    out = home / "models" / "ner" / "tiny"
    train(data, out, base=default_base(), epochs=30, lr=5e-3, batch_size=2, dev=data, model_overrides=TINY)
    return out


def test_reader_handles_missing_tags_and_spaces(tmp_path: Path) -> None:
    (tmp_path / "t.conll").write_text(TRAIN)
    sents = read_iob(tmp_path / "t.conll")
    assert sents[2][0][:2] == ["C", "MPam 1/2"]
    assert sents[2][1][:2] == ["O", "O"]


def test_normalisation_matches_matscholar() -> None:
    assert [normalise_word(w, "matscholar") for w in ["TiO2", "Films", "XRD", "300", "GPa"]] == \
        ["O2Ti", "films", "XRD", "<nUm>", "GPa"]


def test_long_sentence_is_windowed_not_truncated() -> None:
    pieces = [[i] for i in range(100)]
    wins = windows(0, pieces, max_pieces=20, overlap=5)
    assert wins[0].first == 0 and wins[-1].last == 100
    assert all(b.first < a.last for a, b in zip(wins, wins[1:]))  # they overlap
    assert sorted({wi for wi, _ in owner(wins, 100)}) == list(range(len(wins)))


def test_folder_is_self_describing(model_dir: Path) -> None:
    config = json.loads((model_dir / "config.json").read_text())
    assert set(config["id2label"].values()) >= {"O", "B-MAT", "I-DSC"}
    assert not any(v.startswith("LABEL_") for v in config["id2label"].values())
    meta = json.loads((model_dir / "mattermine.json").read_text())
    assert len(meta["data_sha256"]) == 64 and meta["normalise"] == "matscholar"
    assert meta["metrics"]["dev"]["micro"]["f1"] > 0.8
    assert (model_dir / "tokenizer.json").exists()


def test_tags_original_text_with_offsets(model_dir: Path) -> None:
    tagger = create("ner.transformer.v1", model=str(model_dir))
    text = "The TiO2 Films were Annealed at 300 K."
    ms = tagger.tag([text])[0]
    assert ms, "the tiny model should find something it was trained on"
    for m in ms:
        assert text[m.start:m.end] == m.text and m.method == "ner.transformer.v1"
    mat = [m for m in ms if m.type == "MAT"]
    assert mat and mat[0].text == "TiO2" and mat[0].key == "O2Ti"


def test_same_spans_whatever_batch_and_order(model_dir: Path) -> None:
    texts = ["The TiO2 films were annealed at 300 K.", "BaTiO3 thin films show high permittivity",
             "ZnO nanowires for solar cells " * 40, "films", ""] * 3
    base = create("ner.transformer.v1", model=str(model_dir), token_budget=100_000).tag(texts)
    small = create("ner.transformer.v1", model=str(model_dir), token_budget=64).tag(texts)
    order = list(range(len(texts)))
    random.Random(1).shuffle(order)
    shuffled = create("ner.transformer.v1", model=str(model_dir), token_budget=300).tag([texts[i] for i in order])
    assert small == base
    assert [shuffled[order.index(i)] for i in range(len(texts))] == base
    long_mentions = base[2]
    assert max(m.end for m in long_mentions) > len(texts[2]) * 0.9  # tagged to its end


def test_spec_resolves_model_name(model_dir: Path) -> None:
    home = model_dir.parents[2]
    assert create_from_spec("tiny", data_dir=home).name == "ner.transformer.v1"
    assert create_from_spec("ner.rules.v1").name == "ner.rules.v1"


def test_cli_evaluate_and_models(model_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.conll"
    data.write_text(TRAIN)
    home = model_dir.parents[2]
    preds = tmp_path / "p.conll"
    res = CliRunner().invoke(main, ["nlp", "evaluate", "--model", "tiny", "--data", str(data),
                                    "--predictions-out", str(preds), "--data-dir", str(home)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {"precision", "recall", "f1"} <= set(out["micro"]) and "MAT" in out["per_type"]
    assert len(read_iob(preds)) == 3
    res = CliRunner().invoke(main, ["nlp", "models", "--data-dir", str(home)])
    assert res.exit_code == 0 and res.output.startswith("tiny\t") and "MAT" in res.output
    assert list_models(home)[0]["dev_f1"] is not None


def test_extract_uses_a_trained_model_by_name(model_dir: Path, tmp_path: Path) -> None:
    home = model_dir.parents[2]
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "a.txt").write_text("TiO2 nanowires for solar cells\n\nWe grew TiO2 nanowires for solar cells.\n")
    runner = CliRunner()
    try:
        res = runner.invoke(main, ["extract", str(papers), "--ner", "tiny", "--json", "--workers", "1",
                                   "--data-dir", str(home)], env={"NEO4J_URI": ""})
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["mentions"] > 0
        methods = runner.invoke(main, ["query", "MATCH ()-[m:MENTIONS]->() RETURN DISTINCT m.method AS method",
                                       "--format", "json", "--data-dir", str(home)], env={"NEO4J_URI": ""})
        assert json.loads(methods.stdout) == [{"method": "ner.transformer.v1"}]
    finally:
        runner.invoke(main, ["graph", "stop", "--data-dir", str(home)])
