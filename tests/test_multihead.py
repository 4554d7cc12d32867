"""The multi-head tagger: one tiny encoder trained in seconds on three hand-written tasks, its heads
decoded apart from one pass; the single-head tagger unchanged beside it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from nlp.records import ENTITY_TYPES  # noqa: E402
from nlp.registry import create, create_from_spec  # noqa: E402
from nlp.transformer.models import default_base  # noqa: E402
from nlp.transformer.multitask import Task, sampling, train_multi  # noqa: E402

TINY = dict(num_hidden_layers=2, hidden_size=32, num_attention_heads=2, intermediate_size=64)


def _sentences(text: str) -> list[tuple[list[str], list[str]]]:
    out = []
    for block in text.strip().split("\n\n"):
        pairs = [line.rsplit(" ", 1) for line in block.splitlines()]
        out.append(([w for w, _ in pairs], [t for _, t in pairs]))
    return out


MAT = _sentences("""
the O
O2Ti B-MAT
films B-DSC
were O
annealed B-SMT

BaO3Ti B-MAT
thin B-DSC
films I-DSC
show O
high O
permittivity B-PRO
""")
SYN = _sentences("""
TiO2 B-Material
powder O
was O
calcined B-Operation
at O
500 B-Number
°C B-Condition-Unit

The O
ethanol B-Material
solution I-Material
was O
stirred B-Operation
""")
MEAS = _sentences("""
The O
samples B-MeasuredEntity
have O
a O
porosity B-MeasuredProperty
of O
12 B-Quantity
% I-Quantity

Films B-MeasuredEntity
were O
2 B-Quantity
mm I-Quantity
thick O
""")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mh")
    tasks = {"mat": Task(MAT, MAT, normalised=True, source="hand"), "syn": Task(SYN, SYN, source="hand"),
             "meas": Task(MEAS, MEAS, source="hand")}
    train_multi(tasks, root / "models" / "ner" / "multi", base=default_base(), steps=150, lr=5e-3, batch_size=2,
                alpha=0.0, model_overrides=TINY, threads=1)
    return root


@pytest.fixture(scope="module")
def folder(home: Path) -> Path:
    return home / "models" / "ner" / "multi"


def _normalised(sents: list[tuple[list[str], list[str]]]) -> list[list[str]]:
    from nlp.transformer.data import normalise_word

    return [[normalise_word(w, "matscholar") for w in words] for words, _ in sents]


def test_sampling_follows_size_to_the_alpha() -> None:
    p = sampling({"big": 900, "small": 100}, alpha=0.5)
    assert p["big"] == pytest.approx(0.75) and p["small"] == pytest.approx(0.25)
    assert sampling({"big": 900, "small": 100}, alpha=0.0) == {"big": 0.5, "small": 0.5}
    assert sampling({"big": 900, "small": 100, "none": 0}, alpha=1.0, weights={"small": 9})["small"] == pytest.approx(0.5)


def test_folder_records_heads_labels_and_crfs(folder: Path) -> None:
    from safetensors.numpy import load_file

    meta = json.loads((folder / "mattermine.json").read_text())
    config = json.loads((folder / "config.json").read_text())
    assert [h["name"] for h in meta["heads"]] == ["mat", "syn", "meas"] and meta["primary_head"] == "mat"
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    assert labels == meta["labels"] and labels[0] == "mat:O" and "syn:B-Material" in labels
    for h in meta["heads"]:  # each head's slice is its own labels, "O" first
        assert labels[h["start"]:h["start"] + len(h["labels"])] == [f"{h['name']}:{lab}" for lab in h["labels"]]
    crf = load_file(str(folder / "crf.safetensors"))
    assert {k.split("/")[0] for k in crf} == {"mat", "syn", "meas"}
    assert crf["syn/transitions"].shape == (len(meta["heads"][1]["labels"]),) * 2
    assert set(meta["tasks"]) == {"mat", "syn", "meas"} and meta["tasks"]["syn"]["train_sentences"] == 2


def test_every_head_learns_its_task_from_one_pass(folder: Path) -> None:
    from nlp.transformer.engine import TransformerTagger

    tagger = TransformerTagger(str(folder), backend="torch")
    for head, data in (("mat", MAT), ("syn", SYN), ("meas", MEAS)):
        tags = tagger.tag_heads(_normalised(data), normalise=False, heads=[head])[head]
        assert [[t for t, _ in s] for s in tags] == [t for _, t in data], head
    both = tagger.tag_heads(_normalised(SYN), normalise=False)
    assert set(both) == {"mat", "syn", "meas"}
    assert tagger.tag_words(_normalised(MAT), normalise=False) == tagger.tag_heads(_normalised(MAT), normalise=False)["mat"]


def test_each_head_decodes_within_its_slice_only(folder: Path) -> None:
    import numpy as np

    from nlp.transformer.engine import TransformerTagger

    tagger = TransformerTagger(str(folder), backend="torch")
    words = _normalised(SYN)
    tagger._load()
    emissions = tagger._emissions(*tagger._prepare_words(words, normalise=False))
    base = tagger._decode_heads(emissions, ["mat", "syn", "meas"])
    assert tagger.heads is not None
    for h in tagger.heads:
        assert {t for s in base[h.name] for t, _ in s} <= set(h.labels)
        # whatever the other heads' logits say, this head's tags and probabilities do not move
        loud = [e.copy() for e in emissions]
        for e in loud:
            e[:, :h.start] += np.random.default_rng(0).normal(scale=50, size=e[:, :h.start].shape)
            e[:, h.end:] += 100.0
        assert tagger._decode_heads(loud, [h.name])[h.name] == base[h.name]


def test_spans_come_out_per_head_with_offsets(folder: Path) -> None:
    from nlp.transformer.engine import TransformerTagger

    tagger = cast(TransformerTagger, create("ner.multihead.v1", model=str(folder), backend="torch"))
    text = "TiO2 powder was calcined at 500 °C"
    ms = tagger.tag([text])[0]
    assert tagger.name == "ner.multihead.v1" and all(m.method == "ner.multihead.v1" for m in ms)
    for m in ms:
        assert text[m.start:m.end] == m.text
    by_type = {(m.type, m.text) for m in ms}
    assert {("syn:Material", "TiO2"), ("syn:Operation", "calcined"), ("syn:Number", "500")} <= by_type
    assert all(m.type in ENTITY_TYPES or m.type.split(":")[0] in ("syn", "meas") for m in ms)  # primary head: bare types
    only = tagger.tag([text], heads=["syn"])[0]
    assert only == [m for m in ms if m.type.startswith("syn:")]
    with pytest.raises(ValueError, match="no head"):
        tagger.tag([text], heads=["nope"])
    with pytest.raises(ValueError, match="no head"):
        create("ner.multihead.v1", model=str(folder), heads=["nope"])


def test_spec_gives_the_pipeline_the_primary_head_only(folder: Path, home: Path) -> None:
    tagger = create_from_spec("multi", data_dir=home)
    assert tagger.name == "ner.multihead.v1"
    ms = tagger.tag(["The TiO2 films were annealed", "TiO2 powder was calcined at 500 °C"])
    assert all(m.type in ENTITY_TYPES for s in ms for m in s)  # the graph's seven types, nothing else
    assert any(m.type == "MAT" for s in ms for m in s)


def test_saved_model_scores_as_it_did_in_training(folder: Path) -> None:
    from nlp.evaluation.multitask import word_f1
    from nlp.transformer.engine import TransformerTagger

    meta = json.loads((folder / "mattermine.json").read_text())
    tagger = TransformerTagger(str(folder), backend="torch")
    for head, data in (("mat", MAT), ("syn", SYN), ("meas", MEAS)):
        words = [(w, g) for w, (_, g) in zip(_normalised(data), data)]
        assert word_f1(tagger, words, head=head)["micro"]["f1"] == meta["metrics"]["dev_per_head"][head]["micro"]["f1"]


def test_onnx_path_agrees_with_torch_and_int8_is_recorded_per_head(folder: Path) -> None:
    pytest.importorskip("onnxruntime")
    from nlp.transformer.engine import TransformerTagger, int8_matches
    from nlp.transformer.multitask import record_int8_multi

    words = _normalised(MAT + SYN + MEAS) + [["O2Ti", "films", "were", "calcined"] * 70]
    eager = TransformerTagger(str(folder), backend="torch").tag_heads(words, normalise=False)
    fast = TransformerTagger(str(folder), backend="onnx", quantize=False)
    got = fast.tag_heads(words, normalise=False)
    assert fast.backend == "onnx"
    for head in eager:
        assert [[t for t, _ in s] for s in got[head]] == [[t for t, _ in s] for s in eager[head]]
        assert all(abs(p - q) < 1e-3 for s, e in zip(got[head], eager[head]) for (_, p), (_, q) in zip(s, e))
    record = record_int8_multi(folder, {"syn": SYN, "meas": MEAS}, {"syn": False, "meas": False})
    assert set(record["per_head"]) == {"syn", "meas"} and record["float_dev_f1"] > 0.8
    meta = json.loads((folder / "mattermine.json").read_text())
    assert meta["int8"] == record and int8_matches(meta) == record["chosen_by_default"]
    meta["int8"]["per_head"]["syn"]["dev_f1"] = meta["int8"]["per_head"]["syn"]["float_dev_f1"] - 0.1
    assert not int8_matches(meta)  # one head losing too much keeps the model in float


def test_single_head_models_take_no_heads(tmp_path: Path) -> None:
    from nlp.transformer.engine import TransformerTagger
    from nlp.transformer.train import train

    out = tmp_path / "single"
    data = tmp_path / "t.conll"
    data.write_text("".join(f"{w} {t}\n" for w, t in zip(*MAT[0])) + "\n")
    train(data, out, base=default_base(), epochs=1, batch_size=2, model_overrides=TINY, threads=1)
    tagger = TransformerTagger(str(out), backend="torch")
    assert tagger.name == "ner.transformer.v1" and tagger.tag_words([MAT[0][0]], normalise=False)
    assert tagger.heads is None and list(tagger.tag_heads([MAT[0][0]], normalise=False)) == [""]
    with pytest.raises(ValueError, match="single-head"):
        TransformerTagger(str(out), heads=["mat"])
    with pytest.raises(ValueError, match="single-head"):
        tagger.tag_words([MAT[0][0]], head="mat")
    with pytest.raises(ValueError, match="single-head"):
        create("ner.multihead.v1", model=str(out))


def test_span_scores_exact_and_overlap() -> None:
    from nlp.evaluation.multitask import span_scores

    gold = [[(0, 4, "A"), (10, 15, "A"), (20, 22, "B")]]
    pred = [[(0, 4, "A"), (11, 15, "A"), (30, 32, "B")]]
    s = span_scores(gold, pred)
    assert s["per_type"]["A"]["exact"]["f1"] == 0.5 and s["per_type"]["A"]["overlap"]["f1"] == 1.0
    assert s["per_type"]["B"]["overlap"]["precision"] == 0.0
    assert s["micro"]["exact"]["support"] == 3


def test_public_corpora_read_as_word_level_tasks() -> None:
    from mattermine.corpora import CorpusMissing
    from nlp.transformer import tasks

    try:
        passages = {h: tasks.passages(h, "dev") for h in ("syn", "meas", "sofc")}
    except CorpusMissing as exc:
        pytest.skip(str(exc))
    expect = {"syn": {"Material", "Operation", "Number"}, "meas": set(tasks.MEASEVAL_TYPES),
              "sofc": {"MATERIAL", "VALUE", "DEVICE", "EXPERIMENT"}}
    for head, ps in passages.items():
        assert expect[head] <= {t for p in ps for *_, t in p.spans}
        for p in ps[:50]:
            assert all(0 <= s < e <= len(p.text) for s, e, _ in p.spans)
        assert tasks.alignment(ps)["fraction"] > 0.9  # gold spans mostly fall on the engine's words
    # a real span comes out on the right words
    p = next(p for p in passages["sofc"] if any(t == "VALUE" for *_, t in p.spans))
    w = tasks.to_words(p)
    s, e, _ = next(x for x in p.spans if x[2] == "VALUE")
    covered = [tag for tag, (a, b) in zip(w.tags, w.offsets) if a < e and s < b]
    assert covered and covered[0] == "B-VALUE" and all(t == "I-VALUE" for t in covered[1:])


def test_auto_is_the_rules_until_an_encoder_is_installed(tmp_path: Path) -> None:
    from nlp.hybrid import choose

    chosen = choose(tmp_path)
    assert chosen.spec == "ner.rules.v1" and "build-default" in chosen.reason
    assert create_from_spec("auto", data_dir=tmp_path).name == "ner.rules.v1"


def test_auto_takes_rule_materials_and_the_encoders_other_mentions(folder: Path, tmp_path: Path) -> None:
    from nlp.hybrid import choose

    (tmp_path / "models" / "ner").mkdir(parents=True)
    (tmp_path / "models" / "ner" / "default").symlink_to(folder, target_is_directory=True)
    assert choose(tmp_path).spec == "ner.hybrid.v1"
    hybrid = create_from_spec("auto", data_dir=tmp_path)
    assert hybrid.name == "ner.hybrid.v1"
    texts = ["The TiO2 films were annealed at 500 °C", "BaTiO3 thin films show high permittivity",
             "TiO2 powder was calcined", "Films of ZnO were 2 mm thick"]
    rules = create("ner.rules.v1").tag(texts)
    encoder = create_from_spec("multi", data_dir=folder.parent.parent.parent).tag(texts)
    got = hybrid.tag(texts)
    assert any(m.type == "MAT" for s in got for m in s)
    assert any(m.type != "MAT" and m.method != "ner.rules.v1" for s in got for m in s)  # the encoder's share
    for ruled, learned, mixed in zip(rules, encoder, got):
        materials = [m for m in ruled if m.type == "MAT"]
        assert [m for m in mixed if m.method == "ner.rules.v1"] == materials  # every rule material, nothing else
        expected = [m for m in learned if not any(m.start < r.end and r.start < m.end for r in materials)]
        assert [m for m in mixed if m.method != "ner.rules.v1"] == sorted(expected, key=lambda m: (m.start, m.end))
        assert [(m.start, m.end) for m in mixed] == sorted((m.start, m.end) for m in mixed)


def test_hybrid_gives_recipe_finding_the_synthesis_heads_materials(folder: Path) -> None:
    from graph.batch import build_batch
    from nlp.hybrid import tag_with_synthesis
    from nlp.pipeline import annotate_text

    texts = ["TiO2 powder was calcined at 500 °C", "The ethanol solution was stirred"]
    plain = create("ner.hybrid.v1", model=str(folder), backend="torch")
    syn = create("ner.hybrid.v1", model=str(folder), backend="torch", synthesis_head="syn")
    mentions, materials = tag_with_synthesis(syn, texts)
    assert mentions == plain.tag(texts) == syn.tag(texts)  # the graph's mentions do not change
    assert tag_with_synthesis(plain, texts)[1] == [[], []]  # opt-in: nothing without the head
    assert tag_with_synthesis(create("ner.rules.v1"), texts)[1] == [[], []]
    assert [[(m.type, m.text) for m in s] for s in materials] == [[("MAT", "TiO2")], [("MAT", "ethanol solution")]]
    assert materials[0][0].key == "O2Ti" and all(m.method == "ner.multihead.v1:syn" for s in materials for m in s)
    text = "TiO2 powder was calcined at 500 °C and the ethanol solution was stirred"
    with_head, without = annotate_text(text, syn), annotate_text(text, plain)
    assert [s.mentions for s in with_head.sentences] == [s.mentions for s in without.sentences]
    assert not any(s.synthesis_materials for s in without.sentences)
    found = [m for s in with_head.sentences for m in s.synthesis_materials]
    assert found and all(m.type == "MAT" for m in found)
    assert all(s.text[m.start:m.end] == m.text for s in with_head.sentences for m in s.synthesis_materials)
    assert all(m.type in ENTITY_TYPES for s in with_head.sentences for m in s.mentions)
    from ingest.records import ParsedDocument

    doc = ParsedDocument("<text>", with_head.doc_key, "text", "test")
    batch = build_batch([(doc, with_head)])
    keys = {row["key"] for label, rows in batch.entities if label == "Material" for row in rows}
    # recipe materials are graph materials: the USES and SYNTHESIZED_BY writes find their nodes
    assert all(u["material"] in keys for u in batch.uses)
    assert all(r["target"] in keys for r in batch.syntheses if r["target"] is not None)
    with pytest.raises(ValueError, match="no such head"):
        create("ner.hybrid.v1", model=str(folder), backend="torch", synthesis_head="nope")
