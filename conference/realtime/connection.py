"""One websocket client: a bounded send queue drained by its own writer task.

Concurrency invariants:
- only the writer task sends on the socket, so frames never interleave;
- :meth:`Connection.deliver` never awaits: the hub calls it for every subscriber in turn,
  and a slow client must not delay the others. When the queue is full the client is
  disconnected with :data:`CLOSE_TOO_SLOW`, telling it to reconnect with ``since``;
- while a channel replays missed events, live events for it are held back and released
  afterwards without duplicates (by event id), so a reconnect loses and repeats nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.websockets import WebSocket, WebSocketState

from conference.accounts.models import User
from conference.realtime.protocol import CLOSE_TOO_SLOW

logger = logging.getLogger(__name__)

# Sentinel the writer reads as "close now".
_CLOSE = object()


class Connection:
    def __init__(self, websocket: WebSocket, user: User, *, queue_size: int) -> None:
        self.websocket = websocket
        self.user_id = user.id
        self.user_name = user.name
        self.user = user
        self.channels: set[str] = set()
        self._queue: asyncio.Queue[object] = asyncio.Queue(maxsize=queue_size)
        self._held: dict[str, list[tuple[int | None, str]]] = {}
        self._closing = False
        self._close_code = 1000
        self._close_reason = ""
        self.dropped_slow = False
        self._writer: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write(), name=f"ws-writer-{self.user_id}")

    @property
    def closing(self) -> bool:
        return self._closing

    def send(self, frame: str) -> None:
        """Queue a frame for this client (never blocks)."""
        if self._closing:
            return
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.dropped_slow = True
            self.close(CLOSE_TOO_SLOW, "too slow: reconnect and subscribe with since")

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
        """Close after what is queued (or at once for a slow client, whose queue is full)."""
        if self._closing:
            return
        self._closing = True
        self._close_code, self._close_reason = code, reason
        if code == CLOSE_TOO_SLOW:
            # Its backlog is what made it slow: drop it and close now.
            while not self._queue.empty():
                self._queue.get_nowait()
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(_CLOSE)

    async def _write(self) -> None:
        try:
            while True:
                item = await self._queue.get()
                if item is _CLOSE:
                    break
                assert isinstance(item, str)
                await self.websocket.send_text(item)
        except Exception:  # the peer went away mid-send; the reader will notice too
            logger.debug("websocket writer stopped", exc_info=True)
        finally:
            if self.websocket.application_state != WebSocketState.DISCONNECTED:
                with contextlib.suppress(Exception):
                    await self.websocket.close(self._close_code, self._close_reason)

    async def stop(self) -> None:
        """Stop the writer (after the reader has ended)."""
        self.close(1000)
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
