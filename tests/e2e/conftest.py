"""Browser tests: the real server (``conference serve``) driven by Debian Chromium.

The server runs as a subprocess on a free port with its own var directory (SQLite
database, secret key), migrated and seeded with the demo meeting and accounts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import services
from tests.servers import free_port, run_conference, server_env, start_server

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WebRTC with a fake camera and microphone, on loopback, playing without a gesture.
MEDIA_ARGS = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
]
# Every page action waits at most this long (ms).
ACTION_TIMEOUT_MS = 10_000
# The browser's own zone: neither the meeting's nor the demo attendee's, so a page that
# showed the browser's zone instead of the account's would fail the tests.
BROWSER_TIME_ZONE = "Europe/Paris"


@pytest.fixture(scope="session")
def live_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's var directory (its mail goes to ``outbox/`` there)."""
    return tmp_path_factory.mktemp("e2e-var")


@pytest.fixture(scope="session")
def live_outbox(live_var_dir: Path) -> Path:
    return live_var_dir / "outbox"


@pytest.fixture(scope="session")
def live_server(live_var_dir: Path) -> Iterator[str]:
    """The base URL of a migrated, demo-seeded server running in a subprocess."""
    var_dir = live_var_dir
    port = free_port()
    env = server_env(var_dir=var_dir, base_url=f"http://127.0.0.1:{port}", redis_url="memory://")
    run_conference(env, "migrate")
    run_conference(env, "demo")
    server = start_server(env, name="e2e", port=port, log=var_dir / "server.log")
    try:
        server.wait_healthy()
        yield server.url
    finally:
        server.stop()


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
