"""The live panel on a session's page: the panel for signed-in users, a sign-in link otherwise."""

from __future__ import annotations

import re

import httpx
import pytest

from conference.accounts.models import Role
from tests.factories import UserFactory, sign_in
from tests.program.factories import ProgramBuilder

pytestmark = pytest.mark.usefixtures("demo_meeting")

HTML = {"Accept": "text/html"}
ORGANIZER = "organizer@example.org"
ATTENDEE = "attendee@example.org"


async def publish_session(client: httpx.AsyncClient, users: UserFactory) -> str:
    """Publish a one-session program as an organizer; its GUID (the client stays signed in)."""
    await users.create(Role.organizer, email=ORGANIZER)
    await sign_in(client, ORGANIZER)
    build = ProgramBuilder(client)
    stage = await build.stage("Main Stage")
    session = await build.session(
        "Interferon keynote",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=stage["id"],
    )
    published = await build.publish(confirm=True, note="Live panel test")
    assert published.status_code == 201, published.text
    guid: str = session["guid"]
    return guid


async def signed_out(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/auth/logout")
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)


def live_panel(html: str) -> str:
    match = re.search(
        r'<section class="panel live"[^>]*data-testid="session-live".*?</section>', html, re.S
    )
    assert match, "no live panel on the page"
    return match.group(0)


async def test_signed_in_users_get_the_live_panel(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    guid = await publish_session(client, users)
    await signed_out(client)
    attendee = await users.create(Role.attendee, email=ATTENDEE, name="Ada Attendee")
    await sign_in(client, ATTENDEE)

    response = await client.get(f"/program/sessions/{guid}", headers=HTML)

    assert response.status_code == 200
    html = response.text
    panel = live_panel(html)
    assert f'data-session-guid="{guid}"' in panel
    assert f'data-user-id="{attendee.id}"' in panel
    assert 'aria-labelledby="live-h"' in panel
    # Our own script and stylesheet (the CSP allows no inline script or style).
    assert re.search(r'<script src="[^"]*/static/js/realtime\.js" defer></script>', html)
    # The page's one socket (socket.js) runs before the features that share it.
    assert re.search(r'<script src="[^"]*/static/js/socket\.js" defer></script>', html)
    assert html.index("/static/js/socket.js") < html.index("/static/js/realtime.js")
    assert re.search(r'<link rel="stylesheet" href="[^"]*/static/css/realtime\.css">', html)
    assert "<script>" not in html
    assert " style=" not in html
    # Chat, Q&A and polls, each control labelled; the moderation tab stays hidden until
    # the server accepts the subscription to moderation:<guid>.
    for tab in ("live-tab-chat", "live-tab-qa", "live-tab-polls"):
        assert f'id="{tab}"' in panel
    assert re.search(r'id="live-tab-moderation"[^>]* hidden>', panel)
    assert '<label for="chat-body">Message</label>' in panel
    assert '<label for="qa-body">Your question</label>' in panel
    assert panel.count('class="reaction"') == 6
    assert 'aria-live="polite"' in panel
    assert "Sign in to join the chat" not in html


async def test_anonymous_visitors_are_asked_to_sign_in(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    guid = await publish_session(client, users)
    await signed_out(client)

    response = await client.get(f"/program/sessions/{guid}", headers=HTML)

    assert response.status_code == 200
    html = response.text
    assert "Sign in to join the chat and ask questions" in html
    assert f'<a href="/signin?next=/program/sessions/{guid}">Sign in to join the chat' in html
    assert "data-session-guid" not in html
    assert "js/realtime.js" not in html
    assert "js/socket.js" not in html


async def test_the_panel_is_on_no_page_of_an_unknown_session(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    await publish_session(client, users)

    response = await client.get("/program/sessions/not-a-session", headers=HTML)

    assert response.status_code == 404
    assert "data-session-guid" not in response.text
