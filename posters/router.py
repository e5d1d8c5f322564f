"""JSON API of posters: ``/api/v1/posters``.

Organizers create posters and edit every one; a presenter edits their own until the
meeting's deadline (``PATCH``); attendees read published posters. The meeting's poster
settings (the edit deadline) are at ``/api/v1/posters/settings``.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from conference.db.types import utcnow
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, Organizer, PathId
from posters import service
from posters.schemas import (
    PosterChanges,
    PosterIn,
    PosterOut,
    PosterSettingsIn,
    PosterSettingsOut,
)

router = APIRouter(prefix="/api/v1/posters", tags=["posters"])


@router.get("/settings", response_model=PosterSettingsOut)
async def read_settings(
    db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> PosterSettingsOut:
    """The meeting's poster settings (organizers)."""
    found = await service.poster_settings(db, meeting_id=meeting.id)
    return PosterSettingsOut(edit_deadline=found.edit_deadline)


@router.put("/settings", response_model=PosterSettingsOut)
async def change_settings(
    body: PosterSettingsIn, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> PosterSettingsOut:
    """Set until when presenters may edit their posters (organizers)."""
    found = await service.set_edit_deadline(
        db, meeting_id=meeting.id, actor=user, deadline=body.edit_deadline
    )
    await db.commit()
    return PosterSettingsOut(edit_deadline=found.edit_deadline)


@router.post("", response_model=PosterOut, status_code=status.HTTP_201_CREATED)
async def create_poster(
    body: PosterIn, ctx: Context, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> PosterOut:
    """A new poster on a free board (organizers); 409 when the board is taken."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    poster = await service.create_poster(
        db, meeting_id=meeting.id, actor=user, data=body, program=program
    )
    await db.commit()
    return service.poster_out(poster)


@router.get("/{poster_id}", response_model=PosterOut)
async def read_poster(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> PosterOut:
    """A poster its viewer may see: published ones, and their own or all for organizers."""
    poster = await service.visible_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, viewer=user
    )
    return service.poster_out(poster)


@router.patch("/{poster_id}", response_model=PosterOut)
async def change_poster(
    poster_id: PathId,
    body: PosterChanges,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
) -> PosterOut:
    """Change some fields of a poster (its presenter until the deadline, or organizers)."""
    poster = await service.editable_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, actor=user, now=utcnow()
    )
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    await service.update_poster(db, poster=poster, actor=user, changes=body, program=program)
    await db.commit()
    return service.poster_out(poster)
