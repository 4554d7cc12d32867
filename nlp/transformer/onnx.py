"""The ONNX Runtime path of the CPU engine: the model folder's encoder exported once to ONNX (kept
beside the weights as model.onnx, keyed by the weights' hash) and run by onnxruntime, whose fused
kernels beat eager PyTorch on CPU at the same numbers (logits agree to ~1e-5)."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
ONNX_FILE = "model.onnx"
ONNX_META = "model.onnx.json"  # which weights the export came from


def available() -> bool:
    from importlib.util import find_spec

    return find_spec("onnxruntime") is not None and find_spec("onnx") is not None


def _weights_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for name in sorted(p.name for p in folder.glob("*.safetensors")) + ["config.json"]:
        path = folder / name
        if path.is_file():
            h.update(name.encode())
            st = path.stat()
            h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def exported(folder: Path, cache: Path) -> Path | None:
    """The export for this folder's current weights, if one exists (in the folder or the cache)."""
    want = _weights_hash(folder)
    for where in (folder, cache):
        meta = where / ONNX_META
        if (where / ONNX_FILE).is_file() and meta.is_file() and json.loads(meta.read_text()).get("weights") == want:
            return where / ONNX_FILE
    return None


def export(model: Any, folder: Path, cache: Path) -> Path:
    """Export `model` (the folder's token classifier) to ONNX with dynamic batch and length; written
    to a temporary file and renamed, so a crash never leaves half a model. The folder is preferred;
    a read-only folder falls back to `cache`."""
    import torch

    class Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    where = folder if os.access(folder, os.W_OK) else cache
    where.mkdir(parents=True, exist_ok=True)
    ids = torch.full((2, 16), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0  # trace the padded case too
    dynamic = {"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"},
               "logits": {0: "batch", 1: "length"}}
    log.info("exporting %s to ONNX (once per model)", folder)
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=where)
    os.close(fd)
    try:
        # the TorchScript exporter: the dynamo one needs onnxscript and is not faster to run. Its
        # tracer warnings are about branches that are constant for an encoder given a full mask.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Logits(model.eval()), (ids, mask), tmp, input_names=["input_ids", "attention_mask"],
                              output_names=["logits"], dynamic_axes=dynamic, opset_version=17, dynamo=False)
        os.replace(tmp, where / ONNX_FILE)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    (where / ONNX_META).write_text(json.dumps({"weights": _weights_hash(folder)}) + "\n")
    return where / ONNX_FILE


def session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
