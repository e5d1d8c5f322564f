"""Hub backends: how events cross processes.

``memory://`` keeps everything in this process (the embedded default); ``redis://`` uses
Redis pub/sub so several app processes share channels.

Concurrency invariants (both backends):
- at most one upstream subscription per channel per process, however many local handlers;
- handlers are plain callables run on the event loop and must not block or await: they
  hand the payload to per-client bounded queues, so one slow consumer never delays another;
- ``publish`` returns once the backend has accepted the payload, not once it is delivered;
- ``subscribe`` returns once the subscription is in force: Redis has confirmed the
  SUBSCRIBE, so a payload published from then on, by any process, reaches the handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as redis_asyncio
from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)

Handler = Callable[[str, bytes], None]


class HubBackend(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def ping(self) -> bool: ...

    async def publish(self, channel: str, payload: bytes) -> None: ...

    async def subscribe(self, channel: str, handler: Handler) -> None: ...

    async def unsubscribe(self, channel: str, handler: Handler) -> None: ...

    def upstream_channels(self) -> frozenset[str]: ...

    async def presence(self, channel: str, member: str, count: int) -> int: ...

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]: ...


# A process's presence count is forgotten this long after its last report (a crashed
# process must not inflate the count for ever).
PRESENCE_TTL = 10
# How long Redis may take to confirm a SUBSCRIBE (the reader reconnecting included).
SUBSCRIBE_TIMEOUT = 5.0


class _Handlers:
    """Local handlers per channel; the first and last handler drive upstream (un)subscribe."""

    def __init__(self) -> None:
        self._by_channel: defaultdict[str, list[Handler]] = defaultdict(list)

    def add(self, channel: str, handler: Handler) -> bool:
        """Add; True if this is the channel's first handler."""
        handlers = self._by_channel[channel]
        handlers.append(handler)
        return len(handlers) == 1

    def remove(self, channel: str, handler: Handler) -> bool:
        """Remove; True if the channel has no handler left."""
        handlers = self._by_channel.get(channel)
        if not handlers:
            return False
        with contextlib.suppress(ValueError):
            handlers.remove(handler)
        if handlers:
            return False
        del self._by_channel[channel]
        return True

    def dispatch(self, channel: str, payload: bytes) -> None:
        for handler in tuple(self._by_channel.get(channel, ())):
            try:
                handler(channel, payload)
            except Exception:  # one broken handler must not starve the others
                logger.exception("hub handler failed on %s", channel)

    def channels(self) -> frozenset[str]:
        return frozenset(self._by_channel)


class MemoryBackend:
    """One process: publishing dispatches straight to local handlers."""

    def __init__(self) -> None:
        self._handlers = _Handlers()
        # Fixed-window counters for :meth:`hit`: key -> (count, window end, monotonic).
        self._counters: dict[str, tuple[int, float]] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def ping(self) -> bool:
        return True

    async def publish(self, channel: str, payload: bytes) -> None:
        self._handlers.dispatch(channel, payload)

    async def subscribe(self, channel: str, handler: Handler) -> None:
        self._handlers.add(channel, handler)

    async def unsubscribe(self, channel: str, handler: Handler) -> None:
        self._handlers.remove(channel, handler)

    def upstream_channels(self) -> frozenset[str]:
        return self._handlers.channels()

    async def presence(self, channel: str, member: str, count: int) -> int:
        """Report this process's viewers of ``channel``; returns the total (one process)."""
        return count

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one event under ``key``; (events in the current window, seconds left)."""
        now = time.monotonic()
        if len(self._counters) > 10_000:  # forget ended windows now and then
            self._counters = {k: v for k, v in self._counters.items() if v[1] > now}
        count, ends = self._counters.get(key, (0, 0.0))
        if ends <= now:
            count, ends = 0, now + window_seconds
        self._counters[key] = (count + 1, ends)
        return count + 1, max(1, math.ceil(ends - now))


class RedisBackend:
    """Many processes: one Redis pub/sub connection per process, one reader task."""

    def __init__(self, url: str, *, prefix: str = "") -> None:
        self._url = url
        # Redis pub/sub ignores database numbers: a prefix keeps two deployments (or test
        # runs) sharing one Redis apart.
        self._prefix = prefix
        self._client: redis_asyncio.Redis | None = None
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._handlers = _Handlers()
        # Serialises SUBSCRIBE/UNSUBSCRIBE so the first/last-handler decisions and the
        # commands sent upstream cannot interleave.
        self._lock = asyncio.Lock()
        # SUBSCRIBEs sent, by channel, waiting for Redis's confirmation (which the reader
        # receives: it alone reads the pub/sub connection).
        self._confirming: dict[str, asyncio.Future[None]] = {}

    def _connection(self) -> redis_asyncio.Redis:
        if self._client is None:
            self._client = redis_asyncio.Redis.from_url(
                self._url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
            )
        return self._client

    async def start(self) -> None:
        # Connecting is lazy: a Redis that is down at start makes /readyz answer 503
        # rather than stopping the app from starting.
        self._connection()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        if self._pubsub is not None:
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]
            self._pubsub = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def ping(self) -> bool:
        try:
            return bool(await self._connection().ping())
        except (redis_asyncio.RedisError, OSError):
            return False

    async def publish(self, channel: str, payload: bytes) -> None:
        await self._connection().publish(self._prefix + channel, payload)

    async def subscribe(self, channel: str, handler: Handler) -> None:
        async with self._lock:
            if self._handlers.add(channel, handler):
                confirmed = asyncio.get_running_loop().create_future()
                self._confirming[channel] = confirmed
                sent = False
                try:
                    await self._ensure_pubsub().subscribe(self._prefix + channel)
                    sent = True
                    self._ensure_reader()
                    await asyncio.wait_for(confirmed, SUBSCRIBE_TIMEOUT)
                except BaseException:
                    # Not subscribed upstream: forget the handler, or the channel would look
                    # subscribed and later handlers would never retry the SUBSCRIBE.
                    self._handlers.remove(channel, handler)
                    if sent and self._pubsub is not None:
                        with contextlib.suppress(Exception):
                            await self._pubsub.unsubscribe(self._prefix + channel)
                    raise
                finally:
                    del self._confirming[channel]

    async def unsubscribe(self, channel: str, handler: Handler) -> None:
        async with self._lock:
            if self._handlers.remove(channel, handler) and self._pubsub is not None:
                await self._pubsub.unsubscribe(self._prefix + channel)

    def upstream_channels(self) -> frozenset[str]:
        return self._handlers.channels()

    async def presence(self, channel: str, member: str, count: int) -> int:
        """Report this process's viewers of ``channel``; returns the sum over live processes.

        Each process writes ``count:time`` in a hash per channel; entries older than
        :data:`PRESENCE_TTL` seconds are ignored (and the hash expires when all are idle).
        """
        key = f"{self._prefix}presence:{channel}"
        client = self._connection()
        now = int(time.time())
        async with client.pipeline(transaction=False) as pipe:
            pipe.hset(key, member, f"{count}:{now}")
            pipe.expire(key, PRESENCE_TTL)
            pipe.hgetall(key)
            results = await pipe.execute()
        total = 0
        for value in results[2].values():
            raw = value.decode() if isinstance(value, bytes) else str(value)
            number, _, stamp = raw.partition(":")
            if stamp.isdigit() and now - int(stamp) <= PRESENCE_TTL and number.isdigit():
                total += int(number)
        return total

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one event under ``key`` for every process; (events in the current window,
        seconds left)."""
        name = f"{self._prefix}limit:{key}"
        async with self._connection().pipeline(transaction=True) as pipe:
            pipe.set(name, 0, ex=window_seconds, nx=True)
            pipe.incr(name)
            pipe.ttl(name)
            _, count, ttl = await pipe.execute()
        return int(count), max(1, int(ttl))

    def _ensure_pubsub(self) -> PubSub:
        if self._pubsub is None:
            # Subscribe confirmations are wanted: they tell :meth:`subscribe` it is done.
            self._pubsub = self._connection().pubsub(ignore_subscribe_messages=False)
        return self._pubsub

    def _ensure_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read(), name="hub-redis-reader")

    async def _read(self) -> None:
        pubsub = self._ensure_pubsub()
        while True:
            try:
                message = await pubsub.get_message(timeout=1.0)
            except (redis_asyncio.RedisError, OSError, RuntimeError):
                logger.warning("hub lost its Redis subscription; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            kind = message.get("type") if message is not None else None
            if message is None or kind not in ("message", "subscribe"):
                continue
            channel = message["channel"]
            name = channel.decode() if isinstance(channel, bytes) else str(channel)
            name = name.removeprefix(self._prefix)
            if kind == "subscribe":
                confirmed = self._confirming.get(name)
                if confirmed is not None and not confirmed.done():
                    confirmed.set_result(None)
                continue
            self._handlers.dispatch(name, message["data"])


def create_backend(url: str, *, prefix: str = "") -> HubBackend:
    """The backend for ``CONFERENCE_REDIS_URL``: ``memory://`` or ``redis://…``."""
    if url.startswith("memory://"):
        return MemoryBackend()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBackend(url, prefix=prefix)
    raise ValueError(f"unsupported hub URL {url!r}: use memory:// or redis://host:port/db")
