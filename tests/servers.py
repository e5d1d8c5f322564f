"""Real app processes for tests: ``conference`` commands and ``conference serve`` subprocesses.

Shared by the browser tests (one server) and the cross-process tests (several).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.waiting import block_until

# Migrating, seeding the demo and starting, on a machine other jobs may be keeping busy.
STARTUP_DEADLINE = 120.0
COMMAND_TIMEOUT = 120.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(*, var_dir: Path, base_url: str, **settings: str) -> dict[str, str]:
    """The environment of a test server; ``settings`` are ``CONFERENCE_*`` without prefix."""
    env = {
        **os.environ,
        "CONFERENCE_ENV": "development",
        "CONFERENCE_VAR_DIR": str(var_dir),
        "CONFERENCE_BASE_URL": base_url,
        # Cheap argon2id keeps sign-ins fast; verification reads the cost from each hash.
        "CONFERENCE_ARGON2_TIME_COST": "1",
        "CONFERENCE_ARGON2_MEMORY_KIB": "8",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("CONFERENCE_DATABASE_URL", "CONFERENCE_SECRET_KEY", "CONFERENCE_REDIS_URL"):
        env.pop(name, None)
    env.update({f"CONFERENCE_{name.upper()}": value for name, value in settings.items()})
    return env


def run_conference(env: dict[str, str], *args: str) -> str:
    """Run ``python -m conference ARGS`` to completion; its standard output. Fails the test
    with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "conference", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"conference {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result.stdout


@dataclass
class Server:
    """One ``conference serve`` subprocess."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def wait_healthy(self) -> None:
        """Return once /healthz answers; fail with the server's log if it never does."""

        def healthy() -> bool:
            if self.process.poll() is not None:
                pytest.fail(
                    f"server {self.name} exited with {self.process.returncode}:\n"
                    f"{self.log.read_text()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:  # noqa: S310
                    return bool(response.status == 200)
            except (urllib.error.URLError, OSError):
                return False

        block_until(
            healthy,
            lambda: f"server {self.name} to answer /healthz:\n{self.log.read_text()}",
            within=STARTUP_DEADLINE,
            interval=0.1,
        )

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_server(env: dict[str, str], *, name: str, port: int, log: Path) -> Server:
    """Start ``conference serve`` on ``port``, its output going to ``log``."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "conference",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(name=name, port=port, process=process, log=log)


def start_demo_server(
    var_dir: Path, *, name: str, log: Path | None = None, **settings: str
) -> Server:
    """A ``conference serve`` subprocess on a free port of 127.0.0.1, on a SQLite database
    in ``var_dir`` migrated and seeded with the demo; the memory hub and no job worker
    unless ``settings`` (``CONFERENCE_*`` without the prefix) say otherwise. The caller
    waits for it (:meth:`Server.wait_healthy`) and stops it.

    No worker by default: the demo queues the tiles of its 62 posters, minutes of CPU that
    a test not about jobs should not spend beside the tests running at the same time."""
    port = free_port()
    env = server_env(
        var_dir=var_dir,
        base_url=f"http://127.0.0.1:{port}",
        **{"redis_url": "memory://", "inline_worker": "false", **settings},
    )
    run_conference(env, "migrate")
    run_conference(env, "demo")
    return start_server(env, name=name, port=port, log=log or var_dir / "server.log")
