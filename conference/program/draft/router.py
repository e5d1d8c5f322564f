"""Organizer JSON API for building the program: /api/v1/program (draft, publish)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from conference.deps import Context, CurrentMeeting, DbSession, Offset, Organizer, PathId
from conference.program.draft import people, publishing, sessions, stages
from conference.program.models import Person, Stage, Track
from conference.program.schemas import (
    BulkShift,
    DuplicateIn,
    PersonIn,
    PersonOut,
    PersonUpdate,
    PublishIn,
    SessionIn,
    SessionOut,
    SessionUpdate,
    StageIn,
    StageOut,
    StageUpdate,
    TalkIn,
    TalkUpdate,
    TrackIn,
    TrackOut,
    TrackUpdate,
    VersionOut,
    Warning,
)
from conference.realtime.channels import moderators_changed

router = APIRouter(prefix="/api/v1/program", tags=["program: organizers"])
NO_CONTENT = status.HTTP_204_NO_CONTENT


def _stage(stage: Stage) -> StageOut:
    return StageOut.model_validate(stage, from_attributes=True)


def _track(track: Track) -> TrackOut:
    return TrackOut.model_validate(track, from_attributes=True)


def _person(person: Person) -> PersonOut:
    return PersonOut.model_validate(person, from_attributes=True)


# Stages and tracks -------------------------------------------------------------------


@router.get("/stages", response_model=list[StageOut])
async def list_stages(_: Organizer, db: DbSession, meeting: CurrentMeeting) -> list[StageOut]:
    return [_stage(s) for s in await stages.list_stages(db, meeting=meeting)]


@router.post("/stages", response_model=StageOut, status_code=201)
async def create_stage(
    body: StageIn, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> StageOut:
    return _stage(await stages.create_stage(db, meeting=meeting, data=body))


@router.patch("/stages/{stage_id}", response_model=StageOut)
async def update_stage(
    stage_id: PathId, body: StageUpdate, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> StageOut:
    return _stage(await stages.update_stage(db, meeting=meeting, stage_id=stage_id, data=body))


@router.delete("/stages/{stage_id}", status_code=NO_CONTENT)
async def delete_stage(
    stage_id: PathId, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> Response:
    await stages.delete_stage(db, meeting=meeting, stage_id=stage_id)
    return Response(status_code=NO_CONTENT)


@router.get("/tracks", response_model=list[TrackOut])
async def list_tracks(_: Organizer, db: DbSession, meeting: CurrentMeeting) -> list[TrackOut]:
    return [_track(t) for t in await stages.list_tracks(db, meeting=meeting)]


@router.post("/tracks", response_model=TrackOut, status_code=201)
async def create_track(
    body: TrackIn, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> TrackOut:
    return _track(await stages.create_track(db, meeting=meeting, data=body))


@router.patch("/tracks/{track_id}", response_model=TrackOut)
async def update_track(
    track_id: PathId, body: TrackUpdate, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> TrackOut:
    return _track(await stages.update_track(db, meeting=meeting, track_id=track_id, data=body))


@router.delete("/tracks/{track_id}", status_code=NO_CONTENT)
async def delete_track(
    track_id: PathId, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> Response:
    await stages.delete_track(db, meeting=meeting, track_id=track_id)
    return Response(status_code=NO_CONTENT)


# People ------------------------------------------------------------------------------


@router.get("/people", response_model=list[PersonOut])
async def list_people(
    _: Organizer,
    db: DbSession,
    response: Response,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[PersonOut]:
    found, total = await people.list_people(db, query=q, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(total)
    return [_person(p) for p in found]


@router.post("/people", response_model=PersonOut, status_code=201)
async def create_person(body: PersonIn, _: Organizer, db: DbSession) -> PersonOut:
    return _person(await people.create_person(db, data=body))


@router.patch("/people/{person_id}", response_model=PersonOut)
async def update_person(
    person_id: PathId, body: PersonUpdate, _: Organizer, db: DbSession, ctx: Context
) -> PersonOut:
    person = await people.update_person(db, person_id=person_id, data=body)
    await moderators_changed(ctx)
    return _person(person)


@router.delete("/people/{person_id}", status_code=NO_CONTENT)
async def delete_person(person_id: PathId, _: Organizer, db: DbSession, ctx: Context) -> Response:
    await people.delete_person(db, person_id=person_id)
    await moderators_changed(ctx)
    return Response(status_code=NO_CONTENT)


# Draft sessions and talks ------------------------------------------------------------


@router.get("/draft/sessions", response_model=list[SessionOut])
async def list_draft_sessions(
    _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> list[SessionOut]:
    return [sessions.session_out(s) for s in await sessions.list_sessions(db, meeting=meeting)]


@router.post("/draft/sessions", response_model=SessionOut, status_code=201)
async def create_session(
    body: SessionIn, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> SessionOut:
    return sessions.session_out(await sessions.create_session(db, meeting=meeting, data=body))


@router.get("/draft/sessions/{session_id}", response_model=SessionOut)
async def get_session(
    session_id: PathId, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> SessionOut:
    found = await sessions.get_session(db, meeting=meeting, session_id=session_id)
    return sessions.session_out(found)


@router.patch("/draft/sessions/{session_id}", response_model=SessionOut)
async def update_session(
    session_id: PathId, body: SessionUpdate, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> SessionOut:
    updated = await sessions.update_session(db, meeting=meeting, session_id=session_id, data=body)
    return sessions.session_out(updated)


@router.delete("/draft/sessions/{session_id}", status_code=NO_CONTENT)
async def delete_session(
    session_id: PathId, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> Response:
    await sessions.delete_session(db, meeting=meeting, session_id=session_id)
    return Response(status_code=NO_CONTENT)


@router.post("/draft/sessions/{session_id}/duplicate", response_model=SessionOut, status_code=201)
async def duplicate_session(
    session_id: PathId, body: DuplicateIn, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> SessionOut:
    copy = await sessions.duplicate_session(db, meeting=meeting, session_id=session_id, data=body)
    return sessions.session_out(copy)


@router.post("/draft/sessions/bulk-shift", response_model=list[int])
async def bulk_shift(
    body: BulkShift, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> list[int]:
    """Move many sessions in time and/or onto a stage in one step; returns their ids."""
    return await sessions.bulk_shift(db, meeting=meeting, data=body)


@router.post("/draft/sessions/{session_id}/talks", response_model=SessionOut, status_code=201)
async def create_talk(
    session_id: PathId, body: TalkIn, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> SessionOut:
    updated = await sessions.create_talk(db, meeting=meeting, session_id=session_id, data=body)
    return sessions.session_out(updated)


@router.patch("/draft/talks/{talk_id}", response_model=SessionOut)
async def update_talk(
    talk_id: PathId, body: TalkUpdate, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> SessionOut:
    updated = await sessions.update_talk(db, meeting=meeting, talk_id=talk_id, data=body)
    return sessions.session_out(updated)


@router.delete("/draft/talks/{talk_id}", response_model=SessionOut)
async def delete_talk(
    talk_id: PathId, _: Organizer, db: DbSession, meeting: CurrentMeeting
) -> SessionOut:
    return sessions.session_out(await sessions.delete_talk(db, meeting=meeting, talk_id=talk_id))


# Warnings and publishing -------------------------------------------------------------


@router.get("/draft/warnings", response_model=list[Warning])
async def draft_warnings(_: Organizer, db: DbSession, meeting: CurrentMeeting) -> list[Warning]:
    """Conflicts in the draft: overlapping people or stages, talks outside their session,
    sessions outside the meeting days or without a stage."""
    return await publishing.draft_warnings(db, meeting=meeting)


@router.post("/publish", response_model=VersionOut, status_code=201)
async def publish(
    body: PublishIn, user: Organizer, db: DbSession, meeting: CurrentMeeting, ctx: Context
) -> VersionOut:
    """Publish the draft. With warnings, 409 unless ``confirm_warnings`` is true."""
    version, _ = await publishing.publish(db, meeting=meeting, user=user, request=body)
    await moderators_changed(ctx)
    return VersionOut.from_version(version)
