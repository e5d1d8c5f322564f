"""Organizer operations on sessions and talks of the draft program.

Every check that can refuse an edit lives here; conflicts between sessions are warnings
(see :mod:`conference.program.draft.conflicts`) and never refuse a save.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload, subqueryload
from sqlalchemy.sql.base import ExecutableOption

from conference.errors import InvalidInput, NotFound
from conference.program import bounds
from conference.program.draft.editing import people_in_order
from conference.program.models import (
    Meeting,
    ProgramSession,
    SessionChair,
    SessionType,
    Stage,
    Talk,
    TalkSpeaker,
    Track,
)
from conference.program.schemas import (
    BulkShift,
    DuplicateIn,
    SessionIn,
    SessionOut,
    SessionUpdate,
    SpeakerOut,
    TalkIn,
    TalkOut,
    TalkUpdate,
)


def session_loading() -> list[ExecutableOption]:
    """Load a session with everything :func:`session_out` reads, in a fixed number of queries."""
    # subqueryload keeps the count fixed however many sessions are loaded (selectinload
    # batches 500 parents per statement).
    return [
        subqueryload(ProgramSession.chairs).joinedload(SessionChair.person),
        subqueryload(ProgramSession.talks)
        .subqueryload(Talk.speakers)
        .joinedload(TalkSpeaker.person),
    ]


async def get_session(db: AsyncSession, *, meeting: Meeting, session_id: int) -> ProgramSession:
    session = await db.scalar(
        select(ProgramSession)
        .where(ProgramSession.id == session_id, ProgramSession.meeting_id == meeting.id)
        .options(*session_loading())
        .execution_options(populate_existing=True)
    )
    if session is None:
        raise NotFound(f"No session with id {session_id}.")
    return session


async def list_sessions(db: AsyncSession, *, meeting: Meeting) -> Sequence[ProgramSession]:
    return (
        await db.scalars(
            select(ProgramSession)
            .where(ProgramSession.meeting_id == meeting.id)
            .options(*session_loading())
            .order_by(ProgramSession.starts_at, ProgramSession.id)
        )
    ).all()


async def _check_placement(
    db: AsyncSession, *, meeting: Meeting, stage_id: int | None, track_id: int | None
) -> None:
    if stage_id is not None:
        stage = await db.get(Stage, stage_id)
        if stage is None or stage.meeting_id != meeting.id:
            raise InvalidInput(f"No stage with id {stage_id}.", field="stage_id")
    if track_id is not None:
        track = await db.get(Track, track_id)
        if track is None or track.meeting_id != meeting.id:
            raise InvalidInput(f"No track with id {track_id}.", field="track_id")


async def create_session(db: AsyncSession, *, meeting: Meeting, data: SessionIn) -> ProgramSession:
    bounds.check_session(meeting, data.starts_at, data.ends_at)
    await _check_placement(db, meeting=meeting, stage_id=data.stage_id, track_id=data.track_id)
    chairs = await people_in_order(db, data.chair_ids, "chair_ids")
    session = ProgramSession(
        meeting_id=meeting.id,
        **data.model_dump(exclude={"chair_ids", "session_type"}),
        session_type=data.session_type.value,
        chairs=[SessionChair(person_id=p.id, position=i) for i, p in enumerate(chairs)],
        talks=[],
    )
    db.add(session)
    await db.commit()
    return await get_session(db, meeting=meeting, session_id=session.id)


async def update_session(
    db: AsyncSession, *, meeting: Meeting, session_id: int, data: SessionUpdate
) -> ProgramSession:
    session = await get_session(db, meeting=meeting, session_id=session_id)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    await _check_placement(
        db, meeting=meeting, stage_id=changes.get("stage_id"), track_id=changes.get("track_id")
    )
    starts = changes.get("starts_at") or session.starts_at
    ends = changes.get("ends_at") or session.ends_at
    if ends <= starts:
        raise InvalidInput("A session must end after it starts.", field="ends_at")
    if "starts_at" in changes or "ends_at" in changes:
        bounds.check_session(meeting, starts, ends)
    if "chair_ids" in changes:
        chairs = await people_in_order(db, changes.pop("chair_ids") or [], "chair_ids")
        # Empty the list and flush first: the new rows may name the same people, and the
        # (session, person) unique constraint is checked row by row.
        session.chairs.clear()
        await db.flush()
        session.chairs.extend(
            SessionChair(person_id=p.id, position=i) for i, p in enumerate(chairs)
        )
    for key, value in changes.items():
        if key in {"stage_id", "track_id"} or value is not None:
            setattr(session, key, value.value if key == "session_type" else value)
    await db.commit()
    return await get_session(db, meeting=meeting, session_id=session_id)


async def delete_session(db: AsyncSession, *, meeting: Meeting, session_id: int) -> None:
    await db.delete(await get_session(db, meeting=meeting, session_id=session_id))
    await db.commit()


async def bulk_shift(db: AsyncSession, *, meeting: Meeting, data: BulkShift) -> list[int]:
    """Shift many sessions (and their talks) in time and/or onto one stage, all or nothing."""
    await _check_placement(db, meeting=meeting, stage_id=data.stage_id, track_id=None)
    ids = list(dict.fromkeys(data.session_ids))
    sessions = (
        await db.scalars(
            select(ProgramSession)
            .where(ProgramSession.id.in_(ids), ProgramSession.meeting_id == meeting.id)
            .options(selectinload(ProgramSession.talks))
        )
    ).all()
    found = {s.id for s in sessions}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"No session with id {missing[0]}.")
    delta = timedelta(minutes=data.shift_minutes)
    # All checked before anything moves: a refusal leaves every session where it was.
    for session in sessions:
        _check_moved(meeting, session, delta)
    for session in sessions:
        session.starts_at += delta
        session.ends_at += delta
        for talk in session.talks:
            talk.starts_at += delta
        if data.stage_id is not None:
            session.stage_id = data.stage_id
    await db.commit()
    return ids


async def duplicate_session(
    db: AsyncSession, *, meeting: Meeting, session_id: int, data: DuplicateIn
) -> ProgramSession:
    """Copy a session with its chairs and talks (new GUIDs), optionally to a new time/stage."""
    original = await get_session(db, meeting=meeting, session_id=session_id)
    await _check_placement(db, meeting=meeting, stage_id=data.stage_id, track_id=None)
    delta = (data.starts_at - original.starts_at) if data.starts_at else timedelta(0)
    _check_moved(meeting, original, delta)
    copy = ProgramSession(
        meeting_id=meeting.id,
        title=original.title,
        description=original.description,
        session_type=original.session_type,
        track_id=original.track_id,
        stage_id=data.stage_id if data.stage_id is not None else original.stage_id,
        starts_at=original.starts_at + delta,
        ends_at=original.ends_at + delta,
        cme_accredited=original.cme_accredited,
        cme_minutes=original.cme_minutes,
        may_be_recorded=original.may_be_recorded,
        chairs=[SessionChair(person_id=c.person_id, position=c.position) for c in original.chairs],
        talks=[
            Talk(
                title=t.title,
                abstract=t.abstract,
                starts_at=t.starts_at + delta,
                duration_minutes=t.duration_minutes,
                may_be_recorded=t.may_be_recorded,
                speakers=[
                    TalkSpeaker(person_id=s.person_id, position=s.position) for s in t.speakers
                ],
            )
            for t in original.talks
        ],
    )
    db.add(copy)
    await db.commit()
    return await get_session(db, meeting=meeting, session_id=copy.id)


def _check_moved(meeting: Meeting, session: ProgramSession, delta: timedelta) -> None:
    """Refuse (422) a move that takes the session or one of its talks out of bounds."""
    try:
        bounds.check_session(meeting, session.starts_at + delta, session.ends_at + delta)
        for talk in session.talks:
            bounds.check_talk(meeting, talk.starts_at + delta, talk.duration_minutes)
    except OverflowError:
        raise InvalidInput(
            f"Session {session.id} would move out of range.", field="shift_minutes"
        ) from None
    except InvalidInput as exc:
        raise InvalidInput(f"Session {session.id}: {exc.detail}", field=exc.field) from None


# Talks -------------------------------------------------------------------------------


async def create_talk(
    db: AsyncSession, *, meeting: Meeting, session_id: int, data: TalkIn
) -> ProgramSession:
    bounds.check_talk(meeting, data.starts_at, data.duration_minutes)
    session = await get_session(db, meeting=meeting, session_id=session_id)
    speakers = await people_in_order(db, data.speaker_ids, "speaker_ids")
    session.talks.append(
        Talk(
            title=data.title,
            abstract=data.abstract,
            starts_at=data.starts_at,
            duration_minutes=data.duration_minutes,
            may_be_recorded=data.may_be_recorded,
            speakers=[TalkSpeaker(person_id=p.id, position=i) for i, p in enumerate(speakers)],
        )
    )
    await db.commit()
    return await get_session(db, meeting=meeting, session_id=session_id)


async def _talk(db: AsyncSession, *, meeting: Meeting, talk_id: int) -> Talk:
    talk = await db.scalar(
        select(Talk)
        .join(ProgramSession)
        .where(Talk.id == talk_id, ProgramSession.meeting_id == meeting.id)
        .options(selectinload(Talk.speakers))
    )
    if talk is None:
        raise NotFound(f"No talk with id {talk_id}.")
    return talk


async def update_talk(
    db: AsyncSession, *, meeting: Meeting, talk_id: int, data: TalkUpdate
) -> ProgramSession:
    talk = await _talk(db, meeting=meeting, talk_id=talk_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("starts_at") is not None or changes.get("duration_minutes") is not None:
        bounds.check_talk(
            meeting,
            changes.get("starts_at") or talk.starts_at,
            changes.get("duration_minutes") or talk.duration_minutes,
        )
    if "speaker_ids" in changes:
        speakers = await people_in_order(db, changes.pop("speaker_ids") or [], "speaker_ids")
        talk.speakers.clear()  # flushed first for the (talk, person) unique constraint
        await db.flush()
        talk.speakers.extend(
            TalkSpeaker(person_id=p.id, position=i) for i, p in enumerate(speakers)
        )
    for key, value in changes.items():
        if value is not None:
            setattr(talk, key, value)
    await db.commit()
    return await get_session(db, meeting=meeting, session_id=talk.session_id)


async def delete_talk(db: AsyncSession, *, meeting: Meeting, talk_id: int) -> ProgramSession:
    talk = await _talk(db, meeting=meeting, talk_id=talk_id)
    session_id = talk.session_id
    await db.delete(talk)
    await db.commit()
    return await get_session(db, meeting=meeting, session_id=session_id)


# Output ------------------------------------------------------------------------------


def session_out(session: ProgramSession) -> SessionOut:
    return SessionOut(
        id=session.id,
        guid=session.guid,
        title=session.title,
        description=session.description,
        session_type=SessionType(session.session_type),
        track_id=session.track_id,
        stage_id=session.stage_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        chairs=[
            SpeakerOut(person_id=c.person_id, name=c.person.name, affiliation=c.person.affiliation)
            for c in session.chairs
        ],
        cme_accredited=session.cme_accredited,
        cme_minutes=session.cme_minutes,
        may_be_recorded=session.may_be_recorded,
        talks=[
            TalkOut(
                id=t.id,
                guid=t.guid,
                session_id=session.id,
                title=t.title,
                abstract=t.abstract,
                starts_at=t.starts_at,
                duration_minutes=t.duration_minutes,
                may_be_recorded=t.may_be_recorded,
                speakers=[
                    SpeakerOut(
                        person_id=s.person_id, name=s.person.name, affiliation=s.person.affiliation
                    )
                    for s in t.speakers
                ],
            )
            for t in session.talks
        ],
    )
