"""Reactions (tallied, one frame a second) and presence (viewers, summed over processes)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import redis.asyncio as redis_asyncio
from fastapi.testclient import TestClient

from conference.accounts.models import Role
from conference.realtime import hub as hub_module
from conference.realtime.backends import RedisBackend
from conference.realtime.hub import Hub
from conference.settings import Settings
from tests import services
from tests.realtime.live_session import live_client, publish_session, signed_in
from tests.realtime.sockets import acked, act, connect, refused

ATTENDEE = "attendee@example.org"


@pytest.fixture
def live(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app, its hub's once-a-second ticker held off for an hour: the tests tick
    themselves, so what a tick sends is exactly what the test did before it."""
    monkeypatch.setattr(hub_module, "TICK_SECONDS", 3600.0)
    with live_client(settings) as client:
        yield client


def tick(client: TestClient) -> None:
    hub: Hub = client.app.state.ctx.realtime.hub  # type: ignore[attr-defined]
    client.portal.call(hub.tick)  # type: ignore[union-attr]


def test_reactions_are_summed_into_one_frame(live: TestClient, sockets: ExitStack) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    watcher = connect(sockets, live, session)
    signed_in(live, ATTENDEE)
    reactor = connect(sockets, live, session)
    for i, emoji in enumerate(["👏", "🎉", "👏", "👏", "🎉"]):
        act(reactor, "reaction", session, f"r{i}", emoji=emoji)
        assert acked(reactor, f"r{i}") == {}
    for ref, data in [("x1", {"emoji": "💩"}), ("x2", {}), ("x3", {"emoji": "👏", "n": 2})]:
        reactor.send_json({"type": "reaction", "channel": session, "ref": ref, "data": data})
        assert refused(reactor, ref) == "invalidinput"
    reactor.send_json(
        {"type": "reaction", "channel": "meeting", "ref": "x4", "data": {"emoji": "👏"}}
    )
    assert refused(reactor, "x4") == "not_subscribed"
    tick(live)
    for ws in (watcher, reactor):
        assert ws.receive_json() == {
            "v": 1,
            "type": "reactions",
            "channel": session,
            "data": {"counts": {"👏": 3, "🎉": 2}},
        }
        assert ws.receive_json() == {
            "v": 1,
            "type": "presence",
            "channel": session,
            "data": {"viewers": 2},
        }
    # Nothing new: the next tick sends neither an empty tally nor an unchanged count.
    tick(live)
    act(watcher, "reaction", session, "w1", emoji="🤔")
    assert acked(watcher, "w1") == {}
    tick(live)
    assert watcher.receive_json()["data"] == {"counts": {"🤔": 1}}


def test_presence_follows_joins_and_leaves(live: TestClient, sockets: ExitStack) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    first = connect(sockets, live, session)
    tick(live)
    assert first.receive_json()["data"] == {"viewers": 1}
    signed_in(live, ATTENDEE, Role.attendee)
    second = connect(sockets, live, session)
    tick(live)
    for ws in (first, second):
        frame = ws.receive_json()
        assert (frame["type"], frame["channel"], frame["data"]) == (
            "presence",
            session,
            {"viewers": 2},
        )
    second.send_json({"type": "unsubscribe", "channel": session, "ref": "u"})
    assert acked(second, "u") == {}
    tick(live)
    assert first.receive_json()["data"] == {"viewers": 1}
    # The one who left hears nothing more from the session; its connection still answers.
    second.send_json({"type": "ping", "ref": "p"})
    assert second.receive_json()["type"] == "pong"


async def test_redis_presence_sums_processes() -> None:
    backend = RedisBackend(services.redis_url())
    await backend.start()
    channel = f"session:{uuid.uuid4()}"
    try:
        assert await backend.presence(channel, "process-a", 2) == 2
        assert await backend.presence(channel, "process-b", 3) == 5
        assert await backend.presence(channel, "process-a", 0) == 3
    finally:
        client = redis_asyncio.Redis.from_url(services.redis_url())
        await client.delete(f"presence:{channel}")
        await client.aclose()
        await backend.close()
