"""`make run PORT=…`: a development server on a port other than 8000, started by the CLI
as the Makefile starts it (``conference demo`` and ``conference serve`` given --host and
--port, no CONFERENCE_BASE_URL), is usable from a browser at the address it was opened by.

Before the base URL followed the port, every /ws handshake was refused (its Origin was not
http://127.0.0.1:8000) and chat said "Reconnecting" for ever.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.people import ATTENDEE, LIVE_MS, SPEAKER, People, chat, open_live, session_guid
from tests.servers import free_port, run_conference, server_env, start_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """(port, demo output) of a server on a free port, configured only by --host/--port."""
    var_dir = tmp_path_factory.mktemp("dev-port-var")
    port = free_port()
    assert port != 8000
    env = server_env(var_dir=var_dir, base_url="", redis_url="memory://")
    del env["CONFERENCE_BASE_URL"]
    run_conference(env, "migrate")
    demo = run_conference(env, "demo", "--host", "127.0.0.1", "--port", str(port))
    server = start_server(env, name="dev-port", port=port, log=var_dir / "server.log")
    try:
        server.wait_healthy()
        yield port, demo
    finally:
        server.stop()


def test_demo_prints_the_addresses_of_the_port_served_on(dev_server: tuple[int, str]) -> None:
    port, demo = dev_server
    assert f"OBS (WHIP): server http://127.0.0.1:{port}/whip/plenary-hall, bearer token " in demo
    assert f"sign in at http://127.0.0.1:{port}/signin" in demo
    assert ":8000" not in demo


def test_chat_works_from_localhost_and_127_0_0_1(
    browser: Browser, dev_server: tuple[int, str], tmp_path: Path
) -> None:
    port, _ = dev_server
    # One person opened the address `make run` printed, the other typed localhost.
    numeric, named = (
        People(browser, f"http://127.0.0.1:{port}"),
        People(browser, f"http://localhost:{port}"),
    )
    try:
        a = named.signed_in(ATTENDEE)
        b = numeric.signed_in(SPEAKER)
        guid = session_guid(a)
        open_live(a, guid)  # "Connected.": the handshake from localhost was accepted
        open_live(b, guid)
        tag = uuid.uuid4().hex[:6]
        chat(a, f"Hello from localhost {tag}")
        expect(b.locator("[data-chat-log]")).to_contain_text(
            f"Hello from localhost {tag}", timeout=LIVE_MS
        )
        expect(a.locator("[data-chat-log]")).to_contain_text(
            f"Hello from localhost {tag}", timeout=LIVE_MS
        )
        chat(b, f"Hello from 127.0.0.1 {tag}")
        expect(a.locator("[data-chat-log]")).to_contain_text(
            f"Hello from 127.0.0.1 {tag}", timeout=LIVE_MS
        )
        # The personal calendar feed's address names the port served on.
        a.goto("/agenda")
        expect(a.get_by_test_id("feed-url")).to_have_value(
            re.compile(rf"^http://127\.0\.0\.1:{port}/agenda/feed/[^/]+\.ics$")
        )
        assert named.errors == []
        assert numeric.errors == []
    finally:
        named.close()
        numeric.close()
