"""Sockets end with their session: sign-out, password change, deletion, role change.

Each test runs on both databases and both hubs (``memory://`` and ``redis://``, where the
account change makes the round trip through Redis pub/sub even within one process);
tests/realtime/test_cross_process.py shows it crossing between two processes.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from conference.accounts.models import Role, UserSession
from conference.realtime.protocol import CLOSE_UNAUTHENTICATED
from conference.settings import Settings
from tests import services
from tests.app_settings import app_settings
from tests.factories import PASSWORD
from tests.realtime.live_session import (
    ORGANIZER,
    connect,
    publish_session,
    receive,
    signed_in,
    subscribe,
    welcome,
)

ADMIN = "admin@example.org"
ALICE = "alice@example.org"


@pytest.fixture(params=["memory", "redis"])
def settings(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Settings:
    """The app's settings with each hub backend (the ``live`` fixture runs the app on it)."""
    if request.param == "memory":
        return app_settings(database_url, tmp_path / "var")
    return app_settings(
        database_url,
        tmp_path / "var",
        redis_url=services.redis_url(),
        hub_prefix=f"test-{uuid.uuid4().hex[:8]}:",
    )


def closed_with(ws: WebSocketTestSession) -> tuple[int, str]:
    """Read until the server closes the socket; its close code and reason."""
    while True:
        try:
            receive(ws)
        except WebSocketDisconnect as closed:
            return closed.code, closed.reason


def still_open(ws: WebSocketTestSession) -> None:
    ws.send_json({"type": "ping", "ref": "alive"})
    while (frame := receive(ws))["type"] != "pong":
        pass
    assert frame["ref"] == "alive"


def session_count(client: TestClient) -> int:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def count() -> int:
        from sqlalchemy import func, select

        async with ctx.db.session() as db:
            return int(await db.scalar(select(func.count()).select_from(UserSession)) or 0)

    result: int = client.portal.call(count)  # type: ignore[union-attr]
    return result


def test_sign_out_closes_that_sessions_sockets_only(live: TestClient) -> None:
    signed_in(live, ALICE)
    with connect(live) as first:
        welcome(first)
        signed_in(live, ALICE)  # a second browser of the same user
        with connect(live) as second:
            welcome(second)
            assert live.post("/api/v1/auth/logout").status_code == 204
            code, reason = closed_with(second)
            assert (code, reason) == (CLOSE_UNAUTHENTICATED, "signed out")
            still_open(first)


def test_sign_out_page_closes_the_socket(live: TestClient) -> None:
    signed_in(live, ALICE)
    with connect(live) as ws:
        welcome(ws)
        assert live.post("/signout", follow_redirects=False).status_code == 303
        assert closed_with(ws) == (CLOSE_UNAUTHENTICATED, "signed out")


def test_password_change_closes_the_other_sessions_sockets(live: TestClient) -> None:
    signed_in(live, ALICE)
    with connect(live) as other:
        welcome(other)
        signed_in(live, ALICE)
        with connect(live) as this:
            welcome(this)
            changed = live.post(
                "/api/v1/me/password",
                json={"current_password": PASSWORD, "new_password": "a-new-password-123"},
            )
            assert changed.status_code == 204
            code, reason = closed_with(other)
            assert code == CLOSE_UNAUTHENTICATED
            assert reason == "password changed: sign in again"
            still_open(this)  # the browser that changed it stays signed in


def test_account_deletion_closes_every_socket(live: TestClient) -> None:
    signed_in(live, ALICE)
    with connect(live) as first:
        welcome(first)
        signed_in(live, ALICE)
        with connect(live) as second:
            welcome(second)
            deleted = live.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
            assert deleted.status_code == 204
            assert closed_with(first) == (CLOSE_UNAUTHENTICATED, "account deleted")
            assert closed_with(second) == (CLOSE_UNAUTHENTICATED, "account deleted")


def test_an_action_on_an_ended_session_is_refused_even_without_the_event(
    live: TestClient,
) -> None:
    """Pub/sub may lose the control event: every action checks the session itself."""
    signed_in(live, ALICE)
    ctx = live.app.state.ctx  # type: ignore[attr-defined]
    with connect(live) as ws:
        welcome(ws)

        async def end_quietly() -> None:
            from sqlalchemy import delete

            async with ctx.db.session() as db:
                await db.execute(delete(UserSession))
                await db.commit()

        live.portal.call(end_quietly)  # type: ignore[union-attr]
        ws.send_json({"type": "subscribe", "channel": "meeting", "ref": "m"})
        assert closed_with(ws) == (CLOSE_UNAUTHENTICATED, "session ended: sign in again")


def test_role_removal_drops_the_moderation_channel(live: TestClient) -> None:
    guid = publish_session(live)  # signed in as ORGANIZER
    organizer_id = live.get("/api/v1/me").json()["id"]
    hub = live.app.state.ctx.realtime.hub  # type: ignore[attr-defined]
    with connect(live) as ws:
        welcome(ws)
        subscribe(ws, f"session:{guid}")
        subscribe(ws, f"moderation:{guid}")
        signed_in(live, ADMIN, Role.admin)
        assert len(hub.user_connections(organizer_id)) == 1
        demoted = live.put(f"/api/v1/users/{organizer_id}/roles", json={"roles": ["attendee"]})
        assert demoted.status_code == 200, demoted.text
        dropped = receive(ws)
        assert dropped["type"] == "unsubscribed"
        assert dropped["channel"] == f"moderation:{guid}"
        assert dropped["data"]["code"] == "forbidden"
        assert hub.local_count(f"moderation:{guid}") == 0
        assert hub.local_count(f"session:{guid}") == 1  # still allowed: kept
        still_open(ws)
        # Subscribing again is refused now.
        ws.send_json({"type": "subscribe", "channel": f"moderation:{guid}", "ref": "again"})
        assert receive(ws)["data"]["code"] == "forbidden"


@pytest.mark.parametrize("change", ["unlink", "off the session"])
def test_a_chair_taken_off_leaves_the_moderation_channel(live: TestClient, change: str) -> None:
    """Chairing is a role too: unlinking the chair's person from the account, or publishing
    the session without that chair, drops the moderation channel at once."""
    chair = "chiara@example.org"
    guid = publish_session(live, chair_email=chair)  # signed in as ORGANIZER
    [person] = live.get("/api/v1/program/people", params={"q": "Chiara"}).json()
    signed_in(live, chair)
    with connect(live) as ws:
        welcome(ws)
        subscribe(ws, f"session:{guid}")
        subscribe(ws, f"moderation:{guid}")
        signed_in(live, ORGANIZER, Role.organizer)
        if change == "unlink":
            changed = live.patch(f"/api/v1/program/people/{person['id']}", json={"user_id": None})
            assert changed.status_code == 200, changed.text
        else:
            [draft] = live.get("/api/v1/program/draft/sessions").json()
            edited = live.patch(
                f"/api/v1/program/draft/sessions/{draft['id']}", json={"chair_ids": []}
            )
            assert edited.status_code == 200, edited.text
            published = live.post(
                "/api/v1/program/publish", json={"confirm_warnings": True, "note": ""}
            )
            assert published.status_code == 201, published.text
        dropped = receive(ws)
        while dropped["type"] != "unsubscribed":  # program events may come first
            dropped = receive(ws)
        assert dropped["channel"] == f"moderation:{guid}"
        assert dropped["data"]["code"] == "forbidden"
        still_open(ws)
        ws.send_json({"type": "subscribe", "channel": f"moderation:{guid}", "ref": "again"})
        assert receive(ws)["data"]["code"] == "forbidden"


def test_role_change_by_a_non_admin_is_refused(live: TestClient) -> None:
    signed_in(live, ALICE)
    alice_id = live.get("/api/v1/me").json()["id"]
    signed_in(live, ORGANIZER, Role.organizer)
    refused = live.put(f"/api/v1/users/{alice_id}/roles", json={"roles": ["organizer"]})
    assert refused.status_code == 403


def test_sockets_are_indexed_by_user(live: TestClient) -> None:
    """Finding a user's sockets is a lookup; other users' sockets are never touched."""
    hub = live.app.state.ctx.realtime.hub  # type: ignore[attr-defined]
    signed_in(live, ALICE)
    alice = live.get("/api/v1/me").json()["id"]
    with connect(live) as alice_ws:
        welcome(alice_ws)
        signed_in(live, "bob@example.org")
        bob = live.get("/api/v1/me").json()["id"]
        with connect(live) as bob_ws:
            welcome(bob_ws)
            assert [c.user_id for c in hub.user_connections(alice)] == [alice]
            assert [c.user_id for c in hub.user_connections(bob)] == [bob]
            assert live.post("/api/v1/auth/logout").status_code == 204
            assert closed_with(bob_ws)[0] == CLOSE_UNAUTHENTICATED
            still_open(alice_ws)
        assert session_count(live) == 1
