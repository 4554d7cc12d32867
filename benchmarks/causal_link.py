"""Import time and counts of `mattermine link` for the band-gap table and the 30,031 recipes, run
twice to show the second pass creates nothing (idempotent). Uses a throwaway local graph.

    python benchmarks/causal_link.py > link.json   (one JSON object)
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from causal.link import link_table, read_table
from causal.recipes import link_recipes, load
from graph.falkordb_store import FalkorDBStore
from graph.local_server import LocalServer
from mattermine.corpora import corpus_path


def main() -> None:
    out: dict[str, object] = {"benchmark": "causal_link"}
    with tempfile.TemporaryDirectory() as tmp:
        server = LocalServer(Path(tmp) / "graph")
        server.start()
        try:
            store = FalkorDBStore(str(server.status().socket), "bench")
            gaps = corpus_path("property-tables", "expt-band-gaps.csv")
            start = time.perf_counter()
            table = read_table(gaps, formula_column="composition", prop="band gap", unit="eV", source="expt-band-gaps")
            out["band_gap_parse_seconds"] = round(time.perf_counter() - start, 2)
            out["band_gap"] = [link_table(store, table).as_dict() for _ in range(2)]
            path = corpus_path("synthesis-recipes", "solid-state_dataset_2019-12-03.json.xz")
            start = time.perf_counter()
            reactions = load(path)
            out["recipes_load_seconds"] = round(time.perf_counter() - start, 2)
            out["recipes"] = [link_recipes(store, path, "kononova2019", reactions=reactions).as_dict() for _ in range(2)]
            store.close()
        finally:
            server.stop()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
