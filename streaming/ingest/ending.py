"""Ending a broadcast once its feeding has stopped: the live folder becomes the recording
(or goes, when nothing may be recorded or nothing was written), the row ends, and the
stage's viewers and publisher are told."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.models import Stage
from conference.realtime.protocol import encode
from streaming import broadcasts
from streaming.ingest import live_files
from streaming.status import FailReason, PublishFailed, stage_status

if TYPE_CHECKING:
    from conference.context import AppContext

logger = logging.getLogger(__name__)

# Why a broadcast ended before it went live, for the publisher (``stage.publish_failed``).
NO_CONNECTION = (
    "No media arrived: the connection to the stage (ICE and DTLS) never completed. "
    "Check that this network lets UDP through to the server, then go live again."
)
NO_MEDIA = (
    "No video arrived, so the stage never went live. Check the camera or the encoder's "
    "output, then go live again."
)
SERVER_GONE = (
    "The server process handling this broadcast stopped before any media arrived; go live again."
)


async def finalize(
    ctx: AppContext,
    *,
    media_root: Path,
    top_rendition: str,
    broadcast_id: int,
    stage_id: int,
    stage_slug: str,
    recording_id: int | None,
    duration_seconds: float | None = None,
    no_media_reason: tuple[FailReason, str] | None = None,
) -> None:
    """Move the output to the recording (or delete it), then end the row and say so.

    Without a single segment written, the broadcast ends as ``no_media`` and leaves
    nothing; ``no_media_reason`` (a code and a sentence) is then told to the studio."""
    source = media_root / broadcasts.live_path(stage_slug)
    if not await asyncio.to_thread(live_files.has_segments, source):
        await _end_without_media(
            ctx,
            broadcast_id=broadcast_id,
            stage_id=stage_id,
            stage_slug=stage_slug,
            source=source,
            reason=no_media_reason,
        )
        return
    target = media_root / broadcasts.recording_path(recording_id) if recording_id else None
    # Talks marked "do not record" went out live; they are cut from the recording only.
    async with ctx.db.session() as db:
        started_at, unrecorded = await broadcasts.unrecorded_talks(
            ctx, db, broadcast_id=broadcast_id
        )
    archived = await asyncio.to_thread(
        live_files.archive,
        source,
        target,
        top_rendition=top_rendition,
        started_at=started_at,
        unrecorded=unrecorded,
    )
    async with ctx.db.session() as db:
        await broadcasts.claim_end(db, broadcast_id=broadcast_id)
        if recording_id is not None:
            await broadcasts.finish_recording(
                db,
                recording_id=recording_id,
                duration_seconds=archived.duration_seconds
                if archived.trimmed
                else duration_seconds or archived.duration_seconds,
                has_mp4=archived.has_mp4,
                has_thumbnail=archived.has_thumbnail,
            )
        stage = await db.get(Stage, stage_id)
        if stage is not None:
            await publish_stage_state(ctx, db, stage=stage)


async def _end_without_media(
    ctx: AppContext,
    *,
    broadcast_id: int,
    stage_id: int,
    stage_slug: str,
    source: Path,
    reason: tuple[FailReason, str] | None,
) -> None:
    await asyncio.to_thread(live_files.remove_folder, source)
    async with ctx.db.session() as db:
        await broadcasts.end_without_media(db, broadcast_id=broadcast_id)
        stage = await db.get(Stage, stage_id)
        if stage is not None:
            await publish_stage_state(ctx, db, stage=stage)
    code, message = reason or ("no_media", NO_MEDIA)
    logger.info(
        "broadcast %s of %s ended before any media arrived (%s)", broadcast_id, stage_slug, code
    )
    channel = f"stage:{stage_slug}"
    data = PublishFailed(stage=stage_slug, reason=code, message=message).wire()
    await ctx.realtime.hub.publish(
        channel, encode("stage.publish_failed", channel=channel, data=data)
    )


async def publish_stage_state(ctx: AppContext, db: AsyncSession, *, stage: Stage) -> None:
    """Tell the stage's viewers (every process) what it shows now; ephemeral."""
    channel = f"stage:{stage.slug}"
    data = await stage_status(ctx, db, stage=stage)
    await ctx.realtime.hub.publish(channel, encode("stage.state", channel=channel, data=data))
