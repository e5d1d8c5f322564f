"""Public JSON API of the published program: /api/v1/program."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import NotFound
from conference.limits import MAX_SLUG_LENGTH
from conference.program.draft import publishing
from conference.program.models import SessionType
from conference.program.published.program import (
    PersonView,
    ProgramFilter,
    PublishedProgram,
    SessionView,
)
from conference.program.schemas import (
    ChangelogEntry,
    PersonRef,
    PublishedSessionOut,
    PublishedTalkOut,
    VersionOut,
)

router = APIRouter(prefix="/api/v1/program", tags=["program"])


def _ref(person: PersonView) -> PersonRef:
    return PersonRef(guid=person.guid, name=person.name, affiliation=person.affiliation)


def published_session_out(session: SessionView) -> PublishedSessionOut:
    return PublishedSessionOut(
        guid=session.guid,
        title=session.title,
        description=session.description,
        session_type=session.type,
        track=session.track.slug if session.track else None,
        stage=session.stage.slug if session.stage else None,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        cme_accredited=session.cme_accredited,
        cme_minutes=session.cme_minutes,
        chairs=[_ref(p) for p in session.chairs],
        talks=[
            PublishedTalkOut(
                guid=t.guid,
                title=t.title,
                abstract=t.abstract,
                starts_at=t.starts_at,
                ends_at=t.ends_at,
                speakers=[_ref(p) for p in t.speakers],
            )
            for t in session.talks
        ],
    )


async def published_program(
    ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> PublishedProgram:
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    if program is None:
        raise NotFound("The program has not been published yet.")
    return program


@router.get("/versions", response_model=list[VersionOut])
async def versions(db: DbSession, meeting: CurrentMeeting) -> list[VersionOut]:
    """Published versions of the program, newest first."""
    return [VersionOut.from_version(v) for v in await publishing.list_versions(db, meeting=meeting)]


@router.get("/changelog", response_model=list[ChangelogEntry])
async def changelog(db: DbSession, meeting: CurrentMeeting) -> list[ChangelogEntry]:
    """What each published version added, moved (old and new time), changed and cancelled."""
    return [
        ChangelogEntry(number=v.number, published_at=v.published_at, note=v.note, **v.changelog)
        for v in await publishing.list_versions(db, meeting=meeting)
    ]


@router.get("/sessions", response_model=list[PublishedSessionOut])
async def sessions(
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    day: Annotated[date | None, Query(description="A date in the meeting's time zone")] = None,
    track: Annotated[str | None, Query(max_length=MAX_SLUG_LENGTH)] = None,
    type: Annotated[SessionType | None, Query()] = None,
    stage: Annotated[str | None, Query(max_length=MAX_SLUG_LENGTH)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
) -> list[PublishedSessionOut]:
    """Sessions of the published program, filtered and searched."""
    program = await published_program(ctx, db, meeting)
    criteria = ProgramFilter(day=day, track=track, type=type, stage=stage, query=q)
    chosen = program.select(criteria, zone=program.time_zone, starred=frozenset())
    return [published_session_out(s) for s in chosen]


@router.get("/sessions/{guid}", response_model=PublishedSessionOut)
async def session(
    guid: str, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> PublishedSessionOut:
    program = await published_program(ctx, db, meeting)
    found = program.by_guid.get(guid)
    if found is None:
        raise NotFound(f"No published session {guid}.")
    return published_session_out(found)
