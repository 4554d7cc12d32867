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
    res = CliRunner().invoke(main, ["nlp", "evaluate", "--model", "tiny", "--data", str(data), "--decode",
                                    "constrained", "--backend", "torch", "--data-dir", str(home)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["micro"]["support"] == out["micro"]["support"]
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


# -- CRF, backends and agreement with transformers' pipeline ---------------------------------
LABELS = ["O", "B-MAT", "I-MAT", "B-DSC", "I-DSC"]


def test_crf_likelihood_matches_brute_force() -> None:
    import itertools
    import math

    import torch

    from nlp.transformer.crf import iob2_mask, make_crf

    torch.manual_seed(0)
    crf = make_crf(LABELS)
    with torch.no_grad():
        for p in crf.parameters():
            p.normal_()
    emissions = torch.randn(1, 3, len(LABELS))
    tags = torch.tensor([[1, 2, 0]])
    nll = float(crf.nll(emissions, tags, torch.ones(1, 3, dtype=torch.bool)))
    trans_mask, start_mask = iob2_mask(LABELS)
    trans = crf.transitions.detach().numpy() + trans_mask
    start = crf.start.detach().numpy() + start_mask
    end, em = crf.end.detach().numpy(), emissions[0].numpy()

    def score(path: tuple[int, ...]) -> float:
        s = start[path[0]] + em[0, path[0]] + end[path[-1]]
        return float(s + sum(trans[a, b] + em[i + 1, b] for i, (a, b) in enumerate(zip(path, path[1:]))))

    log_z = math.log(sum(math.exp(score(p)) for p in itertools.product(range(len(LABELS)), repeat=3)))
    assert nll == pytest.approx(log_z - score((1, 2, 0)), rel=1e-4)


def test_crf_padding_does_not_change_likelihood() -> None:
    import torch

    from nlp.transformer.crf import make_crf

    torch.manual_seed(1)
    crf = make_crf(LABELS)
    emissions = torch.randn(1, 4, len(LABELS))
    tags = torch.tensor([[1, 2, 0, 3]])
    alone = crf.nll(emissions, tags, torch.ones(1, 4, dtype=torch.bool))
    padded = crf.nll(torch.cat([emissions, torch.randn(1, 3, len(LABELS))], 1),
                     torch.cat([tags, torch.zeros(1, 3, dtype=torch.long)], 1),
                     torch.tensor([[True] * 4 + [False] * 3]))
    assert float(alone) == pytest.approx(float(padded), rel=1e-5)


def test_viterbi_never_starts_an_entity_with_i() -> None:
    import numpy as np

    from nlp.transformer.crf import Decoder

    # argmax alone would say O, I-MAT, I-DSC: two IOB2 violations
    em = np.array([[3, 0, 0, 0, 0], [0, 1, 2, 0, 0], [0, 0, 0, 1, 2]], dtype=np.float32)
    best = [LABELS[i] for i in Decoder.constrained(LABELS).decode(em)]
    assert best == ["O", "B-MAT", "B-DSC"]
    assert Decoder.constrained(LABELS).decode(np.zeros((0, 5), dtype=np.float32)) == []


def test_viterbi_many_at_once_is_the_best_path_of_each() -> None:
    import itertools

    import numpy as np

    from nlp.transformer.crf import Decoder

    rng = np.random.default_rng(3)
    n = len(LABELS)
    dec = Decoder(LABELS, rng.normal(size=(n, n)), rng.normal(size=n), rng.normal(size=n))
    sentences = [rng.normal(size=(length, n)).astype(np.float32) for length in (3, 1, 0, 4, 2, 4, 1)]

    def score(em: np.ndarray, path: tuple[int, ...]) -> float:
        s = dec.start[path[0]] + em[0, path[0]] + dec.end[path[-1]]
        return float(s + sum(dec.trans[a, b] + em[i + 1, b] for i, (a, b) in enumerate(zip(path, path[1:]))))

    brute = [list(max(itertools.product(range(n), repeat=len(em)), key=lambda p: score(em, p))) if len(em) else []
             for em in sentences]
    assert dec.decode_many(sentences, group=3) == brute
    assert [dec.decode(em) for em in sentences] == brute


def test_repair_iob2() -> None:
    from nlp.transformer.train import repair_iob2

    assert repair_iob2(["I-MAT", "I-MAT", "O", "I-DSC", "B-MAT", "I-DSC"]) == \
        ["B-MAT", "I-MAT", "O", "B-DSC", "B-MAT", "B-DSC"]


def test_trained_folder_has_crf_and_decoders_agree_on_the_data(model_dir: Path) -> None:
    from nlp.transformer.engine import TransformerTagger

    assert (model_dir / "crf.safetensors").is_file()
    assert json.loads((model_dir / "mattermine.json").read_text())["decoder"] == "crf"
    words = [s[0] for s in read_iob_text(TRAIN)]
    gold = [s[1] for s in read_iob_text(TRAIN)]
    crf = TransformerTagger(str(model_dir), backend="torch")
    assert crf.tag_words(words, normalise=False) and crf.decoder is not None
    assert [[t for t, _ in s] for s in crf.tag_words(words, normalise=False)] == gold  # 30 epochs: learnt
    with pytest.raises(ValueError, match="decode"):
        TransformerTagger(str(model_dir), decode="beam")


def test_onnx_backend_gives_the_same_tags_and_exports_once(model_dir: Path) -> None:
    pytest.importorskip("onnxruntime")
    from nlp.transformer.engine import TransformerTagger

    sents = [s[0] for s in read_iob_text(TRAIN)] + [["ZnO", "films", "for", "solar", "cells"] * 60]
    eager = TransformerTagger(str(model_dir), backend="torch").tag_words(sents, normalise=False)
    fast = TransformerTagger(str(model_dir), backend="onnx", quantize=False)
    got = fast.tag_words(sents, normalise=False)
    assert fast.backend == "onnx"
    assert [[t for t, _ in s] for s in got] == [[t for t, _ in s] for s in eager]
    assert all(abs(p - q) < 1e-3 for s, e in zip(got, eager) for (_, p), (_, q) in zip(s, e))
    stamp = (model_dir / "model.onnx").stat().st_mtime_ns
    TransformerTagger(str(model_dir), backend="onnx").tag_words(sents[:1], normalise=False)
    assert (model_dir / "model.onnx").stat().st_mtime_ns == stamp  # reused, not exported again


def test_engine_agrees_with_transformers_pipeline(model_dir: Path) -> None:
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    from nlp.transformer.compare import piece_offsets, simple_spans
    from nlp.transformer.engine import TransformerTagger

    sents = [s[0] for s in read_iob_text(TRAIN)] + [["BaO3Ti", "nanowires", "for", "solar", "cells", "."] * 3]
    engine = TransformerTagger(str(model_dir), backend="torch", token_budget=64)
    mine = [simple_spans(s, p, o) for s, p, o in
            zip(sents, engine.piece_labels(sents), piece_offsets(engine.tokenizer, sents))]
    pipe = pipeline("token-classification", model=AutoModelForTokenClassification.from_pretrained(model_dir),
                    tokenizer=AutoTokenizer.from_pretrained(model_dir), aggregation_strategy="simple", device=-1)
    theirs = [{(r["start"], r["end"], r["entity_group"]) for r in rs}
              for rs in pipe([" ".join(s) for s in sents], batch_size=3)]
    assert any(mine) and mine == theirs


# -- int8 with per-token scales ------------------------------------------------------------------
def _matmul_model(weight: "np.ndarray") -> bytes:
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    k, n = weight.shape
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"], name="dense/MatMul")], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, None, k])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, None, n])],
                              [numpy_helper.from_array(weight.astype(np.float32), "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def test_int8_rows_are_quantised_alone(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    import numpy as np
    import onnxruntime as ort

    from nlp.transformer.onnx import quantize_rows

    rng = np.random.default_rng(0)
    w = rng.normal(size=(64, 48)).astype(np.float32)
    (tmp_path / "f.onnx").write_bytes(_matmul_model(w))
    quantize_rows(tmp_path / "f.onnx", tmp_path / "q.onnx")
    run = ort.InferenceSession(str(tmp_path / "q.onnx"), providers=["CPUExecutionProvider"]).run
    x = rng.normal(size=(2, 5, 64)).astype(np.float32)
    y = run(None, {"x": x})[0]
    exact = x @ w
    assert np.abs(y - exact).max() < 0.03 * np.abs(exact).max()  # 8-bit rows, 7-bit columns
    # one token made 1000x larger changes no other token's result: scales are per row, not per batch
    loud = x.copy()
    loud[1, 3] *= 1000
    y_loud = run(None, {"x": loud})[0]
    others = np.ones((2, 5), dtype=bool)
    others[1, 3] = False
    assert np.array_equal(y_loud[others], y[others])
    assert np.array_equal(run(None, {"x": x[:1, :2]})[0], y[:1, :2])  # alone or in a batch: the same


def test_int8_engine_is_batch_independent_and_chosen_by_record(model_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    import shutil

    from nlp.transformer.engine import INT8_TOLERANCE, TransformerTagger, int8_matches

    record = json.loads((model_dir / "mattermine.json").read_text())["int8"]  # measured by train(dev=...)
    assert record["scheme"] and 0 <= record["dev_f1"] <= 1 and record["float_dev_f1"] > 0.8
    sents = [s[0] for s in read_iob_text(TRAIN)] * 2 + [["ZnO", "films", "for", "solar", "cells"] * 60]
    big = TransformerTagger(str(model_dir), quantize=True, token_budget=100_000)
    tags = [[t for t, _ in s] for s in big.tag_words(sents, normalise=False)]
    assert big.quantize and (model_dir / "model.int8.onnx").is_file()
    small = TransformerTagger(str(model_dir), quantize=True, token_budget=48)
    assert [[t for t, _ in s] for s in small.tag_words(sents[::-1], normalise=False)][::-1] == tags
    assert tags[:3] == [s[1] for s in read_iob_text(TRAIN)]  # int8 still tags what it learnt

    folder = tmp_path / "m"
    shutil.copytree(model_dir, folder)
    meta = json.loads((folder / "mattermine.json").read_text())
    for dev_f1, expect in ((meta["int8"]["float_dev_f1"] - INT8_TOLERANCE / 2, True),
                           (meta["int8"]["float_dev_f1"] - 0.05, False)):
        meta["int8"]["dev_f1"] = dev_f1
        (folder / "mattermine.json").write_text(json.dumps(meta))
        assert int8_matches(meta) is expect
        auto = TransformerTagger(str(folder))
        auto.tag_words(sents[:1], normalise=False)
        assert auto.quantize is expect
    eager = TransformerTagger(str(folder), backend="torch")
    eager.tag_words(sents[:1], normalise=False)
    assert eager.quantize is False
    with pytest.raises(ValueError, match="ONNX Runtime"):
        TransformerTagger(str(folder), backend="torch", quantize=True).tag_words(sents[:1])


# -- continued masked-LM pretraining -----------------------------------------------------------
def test_pretrain_then_fine_tune(tmp_path: Path) -> None:
    from nlp.transformer.pretrain import PRETRAIN_FILE, gather, pretrain

    text = tmp_path / "papers.txt"
    text.write_text("TiO2 nanowires were annealed at 500 K for 2 h in air before the XRD scans.\n"
                    "BaTiO3 thin films show high permittivity and low loss at 300 K.\n" * 3
                    + "The ZnO films for solar cells were grown by sputtering on glass at 400 K today.\n")
    conll = tmp_path / "train.conll"
    conll.write_text(TRAIN)
    dev = tmp_path / "dev.conll"  # overlaps the last text line on eight words: that line is dropped
    dev.write_text("".join(f"{w} O\n" for w in "the OZn films for solar cells were grown by sputtering".split()) + "\n")
    sentences, record = gather([text], [conll], [dev], "matscholar")
    assert record["excluded_sentences"] == 1
    assert ["O2Ti", "nanowires", "were", "annealed", "at", "<nUm>", "K"] == sentences[0][:7]
    assert len(sentences) == 2 + 3  # duplicates once, the three CoNLL sentences
    out = tmp_path / "base"
    meta = pretrain(sentences, out, base=default_base(), epochs=2, batch_size=2, model_overrides=TINY, record=record)
    assert json.loads((out / PRETRAIN_FILE).read_text())["history"][-1]["mlm_loss"] > 0
    assert meta["sentences"] == 5 and (out / "tokenizer.json").is_file()
    tuned = train(conll, tmp_path / "ner", base=str(out), epochs=1, batch_size=2, lr=1e-3)
    assert tuned["base"] == str(out)


def read_iob_text(text: str) -> list[tuple[list[str], list[str]]]:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".conll", delete=False) as fh:
        fh.write(text)
    return read_iob(fh.name)
