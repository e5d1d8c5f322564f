"""Broadcasts: who is live on a stage, its recording, and what viewers are told about it.

The database row is the truth every process shares: a stage is live when it has a
broadcast in state ``live`` whose heartbeat is fresh. A broadcast starts in state
``starting`` (it holds the stage, viewers see nothing) and turns ``live`` when its first
segment exists (:func:`mark_live`); one that never gets there ends as ``no_media``. The
process holding the ingest refreshes the heartbeat; when a process dies, its broadcasts go
stale and any process ends them (:func:`claim_stale`), so their recordings survive the crash.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import Conflict
from conference.limits import MAX_SLUG_LENGTH
from conference.program import participation
from conference.program.models import Stage
from conference.program.published.program import SessionView
from streaming.models import (
    ACTIVE_STATES,
    Broadcast,
    BroadcastState,
    Recording,
    RecordingSource,
    RecordingStatus,
)

if TYPE_CHECKING:
    from conference.context import AppContext

# The holder refreshes its heartbeat this often; a heartbeat older than STALE_SECONDS means
# the holding process is gone.
HEARTBEAT_SECONDS = 3.0
STALE_SECONDS = 15.0


def live_path(stage_slug: str) -> str:
    """Where a stage's live output is written, under MEDIA_DIR."""
    return f"streams/{stage_slug}"


def recording_path(recording_id: int) -> str:
    return f"recordings/{recording_id}"


def new_resource_id() -> str:
    return secrets.token_urlsafe(24)


def _fresh_after(now: datetime) -> datetime:
    return now - timedelta(seconds=STALE_SECONDS)


async def live_broadcast(
    db: AsyncSession, *, stage_id: int, now: datetime | None = None
) -> Broadcast | None:
    """The stage's live broadcast (on air: its first segment exists) with a fresh
    heartbeat, if any (the oldest, if several)."""
    return await _fresh(db, stage_id=stage_id, states=(BroadcastState.live.value,), now=now)


async def active_broadcast(
    db: AsyncSession, *, stage_id: int, now: datetime | None = None
) -> Broadcast | None:
    """The broadcast holding the stage, starting or live, with a fresh heartbeat, if any."""
    return await _fresh(db, stage_id=stage_id, states=ACTIVE_STATES, now=now)


async def _fresh(
    db: AsyncSession, *, stage_id: int, states: tuple[str, ...], now: datetime | None
) -> Broadcast | None:
    return await db.scalar(
        select(Broadcast)
        .where(
            Broadcast.stage_id == stage_id,
            Broadcast.state.in_(states),
            Broadcast.heartbeat_at >= _fresh_after(now or utcnow()),
        )
        .order_by(Broadcast.id)
        .limit(1)
    )


async def sessions_on_stage(
    ctx: AppContext, db: AsyncSession, *, stage: Stage, now: datetime
) -> tuple[SessionView | None, SessionView | None]:
    """The published session on ``stage`` at ``now`` and the next one after it."""
    program = await ctx.programs.current(db)
    current: SessionView | None = None
    upcoming: SessionView | None = None
    for session in program.sessions if program else ():
        if session.stage is None or session.stage.guid != stage.guid:
            continue
        if current is None and session.is_on_at(now):
            current = session
        elif upcoming is None and session.starts_at > now:
            upcoming = session
    return current, upcoming


async def unrecorded_talks(
    ctx: AppContext, db: AsyncSession, *, broadcast_id: int
) -> tuple[datetime | None, list[tuple[datetime, datetime]]]:
    """When the broadcast went live, and the ``[start, end)`` windows of its session's
    talks marked "do not record" in the published program (cut from its recording)."""
    broadcast = await db.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.session_guid is None:
        return None, []
    program = await ctx.programs.current(db)
    session = program.by_guid.get(broadcast.session_guid) if program else None
    if session is None:
        return broadcast.started_at, []
    return broadcast.started_at, [
        (t.starts_at, t.ends_at) for t in session.talks if not t.may_be_recorded
    ]


async def may_publish(ctx: AppContext, db: AsyncSession, *, user: User, stage: Stage) -> bool:
    """Organizers publish to any stage; chairs and speakers to the stage of their session
    today (in the meeting's time zone), so a studio page can go live without a key."""
    program = await ctx.programs.current(db)
    part = await participation.of_user(db, user=user)
    return part.may_present_on(program, stage.guid, day_of=utcnow())


async def begin(
    ctx: AppContext,
    db: AsyncSession,
    *,
    stage: Stage,
    resource_id: str,
    stream_key_id: int | None,
    publisher_id: int | None,
) -> tuple[Broadcast, Recording | None]:
    """Record that ``stage`` is starting now (live at its first segment: :func:`mark_live`),
    with its recording unless the session forbids it.

    Raises Conflict (409) if the stage is held already, in this process or another.
    """
    now = utcnow()
    if await active_broadcast(db, stage_id=stage.id, now=now) is not None:
        raise Conflict("This stage is already live; stop that broadcast first.")
    session, _ = await sessions_on_stage(ctx, db, stage=stage, now=now)
    recording: Recording | None = None
    if session is None or session.may_be_recorded:
        title = session.title if session else f"{stage.name}, {now:%Y-%m-%d %H:%M} UTC"
        recording = Recording(
            session_guid=session.guid if session else None,
            stage_id=stage.id,
            title=title[:300],
            source=RecordingSource.live.value,
            status=RecordingStatus.recording.value,
            published=True,
            media_path="",
        )
        db.add(recording)
        await db.flush()
        recording.media_path = recording_path(recording.id)
    broadcast = Broadcast(
        stage_id=stage.id,
        session_guid=session.guid if session else None,
        state=BroadcastState.starting.value,
        media_path=live_path(stage.slug),
        resource_id=resource_id,
        stream_key_id=stream_key_id,
        publisher_id=publisher_id,
        recording_id=recording.id if recording else None,
        started_at=now,
        heartbeat_at=now,
    )
    db.add(broadcast)
    await db.commit()
    # Two processes may both have seen the stage free: the older row wins, the other backs
    # out, so one stage never has two writers in its folder.
    first = await active_broadcast(db, stage_id=stage.id, now=now)
    if first is not None and first.id != broadcast.id:
        broadcast.state = BroadcastState.ended.value
        broadcast.ended_at = utcnow()
        if recording is not None:
            recording.status = RecordingStatus.failed.value
            recording.published = False
            recording.error = "Another publisher went live first."
        await db.commit()
        raise Conflict("This stage is already live; stop that broadcast first.")
    return broadcast, recording


async def mark_live(db: AsyncSession, *, broadcast_id: int) -> bool:
    """A starting broadcast's first segment exists: it is live; False if it was ended
    meanwhile (or was live already)."""
    result = await db.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.state == BroadcastState.starting.value)
        .values(state=BroadcastState.live.value)
    )
    await db.commit()
    return bool(getattr(result, "rowcount", 0))


async def heartbeat(db: AsyncSession, *, broadcast_id: int) -> bool:
    """Refresh a starting or live broadcast's heartbeat; False if it was ended meanwhile
    (elsewhere)."""
    result = await db.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.state.in_(ACTIVE_STATES))
        .values(heartbeat_at=utcnow())
    )
    await db.commit()
    return bool(getattr(result, "rowcount", 0))


async def claim_end(db: AsyncSession, *, broadcast_id: int) -> bool:
    """Mark a broadcast ended; True if this call ended it (so the caller finalizes it)."""
    result = await db.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.state.in_(ACTIVE_STATES))
        .values(state=BroadcastState.ended.value, ended_at=utcnow())
    )
    await db.commit()
    return bool(getattr(result, "rowcount", 0))


async def end_without_media(db: AsyncSession, *, broadcast_id: int) -> None:
    """End a broadcast that never received media (or relabel it, if already claimed as
    ended) as ``no_media``, and drop its recording's row: nothing was captured."""
    broadcast = await db.get(Broadcast, broadcast_id)
    if broadcast is None:
        return
    recording_id = broadcast.recording_id
    broadcast.state = BroadcastState.no_media.value
    broadcast.ended_at = broadcast.ended_at or utcnow()
    broadcast.recording_id = None
    # One transaction: a reader never sees the broadcast ended with its empty recording
    # still listed.
    await db.flush()
    if recording_id is not None:
        recording = await db.get(Recording, recording_id)
        if recording is not None:
            await db.delete(recording)
    await db.commit()


def _stale() -> Any:
    return (Broadcast.state.in_(ACTIVE_STATES)) & (Broadcast.heartbeat_at < _fresh_after(utcnow()))


async def stale_stage_ids(db: AsyncSession, *, stage_id: int | None = None) -> list[int]:
    """Stages with a starting or live broadcast whose holder died (only ``stage_id``, if given)."""
    statement = select(Broadcast.stage_id).where(_stale()).distinct()
    if stage_id is not None:
        statement = statement.where(Broadcast.stage_id == stage_id)
    return list((await db.scalars(statement)).all())


async def claim_stale(db: AsyncSession, *, stage_id: int) -> list[Broadcast]:
    """End the stage's starting or live broadcasts whose holder died; returns those this
    call ended."""
    statement = select(Broadcast).where(_stale(), Broadcast.stage_id == stage_id)
    claimed: list[Broadcast] = []
    for broadcast in (await db.scalars(statement)).all():
        # Claimed one by one with a conditional update: of two processes sweeping at
        # once, exactly one ends (and finalizes) each broadcast.
        result = await db.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id, Broadcast.state.in_(ACTIVE_STATES))
            .values(state=BroadcastState.ended.value, ended_at=utcnow())
        )
        await db.commit()
        if getattr(result, "rowcount", 0):
            claimed.append(broadcast)
    return claimed


async def by_resource(db: AsyncSession, *, stage: Stage, resource_id: str) -> Broadcast | None:
    if len(resource_id) > MAX_SLUG_LENGTH:
        return None
    return await db.scalar(
        select(Broadcast).where(
            Broadcast.stage_id == stage.id, Broadcast.resource_id == resource_id
        )
    )


async def finish_recording(
    db: AsyncSession,
    *,
    recording_id: int,
    duration_seconds: float | None,
    has_mp4: bool,
    has_thumbnail: bool,
    error: str = "",
) -> Recording | None:
    """Mark a live recording ready (or failed, when it holds no media)."""
    recording = await db.get(Recording, recording_id)
    if recording is None:
        return None
    if error or not duration_seconds:
        recording.status = RecordingStatus.failed.value
        recording.error = (error or "The broadcast produced no video.")[:500]
    else:
        recording.status = RecordingStatus.ready.value
    recording.duration_seconds = duration_seconds
    recording.has_mp4 = has_mp4
    recording.has_thumbnail = has_thumbnail
    await db.commit()
    return recording
