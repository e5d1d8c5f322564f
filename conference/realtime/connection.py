"""One websocket client: a bounded send buffer drained by its own writer task.

Concurrency invariants:
- only the writer task sends on the socket, so frames never interleave;
- :meth:`Connection.deliver` never awaits: the hub calls it for every subscriber in turn,
  and a slow client must not delay the others. When the buffer is full the client is
  disconnected with :data:`CLOSE_TOO_SLOW`, telling it to reconnect with ``since``; its
  reader is cancelled too, so it leaves its channels at once rather than at a ping timeout;
- the writer sleeps on one event and drains every pending frame per wake-up, so a burst
  costs one task switch, not one per frame;
- while a channel replays missed events, live events for it are held back and released
  afterwards without duplicates (by event id), so a reconnect loses and repeats nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from starlette.websockets import WebSocket, WebSocketState

from conference.accounts.models import User
from conference.realtime.protocol import CLOSE_TOO_SLOW

logger = logging.getLogger(__name__)

# How long closing a socket may take before we give up on the peer.
_CLOSE_WAIT = 5.0


class Connection:
    def __init__(self, websocket: WebSocket, user: User, *, queue_size: int) -> None:
        self.websocket = websocket
        # Plain values, not the ORM object: thousands of idle connections should not each
        # keep a user, its roles and its session state alive. Actions load the user afresh.
        self.user_id = user.id
        self.user_name = user.name
        self.channels: set[str] = set()
        self._frames: deque[str] = deque()
        self._limit = queue_size
        self._wake = asyncio.Event()
        self._held: dict[str, list[tuple[int | None, str]]] = {}
        self._closing = False
        self._close_code = 1000
        self._close_reason = ""
        self.dropped_slow = False
        self._writer: asyncio.Task[None] | None = None
        # The task reading this client's frames (the gateway's), cancelled on a slow drop.
        self.reader: asyncio.Task[object] | None = None

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write(), name=f"ws-writer-{self.user_id}")

    @property
    def closing(self) -> bool:
        return self._closing

    @property
    def pending(self) -> int:
        """Frames waiting to be sent."""
        return len(self._frames)

    def send(self, frame: str) -> None:
        """Queue a frame for this client (never blocks)."""
        if self._closing:
            return
        if len(self._frames) >= self._limit:
            self.dropped_slow = True
            self.close(CLOSE_TOO_SLOW, "too slow: reconnect and subscribe with since")
            return
        self._frames.append(frame)
        self._wake.set()

    def deliver(self, channel: str, frame: str, event_id: int | None) -> None:
        """A published event for ``channel``: held back while that channel replays."""
        held = self._held.get(channel)
        if held is not None:
            held.append((event_id, frame))
            return
        self.send(frame)

    def hold(self, channel: str) -> None:
        """Hold back live events of ``channel`` until :meth:`release`."""
        self._held[channel] = []

    def release(self, channel: str, *, replayed_up_to: int) -> None:
        """Send the held live events the replay did not already include."""
        for event_id, frame in self._held.pop(channel, []):
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
        self._wake.set()

    async def _write(self) -> None:
        send = self.websocket.send
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._frames:
                    await send({"type": "websocket.send", "text": self._frames.popleft()})
                if self._closing:
                    break
        except asyncio.CancelledError:
            pass
        except Exception:  # the peer went away mid-send; the reader will notice too
            logger.debug("websocket writer stopped", exc_info=True)
        finally:
            if self.websocket.application_state != WebSocketState.DISCONNECTED:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        self.websocket.close(self._close_code, self._close_reason), _CLOSE_WAIT
                    )

    async def stop(self) -> None:
        """Stop the writer (after the reader has ended), flushing what is queued."""
        self.close(1000)
        if self._writer is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._writer), _CLOSE_WAIT)
            self._writer.cancel()
