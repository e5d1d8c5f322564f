"""The poster pages: the gallery (``/posters``) and a poster's page (``/posters/<id>``).

Both are for signed-in attendees (a visitor is sent to sign in and back): posters are the
meeting's unpublished science, as in the commercial iPoster galleries.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from conference.db.types import utcnow
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, PathId
from posters import awards, gallery, service, slots_pages, talk_pages

router = APIRouter(include_in_schema=False)


@router.get("/posters", response_class=HTMLResponse, name="posters")
async def gallery_page(
    request: Request, ctx: Context, db: DbSession, user: CurrentUser, meeting: CurrentMeeting
) -> HTMLResponse:
    """Every published poster, by board number."""
    found = await gallery.published_posters(db, meeting_id=meeting.id)
    context = {"posters": found, "poster_awards": await awards.published_awards(db, found)}
    return ctx.pages.render(request, "posters/gallery.html", context, user=user)


@router.get("/posters/{poster_id}", response_class=HTMLResponse, name="poster")
async def poster_page(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> HTMLResponse:
    """A poster: its authors, abstract, keywords, links and DOI."""
    poster = await service.visible_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, viewer=user
    )
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    session = program.by_guid.get(poster.session_guid) if program and poster.session_guid else None
    poster_awards = await awards.published_awards(db, [poster])
    context = {"poster": poster, "session": session, "poster_awards": poster_awards}
    context.update(
        await slots_pages.page_context(db, poster=poster, user=user, meeting=meeting, now=utcnow())
    )
    context.update(await talk_pages.page_context(ctx, db, poster=poster, user=user))
    return ctx.pages.render(request, "posters/poster.html", context, user=user)
