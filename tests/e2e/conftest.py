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
from tests.e2e.browser import ACTION_TIMEOUT_MS, BROWSER_TIME_ZONE, CHROMIUM_ARGS
from tests.e2e.people import People
from tests.servers import start_demo_server


@pytest.fixture(scope="session")
def live_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's var directory (its mail goes to ``outbox/`` there)."""
    return tmp_path_factory.mktemp("e2e-var")


@pytest.fixture(scope="session")
def live_outbox(live_var_dir: Path) -> Path:
    return live_var_dir / "outbox"


@pytest.fixture(scope="session")
def live_server(live_var_dir: Path) -> Iterator[str]:
    """The base URL of a migrated, demo-seeded server running in a subprocess, with its job
    worker: the journeys upload videos and PDFs (they go before the demo's bulk renders)."""
    server = start_demo_server(live_var_dir, name="e2e", inline_worker="true")
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


@pytest.fixture
def people(browser: Browser, live_server: str) -> Iterator[People]:
    """Demo accounts in browser contexts of their own on the live server, closed after."""
    crowd = People(browser, live_server)
    try:
        yield crowd
    finally:
        crowd.close()
