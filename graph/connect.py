"""Open the graph a command should use: Neo4j when a URI is given, else the local server."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.local_server import LocalServer
from graph.store import GraphStore


def default_data_dir() -> Path:
    if os.environ.get("MATTERMINE_HOME"):
        return Path(os.environ["MATTERMINE_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mattermine"


@dataclass(frozen=True)
class GraphConfig:
    """Where the graph lives. Secrets come from the environment or flags and are never printed."""

    data_dir: Path
    graph: str = "mattermine"
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> GraphConfig:
        values: dict[str, object] = {
            "data_dir": default_data_dir(),
            "graph": os.environ.get("MATTERMINE_GRAPH", "mattermine"),
            "neo4j_uri": os.environ.get("NEO4J_URI") or None,
            "neo4j_user": os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME") or None,
            "neo4j_password": os.environ.get("NEO4J_PASSWORD") or None,
            "neo4j_database": os.environ.get("NEO4J_DATABASE") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_dir"] = Path(str(values["data_dir"])).expanduser()
        return cls(**values)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        # Configs travel to worker processes (Ray writers) whose errors may print them.
        from graph.neo4j_store import redact

        uri = redact(self.neo4j_uri) if self.neo4j_uri else None
        return (f"GraphConfig(data_dir={str(self.data_dir)!r}, graph={self.graph!r}, neo4j_uri={uri!r}, "
                f"neo4j_user={self.neo4j_user!r}, neo4j_password={'***' if self.neo4j_password else None}, "
                f"neo4j_database={self.neo4j_database!r})")

    @property
    def server_dir(self) -> Path:
        return self.data_dir / "graph"

    def describe(self) -> str:
        if self.neo4j_uri:
            from graph.neo4j_store import redact

            return f"Neo4j {redact(self.neo4j_uri)} (database {self.neo4j_database or 'default'})"
        return f"local FalkorDB graph '{self.graph}' in {self.server_dir}"


def open_store(config: GraphConfig, *, start: bool = True) -> tuple[GraphStore, bool]:
    """Returns (store, started_now). With no Neo4j URI, starts the local server when needed."""
    if config.neo4j_uri:
        from graph.neo4j_store import Neo4jStore

        neo4j = Neo4jStore(config.neo4j_uri, config.neo4j_user, config.neo4j_password,
                           config.neo4j_database)
        neo4j.check()
        return neo4j, False
    from graph.falkordb_store import FalkorDBStore

    server = LocalServer(config.server_dir)
    if start:
        status, started = server.start()
    else:
        status, started = server.status(), False
    return FalkorDBStore(status.socket, config.graph), started
