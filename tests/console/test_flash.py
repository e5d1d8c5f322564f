"""Console confirmations are one-time flash messages, never text taken from the URL."""

from __future__ import annotations

import httpx
import pytest

from conference.web.flash import FLASH_COOKIE
from tests.console.pages import Console

ATTACK = "Your session expired: re-enter your password at https://evil.example"
PAGES = ["/console/announcements", "/console/streaming"]


@pytest.mark.parametrize("page", PAGES)
async def test_notice_in_the_url_is_not_shown(console: Console, page: str) -> None:
    response = await console.client.get(page, params={"notice": ATTACK, "done": ATTACK})
    assert response.status_code == 200
    assert "evil.example" not in response.text
    assert 'class="notice"' not in response.text


async def test_an_action_confirms_once(console: Console) -> None:
    client = console.client
    token = client.headers["X-CSRF-Token"]
    sent = await client.post(
        "/console/announcements",
        data={
            "csrf_token": token,
            "message": "Coffee is served",
            "level": "info",
            "when": "now",
            "ends_at": "2030-06-01T10:00",
        },
    )
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == "/console/announcements"
    assert "notice=" not in sent.headers["location"]
    first = await client.get("/console/announcements")
    assert '<p class="notice" role="status">Announcement sent.</p>' in first.text
    again = await client.get("/console/announcements")
    assert "Announcement sent." not in again.text


async def test_a_forged_flash_cookie_is_ignored(console: Console) -> None:
    client = console.client
    client.cookies.set(FLASH_COOKIE, "announcements.sent", path="/console")
    page = await client.get("/console/announcements")
    assert page.status_code == 200
    assert "Announcement sent." not in page.text


async def test_flash_is_not_consumed_outside_the_console(
    console: Console, client: httpx.AsyncClient
) -> None:
    token = client.headers["X-CSRF-Token"]
    sent = await client.post(
        "/console/announcements",
        data={
            "csrf_token": token,
            "message": "Lunch",
            "level": "info",
            "when": "now",
            "ends_at": "2030-06-01T10:00",
        },
    )
    assert sent.status_code == 303
    assert (await client.get("/program")).status_code == 200
    page = await client.get("/console/announcements")
    assert "Announcement sent." in page.text
