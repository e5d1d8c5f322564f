"""The live stages this process feeds: a source's tracks in, one HLS ladder out per stage.

A stage's source is any pair of aiortc tracks. WHIP (:func:`streaming.ingest.peer.publish`)
takes them from a publisher's peer connection; a panel (streaming/panel/rooms.py) passes the
tracks it composes. Both go through the same two calls:

    handle = await runtime.ingests.start_broadcast(
        stage=stage,                       # conference.program.models.Stage
        video=track, audio=track_or_None,  # aiortc MediaStreamTrack (video required)
        publisher_id=user.id or None, stream_key_id=None,
        on_stop=async_callback_or_None,    # awaited once when it stops, whatever the cause
    )                                      # -> LiveBroadcast; Conflict (409) if already live
    await runtime.ingests.stop_broadcast(handle.resource_id)   # -> bool (False: not here)

``start_broadcast`` records the start (a Broadcast row in state ``starting``, and a
Recording unless the session may not be recorded), clears ``streams/<slug>/`` and starts
one task per track feeding an :class:`HlsLadderWriter`; it returns once the stage is held.
The stage goes live (the row, and ``stage.state`` to viewers) when the first segment of
every rendition exists, so no viewer is sent to an empty stream. The broadcast stops on
``stop_broadcast``, when a track ends, when no video arrives for ``SILENCE_SECONDS`` (or no
first segment within ``START_SECONDS``), when its row is ended by another process (a WHIP
DELETE that landed there) and at shutdown. Stopping closes the writer in a thread, moves
the folder to ``recordings/<id>/`` (or deletes it when nothing may be recorded) and tells
viewers on ``stage:<slug>``. A broadcast that never wrote a segment (ICE or DTLS never
completed, no video came) ends as ``no_media``: its folder and recording row are deleted,
and ``stage.publish_failed`` tells the studio why.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from conference.program.models import Stage
from conference.settings import Settings
from streaming import broadcasts
from streaming.hls.ladder import parse_ladder
from streaming.hls.writer import HlsError, HlsLadderWriter
from streaming.ingest import ending, live_files
from streaming.ingest.ice import allow_ice_interfaces
from streaming.status import FailReason

if TYPE_CHECKING:
    from conference.context import AppContext

logger = logging.getLogger(__name__)

# A publisher that sends no video for this long is gone (OBS killed, network lost); ICE
# consent checks would notice too, but only after about 30 s.
SILENCE_SECONDS = 15.0
# A broadcast whose first segment does not exist this long after it started is given up
# (video arrives but the encoder makes nothing of it).
START_SECONDS = 20.0
_FIRST_SEGMENT_POLL = 0.2

StopCallback = Callable[[], Awaitable[None]]


@dataclass
class LiveBroadcast:
    """A broadcast this process holds: its identifiers and what feeds it."""

    resource_id: str
    broadcast_id: int
    stage_id: int
    stage_slug: str
    recording_id: int | None
    started_at: datetime
    writer: HlsLadderWriter
    on_stop: StopCallback | None = None
    # Whether the source's transport ever connected (WHIP); None when there is none (panel).
    connected: Callable[[], bool] | None = None
    on_air: bool = False  # the first segment exists and viewers were told
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    video_frames: int = 0
    audio_frames: int = 0
    last_video: float = field(default_factory=time.monotonic)

    def stats(self) -> dict[str, Any]:
        """Counters for a studio page: frames received and the writer's own figures."""
        return {
            "resource_id": self.resource_id,
            "started_at": self.started_at.isoformat(),
            "on_air": self.on_air,
            "video_frames": self.video_frames,
            "audio_frames": self.audio_frames,
            "writer": dataclasses.asdict(self.writer.stats),
        }


class IngestManager:
    """Holds this process's live broadcasts and keeps their rows' heartbeats fresh."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ladder = parse_ladder(settings.stream_ladder)
        self._ctx: AppContext | None = None
        self._live: dict[str, LiveBroadcast] = {}
        # One go-live or stop at a time per stage in this process: a stop moves the folder
        # a new start would clear.
        self._stage_locks: dict[int, asyncio.Lock] = {}
        self._maintainer: asyncio.Task[None] | None = None
        self._stopping: set[asyncio.Task[bool]] = set()

    @property
    def ctx(self) -> AppContext:
        if self._ctx is None:
            raise RuntimeError("IngestManager.start has not run")
        return self._ctx

    def live(self, resource_id: str) -> LiveBroadcast | None:
        """The broadcast with this WHIP resource id, if this process holds it."""
        return self._live.get(resource_id)

    async def start(self, ctx: AppContext) -> None:
        """Start with the app: apply ``ice_interfaces``, end what dead processes left live."""
        self._ctx = ctx
        allow_ice_interfaces(self.settings.ice_interfaces)
        await self._sweep_stale(stage_id=None)
        self._maintainer = asyncio.create_task(self._maintain(), name="ingest-maintainer")

    async def stop(self) -> None:
        """Stop with the app: every broadcast here stops and keeps its recording."""
        if self._maintainer is not None:
            self._maintainer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._maintainer
            self._maintainer = None
        for resource_id in list(self._live):
            try:
                await self.stop_broadcast(resource_id)
            except Exception:
                logger.exception("stopping broadcast %s at shutdown failed", resource_id)
        if self._stopping:
            await asyncio.gather(*self._stopping, return_exceptions=True)

    # Going live --------------------------------------------------------------------

    async def start_broadcast(
        self,
        *,
        stage: Stage,
        video: MediaStreamTrack,
        audio: MediaStreamTrack | None,
        publisher_id: int | None = None,
        stream_key_id: int | None = None,
        on_stop: StopCallback | None = None,
        connected: Callable[[], bool] | None = None,
    ) -> LiveBroadcast:
        """Start ``stage`` from these tracks; it goes live at its first segment (see the
        module docstring). ``connected`` tells whether the source's transport ever
        connected, for the reason given when no media arrives."""
        ctx = self.ctx
        async with self._lock(stage.id):
            await self._end_stale_locked(stage.id)
            async with ctx.db.session() as db:
                broadcast, recording = await broadcasts.begin(
                    ctx,
                    db,
                    stage=stage,
                    resource_id=broadcasts.new_resource_id(),
                    stream_key_id=stream_key_id,
                    publisher_id=publisher_id,
                )
            out_dir = self.settings.media_root / broadcast.media_path
            writer = HlsLadderWriter(
                out_dir,
                self.ladder,
                segment_seconds=self.settings.stream_segment_seconds,
                fps=self.settings.stream_fps,
                preset=self.settings.stream_preset,
                live=True,
                # Each broadcast's own file names: a viewer's cache never mixes two.
                file_prefix=f"b{broadcast.id}-",
            )
            try:
                await asyncio.to_thread(live_files.clear_folder, out_dir)
                await asyncio.to_thread(writer.start)
            except Exception as exc:
                async with ctx.db.session() as db:
                    await broadcasts.claim_end(db, broadcast_id=broadcast.id)
                    if recording is not None:
                        await broadcasts.finish_recording(
                            db,
                            recording_id=recording.id,
                            duration_seconds=None,
                            has_mp4=False,
                            has_thumbnail=False,
                            error=f"The encoder did not start: {exc}",
                        )
                raise
            live = LiveBroadcast(
                resource_id=broadcast.resource_id,
                broadcast_id=broadcast.id,
                stage_id=stage.id,
                stage_slug=stage.slug,
                recording_id=recording.id if recording else None,
                started_at=broadcast.started_at,
                writer=writer,
                on_stop=on_stop,
                connected=connected,
            )
            self._live[live.resource_id] = live
            live.tasks.append(asyncio.create_task(self._feed(live, video, "video")))
            if audio is not None:
                live.tasks.append(asyncio.create_task(self._feed(live, audio, "audio")))
            live.tasks.append(asyncio.create_task(self._go_live(live, out_dir)))
            logger.info("stage %s is starting (broadcast %s)", stage.slug, broadcast.id)
            return live

    async def _go_live(self, live: LiveBroadcast, out_dir: Path) -> None:
        """Mark the broadcast live and tell viewers once every rendition has a segment;
        give up after ``START_SECONDS``."""
        names: Sequence[str] = [rendition.name for rendition in self.ladder]
        deadline = time.monotonic() + START_SECONDS
        while not await asyncio.to_thread(live_files.every_rendition_has_segment, out_dir, names):
            if time.monotonic() > deadline:
                logger.warning(
                    "broadcast %s of %s wrote no segment in %.0f s: stopping it",
                    live.broadcast_id,
                    live.stage_slug,
                    START_SECONDS,
                )
                self.stop_soon(live.resource_id)
                return
            await asyncio.sleep(_FIRST_SEGMENT_POLL)
        async with self.ctx.db.session() as db:
            if not await broadcasts.mark_live(db, broadcast_id=live.broadcast_id):
                return  # ended meanwhile (a DELETE elsewhere): the upkeep stops it
            live.on_air = True
            stage = await db.get(Stage, live.stage_id)
            if stage is not None:
                await ending.publish_stage_state(self.ctx, db, stage=stage)
        logger.info("stage %s is live (broadcast %s)", live.stage_slug, live.broadcast_id)

    # Stopping ----------------------------------------------------------------------

    async def stop_broadcast(self, resource_id: str) -> bool:
        """Stop a broadcast this process holds; False if it holds none with this id."""
        live = self._live.get(resource_id)
        if live is None:
            return False
        async with self._lock(live.stage_id):
            if self._live.pop(resource_id, None) is None:
                return False  # stopped meanwhile
            current = asyncio.current_task()
            for task in live.tasks:
                if task is not current:
                    task.cancel()
            await asyncio.gather(
                *(t for t in live.tasks if t is not current), return_exceptions=True
            )
            if live.on_stop is not None:
                try:
                    await live.on_stop()
                except Exception:
                    logger.warning("on_stop of %s failed", resource_id, exc_info=True)
            duration: float | None = None
            try:
                duration = (await asyncio.to_thread(live.writer.close)).duration_seconds
            except HlsError as exc:
                # What was written before a rendition failed is still a recording.
                logger.exception("encoding of %s failed", resource_id)
                duration = exc.result.duration_seconds if exc.result else None
            except Exception:
                logger.exception("closing the HLS writer of %s failed", resource_id)
            connected = live.connected() if live.connected is not None else True
            await self._finalize(
                broadcast_id=live.broadcast_id,
                stage_id=live.stage_id,
                stage_slug=live.stage_slug,
                recording_id=live.recording_id,
                duration_seconds=duration,
                no_media_reason=("no_media", ending.NO_MEDIA)
                if connected
                else ("no_connection", ending.NO_CONNECTION),
            )
            logger.info("stage %s stopped (broadcast %s)", live.stage_slug, live.broadcast_id)
            return True

    async def _finalize(
        self,
        *,
        broadcast_id: int,
        stage_id: int,
        stage_slug: str,
        recording_id: int | None,
        duration_seconds: float | None = None,
        no_media_reason: tuple[FailReason, str] | None = None,
    ) -> None:
        await ending.finalize(
            self.ctx,
            media_root=self.settings.media_root,
            top_rendition=self.ladder[0].name,
            broadcast_id=broadcast_id,
            stage_id=stage_id,
            stage_slug=stage_slug,
            recording_id=recording_id,
            duration_seconds=duration_seconds,
            no_media_reason=no_media_reason,
        )

    def stop_soon(self, resource_id: str) -> None:
        """Stop the broadcast in a task of its own (from callbacks and the feed tasks)."""
        if resource_id not in self._live:
            return
        task = asyncio.create_task(self.stop_broadcast(resource_id))
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)

    # Feeding and upkeep ------------------------------------------------------------

    async def _feed(self, live: LiveBroadcast, track: MediaStreamTrack, kind: str) -> None:
        """Hand each decoded frame to the writer (which encodes in its own threads)."""
        try:
            while True:
                frame = await track.recv()
                if isinstance(frame, av.VideoFrame):
                    live.video_frames += 1
                    live.last_video = time.monotonic()
                    live.writer.push_video(frame)
                elif isinstance(frame, av.AudioFrame):
                    live.audio_frames += 1
                    live.writer.push_audio(frame)
        except MediaStreamError:
            # The publisher's track ended: the broadcast is over.
            self.stop_soon(live.resource_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("feeding %s of %s failed", kind, live.resource_id)
            self.stop_soon(live.resource_id)

    async def _maintain(self) -> None:
        """Refresh heartbeats, stop silent or remotely ended broadcasts, end stale ones."""
        while True:
            await asyncio.sleep(broadcasts.HEARTBEAT_SECONDS)
            try:
                await self._upkeep()
            except Exception:  # a database hiccup must not stop future heartbeats
                logger.warning("ingest upkeep failed", exc_info=True)

    async def _upkeep(self) -> None:
        now = time.monotonic()
        for live in list(self._live.values()):
            async with self.ctx.db.session() as db:
                still_live = await broadcasts.heartbeat(db, broadcast_id=live.broadcast_id)
            if not still_live or now - live.last_video > SILENCE_SECONDS:
                self.stop_soon(live.resource_id)
        await self._sweep_stale(stage_id=None)

    async def end_stale(self) -> None:
        """End (and archive) every broadcast whose holding process died; runs by itself
        at start and every few seconds."""
        await self._sweep_stale(stage_id=None)

    async def _sweep_stale(self, *, stage_id: int | None) -> None:
        """End and finalize broadcasts whose holding process died."""
        async with self.ctx.db.session() as db:
            stage_ids = await broadcasts.stale_stage_ids(db, stage_id=stage_id)
        for stale_stage in stage_ids:
            async with self._lock(stale_stage):
                await self._end_stale_locked(stale_stage)

    async def _end_stale_locked(self, stage_id: int) -> None:
        """End the stage's stale broadcasts; the caller holds the stage's lock, so no
        go-live here clears the folder before it is archived."""
        async with self.ctx.db.session() as db:
            claimed = await broadcasts.claim_stale(db, stage_id=stage_id)
        for broadcast in claimed:
            if any(b.broadcast_id == broadcast.id for b in self._live.values()):
                continue  # ours, merely late (a stalled loop): its stop finalizes it
            stage_slug = broadcast.media_path.removeprefix("streams/")
            logger.warning("ending stale broadcast %s of %s", broadcast.id, stage_slug)
            await self._finalize(
                broadcast_id=broadcast.id,
                stage_id=broadcast.stage_id,
                stage_slug=stage_slug,
                recording_id=broadcast.recording_id,
                no_media_reason=("server_gone", ending.SERVER_GONE),
            )

    def _lock(self, stage_id: int) -> asyncio.Lock:
        return self._stage_locks.setdefault(stage_id, asyncio.Lock())
