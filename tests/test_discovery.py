"""Discovery: text processing for word2vec, training, queries, ranking written back to the graph,
evaluation and historical validation. Models here are tiny (seconds): they test the plumbing;
benchmarks/embedding_processing.py measures quality."""
from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from discovery.corpus import SourceDocument, corpus_info, write_corpus
from discovery.evaluate import Section, read_analogies, score_section
from discovery.process import NUMBER, normalized_formula, processor
from discovery.train import TrainSettings
from mattermine.cli import main
from mattermine.corpora import REPO_ROOT
from tests.conftest import run_cli
from tests.conftest import need_corpus

DEMO = REPO_ROOT / "corpora" / "demo"
TINY = ["--epochs", "2", "--min-count", "1", "--vector-size", "16", "--workers", "1"]


# -- processing ----------------------------------------------------------------------------
@pytest.mark.parametrize("written, token", [
    ("TiO2", "O2Ti"), ("Bi2Te3", "Bi2Te3"), ("CoCO3", "CCoO3"), ("Si2O4", "O2Si"),
    ("Bi0.5Sb1.5Te3", "BiSb3Te6"), ("Mg2Si0.8Sn0.2", "Mg10Si4Sn"), ("Bi2(Te0.94Se0.06)3", "Bi100Se9Te141"),
    ("Fe3+", "Fe3+"), ("O2", "O2"),
])
def test_formulas_get_alphabetical_integer_form(written, token):
    assert normalized_formula(written) == token


def test_mat2vec_processing_numbers_units_case_and_terms():
    proc = processor("mat2vec")
    assert proc("The band gap of TiO2 is 3.2 eV at 300 K.") == [
        "the", "band_gap", "of", "O2Ti", "is", NUMBER, "eV", "at", NUMBER, "K"]
    assert proc("A current density of 25 mA cm-2 at 10 GPa.") == [
        "a", "current_density", "of", NUMBER, "mAcm−2", "at", NUMBER, "GPa"]
    # "In" opening a sentence is the preposition; inside one it is indium.
    assert proc("In this work, In and Co doped Bi0.5Sb1.5Te3 solar cells.") == [
        "in", "this", "work", "In", "and", "Co", "doped", "BiSb3Te6", "solar_cells"]


def test_plain_processing_splits_on_whitespace_and_keeps_case():
    assert processor("plain")("The TiO2 (anatase) films, 3.2 eV.") == ["The", "TiO2", "anatase", "films", "3.2", "eV"]


def test_pretokenised_sentences_keep_their_tokens():
    # MatScholar's sentences come lower-cased, with formulas normalised and numbers replaced.
    assert processor("mat2vec").tokens("the O2Si films at <nUm> K".split()) == ["the", "O2Si", "films", "at",
                                                                              NUMBER, "K"]


def test_unknown_processing_is_a_clear_error():
    with pytest.raises(ValueError, match="mat2vec, plain"):
        processor("bpe")


def test_corpus_file_and_sidecar(tmp_path):
    docs = [SourceDocument("a", 2001, ("TiO2 is a photocatalyst.", "It absorbs 5 % of sunlight.")),
            SourceDocument("b", None, ("the O2Si films", ""), tokenized=True)]
    info = write_corpus(docs, tmp_path / "c.txt", "mat2vec")
    lines = (tmp_path / "c.txt").read_text(encoding="utf-8").splitlines()
    assert lines == ["O2Ti is a photocatalyst", f"it absorbs {NUMBER} % of sunlight", "the O2Si films"]
    assert (info.documents, info.sentences, info.tokens) == (2, 3, 13)
    assert corpus_info(tmp_path / "c.txt") == info  # read back from the sidecar, hash checked


# -- evaluation on hand-made vectors --------------------------------------------------------
def test_analogy_scoring_counts_coverage_and_accuracy():
    import numpy as np
    from gensim.models import KeyedVectors

    wv = KeyedVectors(vector_size=3)
    words = {"Fe": [1, 0, 0], "Fe2O3": [1, 1, 0], "Al": [0, 0, 1], "Al2O3": [0, 1, 1], "Cu": [1, 0, 1]}
    wv.add_vectors(list(words), np.array(list(words.values()), dtype=np.float32))
    section = Section("oxides", (("Fe", "Fe2O3", "Al", "Al2O3"), ("Fe", "Fe2O3", "Zn", "OZn"),
                                 ("Al", "Al2O3", "Fe", "Cu")), True)
    score = score_section(wv, section)
    assert (score.questions, score.covered, score.correct) == (3, 2, 1)
    assert score.accuracy == 0.5 and score.coverage == pytest.approx(2 / 3)


def test_analogy_file_has_fourteen_sections():
    sections = read_analogies(need_corpus("embedding-benchmarks", "mat2vec-analogies.txt"))
    assert len(sections) == 14
    assert [s.materials for s in sections] == [True] * 7 + [False] * 7
    assert sections[0].name == "chemical element names" and sections[-1].name == "gram9-plural-verbs"
    assert ("Ag", "Ag2O", "Al", "Al2O3") in sections[2].questions


def test_thermoelectric_keys_are_our_formula_form():
    """The benchmark's keys are normalised formulas: ours must agree on what it lists as written."""
    data = json.loads(need_corpus("embedding-benchmarks", "mat2vec-thermoelectric-data.json").read_text())
    pairs = [(written, key) for key, (variants, _, _) in data.items() for written in variants]
    agree = sum(normalized_formula(written) == key for written, key in pairs)
    assert agree / len(pairs) > 0.97


# -- the CLI against a real local graph -----------------------------------------------------
@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    """A data directory holding the extracted demo corpus and a tiny model named `tiny`."""
    path = tmp_path_factory.mktemp("discover-home")
    run(path, "extract", str(DEMO))
    run(path, "discover", "train", "--name", "tiny", *TINY)
    yield path
    CliRunner().invoke(main, ["graph", "stop", "--data-dir", str(path)])


def run(home: Path, *args: str, ok: bool = True) -> click.testing.Result:
    return run_cli(home, *args, ok=ok)  # type: ignore[return-value]


def predictions(home: Path) -> list[list[object]]:
    out = run(home, "query", "MATCH (m:Material)-[p:PREDICTED_FOR]->(a:Application) "
                             "RETURN m.key, a.key, p.model, p.rank, p.score ORDER BY p.rank", "--format", "json")
    return [list(row.values()) for row in json.loads(out.stdout)]


def test_train_saves_model_with_settings_and_corpus_hash(home):
    info = json.loads((home / "models" / "word2vec" / "tiny" / "model.json").read_text())
    assert info["processing"] == "mat2vec" and info["settings"]["epochs"] == 2
    assert info["corpus"]["documents"] >= 24 and len(info["corpus"]["sha256"]) == 64
    assert info["vocabulary"] > 500 and info["words_per_second"] > 0
    listed = json.loads(run(home, "discover", "models", "--format", "json").stdout)
    assert [m["name"] for m in listed] == ["tiny"]


def test_nearest_and_analogy_normalise_what_the_user_types(home):
    near = json.loads(run(home, "discover", "nearest", "TiO2", "--model", "tiny", "--top", "5",
                          "--format", "json").stdout)
    assert len(near) == 5 and "O2Ti" not in [r["word"] for r in near]
    answers = json.loads(run(home, "discover", "analogy", "Bi2Te3", "thermoelectric", "TiO2", "--model", "tiny",
                             "--format", "json").stdout)
    assert len(answers) == 5
    missing = run(home, "discover", "nearest", "unobtainium", "--model", "tiny", ok=False)
    assert missing.exit_code == 1 and "not in the vocabulary" in missing.output
    no_model = run(home, "discover", "nearest", "TiO2", "--model", "nope", ok=False)
    assert "discover train --name nope" in no_model.output


def test_rank_flags_known_materials_and_writes_predictions_idempotently(home):
    out = run(home, "discover", "rank", "--model", "tiny", "--application", "thermoelectric", "--top", "500",
              "--format", "json")
    rows = json.loads(out.stdout)
    by_key = {r["material"]: r for r in rows}
    assert by_key["Bi2Te3"]["known"] and by_key["Bi2Te3"]["documents"] >= 1  # the Bi2Te3 demo paper
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    written = predictions(home)
    new = [r["material"] for r in rows if not r["known"]]
    assert [w[0] for w in written] == new and {w[1] for w in written} == {"thermoelectric"}
    again = run(home, "discover", "rank", "--model", "tiny", "--application", "thermoelectric", "--top", "500")
    assert "0 created" in again.stderr
    assert predictions(home) == written
    # A shorter list removes this model's edges that fell out of it.
    run(home, "discover", "rank", "--model", "tiny", "--application", "thermoelectric", "--top", "3")
    assert predictions(home) == written[:3]


def test_evaluate_prints_json_per_section(home, tmp_path):
    analogies = tmp_path / "analogies.txt"
    analogies.write_text(": oxides\nZn ZnO Ti TiO2\nZn ZnO Xx Yy\n: gram8-plural\nfilm films cell cells\n")
    out = run(home, "discover", "evaluate", "--model", "tiny", "--analogies", str(analogies), "--format", "json")
    report = json.loads(out.stdout)["analogies"]
    assert [s["section"] for s in report["sections"]] == ["oxides", "gram8-plural"]
    assert report["sections"][0]["questions"] == 2 and report["sections"][0]["covered"] <= 1
    assert report["overall"]["questions"] == 3 and 0 <= report["overall"]["coverage"] <= 1
    table = run(home, "discover", "evaluate", "--model", "tiny", "--analogies", str(analogies)).stdout
    assert "oxides" in table and "coverage" in table


def test_corpus_export_respects_year(home, tmp_path):
    out = json.loads(run(home, "discover", "corpus", str(tmp_path / "all.txt"), "--format", "json").stdout)
    assert out["documents"] >= 24 and out["tokens"] > 3000
    dated = json.loads(run(home, "discover", "corpus", str(tmp_path / "old.txt"), "--year", "2000",
                           "--format", "json").stdout)
    assert dated["documents"] == 0  # the demo documents carry no year: none is "up to 2000"


# -- historical validation on dated documents -------------------------------------------------
def _dated(key: str, year: int, text: str):
    from ingest.records import Metadata, Paragraph, ParsedDocument

    return ParsedDocument(source_path=f"/papers/{key}.txt", content_hash=key, format="text", reader="text.v1",
                          metadata=Metadata(title=None, year=year), paragraphs=(Paragraph(text),))


EARLY = [
    "Bi2Te3 is the classic thermoelectric material near room temperature.",
    "PbTe is a thermoelectric material for mid temperatures, like Bi2Te3.",
    "SnSe crystals were grown and SnSe shows low thermal conductivity, like PbTe and Bi2Te3.",
    "TiO2 is a photocatalyst and TiO2 films absorb ultraviolet light.",
    "ZnO is a wide band gap semiconductor; ZnO nanowires emit ultraviolet light.",
]
LATE = ["SnSe is a thermoelectric material with a record figure of merit.",
        "TiO2 photocatalysts degrade dyes under ultraviolet light."]


def test_historical_validation_counts_later_co_mentions(store, tmp_path):
    from discovery.history import validate
    from graph.batch import build_batch
    from nlp.pipeline import annotate
    from nlp.registry import create

    docs = [_dated(f"early{i}", 2010, " ".join(EARLY * 2)) for i in range(3)]
    docs += [_dated(f"late{i}", 2016, " ".join(LATE)) for i in range(2)]
    store.write(build_batch(zip(docs, annotate(docs, create("ner.rules.v1")))))
    settings = TrainSettings(vector_size=8, min_count=1, epochs=2, workers=1, phrases=False)
    result = validate(store, tmp_path, ["thermoelectric"], 2012, top=2, settings=settings)
    assert (result.documents_up_to, result.documents_after, result.documents_undated) == (3, 2, 0)
    assert result.known_up_to == 2  # Bi2Te3 and PbTe, co-mentioned by 2010
    assert result.future == 1  # SnSe: first co-mentioned in 2016
    assert {r["material"] for r in result.baseline_top} <= {"Se2Sn", "SeSn", "O2Ti", "OZn"}
    assert 0 <= result.embedding_hits <= 1 and 0 <= result.baseline_hits <= 1
    assert result.pool == 3 and result.random_expected == pytest.approx(2 / 3, abs=1e-3)  # SnSe, TiO2, ZnO
    assert (tmp_path / "models" / "word2vec" / result.model / "model.json").exists()
    with pytest.raises(Exception, match="both sides of 2020"):
        validate(store, tmp_path, ["thermoelectric"], 2020, settings=settings)
