"""The hub under stress and misuse: slow clients, restarts, limits, refusals, fan-out.

The hub tests drive :class:`Hub` and :class:`Connection` directly with a stand-in for the
websocket (``FakeSocket``): the real writer task runs, only the socket is a test double,
so a slow peer can be made to block exactly where a real one would (``send_text``).
The gateway tests use the Starlette TestClient on the demo meeting.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redis_asyncio
from fastapi.testclient import TestClient
from starlette.types import Message
from starlette.websockets import WebSocketState

from conference.demo import DEMO_PASSWORD, seed_demo
from conference.main import create_app
from conference.realtime.backends import HubBackend, MemoryBackend, RedisBackend
from conference.realtime.connection import Connection
from conference.realtime.hub import Hub
from conference.realtime.protocol import CLOSE_TOO_SLOW, MAX_CLIENT_FRAME, encode
from conference.realtime.ratelimit import LIMITS
from conference.realtime.schemas import Payload
from conference.settings import Settings
from tests import databases, services
from tests.app_settings import app_settings
from tests.realtime.live_session import ORIGIN, refill
from tests.waiting import wait_until

# Generous: a loaded machine may be slow, and a passing test never waits this long.
DELIVERY_TIMEOUT = 30.0


class Numbered(Payload):
    """The data of the durable test events these tests write."""

    n: int


# Hub and connections, on both backends ---------------------------------------------------


class FakeSocket:
    """What :class:`Connection` uses of a websocket; ``gate`` unset makes it a slow peer."""

    def __init__(self, *, slow: bool = False) -> None:
        self.sent: list[str] = []
        self.gate = asyncio.Event()
        if not slow:
            self.gate.set()
        self.application_state = WebSocketState.CONNECTED
        self.closed: tuple[int, str] | None = None
        self.closed_event = asyncio.Event()
        self.arrived = asyncio.Event()

    async def send_text(self, text: str) -> None:
        await self.gate.wait()
        self.sent.append(text)
        self.arrived.set()

    async def send(self, message: Message) -> None:
        """The ASGI ``send`` the connection's writer uses."""
        if message["type"] == "websocket.close":
            await self.close(message["code"], message["reason"])
            return
        await self.send_text(message["text"])

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed = (code, reason or "")
        self.application_state = WebSocketState.DISCONNECTED
        self.closed_event.set()


def connection(socket: FakeSocket, *, user_id: int, queue_size: int) -> Connection:
    return Connection(
        socket.send, user_id=user_id, user_name=f"user {user_id}", queue_size=queue_size
    )


@pytest.fixture(params=["memory", "redis"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[HubBackend]:
    chosen: HubBackend = (
        MemoryBackend() if request.param == "memory" else RedisBackend(services.redis_url())
    )
    await chosen.start()
    try:
        yield chosen
    finally:
        await chosen.close()


def fresh_channel() -> str:
    # Pub/sub is global to a Redis server: a channel of its own per test.
    return f"session:{uuid.uuid4()}"


async def test_slow_client_is_dropped_and_fast_client_gets_everything(
    backend: HubBackend,
) -> None:
    queue_size = 8
    hub = Hub(backend, queue_size=queue_size)
    channel = fresh_channel()
    fast_socket, slow_socket = FakeSocket(), FakeSocket(slow=True)
    fast = connection(fast_socket, user_id=1, queue_size=queue_size)
    slow = connection(slow_socket, user_id=2, queue_size=queue_size)
    for each in (fast, slow):
        each.start()
        hub.register(each)
        await hub.join(each, channel)

    frames = [encode("test", channel=channel, data={"n": n}) for n in range(10 * queue_size)]
    for frame in frames:
        await hub.publish(channel, frame)
        # Let the fast client's writer run between events, as it would between publishes;
        # the slow one stays blocked in send_text.
        await wait_until(lambda: len(fast_socket.sent) > 0, "the fast client's first frame")
        await wait_until(
            lambda frame=frame: fast_socket.sent[-1] == frame,  # type: ignore[misc]
            "the fast client keeps up",
        )
        # The slow client's memory is bounded by its queue, whatever is published.
        assert slow.pending <= queue_size

    assert fast_socket.sent == frames, "the fast client got every event, in order"
    assert slow.closing
    assert slow.dropped_slow
    assert not fast.closing
    # Once its socket accepts the send it was stuck in, the slow client is told why.
    slow_socket.gate.set()
    await asyncio.wait_for(slow_socket.closed_event.wait(), DELIVERY_TIMEOUT)
    assert slow_socket.closed is not None
    code, reason = slow_socket.closed
    assert code == CLOSE_TOO_SLOW
    assert "since" in reason
    # It got at most what was in flight, never the backlog it fell behind on.
    assert len(slow_socket.sent) <= 1

    for each in (fast, slow):
        await hub.unregister(each)
        await each.stop()
    assert hub.slow_drops == 1


async def test_one_upstream_subscription_per_channel(backend: HubBackend) -> None:
    hub = Hub(backend)
    channel = fresh_channel()
    sockets = [FakeSocket() for _ in range(50)]
    connections = [connection(s, user_id=i, queue_size=16) for i, s in enumerate(sockets)]
    for each in connections:
        each.start()
        await hub.join(each, channel)
    assert channel in backend.upstream_channels()
    assert hub.local_count(channel) == 50
    if isinstance(backend, RedisBackend):
        client = redis_asyncio.Redis.from_url(services.redis_url())
        try:
            counts = await client.pubsub_numsub(channel)
            assert counts == [(channel.encode(), 1)], "one Redis subscription for 50 clients"
        finally:
            await client.aclose()
    frame = encode("test", channel=channel, data={"hello": 1})
    await hub.publish(channel, frame)
    for socket in sockets:
        await asyncio.wait_for(socket.arrived.wait(), DELIVERY_TIMEOUT)
        assert socket.sent == [frame]
    for each in connections[:-1]:
        await hub.leave(each, channel)
    assert channel in backend.upstream_channels(), "still one subscriber left"
    await hub.leave(connections[-1], channel)
    assert channel not in backend.upstream_channels()
    for each in connections:
        await each.stop()


async def test_serialised_once_same_string_reaches_every_connection(
    backend: HubBackend,
) -> None:
    hub = Hub(backend)
    channel = fresh_channel()
    first, second = FakeSocket(), FakeSocket()
    connections = [connection(s, user_id=i, queue_size=16) for i, s in enumerate((first, second))]
    for each in connections:
        each.start()
        await hub.join(each, channel)
    await hub.publish(channel, encode("test", channel=channel, data={"x": "y"}))
    for socket in (first, second):
        await asyncio.wait_for(socket.arrived.wait(), DELIVERY_TIMEOUT)
    assert first.sent[0] is second.sent[0], "one str object, not one encode per client"
    for each in connections:
        await hub.leave(each, channel)
        await each.stop()


async def test_a_broken_handler_does_not_stop_delivery(backend: HubBackend) -> None:
    hub = Hub(backend)
    channel = fresh_channel()
    calls: list[str] = []

    def broken(name: str, payload: bytes) -> None:
        calls.append(name)
        raise RuntimeError("a broken subscriber")

    # Another local handler on the same channel, subscribed before the hub's.
    await backend.subscribe(channel, broken)
    socket = FakeSocket()
    receiver = connection(socket, user_id=1, queue_size=16)
    receiver.start()
    await hub.join(receiver, channel)
    for n in range(3):
        await hub.publish(channel, encode("test", channel=channel, data={"n": n}))
    await wait_until(lambda: len(socket.sent) == 3, "all three events despite the broken handler")
    assert len(calls) == 3
    await hub.leave(receiver, channel)
    await backend.unsubscribe(channel, broken)
    await receiver.stop()


class BrokenConnection(Connection):
    def deliver(self, channel: str, frame: str, event_id: int | None) -> None:
        raise RuntimeError("a connection that fails to take an event")


async def test_a_failing_connection_does_not_starve_the_others(backend: HubBackend) -> None:
    hub = Hub(backend)
    channel = fresh_channel()
    sockets = [FakeSocket() for _ in range(5)]
    good = [connection(s, user_id=i, queue_size=16) for i, s in enumerate(sockets)]
    broken = BrokenConnection(FakeSocket().send, user_id=99, user_name="broken", queue_size=16)
    await hub.join(broken, channel)
    for each in good:
        each.start()
        await hub.join(each, channel)
    await hub.publish(channel, encode("test", channel=channel, data={}))
    for socket in sockets:
        await wait_until(lambda socket=socket: len(socket.sent) == 1, "every good connection")  # type: ignore[misc]
    for each in (*good, broken):
        await hub.leave(each, channel)
    for each in good:
        await each.stop()


# The gateway on the demo meeting -----------------------------------------------------------


def seed(client: TestClient) -> None:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def run() -> None:
        await seed_demo(ctx.db, ctx.passwords, ctx.extensions, base_url=ctx.settings.base_url)

    client.portal.call(run)  # type: ignore[union-attr]


def sign_in(client: TestClient, email: str) -> int:
    client.cookies.clear()
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    response = client.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    user_id: int = client.get("/api/v1/me").json()["id"]
    return user_id


def session_guids(client: TestClient) -> list[str]:
    response = client.get("/api/v1/program/sessions")
    assert response.status_code == 200, response.text
    return [str(s["guid"]) for s in response.json()]


@pytest.fixture
def demo(settings: Settings) -> Iterator[TestClient]:
    """The app on a migrated database with the demo meeting, program and accounts."""
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        seed(client)
        yield client


class Socket:
    """Reads frames from a TestClient websocket, answering one ref at a time."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.welcome: dict[str, Any] = ws.receive_json()
        assert self.welcome["type"] == "welcome"

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send and return the frame answering ``ref`` (other frames are kept)."""
        self.ws.send_json(message)
        while True:
            frame: dict[str, Any] = self.ws.receive_json()
            if frame.get("ref") == message.get("ref"):
                return frame

    def subscribe(self, channel: str, since: int | None = None) -> list[dict[str, Any]]:
        """Every frame up to and including ``subscribed`` (replayed events first)."""
        message: dict[str, Any] = {"type": "subscribe", "channel": channel, "ref": "sub"}
        if since is not None:
            message["since"] = since
        self.ws.send_json(message)
        frames: list[dict[str, Any]] = []
        while True:
            frame: dict[str, Any] = self.ws.receive_json()
            frames.append(frame)
            if frame.get("ref") == "sub":
                return frames

    def ping(self, ref: str) -> None:
        """A round trip: the connection is open and answers."""
        assert self.request({"type": "ping", "ref": ref})["type"] == "pong"


def next_answer(raw: Any, channel: str) -> dict[str, Any]:
    """The next frame that answers the client, passing over the channel's own events (the
    viewer count and the chat messages just sent arrive whenever the server sends them,
    between answers on a slow machine)."""
    while True:
        frame: dict[str, Any] = raw.receive_json()
        if frame.get("channel") == channel and frame["type"] not in ("pong", "error", "ack"):
            continue
        return frame


def test_rate_limit_and_size_refusals_keep_the_connection_open(demo: TestClient) -> None:
    sign_in(demo, "attendee@demo.test")
    channel = f"session:{session_guids(demo)[0]}"
    with demo.websocket_connect("/ws", headers=ORIGIN) as raw:
        ws = Socket(raw)
        assert ws.subscribe(channel)[-1]["type"] == "subscribed"
        # Too big: refused before parsing, the connection stays.
        raw.send_text('{"type":"ping","ref":"big","data":{"x":"' + "x" * MAX_CLIENT_FRAME + '"}}')
        refused = next_answer(raw, channel)
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "too_big"
        ws.ping("after-big")
        # A chat message over 2,000 characters is refused by the feature.
        too_long = ws.request(
            {"type": "chat.send", "channel": channel, "ref": "long", "data": {"body": "y" * 2001}}
        )
        assert too_long["type"] == "error", too_long
        assert too_long["data"]["code"] == "invalidinput"
        # The chat bucket (fresh: the refused message above spent a token too): a burst,
        # then refusals, and the connection stays.
        refill(demo)
        burst = int(LIMITS["chat"][0])
        answers = [
            ws.request(
                {"type": "chat.send", "channel": channel, "ref": f"c{n}", "data": {"body": f"{n}"}}
            )
            for n in range(burst + 3)
        ]
        kinds = [a["type"] if a["type"] == "ack" else a["data"]["code"] for a in answers]
        assert kinds[:burst] == ["ack"] * burst, kinds
        assert set(kinds[burst:]) == {"rate_limited"}, kinds
        ws.ping("after-chat-limit")
        # Any frame at all: a flood of pings gets refusals, not a closed socket. A frame
        # refused before it is parsed carries no ref: one answer per frame, in order.
        flood = int(LIMITS["frame"][0]) + 5
        for n in range(flood):
            raw.send_json({"type": "ping", "ref": f"f{n}"})
        answers = [next_answer(raw, channel) for _ in range(flood)]
        refusals = [a for a in answers if a["type"] == "error"]
        assert refusals, "the frame bucket refused some of the flood"
        assert {a["data"]["code"] for a in refusals} == {"rate_limited"}
        assert all(a["type"] in ("pong", "error") for a in answers), answers
        # With fresh buckets the same connection works normally again.
        refill(demo)
        ws.ping("after-flood")
        again = ws.request(
            {"type": "chat.send", "channel": channel, "ref": "again", "data": {"body": "back"}}
        )
        assert again["type"] == "ack", again


def test_refused_channels_get_an_error_and_never_their_events(demo: TestClient) -> None:
    guid = session_guids(demo)[0]
    other_user = sign_in(demo, "speaker@demo.test")
    me = sign_in(demo, "attendee@demo.test")
    hub: Hub = demo.app.state.ctx.realtime.hub  # type: ignore[attr-defined]
    refused = [f"moderation:{guid}", f"user:{other_user}", f"session:{uuid.uuid4()}"]
    with demo.websocket_connect("/ws", headers=ORIGIN) as raw:
        ws = Socket(raw)
        assert ws.subscribe("meeting")[-1]["type"] == "subscribed"
        for channel in refused:
            answer = ws.subscribe(channel)
            assert len(answer) == 1, f"nothing but the refusal for {channel}: {answer}"
            assert answer[0]["type"] == "error"
            assert answer[0]["data"]["code"] == "forbidden", answer
            # Acting on a refused channel is refused too.
            action = ws.request(
                {"type": "chat.send", "channel": channel, "ref": "act", "data": {"body": "hi"}}
            )
            assert action["type"] == "error"
            assert action["data"]["code"] == "not_subscribed"

        async def publish() -> None:
            for channel in refused:
                await hub.publish(channel, encode("secret", channel=channel, data={"x": 1}))
            await hub.publish("meeting", encode("marker", channel="meeting", data={}))

        demo.portal.call(publish)  # type: ignore[union-attr]
        # Events reach a connection in publishing order: the marker comes after them, so
        # any refused event would have arrived first.
        got = raw.receive_json()
        assert got["type"] == "marker", f"a refused channel's event leaked: {got}"
        assert f"user:{me}" not in refused
        mine = ws.subscribe(f"user:{me}")
        assert mine[-1]["type"] == "subscribed"


def test_moderator_actions_are_refused_to_attendees(demo: TestClient) -> None:
    sign_in(demo, "attendee@demo.test")
    channel = f"session:{session_guids(demo)[0]}"
    with demo.websocket_connect("/ws", headers=ORIGIN) as raw:
        ws = Socket(raw)
        ws.subscribe(channel)
        for type, data in (
            ("qa.moderate", {"question_id": 1, "action": "approve"}),
            ("poll.create", {"question": "Q?", "kind": "single", "options": ["a", "b"]}),
            ("chat.mute", {"user_id": 1, "minutes": 5}),
        ):
            answer = ws.request({"type": type, "channel": channel, "ref": type, "data": data})
            assert answer["type"] == "error", answer
            assert answer["data"]["code"] in ("forbidden", "notfound"), answer
        ws.ping("still-open")


# Restart: nothing a user submitted is lost ---------------------------------------------------


def sqlite_settings(sqlite_template: Path, directory: Path) -> Settings:
    database_url = databases.copy_sqlite(sqlite_template, directory / "db")
    return app_settings(database_url, directory / "var")


def test_restart_keeps_chat_and_questions(sqlite_template: Path, tmp_path: Path) -> None:
    settings = sqlite_settings(sqlite_template, tmp_path)
    chat_body = f"kept across a restart {uuid.uuid4().hex[:8]}"
    question_body = f"still there after a restart? {uuid.uuid4().hex[:8]}"
    with TestClient(create_app(settings), base_url="http://testserver") as first:
        seed(first)
        guid = session_guids(first)[0]
        channel = f"session:{guid}"
        sign_in(first, "organizer@demo.test")
        with first.websocket_connect("/ws", headers=ORIGIN) as raw:
            ws = Socket(raw)
            ws.subscribe(channel)
            sent = ws.request(
                {"type": "chat.send", "channel": channel, "ref": "c", "data": {"body": chat_body}}
            )
            assert sent["type"] == "ack", sent
            asked = ws.request(
                {
                    "type": "qa.ask",
                    "channel": channel,
                    "ref": "q",
                    "data": {"body": question_body, "anonymous": False},
                }
            )
            assert asked["type"] == "ack", asked

    with TestClient(create_app(settings), base_url="http://testserver") as second:
        sign_in(second, "organizer@demo.test")
        history = second.get(f"/api/v1/realtime/sessions/{guid}/chat")
        assert history.status_code == 200, history.text
        assert chat_body in [m["body"] for m in history.json()["messages"]]
        queue = second.get(f"/api/v1/realtime/sessions/{guid}/questions", params={"queue": 1})
        assert queue.status_code == 200, queue.text
        assert question_body in [q["body"] for q in queue.json()["questions"]]
        with second.websocket_connect("/ws", headers=ORIGIN) as raw:
            ws = Socket(raw)
            replay = ws.subscribe(channel, since=0)
            assert replay[-1]["type"] == "subscribed"
            bodies = [f["data"].get("body") for f in replay if f["type"] == "chat.message"]
            assert bodies == [chat_body]
            pending = ws.subscribe(f"moderation:{guid}", since=0)
            questions = [
                f["data"]["question"]["body"] for f in pending if f["type"] == "qa.pending"
            ]
            assert questions == [question_body]


# Presence across processes and event order under concurrent writers -----------------------


async def test_presence_drops_when_the_last_viewer_of_a_process_leaves() -> None:
    url = services.redis_url()
    first, second = (Hub(RedisBackend(url), presence_kinds={"session"}) for _ in range(2))
    channel = fresh_channel()
    here, there = FakeSocket(), FakeSocket()
    one = connection(here, user_id=1, queue_size=16)
    other = connection(there, user_id=2, queue_size=16)
    try:
        for hub, each in ((first, one), (second, other)):
            await hub.backend.start()
            each.start()
            await hub.join(each, channel)
        # Ticks driven by hand, not by the clock: each reports, then each reads the sum.
        for _ in range(2):
            await first.tick()
            await second.tick()
        await wait_until(lambda: any('"viewers":2' in f for f in there.sent), "2 viewers")
        await first.leave(one, channel)
        sent = len(there.sent)
        await second.tick()
        # The frame this tick sends (the last one so far says 2 viewers).
        await wait_until(lambda: len(there.sent) > sent, "a presence frame")
        assert '"viewers":1' in there.sent[-1], there.sent
    finally:
        for hub, each in ((first, one), (second, other)):
            await hub.leave(each, channel)
            await each.stop()
            await hub.backend.close()


async def test_since_never_skips_an_event_committed_late(postgres_migrated: str) -> None:
    from conference.db.engine import Database
    from conference.realtime import events

    await databases.truncate_all(postgres_migrated)
    database = Database(postgres_migrated)
    channel = fresh_channel()
    try:
        async with database.session() as slow:
            early = await events.record(slow, channel=channel, type="test", data=Numbered(n=1))

            async def late_writer() -> int:
                async with database.session() as fast:
                    event = await events.record(
                        fast, channel=channel, type="test", data=Numbered(n=2)
                    )
                    await fast.commit()
                    return event.id

            writer = asyncio.create_task(late_writer())
            # Without per-channel serialisation the second writer commits first (and its
            # event is published); with it, it waits for the first. Either way, go on.
            done, _ = await asyncio.wait({writer}, timeout=2.0)
            await slow.commit()
            seen_live = await writer
        if done:
            # A client saw ``seen_live`` live, disconnected, and reconnects with it.
            async with database.session() as db:
                replayed = [e.id for e in await events.missed(db, channel=channel, since=seen_live)]
            assert early.id in replayed or early.id > seen_live, (
                f"event {early.id} was committed after {seen_live} was published: "
                f"since={seen_live} replays {replayed} and loses it"
            )
    finally:
        await database.dispose()
