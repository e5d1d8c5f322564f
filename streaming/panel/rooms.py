"""Panels: up to eight speakers of a stage see and hear each other over WebRTC.

One room per stage in this process. Each panelist has one RTCPeerConnection; aiortc
decodes their camera and microphone once. The room composes one picture (a grid, or the
active speaker large with thumbnails) at the stage frame rate and encodes it once per
video codec in use (normally one: H.264 is preferred in negotiation); every panelist's
sender gets those same packets and only packetizes them (streaming/panel/tracks.py). So
video costs one decode per panelist plus one encode, not one encode per pair of
panelists. Audio is mixed every 20 ms: each panelist hears a mix-minus (everyone but
themselves), which their sender Opus-encodes (cheap); the stage gets the full mix.

The composed frames (before encoding) and the full mix are also aiortc tracks
(:meth:`PanelRoom.output_tracks`), which the ingest takes as a stage's source to go live,
so the HLS ladder is fed without decoding anything again.

The same rooms serve small video rooms attached to other domains' objects (a poster's
live slot), keyed ``<kind>:<id>`` (``poster:17``; stage slugs never hold a colon, so the
keys cannot clash). Their rules come from the owning domain through the core's
``Extensions.video_rooms``; here they only get a capacity of their own and a smaller
picture, and they are never put live (going live looks a stage up by its slug).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from conference.errors import Conflict, NotFound
from conference.settings import Settings
from streaming.ingest.ice import allow_ice_interfaces
from streaming.panel.compositor import Layout
from streaming.panel.room import MAX_PANELISTS, Panelist, PanelRoom
from streaming.panel.tracks import check_offer

if TYPE_CHECKING:
    from conference.context import AppContext
    from conference.program.models import Stage
    from streaming.ingest.live import IngestManager, LiveBroadcast

__all__ = ["MAX_PANELISTS", "PanelManager", "PanelRoom"]

logger = logging.getLogger(__name__)


class RoomFull(Conflict):
    """A panel or video room has as many people as it seats."""

    reason = "room_full"


def room_key(kind: str, object_id: int) -> str:
    """The key of the video room of a domain's object (``poster:17``)."""
    return f"{kind}:{object_id}"


class PanelManager:
    """This process's panel rooms, one per stage with panelists or a live panel."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # The composed picture; the HLS ladder scales it down to each rendition.
        self.size = (1280, 720)
        self.fps = min(settings.stream_fps, 30)
        self.bitrate = 2_000_000
        self.max_panelists = MAX_PANELISTS
        # The picture of a video room on a page: it never feeds the ladder, and smaller
        # tiles cost the shared encoder less.
        self.room_size = (854, 480)
        self.rooms: dict[str, PanelRoom] = {}
        self._lock = asyncio.Lock()
        self._cleanups: set[asyncio.Task[None]] = set()
        # Seats given up at a set time (a video room closing at the end of its slot), one
        # per room and user: a user's new seat replaces their old one, and its expiry too.
        self._expiries: dict[tuple[str, int], asyncio.Task[None]] = {}

    async def start(self, ctx: AppContext) -> None:
        """Start with the app: ICE candidates only from ``ice_interfaces``."""
        allow_ice_interfaces(self.settings.ice_interfaces)

    async def stop(self) -> None:
        """Stop with the app; must not raise."""
        expiries = list(self._expiries.values())
        for task in expiries:
            task.cancel()
        await asyncio.gather(*expiries, return_exceptions=True)
        for slug in list(self.rooms):
            room = self.rooms.pop(slug)
            try:
                await room.close()
            except Exception:  # shutting down: log, carry on with the others
                logger.exception("panel %s: closing failed", slug)
        await asyncio.gather(*self._cleanups, return_exceptions=True)

    def room(self, slug: str) -> PanelRoom | None:
        return self.rooms.get(slug)

    def _room(self, slug: str, size: tuple[int, int]) -> PanelRoom:
        room = self.rooms.get(slug)
        if room is None:
            width, height = size
            room = PanelRoom(
                slug,
                width=width,
                height=height,
                fps=self.fps,
                bitrate=self.bitrate,
                preset=self.settings.stream_preset,
            )
            room.on_empty = self._schedule_drop
            self.rooms[slug] = room
        return room

    async def join(
        self,
        *,
        slug: str,
        user_id: int,
        name: str,
        offer_sdp: str,
        capacity: int | None = None,
    ) -> tuple[str, str]:
        """Seat a panelist on the stage's panel, or someone in a video room (``slug`` a
        :func:`room_key`, with the owner's ``capacity``); (panelist id, SDP answer).

        A user already in the room (a reloaded page) gives up the old seat. Full rooms
        refuse with RoomFull (409).
        """
        check_offer(offer_sdp)
        is_room = capacity is not None
        seats = min(capacity, self.max_panelists) if capacity is not None else self.max_panelists
        async with self._lock:
            room = self._room(slug, self.room_size if is_room else self.size)
            for old in [p.id for p in room.panelists.values() if p.user_id == user_id]:
                await room.remove(old)
            try:
                if len(room.panelists) >= seats:
                    what = "video room" if is_room else "panel"
                    raise RoomFull(f"The {what} is full ({seats} people).")
                panelist, answer = await room.add(user_id=user_id, name=name, offer_sdp=offer_sdp)
            except BaseException:
                # Refused or unanswerable: a room made for this join is not kept.
                if not room.panelists and room.broadcast_resource is None:
                    del self.rooms[slug]
                    await room.close()
                raise
            return panelist.id, answer

    def expire(self, *, slug: str, user_id: int, panelist_id: str, after: float) -> None:
        """Give up ``user_id``'s seat ``panelist_id`` ``after`` seconds from now (unless
        they left before); replaces the expiry of their earlier seat in the room."""
        key = (slug, user_id)

        async def expiry() -> None:
            await asyncio.sleep(max(0.0, after))
            with contextlib.suppress(NotFound):
                await self.leave(slug=slug, panelist_id=panelist_id)

        def forget(done: asyncio.Task[None]) -> None:
            if self._expiries.get(key) is done:
                del self._expiries[key]

        earlier = self._expiries.get(key)
        if earlier is not None:
            earlier.cancel()
        task = asyncio.create_task(expiry(), name=f"panel-expiry:{slug}")
        self._expiries[key] = task
        task.add_done_callback(forget)

    async def leave(self, *, slug: str, panelist_id: str) -> None:
        """Free a seat; the room closes with its last panelist unless it is live."""
        async with self._lock:
            room = self.rooms.get(slug)
            if room is None or not await room.remove(panelist_id):
                raise NotFound("There is no such panelist.")
            if not room.panelists and room.broadcast_resource is None:
                del self.rooms[slug]
                await room.close()

    def seat(self, slug: str, panelist_id: str) -> Panelist | None:
        room = self.rooms.get(slug)
        return room.panelists.get(panelist_id) if room else None

    def set_layout(self, *, slug: str, layout: Layout) -> PanelRoom:
        room = self.rooms.get(slug)
        if room is None:
            raise NotFound("Nobody is on this stage's panel.")
        room.compositor.layout = layout
        return room

    async def go_live(
        self, *, stage: Stage, ingests: IngestManager, user_id: int | None
    ) -> LiveBroadcast:
        """Broadcast the stage's panel: its composed picture and full mix feed the ladder."""
        async with self._lock:
            room = self.rooms.get(stage.slug)
            if room is None or not room.panelists:
                raise Conflict("Nobody is on this stage's panel yet.")
            if room.broadcast_resource is not None:
                raise Conflict("The panel is live already.")
            video, audio = room.output_tracks()

            async def on_stop() -> None:
                room.broadcast_resource = None
                video.stop()
                audio.stop()
                # Later, under the lock: the ingest may call this while go_live holds it.
                self._schedule_drop(room)

            try:
                live = await ingests.start_broadcast(
                    stage=stage, video=video, audio=audio, publisher_id=user_id, on_stop=on_stop
                )
            except BaseException:
                video.stop()
                audio.stop()
                raise
            room.broadcast_resource = live.resource_id
            return live

    def _schedule_drop(self, room: PanelRoom) -> None:
        task = asyncio.create_task(self._drop_if_idle(room))
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)

    async def _drop_if_idle(self, room: PanelRoom) -> None:
        async with self._lock:
            idle = not room.panelists and room.broadcast_resource is None
            if idle and self.rooms.get(room.slug) is room:
                del self.rooms[room.slug]
                await room.close()

    async def stop_live(self, *, slug: str, ingests: IngestManager) -> None:
        """Stop broadcasting the panel (the panel itself carries on)."""
        room = self.rooms.get(slug)
        resource = room.broadcast_resource if room else None
        if resource is None or not await ingests.stop_broadcast(resource):
            raise NotFound("This stage's panel is not live.")
