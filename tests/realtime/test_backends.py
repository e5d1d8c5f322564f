"""Hub backends (memory and Redis): fan-out, one upstream subscription per channel, isolation
of broken handlers, and cross-process delivery through Redis."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis_asyncio
from redis.exceptions import ConnectionError as RedisConnectionError

from conference.realtime.backends import (
    Handler,
    HubBackend,
    MemoryBackend,
    RedisBackend,
    create_backend,
)
from tests import services
from tests.waiting import wait_until_awaited

# Generous: a loaded machine may be slow, and a passing test never waits this long.
DELIVERY_TIMEOUT = 30.0

Received = tuple[str, bytes]


def channel_name(kind: str = "session") -> str:
    return f"{kind}:test-{uuid.uuid4().hex}"


def collector() -> tuple[Handler, asyncio.Queue[Received]]:
    """A handler that hands what it receives to a queue, as the hub's client queues do."""
    queue: asyncio.Queue[Received] = asyncio.Queue()

    def handler(channel: str, payload: bytes) -> None:
        queue.put_nowait((channel, payload))

    return handler, queue


async def next_item(queue: asyncio.Queue[Received]) -> Received:
    return await asyncio.wait_for(queue.get(), DELIVERY_TIMEOUT)


@pytest.fixture
async def redis_client() -> AsyncIterator[redis_asyncio.Redis]:
    """A plain client, separate from any backend, to look at Redis from outside."""
    client = redis_asyncio.Redis.from_url(services.redis_url())
    try:
        yield client
    finally:
        await client.aclose()


async def numsub(client: redis_asyncio.Redis, channel: str) -> int:
    counts = await client.pubsub_numsub(channel)
    return int(counts[0][1])


async def _numsub_is(client: redis_asyncio.Redis, channel: str, expected: int) -> bool:
    return await numsub(client, channel) == expected


async def upstream_ready(backend: HubBackend, *channels: str, subscribers: int = 1) -> None:
    """Wait until Redis has applied our SUBSCRIBEs.

    ``subscribe`` sends SUBSCRIBE without waiting for Redis's confirmation, so a PUBLISH
    sent at once over another connection could be handled first and reach nobody.
    """
    if not isinstance(backend, RedisBackend):
        return
    client = redis_asyncio.Redis.from_url(services.redis_url())
    try:
        for channel in channels:
            await wait_until_awaited(
                lambda: _numsub_is(client, channel, subscribers),  # noqa: B023
                f"NUMSUB {channel} == {subscribers}",
            )
    finally:
        await client.aclose()


async def started_redis_backend() -> RedisBackend:
    backend = RedisBackend(services.redis_url())
    await backend.start()
    return backend


@pytest.fixture(params=["memory", "redis"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[HubBackend]:
    hub: HubBackend
    hub = MemoryBackend() if request.param == "memory" else RedisBackend(services.redis_url())
    await hub.start()
    try:
        yield hub
    finally:
        await hub.close()


async def test_publish_reaches_every_local_handler_of_its_channel_only(
    backend: HubBackend,
) -> None:
    channel, other = channel_name(), channel_name()
    first, first_queue = collector()
    second, second_queue = collector()
    bystander, bystander_queue = collector()
    await backend.subscribe(channel, first)
    await backend.subscribe(channel, second)
    await backend.subscribe(other, bystander)
    await upstream_ready(backend, channel, other)

    await backend.publish(channel, b"hello")
    # Published after "hello": once it has arrived, "hello" would have arrived before it.
    await backend.publish(other, b"marker")

    assert await next_item(first_queue) == (channel, b"hello")
    assert await next_item(second_queue) == (channel, b"hello")
    assert await next_item(bystander_queue) == (other, b"marker")
    assert first_queue.empty()
    assert second_queue.empty()
    assert bystander_queue.empty()


async def test_payload_bytes_arrive_unchanged(backend: HubBackend) -> None:
    channel = channel_name()
    handler, queue = collector()
    await backend.subscribe(channel, handler)
    await upstream_ready(backend, channel)
    payload = '{"type":"chat","data":{"text":"IL-6 \u2192 STAT3 \u2713"}}'.encode() + b"\x00\xff"

    await backend.publish(channel, payload)

    assert await next_item(queue) == (channel, payload)


async def test_one_upstream_subscription_per_channel(backend: HubBackend) -> None:
    channel = channel_name()
    first, first_queue = collector()
    second, second_queue = collector()

    await backend.subscribe(channel, first)
    await backend.subscribe(channel, second)
    assert backend.upstream_channels() == frozenset({channel})
    await upstream_ready(backend, channel)

    await backend.unsubscribe(channel, first)
    assert backend.upstream_channels() == frozenset({channel})
    await backend.publish(channel, b"still here")
    assert await next_item(second_queue) == (channel, b"still here")
    assert first_queue.empty()

    await backend.unsubscribe(channel, second)
    assert backend.upstream_channels() == frozenset()


async def test_unsubscribing_an_unknown_handler_changes_nothing(backend: HubBackend) -> None:
    channel = channel_name()
    handler, queue = collector()
    stranger, _ = collector()
    await backend.subscribe(channel, handler)
    await upstream_ready(backend, channel)

    await backend.unsubscribe(channel, stranger)
    await backend.unsubscribe(channel_name(), stranger)

    assert backend.upstream_channels() == frozenset({channel})
    await backend.publish(channel, b"x")
    assert await next_item(queue) == (channel, b"x")


async def test_raising_handler_does_not_stop_the_others(
    backend: HubBackend, caplog: pytest.LogCaptureFixture
) -> None:
    channel = channel_name()
    calls: list[bytes] = []

    def broken(_channel: str, payload: bytes) -> None:
        calls.append(payload)
        raise RuntimeError("a broken client queue")

    handler, queue = collector()
    await backend.subscribe(channel, broken)
    await backend.subscribe(channel, handler)
    await upstream_ready(backend, channel)

    with caplog.at_level(logging.ERROR, logger="conference.realtime.backends"):
        await backend.publish(channel, b"one")
        await backend.publish(channel, b"two")
        assert await next_item(queue) == (channel, b"one")
        assert await next_item(queue) == (channel, b"two")

    # Both messages arrive: the failure neither skipped the next handler nor stopped the
    # backend (for Redis, its reader task) from delivering later messages.
    assert calls == [b"one", b"two"]
    failures = [r for r in caplog.records if r.getMessage() == f"hub handler failed on {channel}"]
    assert len(failures) == 2


async def test_ping(backend: HubBackend) -> None:
    assert await backend.ping() is True


async def test_redis_two_handlers_share_one_subscription_upstream(
    redis_client: redis_asyncio.Redis,
) -> None:
    backend = await started_redis_backend()
    channel = channel_name()
    first, first_queue = collector()
    second, second_queue = collector()
    try:
        assert await numsub(redis_client, channel) == 0
        await backend.subscribe(channel, first)
        await backend.subscribe(channel, second)
        await wait_until_awaited(lambda: _numsub_is(redis_client, channel, 1), "NUMSUB 1")

        # One receiving connection, however many local handlers.
        assert await redis_client.publish(channel, b"from outside") == 1
        assert await next_item(first_queue) == (channel, b"from outside")
        assert await next_item(second_queue) == (channel, b"from outside")

        await backend.unsubscribe(channel, first)
        # The other handler still needs the channel: it stays subscribed upstream.
        assert await numsub(redis_client, channel) == 1
        assert await redis_client.publish(channel, b"again") == 1
        assert await next_item(second_queue) == (channel, b"again")

        await backend.unsubscribe(channel, second)
        await wait_until_awaited(lambda: _numsub_is(redis_client, channel, 0), "NUMSUB 0")
        assert await redis_client.publish(channel, b"nobody") == 0
        assert first_queue.empty()
        assert second_queue.empty()
    finally:
        await backend.close()


async def test_redis_resubscribe_after_last_handler_left(
    redis_client: redis_asyncio.Redis,
) -> None:
    backend = await started_redis_backend()
    channel = channel_name()
    handler, queue = collector()
    try:
        await backend.subscribe(channel, handler)
        await backend.unsubscribe(channel, handler)
        await wait_until_awaited(lambda: _numsub_is(redis_client, channel, 0), "NUMSUB 0")

        await backend.subscribe(channel, handler)
        await wait_until_awaited(lambda: _numsub_is(redis_client, channel, 1), "NUMSUB 1")
        await backend.publish(channel, b"back")
        assert await next_item(queue) == (channel, b"back")
    finally:
        await backend.close()


async def test_redis_two_processes_see_each_others_publications() -> None:
    # Two backends, two connections: what two app processes have.
    one = await started_redis_backend()
    two = await started_redis_backend()
    channel = channel_name("meeting")
    on_one, queue_one = collector()
    on_two, queue_two = collector()
    try:
        await one.subscribe(channel, on_one)
        await two.subscribe(channel, on_two)
        await upstream_ready(one, channel, subscribers=2)

        await one.publish(channel, b"from one")
        assert await next_item(queue_one) == (channel, b"from one")
        assert await next_item(queue_two) == (channel, b"from one")

        await two.publish(channel, b"from two")
        assert await next_item(queue_one) == (channel, b"from two")
        assert await next_item(queue_two) == (channel, b"from two")

        assert queue_one.empty()
        assert queue_two.empty()
    finally:
        await one.close()
        await two.close()


async def test_redis_close_leaves_no_subscription(redis_client: redis_asyncio.Redis) -> None:
    backend = await started_redis_backend()
    channel = channel_name()
    handler, _ = collector()
    await backend.subscribe(channel, handler)
    await wait_until_awaited(lambda: _numsub_is(redis_client, channel, 1), "NUMSUB 1")

    await backend.close()

    await wait_until_awaited(lambda: _numsub_is(redis_client, channel, 0), "NUMSUB 0 after close")


async def test_redis_ping_false_when_unreachable() -> None:
    # Nothing listens on port 1.
    backend = RedisBackend("redis://127.0.0.1:1/0")
    await backend.start()
    try:
        assert await backend.ping() is False
    finally:
        await backend.close()


async def test_redis_failed_subscribe_leaves_no_phantom_channel() -> None:
    backend = RedisBackend("redis://127.0.0.1:1/0")
    await backend.start()
    channel = channel_name()
    handler, _ = collector()
    try:
        # Twice: the second attempt must try Redis again, not trust a channel that never
        # got subscribed upstream.
        for _ in range(2):
            with pytest.raises(RedisConnectionError):
                await backend.subscribe(channel, handler)
            assert backend.upstream_channels() == frozenset()
    finally:
        await backend.close()


def test_create_backend_by_url() -> None:
    assert isinstance(create_backend("memory://"), MemoryBackend)
    assert isinstance(create_backend("redis://127.0.0.1:6379/0"), RedisBackend)
    assert isinstance(create_backend("rediss://cache.example.org:6380/1"), RedisBackend)


@pytest.mark.parametrize(
    "url", ["kafka://127.0.0.1:9092", "http://127.0.0.1:6379", "", "memory:", "REDIS"]
)
def test_create_backend_refuses_unknown_scheme(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported hub URL"):
        create_backend(url)
