"""The hub: channels, their local subscribers, and the backend that joins processes.

Concurrency invariants:
- one upstream subscription per channel per process: the first local subscriber
  subscribes upstream, the last one to leave unsubscribes;
- :meth:`Hub.join` returns only once that upstream subscription exists, for every joiner,
  not only the first: each waits on the channel's ready state (the first joiner's
  subscribe). So whatever is published after a client is told ``subscribed`` reaches it.
  A failed subscribe wakes every waiter with its error and is forgotten: the next join
  subscribes afresh;
- a channel's upstream subscribes and unsubscribes reach the backend one at a time, in the
  order the hub decided them (each waits for the one before), so a quick leave and rejoin
  never leaves a channel subscribed twice, or not at all, upstream;
- an event is serialised once by its publisher and travels as one string; each process
  hands that same string to each subscriber's bounded queue (:meth:`Connection.deliver`),
  never awaiting a client;
- presence and reactions are ephemeral: counted in memory (and Redis for presence) and
  sent at most once a second per channel by :meth:`Hub.tick`;
- account changes (a session ended, roles changed, an account deleted) travel on the
  :data:`CONTROL_CHANNEL` to every process, which acts on its own sockets of that user,
  found through a per-user index rather than a scan of every connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Collection

from conference.realtime.backends import HubBackend
from conference.realtime.connection import Connection
from conference.realtime.protocol import CLOSE_GOING_AWAY, CLOSE_UNAUTHENTICATED, encode
from conference.realtime.schemas import Presence, ReactionCounts

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
REACTIONS = ("👏", "❤️", "💡", "😂", "🎉", "🤔")
# Where account changes go to every process. Clients cannot name it: no channel kind may
# be called ``control`` (registry.Realtime.channel).
CONTROL_CHANNEL = "control:accounts"

# Re-checks the channels of a user's sockets after a role change (set by the gateway).
Reauthorizer = Callable[[Collection[Connection]], Awaitable[None]]


class Hub:
    def __init__(
        self, backend: HubBackend, *, queue_size: int = 256, presence_kinds: Collection[str] = ()
    ) -> None:
        self.backend = backend
        self.queue_size = queue_size
        # Kinds of channel whose viewers are counted and shown ("12 watching"), as their
        # packages register them; counting ``meeting`` would send a frame to every
        # connected user each time anyone arrives or leaves.
        self.presence_kinds: set[str] = set(presence_kinds)
        self.process_id = uuid.uuid4().hex[:12]
        self._subscribers: defaultdict[str, set[Connection]] = defaultdict(set)
        # Per channel with local subscribers: its upstream subscribe, done once the backend
        # has subscribed (or failed to). Every joiner awaits it.
        self._ready: dict[str, asyncio.Task[None]] = {}
        # Per channel: the upstream (un)subscribe decided last, which the next one awaits.
        self._upstream_ops: dict[str, asyncio.Task[None]] = {}
        self._connections: set[Connection] = set()
        # The sockets of each user, so account changes reach them without a full scan.
        self._by_user: dict[int, set[Connection]] = {}
        self.reauthorize: Reauthorizer | None = None
        self._control_subscribed = False
        self._control_lock = asyncio.Lock()
        # Control work in flight (a reference keeps each task alive until it is done).
        self._control_tasks: set[asyncio.Task[None]] = set()
        self._reactions: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._presence_sent: dict[str, int] = {}
        self._ticker: asyncio.Task[None] | None = None
        self.slow_drops = 0

    # Lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        await self.backend.start()
        self._ticker = asyncio.create_task(self._tick_forever(), name="hub-ticker")
        try:
            await self.watch_control()
        except Exception:  # Redis down at start: the first socket subscribes (or fails)
            logger.warning("could not subscribe to account changes yet", exc_info=True)

    async def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        for task in tuple(self._control_tasks):
            task.cancel()
        for connection in tuple(self._connections):
            connection.close(CLOSE_GOING_AWAY, "server restarting: reconnect with since")
        operations = tuple(self._upstream_ops.values())
        for operation in operations:
            operation.cancel()
        await asyncio.gather(*operations, return_exceptions=True)
        for channel in tuple(self._subscribers):
            await self._clear_presence(channel)
        await self.backend.close()

    async def watch_control(self) -> None:
        """Subscribe to account changes once per process (before any socket is served)."""
        if self._control_subscribed:
            return
        async with self._control_lock:
            if not self._control_subscribed:
                await self.backend.subscribe(CONTROL_CHANNEL, self._on_control)
                self._control_subscribed = True

    def register(self, connection: Connection) -> None:
        self._connections.add(connection)
        self._by_user.setdefault(connection.user_id, set()).add(connection)

    async def unregister(self, connection: Connection) -> None:
        self._connections.discard(connection)
        mine = self._by_user.get(connection.user_id)
        if mine is not None:
            mine.discard(connection)
            if not mine:
                del self._by_user[connection.user_id]
        if connection.dropped_slow:
            self.slow_drops += 1
        for channel in tuple(connection.channels):
            await self.leave(connection, channel)

    def user_connections(self, user_id: int) -> frozenset[Connection]:
        """This process's sockets of ``user_id``."""
        return frozenset(self._by_user.get(user_id, ()))

    # Account changes ---------------------------------------------------------------

    async def end_sessions(
        self, *, user_id: int, session_ids: Collection[str] | None, reason: str
    ) -> None:
        """Close, in every process, the user's sockets bound to ``session_ids`` (None: all).

        Call it after the sessions' rows are gone, so a socket connecting meanwhile is
        refused by its own check of the session (see the gateway).
        """
        if session_ids is not None and not session_ids:
            return
        ids = None if session_ids is None else sorted(session_ids)
        event = {"kind": "end", "user_id": user_id, "sessions": ids, "reason": reason}
        await self.backend.publish(CONTROL_CHANNEL, json.dumps(event).encode())

    async def roles_changed(self, *, user_id: int) -> None:
        """Re-check, in every process, each channel the user's sockets are subscribed to."""
        event = {"kind": "roles", "user_id": user_id}
        await self.backend.publish(CONTROL_CHANNEL, json.dumps(event).encode())

    async def recheck_channels(self, *, prefix: str) -> None:
        """Re-check, in every process, the sockets following a channel that starts with
        ``prefix``, after a change to who may follow such channels (a session's chairs, the
        account a person is linked to). Few sockets follow the moderation channels, so
        looking through the channels of this process is cheap."""
        event = {"kind": "recheck", "prefix": prefix}
        await self.backend.publish(CONTROL_CHANNEL, json.dumps(event).encode())

    def _on_control(self, channel: str, payload: bytes) -> None:
        try:
            event = json.loads(payload)
            kind = event["kind"]
            if kind == "recheck":
                prefix = str(event["prefix"])
                self._recheck(prefix)
                return
            user_id = int(event["user_id"])
        except (ValueError, KeyError, TypeError):
            logger.warning("ignored a malformed account change on %s", channel)
            return
        connections = self._by_user.get(user_id)
        if not connections:
            return
        if kind == "end":
            sessions = event.get("sessions")
            reason = str(event.get("reason") or "session ended")[:100]
            for connection in tuple(connections):
                if sessions is None or connection.session_id in sessions:
                    self._spawn(self._end(connection, reason))
        elif kind == "roles" and self.reauthorize is not None:
            self._spawn(self.reauthorize(tuple(connections)))

    def _recheck(self, prefix: str) -> None:
        if not prefix or self.reauthorize is None:
            return
        following = {
            connection
            for channel, connections in self._subscribers.items()
            if channel.startswith(prefix)
            for connection in connections
        }
        if following:
            self._spawn(self.reauthorize(tuple(following)))

    def _spawn(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                logger.exception("acting on an account change failed")

        task = asyncio.get_running_loop().create_task(run())
        self._control_tasks.add(task)
        task.add_done_callback(self._control_tasks.discard)

    async def _end(self, connection: Connection, reason: str) -> None:
        """Stop sending at once, leave every channel, and tell the client why (4001)."""
        connection.close(CLOSE_UNAUTHENTICATED, reason)
        for channel in tuple(connection.channels):
            await self.leave(connection, channel)

    # Channels ----------------------------------------------------------------------

    async def join(self, connection: Connection, channel: str) -> None:
        """Add ``connection`` to ``channel``; return once this process is subscribed to the
        channel upstream, so nothing published from then on is missed.

        If subscribing upstream fails, the connection is left out of the channel again and
        the backend's error raised (to every connection waiting for that subscribe).
        """
        subscribers = self._subscribers[channel]
        subscribers.add(connection)
        connection.channels.add(channel)
        ready = self._ready.get(channel)
        if ready is None:
            ready = self._ready[channel] = self._upstream(channel, self._subscribe_upstream)
        try:
            # Shielded: a joiner cancelled while waiting (its socket closed) must not cancel
            # the subscribe the channel's other joiners are waiting for.
            await asyncio.shield(ready)
        except Exception:
            await self.leave(connection, channel)
            raise

    async def leave(self, connection: Connection, channel: str) -> None:
        connection.channels.discard(channel)
        subscribers = self._subscribers.get(channel)
        if subscribers is None:
            return
        subscribers.discard(connection)
        if not subscribers:
            del self._subscribers[channel]
            self._presence_sent.pop(channel, None)
            subscribed = self._ready.pop(channel, None)
            if subscribed is not None:
                unsubscribe = functools.partial(self._unsubscribe_upstream, subscribed)
                # Shielded: a leaver cancelled meanwhile must not leave it subscribed.
                await asyncio.shield(self._upstream(channel, unsubscribe))
            await self._clear_presence(channel)

    def _upstream(
        self, channel: str, operation: Callable[[str], Awaitable[None]]
    ) -> asyncio.Task[None]:
        """Run ``operation(channel)``, an upstream subscribe or unsubscribe, after the
        channel's previous one has finished (whatever its outcome)."""
        previous = self._upstream_ops.get(channel)

        async def run() -> None:
            if previous is not None:
                await asyncio.wait((previous,))
            await operation(channel)

        task = asyncio.get_running_loop().create_task(run(), name=f"hub-upstream:{channel}")
        self._upstream_ops[channel] = task
        task.add_done_callback(functools.partial(self._upstream_done, channel))
        return task

    def _upstream_done(self, channel: str, task: asyncio.Task[None]) -> None:
        if self._upstream_ops.get(channel) is task:
            del self._upstream_ops[channel]
        if not task.cancelled():
            task.exception()  # its waiters were told; none left is no reason to log it

    async def _subscribe_upstream(self, channel: str) -> None:
        try:
            await self.backend.subscribe(channel, self._dispatch)
        except BaseException:
            # Forgotten, so that the next join subscribes afresh (this one's waiters hear
            # the error and leave).
            if self._ready.get(channel) is asyncio.current_task():
                del self._ready[channel]
            raise

    async def _unsubscribe_upstream(self, subscribed: asyncio.Task[None], channel: str) -> None:
        # Runs after ``subscribed`` (the channel's operation before this one): only a
        # subscribe that succeeded is undone.
        if subscribed.cancelled() or subscribed.exception() is not None:
            return
        await self.backend.unsubscribe(channel, self._dispatch)

    async def _clear_presence(self, channel: str) -> None:
        """Stop counting this process's viewers at once, rather than when they expire."""
        if channel.partition(":")[0] in self.presence_kinds:
            try:
                await self.backend.presence(channel, self.process_id, 0)
            except Exception:  # Redis down: the entry expires by itself
                logger.debug("could not clear presence of %s", channel, exc_info=True)

    def local_count(self, channel: str) -> int:
        return len(self._subscribers.get(channel, ()))

    # Publishing --------------------------------------------------------------------

    async def publish(self, channel: str, frame: str, *, event_id: int | None = None) -> None:
        """Send an encoded envelope to every subscriber of ``channel`` in every process."""
        payload = f"{event_id or 0}\n{frame}".encode()
        await self.backend.publish(channel, payload)

    def _dispatch(self, channel: str, payload: bytes) -> None:
        head, _, frame = payload.decode().partition("\n")
        event_id = int(head) if head.isdigit() and head != "0" else None
        for connection in tuple(self._subscribers.get(channel, ())):
            try:
                connection.deliver(channel, frame, event_id)
            except Exception:  # one broken connection must not starve the channel
                logger.exception("delivery to a connection failed on %s", channel)

    def send_local(self, channel: str, frame: str) -> None:
        """Send to this process's subscribers only (each process computes presence itself)."""
        for connection in tuple(self._subscribers.get(channel, ())):
            try:
                connection.deliver(channel, frame, None)
            except Exception:
                logger.exception("delivery to a connection failed on %s", channel)

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one event under ``key`` across every process (fixed window): the count so
        far in this window and the seconds until it ends. Used for rate limits that must
        hold for the whole deployment, not per process."""
        return await self.backend.hit(key, window_seconds)

    # Ephemeral: reactions and presence ---------------------------------------------

    def react(self, channel: str, emoji: str) -> None:
        """Count a reaction; the tally goes out with the next tick."""
        self._reactions[channel][emoji] += 1

    async def tick(self) -> None:
        """Flush reaction tallies and refresh presence counts (called once a second)."""
        tallies, self._reactions = self._reactions, defaultdict(Counter)
        for channel, counts in tallies.items():
            data = ReactionCounts(counts=dict(counts)).wire()
            frame = encode("reactions", channel=channel, data=data)
            await self.publish(channel, frame)
        for channel in tuple(self._subscribers):
            if channel.partition(":")[0] not in self.presence_kinds:
                continue
            total = await self.backend.presence(channel, self.process_id, self.local_count(channel))
            if self._presence_sent.get(channel) != total:
                self._presence_sent[channel] = total
                data = Presence(viewers=total).wire()
                self.send_local(channel, encode("presence", channel=channel, data=data))

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                await self.tick()
            except Exception:  # a Redis hiccup must not stop future ticks
                logger.warning("hub tick failed", exc_info=True)
