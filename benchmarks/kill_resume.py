"""Kill and resume: runs `mattermine extract` as a subprocess, `kill -9`s it at random points,
resumes it, and compares the final graph with one uninterrupted run; then stops the local
server mid-job (the job waits and finishes) and stops it for longer than the job waits (the job
stops, a resume finishes it). Prints one JSON object with the counts before and after each.

    python benchmarks/kill_resume.py [--kills 6] [--copies 40] [--seed 8]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.connect import GraphConfig, open_store  # noqa: E402
from graph.local_server import LocalServer  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from mattermine.extract import ExtractOptions, run_extract  # noqa: E402
from mattermine.graphcheck import GraphDigest, digest  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "demo"
COMPLETE = "MATCH (d:Document) WHERE d.complete = true RETURN count(d)"


def make_inputs(folder: Path, copies: int) -> list[Path]:
    """The demo corpus (text, HTML, PDF) and text copies with a distinct last line each."""
    (folder / "demo").mkdir(parents=True)
    for path in DEMO.iterdir():
        if path.suffix in (".txt", ".html", ".pdf"):
            (folder / "demo" / path.name).write_bytes(path.read_bytes())
    texts = sorted(DEMO.glob("*.txt"))
    for i in range(copies):
        (folder / f"copy-{i:03d}.txt").write_bytes(texts[i % len(texts)].read_bytes() + f"\nSample {i}.\n".encode())
    return [folder / "demo", *sorted(folder.glob("copy-*.txt"))]


class Bench:
    def __init__(self, home: Path, paths: list[Path]) -> None:
        self.home, self.paths = home, paths
        self.server = LocalServer(home / "graph")

    def store(self, graph: str) -> GraphStore:
        return open_store(GraphConfig.from_env(data_dir=self.home, neo4j_uri="", graph=graph))[0]

    def start(self, graph: str, *args: str) -> subprocess.Popen[str]:
        env = {**os.environ, "MATTERMINE_HOME": str(self.home), "MATTERMINE_GRAPH": graph, "NEO4J_URI": ""}
        return subprocess.Popen([sys.executable, "-m", "mattermine.cli", "extract", *args], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def job_args(self, job: str, *extra: str) -> list[str]:
        return [*map(str, self.paths), "--job", job, "--batch-docs", "3", "--workers", "1", *extra]

    def complete(self, store: GraphStore) -> int:
        try:
            return int(store.read(COMPLETE).rows[0][0])
        except Exception:  # noqa: BLE001 - no graph yet
            return 0

    def wait_for(self, store: GraphStore, n: int, proc: subprocess.Popen[str]) -> None:
        while proc.poll() is None and self.complete(store) < n:
            time.sleep(0.02)

    def state(self, store: GraphStore) -> dict[str, Any]:
        d = digest(store)
        return {"complete_documents": self.complete(store), "nodes": d.nodes, "relationships": d.relationships}


def kill_points(bench: Bench, reference: GraphDigest, total: int, kills: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for k in range(kills):
        graph, job = f"kill-{k}", f"kill-{k}"
        store = bench.store(graph)
        proc = bench.start(graph, *bench.job_args(job))
        target = rng.randint(1, total - 2)
        bench.wait_for(store, target, proc)
        time.sleep(rng.random() * 0.3)
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        before = bench.state(store)
        resumed = bench.start(graph, "--resume", job, "--json")
        out_text, err = resumed.communicate()
        after = bench.state(store)
        summary = json.loads(out_text) if resumed.returncode == 0 else {"error": err[-500:]}
        out.append({"kill_after_complete_documents": target, "killed_mid_job": killed, "before": before,
                    "after": after, "resume_read": summary.get("read"), "resume_skipped": summary.get("skipped"),
                    "equal_to_uninterrupted": digest(store).differences(reference) == {}})
        store.close()
    return out


def server_loss(bench: Bench, reference: GraphDigest, wait: float, down: float) -> dict[str, Any]:
    """Stop the local server mid-job for `down` seconds; the job waits up to `wait` seconds."""
    graph = job = f"server-loss-{int(wait)}"
    store = bench.store(graph)
    proc = bench.start(graph, *bench.job_args(job, "--wait-server", str(wait)))
    bench.wait_for(store, 6, proc)
    store.close()
    bench.server.stop()
    stopped_at = time.monotonic()
    time.sleep(down)
    if down < wait:
        bench.server.start()
    _, err = proc.communicate()
    result: dict[str, Any] = {"server_down_s": down, "job_waits_s": wait, "exit_code": proc.returncode,
                              "waited_and_retried": "graph server unreachable, retrying" in err,
                              "job_seconds_after_stop": round(time.monotonic() - stopped_at, 1)}
    if down >= wait:
        result["message"] = err.strip().splitlines()[-1][:400] if err.strip() else ""
        bench.server.start()
        store = bench.store(graph)
        result["before_resume"] = bench.state(store)
        resumed = bench.start(graph, "--resume", job)
        resumed.communicate()
        result["resume_exit_code"] = resumed.returncode
    store = bench.store(graph)
    result["after"] = bench.state(store)
    result["equal_to_uninterrupted"] = digest(store).differences(reference) == {}
    store.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=6)
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="mm-kill-") as tmp:
        paths = make_inputs(Path(tmp) / "in", args.copies)
        bench = Bench(Path(tmp) / "home", paths)
        try:
            store = bench.store("reference")
            start = time.perf_counter()
            summary = run_extract(paths, store, ExtractOptions(workers=1), Path(tmp) / "ref.jsonl")
            reference = digest(store)
            out: dict[str, Any] = {"benchmark": "kill_resume", "documents": summary.documents,
                                   "uninterrupted": {**bench.state(store),
                                                     "seconds": round(time.perf_counter() - start, 1)}}
            store.close()
            total = summary.read
            out["kill_points"] = kill_points(bench, reference, total, args.kills, rng)
            out["server_stopped_3s_job_waits_60s"] = server_loss(bench, reference, wait=60, down=3)
            out["server_stopped_longer_than_job_waits"] = server_loss(bench, reference, wait=2, down=5)
            out["all_equal"] = all(k["equal_to_uninterrupted"] for k in out["kill_points"]) and all(
                out[k]["equal_to_uninterrupted"] for k in ("server_stopped_3s_job_waits_60s",
                                                           "server_stopped_longer_than_job_waits"))
        finally:
            bench.server.stop()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
