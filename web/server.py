"""Run the workbench with uvicorn until interrupted: what `mattermine serve` calls."""
from __future__ import annotations

import ipaddress

from graph.store import GraphStore
from web.app import create_app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(store: GraphStore, *, host: str = "127.0.0.1", port: int = 8765, review: bool = False,
          reviewer: str = "", graph: str = "") -> None:
    """Serve until Ctrl-C. Schema first when reviews may be written (Review ids are constrained)."""
    import uvicorn

    if review:
        store.ensure_schema()
    app = create_app(store, review=review, reviewer=reviewer, graph=graph, bind=host)
    # uvicorn's own access log would print every URL, query parameters included; keep errors only
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
