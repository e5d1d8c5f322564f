"""What the streaming pages read: each stage's state, a session's recordings, studio access.

Read-only queries for the attendee, studio and console pages. The JSON APIs (status, play)
are the source of truth for the player; these only decide what a page shows first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.program import participation
from conference.program.models import Stage
from conference.program.published.program import PublishedProgram, SessionView, StageView
from streaming.broadcasts import STALE_SECONDS
from streaming.models import Broadcast, BroadcastState, Recording, RecordingStatus, premiere_is_on

OFFLINE = "offline"
LIVE = "live"
PREMIERE = "premiere"

STATE_LABELS = {OFFLINE: "Off air", LIVE: "Live", PREMIERE: "Premiere"}


@dataclass(frozen=True)
class StageState:
    """A stage of the published program as the stages page shows it."""

    stage: StageView
    state: str
    on_now: SessionView | None
    up_next: SessionView | None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


async def stage_ids(db: AsyncSession, *, meeting_id: int) -> dict[str, int]:
    """The database id of each stage of the meeting, by slug."""
    rows = await db.execute(select(Stage.slug, Stage.id).where(Stage.meeting_id == meeting_id))
    found: dict[str, int] = {}
    for slug, stage_id in rows.all():
        found[slug] = stage_id
    return found


async def live_stage_ids(db: AsyncSession, *, now: datetime) -> set[int]:
    """Stages with a live broadcast right now (a stale heartbeat means its process died)."""
    rows = await db.scalars(
        select(Broadcast.stage_id).where(
            Broadcast.state == BroadcastState.live.value,
            Broadcast.heartbeat_at >= now - timedelta(seconds=STALE_SECONDS),
        )
    )
    return set(rows)


async def premieres(db: AsyncSession) -> list[Recording]:
    """Published, ready recordings with a premiere time (past or future)."""
    rows = await db.scalars(
        select(Recording)
        .where(
            Recording.premiere_at.is_not(None),
            Recording.published.is_(True),
            Recording.status == RecordingStatus.ready.value,
        )
        .order_by(Recording.premiere_at)
    )
    return list(rows)


async def stage_states(
    db: AsyncSession, *, program: PublishedProgram, meeting_id: int, now: datetime
) -> list[StageState]:
    """Every stage of the program with its state and what is on now and next (3 queries)."""
    ids = await stage_ids(db, meeting_id=meeting_id)
    live = await live_stage_ids(db, now=now)
    premiering = {r.stage_id for r in await premieres(db) if premiere_is_on(r, now)}
    states = []
    for stage, on_now, up_next in program.now_and_next(now):
        stage_id = ids.get(stage.slug, 0)
        state = LIVE if stage_id in live else PREMIERE if stage_id in premiering else OFFLINE
        states.append(StageState(stage, state, on_now, up_next))
    return states


async def session_recordings(
    db: AsyncSession, *, session_guid: str, include_hidden: bool = False
) -> list[Recording]:
    """The ready recordings of a session, oldest first (published only, unless asked)."""
    query = select(Recording).where(
        Recording.session_guid == session_guid,
        Recording.status == RecordingStatus.ready.value,
    )
    if not include_hidden:
        query = query.where(Recording.published.is_(True))
    return list(await db.scalars(query.order_by(Recording.created_at, Recording.id)))


async def studio_sessions(
    db: AsyncSession, *, user: User, program: PublishedProgram, stage: StageView
) -> list[SessionView] | None:
    """The sessions of ``stage`` whose studio ``user`` may use: every one for organizers,
    those they chair or speak in for others; None when they may not use it at all."""
    part = await participation.of_user(db, user=user)
    if not part.may_present_on(program, stage.guid):
        return None
    return part.sessions_on(program, stage.guid)
