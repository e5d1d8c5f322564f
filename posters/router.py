"""JSON API of posters: ``/api/v1/posters``.

Organizers create posters and edit every one; a presenter edits their own until the
meeting's deadline (``PATCH``); attendees read published posters. The meeting's poster
settings (the edit deadline) are at ``/api/v1/posters/settings``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from conference.db.types import utcnow
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, Organizer, PathId
from conference.errors import InvalidInput
from posters import service
from posters.content import MAX_KEYWORD_LENGTH
from posters.editing import service as editing
from posters.gallery import bookmarks, listing
from posters.gallery import service as gallery
from posters.gallery.service import MAX_PAGE, Sort
from posters.schemas import (
    BookmarkOut,
    GalleryOut,
    PosterCardOut,
    PosterChanges,
    PosterIn,
    PosterOut,
    PosterSettingsIn,
    PosterSettingsOut,
)
from posters.tiles.grants import forget_poster

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


@router.get("", response_model=GalleryOut)
async def list_posters(
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=listing.MAX_QUERY_LENGTH)] = "",
    topic: Annotated[str, Query(max_length=listing.MAX_TOPIC_LENGTH)] = "",
    session: Annotated[str, Query(max_length=36)] = "",
    keyword: Annotated[str, Query(max_length=MAX_KEYWORD_LENGTH)] = "",
    sort: Sort = Sort.board,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> GalleryOut:
    """A page of published posters for a search (``q``: every word, the last as a prefix),
    filters (topic, poster session GUID, keyword) and sort, with each filter's counts."""
    sessions = listing.poster_sessions(await ctx.programs.latest(db, meeting_id=meeting.id))
    raw = {"q": q, "topic": topic, "session": session, "keyword": keyword}
    query, errors = listing.parse_query(
        {**raw, "sort": sort.value, "page": str(page)}, sessions=sessions
    )
    for name, message in errors.items():
        raise InvalidInput(message, field=name)
    found = await gallery.gallery_page(db, meeting_id=meeting.id, query=query)
    marked = await bookmarks.bookmarked_ids(db, user=user, poster_ids=[p.id for p in found.posters])
    return listing.gallery_out(query, found, sessions=sessions, bookmarked=marked)


@router.get("/bookmarks", response_model=list[PosterCardOut])
async def list_bookmarks(
    db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> list[PosterCardOut]:
    """My bookmarked posters (published ones), by board number."""
    found = await bookmarks.bookmarked_posters(db, meeting_id=meeting.id, user=user)
    return [listing.card_out(p, bookmarked=True) for p in found]


@router.put("/{poster_id}/bookmark", response_model=BookmarkOut)
async def put_bookmark(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> BookmarkOut:
    """Bookmark a published poster (idempotent; 404 for a draft or withdrawn one)."""
    await bookmarks.bookmark(db, meeting_id=meeting.id, poster_id=poster_id, user=user)
    await db.commit()
    return BookmarkOut(poster_id=poster_id, bookmarked=True)


@router.delete("/{poster_id}/bookmark", status_code=status.HTTP_204_NO_CONTENT)
async def delete_bookmark(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> Response:
    """Remove my bookmark of a poster (idempotent)."""
    await bookmarks.unbookmark(db, meeting_id=meeting.id, poster_id=poster_id, user=user)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


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
    forget_poster(ctx, poster.id)  # its state or presenter may have changed who sees it
    return service.poster_out(poster)


@router.delete("/{poster_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_poster(
    poster_id: PathId, ctx: Context, db: DbSession, meeting: CurrentMeeting, user: Organizer
) -> Response:
    """Delete a poster with its authors, comments, votes, slots, scores, narration and
    files (organizers)."""
    await editing.remove_poster(ctx, db, meeting_id=meeting.id, poster_id=poster_id, actor=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
