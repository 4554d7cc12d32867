"""The ONNX Runtime path of the CPU engine: the model folder's encoder exported once to ONNX (kept
beside the weights as model.onnx, keyed by the weights' hash) and run by onnxruntime, whose fused
kernels beat eager PyTorch on CPU at the same numbers (logits agree to ~1e-5); and its int8
rewrite with one scale per token (quantize_rows), kept beside it as model.int8.onnx."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
ONNX_FILE = "model.onnx"
ONNX_META = ONNX_FILE + ".json"  # which weights the export came from
INT8_FILE = "model.int8.onnx"
INT8_SCHEME = "rows-u8/cols-s7"  # what quantize_rows does; a model's int8 record names the scheme it measured


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


def exported(folder: Path, cache: Path, name: str = ONNX_FILE) -> Path | None:
    """The export `name` for this folder's current weights, if one exists (in the folder or the cache)."""
    want = _weights_hash(folder)
    for where in (folder, cache):
        meta = where / (name + ".json")
        if (where / name).is_file() and meta.is_file() and json.loads(meta.read_text()).get("weights") == want:
            return where / name
    return None


def int8(fp32: Path, folder: Path) -> Path:
    """The per-row int8 rewrite of an export (see quantize_rows), made once beside it."""
    target = fp32.with_name(INT8_FILE)
    found = exported(folder, fp32.parent, INT8_FILE)
    if found is not None:
        return found
    log.info("quantising %s to int8 (once per model)", fp32)
    quantize_rows(fp32, target)
    (target.parent / (INT8_FILE + ".json")).write_text(json.dumps({"weights": _weights_hash(folder)}) + "\n")
    return target


def export(model: Any, folder: Path, cache: Path) -> Path:
    """Export `model` (the folder's token classifier) to ONNX with dynamic batch and length; written
    atomically. The folder is preferred;
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

    def write(tmp: str) -> None:
        # the TorchScript exporter: the dynamo one needs onnxscript and is not faster to run. Its
        # tracer warnings are about branches that are constant for an encoder given a full mask.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Logits(model.eval()), (ids, mask), tmp, input_names=["input_ids", "attention_mask"],
                              output_names=["logits"], dynamic_axes=dynamic, opset_version=17, dynamo=False)

    _write_atomically(where / ONNX_FILE, write)
    (where / ONNX_META).write_text(json.dumps({"weights": _weights_hash(folder)}) + "\n")
    return where / ONNX_FILE


def session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def quantize_rows(src: Path, dst: Path, skip: tuple[str, ...] = ("classifier",)) -> Path:
    """Rewrite an exported model so each weight matrix product runs in int8 with one scale per row
    of activations (per token) and one per column of weights (per output feature).

    Per-token scales make the result independent of what else is in the batch (per-tensor dynamic
    quantisation is not: a long or extreme neighbour changes everyone's scale), and lose less than
    one scale per batch. Weights keep 7 bits (+-63) so that uint8 x int8 pair sums fit the int16
    lanes of AVX2's vpmaddubsw, which ONNX Runtime's u8s8 kernels use (they would saturate at 8 bits).
    Products between activations (attention scores) and the layers named in `skip` stay float."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    consts: list[Any] = [
        numpy_helper.from_array(np.array(1 / 127, dtype=np.float32), "mmq/inv127"),
        numpy_helper.from_array(np.array(1e-12, dtype=np.float32), "mmq/eps"),
        numpy_helper.from_array(np.array(128, dtype=np.float32), "mmq/f128"),
        numpy_helper.from_array(np.array(128, dtype=np.uint8), "mmq/zp"),
        numpy_helper.from_array(np.array(0, dtype=np.float32), "mmq/zero"),
        numpy_helper.from_array(np.array(1, dtype=np.float32), "mmq/one"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "mmq/axis1"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "mmq/start"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "mmq/minus1"),
    ]
    quantised: dict[str, tuple[str, str, str]] = {}  # activation -> (uint8 rows, row scales [M, 1], leading shape)
    nodes: list[Any] = []
    for node in graph.node:
        weight = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if weight is None or len(weight.dims) != 2 or any(s in node.name for s in skip):
            nodes.append(node)
            continue
        x, k, n = node.input[0], weight.dims[0], weight.dims[1]
        if x not in quantised:
            # rows of x as a matrix [M, K]; scale per row = max |x| / 127; uint8 with zero point 128
            p = f"mmq/{len(quantised)}"
            consts.append(numpy_helper.from_array(np.array([-1, k], dtype=np.int64), p + "/rows_shape"))
            nodes += [
                helper.make_node("Reshape", [x, p + "/rows_shape"], [p + "/rows"]),
                helper.make_node("Abs", [p + "/rows"], [p + "/abs"]),
                helper.make_node("ReduceMax", [p + "/abs"], [p + "/max"], axes=[1], keepdims=0),
                helper.make_node("Max", [p + "/max", "mmq/eps"], [p + "/maxe"]),
                helper.make_node("Mul", [p + "/maxe", "mmq/inv127"], [p + "/scale"]),
                helper.make_node("Mul", [p + "/scale", "mmq/zero"], [p + "/zeros"]),
                helper.make_node("Add", [p + "/zeros", "mmq/f128"], [p + "/zpf"]),
                helper.make_node("Cast", [p + "/zpf"], [p + "/zp"], to=TensorProto.UINT8),
                helper.make_node("QuantizeLinear", [p + "/rows", p + "/scale", p + "/zp"], [p + "/u8"], axis=0),
                helper.make_node("Unsqueeze", [p + "/scale", "mmq/axis1"], [p + "/col"]),
                helper.make_node("Shape", [x], [p + "/shape"]),
                helper.make_node("Slice", [p + "/shape", "mmq/start", "mmq/minus1"], [p + "/lead"]),
            ]
            quantised[x] = (p + "/u8", p + "/col", p + "/lead")
        xq, xscale, lead = quantised[x]
        w = numpy_helper.to_array(weight).astype(np.float32)
        wscale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 63.0
        wq = np.clip(np.round(w / wscale), -63, 63).astype(np.int8)
        name = node.output[0]
        consts += [numpy_helper.from_array(wq, name + "/wq"), numpy_helper.from_array(wscale.astype(np.float32), name + "/ws"),
                   numpy_helper.from_array(np.array([n], dtype=np.int64), name + "/n")]
        nodes += [
            helper.make_node("MatMulIntegerToFloat", [xq, name + "/wq", "mmq/one", name + "/ws", "mmq/zp"],
                             [name + "/cols"], domain="com.microsoft"),
            helper.make_node("Mul", [name + "/cols", xscale], [name + "/scaled"]),
            helper.make_node("Concat", [lead, name + "/n"], [name + "/shape"], axis=0),
            helper.make_node("Reshape", [name + "/scaled", name + "/shape"], [name]),
        ]
    used = {i for n in nodes for i in n.input}
    keep = [t for t in graph.initializer if t.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(keep + consts)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.checker.check_model(model)
    _write_atomically(dst, lambda tmp: onnx.save(model, tmp))
    return dst


def _write_atomically(dst: Path, write: Callable[[str], None]) -> None:
    """`write` to a temporary file beside dst, then rename: a crash never leaves half a model."""
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=dst.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
