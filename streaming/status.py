"""What a stage shows now: live, a premiere, the replay of what just ended, or a slate.

One function computes the payload (:class:`StageState`) that the status endpoint returns
and that the realtime ``stage.state`` event carries, so a player gets the same answer
either way. Every process
can answer from the database alone: the live broadcast row and its heartbeat, the
recordings, and the published program.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.db.types import utcnow
from conference.limits import MAX_SLUG_LENGTH
from conference.program.models import Stage
from conference.realtime.schemas import IsoDatetime, Payload
from streaming.broadcasts import live_broadcast, sessions_on_stage
from streaming.models import Broadcast, BroadcastState, Recording, RecordingStatus, premiere_is_on

if TYPE_CHECKING:
    from conference.context import AppContext

# For this long after a broadcast stops, its stage offers the replay instead of the slate.
REPLAY_WINDOW = timedelta(hours=2)
# No premiere lasts longer than this (bounds the query; the exact end is checked after).
LONGEST_PREMIERE = timedelta(hours=24)


StateName = Literal["offline", "live", "premiere", "ended"]
# Why a broadcast ended before it went live.
FailReason = Literal["no_connection", "no_media", "server_gone"]


class RecordingBrief(Payload):
    id: int
    master_url: str
    title: str


class SessionBrief(Payload):
    guid: str
    title: str


class NextSession(SessionBrief):
    starts_at: IsoDatetime


class StageState(Payload):
    """What a stage shows now (``stage.state``, and the status endpoint)."""

    stage: str
    state: StateName
    started_at: IsoDatetime | None
    master_url: str | None = Field(description="the live or premiere playlist")
    recording: RecordingBrief | None = Field(description="the premiere or the replay")
    session: SessionBrief | None = Field(description="the session on the stage now")
    next_session: NextSession | None


class StageStatus(StageState):
    """The status endpoint's answer: the state, and until when its media token works."""

    token_expires_at: IsoDatetime


class PublishFailed(Payload):
    """Why a broadcast ended before it went live (``stage.publish_failed``)."""

    stage: str
    reason: FailReason
    message: str = Field(description="for the publisher")


def live_master_url(stage_slug: str) -> str:
    return f"/streams/{stage_slug}/master.m3u8"


def vod_master_url(recording_id: int) -> str:
    return f"/vod/{recording_id}/master.m3u8"


def premiere_master_url(recording_id: int) -> str:
    """The live-like playlist of a premiere (served by streaming/library/premiere.py)."""
    return f"/vod/{recording_id}/premiere/master.m3u8"


async def stage_by_slug(db: AsyncSession, *, meeting_id: int, slug: str) -> Stage | None:
    """The meeting's stage called ``slug``."""
    if len(slug) > MAX_SLUG_LENGTH:
        return None
    return await db.scalar(select(Stage).where(Stage.meeting_id == meeting_id, Stage.slug == slug))


async def current_premiere(db: AsyncSession, *, stage_id: int, now: datetime) -> Recording | None:
    """The published, ready recording premiering on the stage at ``now``, if any."""
    candidates = await db.scalars(
        select(Recording)
        .where(
            Recording.stage_id == stage_id,
            Recording.published.is_(True),
            Recording.status == RecordingStatus.ready.value,
            Recording.premiere_at.is_not(None),
            Recording.premiere_at <= now,
            Recording.premiere_at > now - LONGEST_PREMIERE,
        )
        .order_by(Recording.premiere_at.desc())
    )
    return next((r for r in candidates if premiere_is_on(r, now)), None)


async def recent_replay(db: AsyncSession, *, stage_id: int, now: datetime) -> Recording | None:
    """The recording of the stage's last broadcast, if it ended lately and may be shown."""
    last = await db.scalar(
        select(Broadcast)
        .where(Broadcast.stage_id == stage_id, Broadcast.state == BroadcastState.ended.value)
        .order_by(Broadcast.ended_at.desc(), Broadcast.id.desc())
        .limit(1)
    )
    if last is None or last.recording_id is None or last.ended_at is None:
        return None
    if last.ended_at < now - REPLAY_WINDOW:
        return None
    recording = await db.get(Recording, last.recording_id)
    if recording is None or not recording.published:
        return None
    return recording if recording.status == RecordingStatus.ready.value else None


def _recording_brief(recording: Recording) -> RecordingBrief:
    return RecordingBrief(
        id=recording.id, master_url=vod_master_url(recording.id), title=recording.title
    )


async def stage_status(
    ctx: AppContext, db: AsyncSession, *, stage: Stage, now: datetime | None = None
) -> dict[str, Any]:
    """The stage's :class:`StageState` as JSON values (the status endpoint's fields,
    without the token), at ``now`` (the present unless given).

    ``live`` when a broadcast of the stage is live with a fresh heartbeat; ``premiere`` when
    a published pre-recorded talk is playing in its slot; ``ended`` for two hours after a
    broadcast stopped, once its recording is ready and published; ``offline`` otherwise.
    """
    now = now or utcnow()
    state: StateName = "offline"
    started_at: datetime | None = None
    master_url: str | None = None
    recording: Recording | None = None
    live = await live_broadcast(db, stage_id=stage.id, now=now)
    if live is not None:
        state, started_at, master_url = "live", live.started_at, live_master_url(stage.slug)
    elif (premiere := await current_premiere(db, stage_id=stage.id, now=now)) is not None:
        state, started_at, recording = "premiere", premiere.premiere_at, premiere
        master_url = premiere_master_url(premiere.id)
    elif (replay := await recent_replay(db, stage_id=stage.id, now=now)) is not None:
        state, recording = "ended", replay
    session, upcoming = await sessions_on_stage(ctx, db, stage=stage, now=now)
    return StageState(
        stage=stage.slug,
        state=state,
        started_at=started_at,
        master_url=master_url,
        recording=_recording_brief(recording) if recording else None,
        session=SessionBrief(guid=session.guid, title=session.title) if session else None,
        next_session=(
            NextSession(guid=upcoming.guid, title=upcoming.title, starts_at=upcoming.starts_at)
            if upcoming
            else None
        ),
    ).wire()
