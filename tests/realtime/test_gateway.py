"""The /ws gateway: authentication, Origin, subscriptions, replay, limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from conference.main import create_app
from conference.realtime import events
from conference.realtime.gateway import origin_allowed
from conference.realtime.protocol import CLOSE_ORIGIN, CLOSE_UNAUTHENTICATED, encode
from conference.realtime.schemas import Payload
from conference.settings import Environment, Settings
from tests.app_settings import app_settings
from tests.realtime.live_session import ORIGIN, signed_in


class Numbered(Payload):
    """The data of the durable test events these tests write."""

    n: int


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
                event = await events.record(db, channel="meeting", type="test", data=Numbered(n=i))
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

        live.portal.call(hub.publish, "meeting", frame)  # type: ignore[union-attr]
        got = ws.receive_json()
        assert got["type"] == "announcement"
        assert got["data"] == {"message": "Hello"}


def _origin_code(client: TestClient, origin: str) -> int | str:
    """The welcome's type if the handshake is accepted, else the close code refusing it."""
    # The handshake goes to the client's own address (its base URL), as its Host says.
    url = str(client.base_url.copy_with(scheme="ws", path="/ws"))
    headers = {"origin": origin, "host": client.base_url.netloc.decode()}
    try:
        with client.websocket_connect(url, headers=headers) as ws:
            answer: str = ws.receive_json()["type"]
            return answer
    except WebSocketDisconnect as refused:
        return refused.code


def test_development_loopback_server_accepts_the_address_the_browser_used(
    database_url: str, tmp_path: Path
) -> None:
    # `make run PORT=8301`: no CONFERENCE_BASE_URL, so it is http://127.0.0.1:8301; the
    # browser opened http://localhost:8301 (its Host and Origin say so).
    settings = app_settings(database_url, tmp_path / "var", base_url="", port=8301)
    assert settings.base_url == "http://127.0.0.1:8301"
    with TestClient(create_app(settings), base_url="http://localhost:8301") as client:
        signed_in(client, "a@example.org")
        assert _origin_code(client, "http://localhost:8301") == "welcome"
        # The configured address stays accepted; a loopback address the browser did not use
        # (not the Host) is refused.
        assert _origin_code(client, "http://127.0.0.1:8301") == "welcome"
        assert _origin_code(client, "http://127.0.0.2:8301") == CLOSE_ORIGIN
        # Another local port's page, another site, https on the same name: all refused.
        assert _origin_code(client, "http://localhost:3000") == CLOSE_ORIGIN
        assert _origin_code(client, "https://localhost:8301") == CLOSE_ORIGIN
        assert _origin_code(client, "https://evil.example") == CLOSE_ORIGIN
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8301") as client:
        signed_in(client, "a@example.org")
        assert _origin_code(client, "http://127.0.0.1:8301") == "welcome"


def test_origin_rule_outside_development_loopback() -> None:
    production = Settings(
        env=Environment.production, base_url="https://meeting.example", secret_key="k" * 40
    )
    assert origin_allowed("https://meeting.example", host_header="x", settings=production)
    assert origin_allowed("HTTPS://Meeting.Example", host_header="x", settings=production)
    # Production never takes the browser's word, even for loopback addresses.
    for origin, host in (
        ("http://localhost:8000", "localhost:8000"),
        ("http://[::1]:8000", "[::1]:8000"),
    ):
        assert not origin_allowed(origin, host_header=host, settings=production)
    # A development server published under a real name is not a loopback server.
    named = Settings(base_url="http://meeting.lan:8000", secret_key="k" * 40)
    assert not origin_allowed("http://localhost:8000", host_header="localhost:8000", settings=named)
    loopback = Settings(port=8301, secret_key="k" * 40)
    assert origin_allowed("http://[::1]:8301", host_header="[::1]:8301", settings=loopback)
    assert origin_allowed("http://127.0.0.2:8301", host_header="127.0.0.2:8301", settings=loopback)
    # A rebound DNS name pointing at 127.0.0.1 is not a loopback name.
    assert not origin_allowed(
        "http://rebound.example:8301", host_header="rebound.example:8301", settings=loopback
    )
    assert not origin_allowed("", host_header="", settings=loopback)
