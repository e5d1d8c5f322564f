"""One websocket client: a bounded send buffer drained by its own writer task.

Concurrency invariants:
- only the writer task sends on the socket, so frames never interleave;
- :meth:`Connection.deliver` never awaits: the hub calls it for every subscriber in turn,
  and a slow client must not delay the others. The buffer is bounded: when it holds
  ``queue_size`` frames the client is disconnected with :data:`CLOSE_TOO_SLOW`, telling it
  to reconnect with ``since``; its reader is cancelled too, so it leaves its channels at
  once rather than at a ping timeout;
- the writer sleeps on one future and drains every pending frame per wake-up, so a burst
  costs one task switch, not one per frame;
- while a channel replays missed events, live events for it are held back and released
  afterwards without duplicates (by event id), so a reconnect loses and repeats nothing.

Memory: thousands of these stay alive for hours, so a connection keeps only plain values
(``__slots__``, the user's id and name, not the ORM object), a list for the buffer (an
empty :class:`collections.deque` allocates a 64-slot block up front), a bare future for
the wake-up (an :class:`asyncio.Event` carries a deque of its own) and no dict for held
events until a replay needs one. Frames go to the server's ASGI ``send`` directly, with no
framework wrapper in between. docs/PERFORMANCE.md has the per-connection breakdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from starlette.types import Send

from conference.realtime.protocol import CLOSE_TOO_SLOW

logger = logging.getLogger(__name__)

# How long closing a socket may take before we give up on the peer.
_CLOSE_WAIT = 5.0


class Connection:
    __slots__ = (
        "_close_code",
        "_close_reason",
        "_closing",
        "_frames",
        "_held",
        "_limit",
        "_send",
        "_waiter",
        "_writer",
        "channels",
        "disconnected",
        "dropped_slow",
        "reader",
        "session_id",
        "user_id",
        "user_name",
    )

    def __init__(
        self,
        send: Send,
        *,
        user_id: int,
        user_name: str,
        queue_size: int,
        session_id: str = "",
    ) -> None:
        self._send = send
        self.user_id = user_id
        # The signed-in session (its stored id) this socket acts for: ending that session
        # closes the socket.
        self.session_id = session_id
        self.user_name = user_name
        self.channels: set[str] = set()
        # Frames not yet handed to the socket, oldest first. At most ``queue_size`` long,
        # so ``pop(0)`` moves at most that many pointers.
        self._frames: list[str] = []
        self._limit = queue_size
        # Set while the writer sleeps; resolved by the next frame (or close).
        self._waiter: asyncio.Future[None] | None = None
        self._held: dict[str, list[tuple[int | None, str]]] | None = None
        self._closing = False
        self._close_code = 1000
        self._close_reason = ""
        self.dropped_slow = False
        # The peer has gone (the reader saw websocket.disconnect): nothing more to send.
        self.disconnected = False
        self._writer: asyncio.Task[None] | None = None
        # The task reading this client's frames (the gateway's), cancelled on a slow drop.
        self.reader: asyncio.Task[Any] | None = None

    def start(self) -> None:
        self._writer = asyncio.get_running_loop().create_task(self._write())

    @property
    def closing(self) -> bool:
        return self._closing

    @property
    def pending(self) -> int:
        """Frames waiting to be sent."""
        return len(self._frames)

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def send(self, frame: str) -> None:
        """Queue a frame for this client (never blocks)."""
        if self._closing:
            return
        if len(self._frames) >= self._limit:
            self.dropped_slow = True
            self.close(CLOSE_TOO_SLOW, "too slow: reconnect and subscribe with since")
            return
        self._frames.append(frame)
        self._wake()

    def deliver(self, channel: str, frame: str, event_id: int | None) -> None:
        """A published event for ``channel``: held back while that channel replays."""
        if self._held is not None:
            held = self._held.get(channel)
            if held is not None:
                held.append((event_id, frame))
                return
        self.send(frame)

    def hold(self, channel: str) -> None:
        """Hold back live events of ``channel`` until :meth:`release`."""
        if self._held is None:
            self._held = {}
        self._held[channel] = []

    def release(self, channel: str, *, replayed_up_to: int) -> None:
        """Send the held live events the replay did not already include."""
        if self._held is None:
            return
        held = self._held.pop(channel, [])
        if not self._held:
            self._held = None
        for event_id, frame in held:
            if event_id is None or event_id > replayed_up_to:
                self.send(frame)

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close after what is queued; a slow client (whose backlog is the problem) at once."""
        if self._closing:
            return
        self._closing = True
        self._close_code, self._close_reason = code, reason
        if code == CLOSE_TOO_SLOW:
            self._frames.clear()
            # A send may be stuck on a peer that reads nothing: stop it (the writer's
            # cleanup closes the socket) and stop reading from the peer.
            if self._writer is not None and not self._writer.done():
                self._writer.cancel()
            if self.reader is not None and not self.reader.done():
                self.reader.cancel()
            return
        self._wake()

    async def _write(self) -> None:
        send = self._send
        frames = self._frames
        loop = asyncio.get_running_loop()
        try:
            while True:
                while frames:
                    await send({"type": "websocket.send", "text": frames.pop(0)})
                if self._closing:
                    break
                self._waiter = loop.create_future()
                await self._waiter
        except asyncio.CancelledError:
            pass
        except Exception:  # the peer went away mid-send; the reader will notice too
            logger.debug("websocket writer stopped", exc_info=True)
        finally:
            self._waiter = None
            if not self.disconnected:
                self.disconnected = True
                with contextlib.suppress(Exception):
                    message = {
                        "type": "websocket.close",
                        "code": self._close_code,
                        "reason": self._close_reason,
                    }
                    await asyncio.wait_for(send(message), _CLOSE_WAIT)

    async def stop(self) -> None:
        """Stop the writer (after the reader has ended), flushing what is queued."""
        self.close(1000)
        if self._writer is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._writer), _CLOSE_WAIT)
            self._writer.cancel()
