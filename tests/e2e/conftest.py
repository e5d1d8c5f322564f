"""Browser tests: the real server (``conference serve``) driven by Debian Chromium.

The server runs as a subprocess on a free port with its own var directory (SQLite
database, secret key), migrated and seeded with the demo meeting and accounts.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import services

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_DEADLINE = 30.0
COMMAND_TIMEOUT = 120.0
# Every page action waits at most this long (ms).
ACTION_TIMEOUT_MS = 10_000
# The browser's own zone: neither the meeting's nor the demo attendee's, so a page that
# showed the browser's zone instead of the account's would fail the tests.
BROWSER_TIME_ZONE = "Europe/Paris"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _conference(env: dict[str, str], *args: str) -> None:
    """Run ``python -m conference ARGS`` to completion; fail the run with its output if not."""
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


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    pytest.fail(
        f"the server did not answer /healthz within {STARTUP_DEADLINE:.0f} s:\n{log.read_text()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a migrated, demo-seeded server running in a subprocess."""
    var_dir = tmp_path_factory.mktemp("e2e-var")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CONFERENCE_ENV": "development",
        "CONFERENCE_VAR_DIR": str(var_dir),
        "CONFERENCE_BASE_URL": base_url,
        "CONFERENCE_REDIS_URL": "memory://",
        # Cheap argon2id keeps sign-ins fast; verification reads the cost from each hash.
        "CONFERENCE_ARGON2_TIME_COST": "1",
        "CONFERENCE_ARGON2_MEMORY_KIB": "8",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CONFERENCE_DATABASE_URL", None)
    env.pop("CONFERENCE_SECRET_KEY", None)
    _conference(env, "migrate")
    _conference(env, "demo")

    log = var_dir / "server.log"
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
        try:
            _wait_healthy(base_url, process, log)
            yield base_url
        finally:
            _stop(process)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian Chromium, shared by the tests of this folder.

    Package scope, not session: while the sync API is active its event loop counts as
    running in the main thread, so it must be closed before the async tests of other
    folders run (and the tests here must stay sync).
    """
    executable = services.chromium_path()  # skips (or fails in CI) before starting Playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh context (no cookies) and page per test, with relative URLs on the server."""
    context = browser.new_context(
        base_url=live_server, locale="en-GB", timezone_id=BROWSER_TIME_ZONE
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
