"""Hub.join: every joiner of a channel waits for the process's upstream subscription.

The backend is the real Redis one whose upstream SUBSCRIBE of one channel is held back
until the test releases it (an event, not a delay), so the window between a channel's
first join and its subscription existing lasts as long as the test needs.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis_asyncio
from starlette.types import Message

from conference.realtime.backends import Handler, RedisBackend
from conference.realtime.connection import Connection
from conference.realtime.hub import Hub
from conference.realtime.protocol import encode
from tests import services

DELIVERY_TIMEOUT = 5.0


class HeldBackend(RedisBackend):
    """Redis, with the upstream subscribe of ``held`` waiting for :attr:`release`."""

    def __init__(self, url: str, *, prefix: str, held: str) -> None:
        super().__init__(url, prefix=prefix)
        self.prefix = prefix
        self.held = held
        self.subscribing = asyncio.Event()
        self.release = asyncio.Event()
        # Raised by the held subscribe instead of subscribing, once released.
        self.failure: Exception | None = None
        # Channels whose subscribe has returned (Redis confirmed it).
        self.subscribed: set[str] = set()

    async def subscribe(self, channel: str, handler: Handler) -> None:
        if channel == self.held:
            self.subscribing.set()
            await self.release.wait()
            if self.failure is not None:
                failure, self.failure = self.failure, None
                raise failure
        await super().subscribe(channel, handler)
        self.subscribed.add(channel)

    async def unsubscribe(self, channel: str, handler: Handler) -> None:
        await super().unsubscribe(channel, handler)
        if channel not in self.upstream_channels():
            self.subscribed.discard(channel)


class Socket:
    """The ASGI ``send`` of a websocket, keeping the frames sent on it."""

    def __init__(self) -> None:
        self.frames: list[dict[str, object]] = []
        self._arrived = asyncio.Event()

    async def send(self, message: Message) -> None:
        if message["type"] == "websocket.send":
            self.frames.append(json.loads(message["text"]))
            self._arrived.set()

    async def next_frame(self) -> dict[str, object]:
        async def arrival() -> None:
            while not self.frames:
                self._arrived.clear()
                await self._arrived.wait()

        await asyncio.wait_for(arrival(), DELIVERY_TIMEOUT)
        return self.frames.pop(0)


@pytest.fixture
async def backend() -> AsyncIterator[HeldBackend]:
    held = HeldBackend(
        services.redis_url(), prefix=f"test-{uuid.uuid4().hex[:8]}:", held=f"session:{uuid.uuid4()}"
    )
    await held.start()
    try:
        yield held
    finally:
        await held.close()


@pytest.fixture
async def sockets() -> AsyncIterator[list[tuple[Socket, Connection]]]:
    """Three connected clients."""
    made = []
    for user_id in (1, 2, 3):
        socket = Socket()
        connection = Connection(socket.send, user_id=user_id, user_name="x", queue_size=16)
        connection.start()
        made.append((socket, connection))
    yield made
    for _, connection in made:
        await connection.stop()


def chat(channel: str, body: str) -> str:
    return encode("chat.message", channel=channel, data={"body": body})


async def test_a_second_joiner_hears_what_is_published_as_soon_as_its_join_returns(
    backend: HeldBackend, sockets: list[tuple[Socket, Connection]]
) -> None:
    hub = Hub(backend)
    channel = backend.held
    (_, first), (second_socket, second) = sockets[:2]
    first_join = asyncio.create_task(hub.join(first, channel))
    await backend.subscribing.wait()  # the first join's upstream subscribe is under way

    subscribed_when_joined: list[bool] = []

    async def join_then_publish() -> None:
        await hub.join(second, channel)
        subscribed_when_joined.append(channel in backend.subscribed)
        await hub.publish(channel, chat(channel, "right after"))

    second_join = asyncio.create_task(join_then_publish())
    backend.release.set()
    await asyncio.wait_for(asyncio.gather(first_join, second_join), DELIVERY_TIMEOUT)

    assert subscribed_when_joined == [True]
    frame = await second_socket.next_frame()
    assert (frame["type"], frame["data"]) == ("chat.message", {"body": "right after"})
    for connection in (first, second):
        await hub.leave(connection, channel)
    assert backend.upstream_channels() == frozenset()


async def test_a_failed_subscribe_wakes_every_joiner_and_the_next_join_retries(
    backend: HeldBackend, sockets: list[tuple[Socket, Connection]]
) -> None:
    hub = Hub(backend)
    channel = backend.held
    (_, first), (_, second), (third_socket, third) = sockets
    backend.failure = ConnectionError("Redis went away")
    joins = [asyncio.create_task(hub.join(first, channel))]
    await backend.subscribing.wait()
    joins.append(asyncio.create_task(hub.join(second, channel)))
    backend.release.set()
    outcomes = await asyncio.wait_for(
        asyncio.gather(*joins, return_exceptions=True), DELIVERY_TIMEOUT
    )

    assert [repr(outcome) for outcome in outcomes] == [repr(ConnectionError("Redis went away"))] * 2
    assert hub.local_count(channel) == 0
    assert first.channels == second.channels == set()
    assert backend.upstream_channels() == frozenset()

    # Redis is back: the next join subscribes afresh and hears what follows.
    await asyncio.wait_for(hub.join(third, channel), DELIVERY_TIMEOUT)
    await hub.publish(channel, chat(channel, "after the retry"))
    frame = await third_socket.next_frame()
    assert frame["data"] == {"body": "after the retry"}
    assert hub.local_count(channel) == 1
    await hub.leave(third, channel)


async def test_leaving_while_the_subscribe_is_under_way_leaves_nothing_upstream(
    backend: HeldBackend, sockets: list[tuple[Socket, Connection]]
) -> None:
    hub = Hub(backend)
    channel = backend.held
    (_, first), (_, second) = sockets[:2]
    first_join = asyncio.create_task(hub.join(first, channel))
    await backend.subscribing.wait()
    # The only subscriber goes (its socket closed) before the subscribe is done...
    first_join.cancel()
    leaving = asyncio.create_task(hub.leave(first, channel))
    # ... and another comes and goes, all while the subscribe is held.
    second_join = asyncio.create_task(hub.join(second, channel))
    backend.release.set()
    await asyncio.wait_for(asyncio.gather(leaving, second_join), DELIVERY_TIMEOUT)
    assert hub.local_count(channel) == 1
    assert backend.upstream_channels() == frozenset({channel})
    await hub.leave(second, channel)
    assert backend.upstream_channels() == frozenset()
    assert backend.subscribed == set()
    with pytest.raises(asyncio.CancelledError):
        await first_join


async def test_redis_subscribe_returns_once_the_subscription_is_in_force(
    backend: HeldBackend,
) -> None:
    channel = f"session:{uuid.uuid4()}"
    received: asyncio.Queue[bytes] = asyncio.Queue()
    await backend.subscribe(channel, lambda _, payload: received.put_nowait(payload))
    # No waiting on Redis here: it confirmed the SUBSCRIBE before subscribe returned.
    upstream = f"{backend.prefix}{channel}"
    client = redis_asyncio.Redis.from_url(services.redis_url())
    try:
        assert await client.pubsub_numsub(upstream) == [(upstream.encode(), 1)]
        await client.publish(upstream, b"from another process")
    finally:
        await client.aclose()
    assert await asyncio.wait_for(received.get(), DELIVERY_TIMEOUT) == b"from another process"
