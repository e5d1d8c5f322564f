"""The /ws gateway: authentication, Origin, subscriptions, replay, limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from conference.accounts.models import Role
from conference.main import create_app
from conference.realtime import events
from conference.realtime.protocol import CLOSE_ORIGIN, CLOSE_UNAUTHENTICATED, encode
from conference.settings import Settings
from tests.factories import PASSWORD

ORIGIN = {"origin": "http://testserver"}


@pytest.fixture
def live(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


def signed_in(client: TestClient, email: str, *roles: Role) -> TestClient:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def make() -> None:
        from conference.accounts import service

        async with ctx.db.session() as db:
            await service.ensure_user(
                db,
                email=email,
                name=email.split("@")[0],
                password=PASSWORD,
                roles=roles or (Role.attendee,),
                passwords=ctx.passwords,
            )

    client.portal.call(make)  # type: ignore[union-attr]
    # Another user signs in as if in another browser: signing in from this one would end
    # the session of the websockets it already opened (and close them).
    client.cookies.delete("cytokines_session")
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    return client


def test_refuses_anonymous_and_foreign_origin(live: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as anonymous,
        live.websocket_connect("/ws", headers=ORIGIN),
    ):
        pass
    assert anonymous.value.code == CLOSE_UNAUTHENTICATED
    signed_in(live, "a@example.org")
    with (
        pytest.raises(WebSocketDisconnect) as foreign,
        live.websocket_connect("/ws", headers={"origin": "https://evil.example"}),
    ):
        pass
    assert foreign.value.code == CLOSE_ORIGIN


def test_welcome_ping_and_bad_messages(live: TestClient) -> None:
    signed_in(live, "a@example.org")
    with live.websocket_connect("/ws", headers=ORIGIN) as ws:
        welcome = ws.receive_json()
        assert welcome["type"] == "welcome"
        assert welcome["data"]["protocol"] == 1
        ws.send_json({"type": "ping", "ref": "p1"})
        assert ws.receive_json() == {"v": 1, "type": "pong", "ref": "p1", "data": {}}
        ws.send_text("not json")
        assert ws.receive_json()["data"]["code"] == "bad_message"
        ws.send_json({"type": "subscribe", "channel": "nowhere:1"})
        assert ws.receive_json()["data"]["code"] == "bad_message"
        ws.send_text("x" * 20_000)
        assert ws.receive_json()["data"]["code"] == "too_big"
        ws.send_json({"type": "no.such", "ref": "r"})
        assert ws.receive_json()["data"]["code"] == "unknown_type"
        ws.send_bytes(b'{"type":"ping"}')
        assert ws.receive_json()["data"]["code"] == "bad_message"
        # The connection is still usable after every refusal.
        ws.send_json({"type": "ping", "ref": "p2"})
        assert ws.receive_json()["ref"] == "p2"


def test_other_websocket_paths_go_to_the_app(live: TestClient) -> None:
    """Only /ws is taken before the app; any other websocket path is the router's (none)."""
    signed_in(live, "a@example.org")
    with pytest.raises(WebSocketDisconnect), live.websocket_connect("/ws/x", headers=ORIGIN):
        pass
    with live.websocket_connect("/ws", headers=ORIGIN) as ws:
        assert ws.receive_json()["type"] == "welcome"


def test_user_channel_is_private(live: TestClient) -> None:
    signed_in(live, "a@example.org")
    me = live.get("/api/v1/me").json()["id"]
    with live.websocket_connect("/ws", headers=ORIGIN) as ws:
        ws.receive_json()
        ws.send_json({"type": "subscribe", "channel": f"user:{me + 1}", "ref": "x"})
        refused = ws.receive_json()
        assert refused["data"]["code"] == "forbidden"
        ws.send_json({"type": "subscribe", "channel": f"user:{me}", "ref": "y"})
        assert ws.receive_json()["type"] == "subscribed"


def test_replay_since_returns_exactly_the_missed_events(live: TestClient) -> None:
    signed_in(live, "a@example.org")
    ctx = live.app.state.ctx  # type: ignore[attr-defined]

    async def publish(n: int) -> list[int]:
        ids = []
        async with ctx.db.session() as db:
            for i in range(n):
                event = await events.record(db, channel="meeting", type="test", data={"n": i})
                ids.append(event.id)
            await db.commit()
        return ids

    first = live.portal.call(publish, 3)  # type: ignore[union-attr]
    with live.websocket_connect("/ws", headers=ORIGIN) as ws:
        ws.receive_json()
        ws.send_json({"type": "subscribe", "channel": "meeting", "since": first[0]})
        replayed: list[dict[str, Any]] = [ws.receive_json(), ws.receive_json()]
        assert [e["id"] for e in replayed] == first[1:]
        subscribed = ws.receive_json()
        assert subscribed["type"] == "subscribed"
        assert subscribed["data"]["last_id"] == first[-1]


def test_live_event_reaches_subscriber(live: TestClient) -> None:
    signed_in(live, "a@example.org")
    hub = live.app.state.ctx.realtime.hub  # type: ignore[attr-defined]
    with live.websocket_connect("/ws", headers=ORIGIN) as ws:
        ws.receive_json()
        ws.send_json({"type": "subscribe", "channel": "meeting"})
        assert ws.receive_json()["type"] == "subscribed"
        frame = encode("announcement", channel="meeting", data={"message": "Hello"})

        async def publish() -> None:
            await hub.publish("meeting", frame)
            await asyncio.sleep(0)

        live.portal.call(publish)  # type: ignore[union-attr]
        got = ws.receive_json()
        assert got["type"] == "announcement"
        assert got["data"] == {"message": "Hello"}
