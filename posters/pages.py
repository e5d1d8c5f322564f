"""The poster pages: the gallery (``/posters``) and a poster's page (``/posters/<id>``).

Both are for signed-in attendees (a visitor is sent to sign in and back): posters are the
meeting's unpublished science, as in the commercial iPoster galleries. The gallery's
search, filters, sort and page are all in its query string (``posters.gallery.listing``), so any
view of it can be shared; a bad value is ignored with a message.

Bookmarks are a form POST (works without JavaScript) that comes back to the page it was
sent from.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.deps import (
    Context,
    CurrentMeeting,
    CurrentUser,
    DbSession,
    OptionalUser,
    PathId,
)
from conference.web.errors import to_sign_in
from conference.web.forms import read_form, safe_next
from posters import narration, service
from posters.gallery import bookmarks, listing
from posters.gallery import service as gallery
from posters.gallery.service import SORT_LABELS, Sort
from posters.judging import awards
from posters.models import Poster
from posters.slots import pages as slots_pages
from posters.talk import pages as talk_pages
from posters.tiles import files as tiles

router = APIRouter(include_in_schema=False)


@router.get("/posters", response_class=HTMLResponse, name="posters")
async def gallery_page(
    request: Request, ctx: Context, db: DbSession, user: CurrentUser, meeting: CurrentMeeting
) -> HTMLResponse:
    """Published posters: search, filters with counts, sort, pages."""
    sessions = listing.poster_sessions(await ctx.programs.latest(db, meeting_id=meeting.id))
    query, errors = listing.parse_query(dict(request.query_params), sessions=sessions)
    found = await gallery.gallery_page(db, meeting_id=meeting.id, query=query)
    marked = await bookmarks.bookmarked_ids(db, user=user, poster_ids=[p.id for p in found.posters])
    context = {
        "query": query,
        "errors": errors,
        "found": found,
        "posters": found.posters,
        "bookmarked": marked,
        "facets": listing.facet_links(query, found.facets, sessions),
        "sessions": sessions,
        "sorts": SORT_LABELS,
        "default_sort": Sort.board,
        "link": lambda **changes: listing.query_string(query, **changes),
        "here": listing.query_string(query, page=query.page),
        "thumbnail_url": tiles.thumbnail_url,
        "poster_awards": await awards.published_awards(db, found.posters),
    }
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
    """A poster: its viewer, authors, abstract, keywords, links, DOI and related posters."""
    poster = await service.visible_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, viewer=user
    )
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    session = program.by_guid.get(poster.session_guid) if program and poster.session_guid else None
    related = await gallery.related_posters(db, poster=poster)
    marked = await bookmarks.bookmarked_ids(db, user=user, poster_ids=[poster.id])
    context = {
        "poster": poster,
        "session": session,
        "related": related,
        "bookmarked": marked,
        "dzi_url": tiles.dzi_url(poster),
        "thumbnail_url": tiles.thumbnail_url,
        "here": f"/posters/{poster.id}",
        "poster_awards": await awards.published_awards(db, [poster]),
        # Only its presenter and organizers may: attendees' pages ask nothing more.
        "may_edit": (service.is_presenter(poster, user) or service.is_organizer(user))
        and await service.edit_refusal(db, poster=poster, actor=user, now=utcnow()) is None,
    }
    context.update(
        await slots_pages.page_context(
            db,
            poster=poster,
            user=user,
            meeting=meeting,
            now=utcnow(),
            rooms=ctx.extensions.video_rooms,
        )
    )
    context.update(await talk_pages.page_context(ctx, db, poster=poster, user=user))
    context.update(await narration_context(request, db, poster=poster, user=user))
    return ctx.pages.render(request, "posters/poster.html", context, user=user)


async def narration_context(
    request: Request, db: AsyncSession, *, poster: Poster, user: User
) -> dict[str, Any]:
    """The narration's player (rendered by whichever domain plays recordings, through
    ``Extensions.recording_players``) and whether ``user`` may replace it."""
    extensions = request.app.state.ctx.extensions
    player = await extensions.recording_player(
        request, db, narration.narration_key(poster.id), user
    )
    manage = False
    if service.is_presenter(poster, user) or service.is_organizer(user):
        deadline = (await service.poster_settings(db, meeting_id=poster.meeting_id)).edit_deadline
        manage = service.may_edit(poster, user, deadline=deadline, now=utcnow())
    return {"narration_player": player, "narration_manage": manage}


@router.post("/posters/{poster_id}/bookmark", name="poster_bookmark")
async def bookmark_form(
    poster_id: PathId,
    request: Request,
    db: DbSession,
    user: OptionalUser,
    meeting: CurrentMeeting,
) -> Response:
    """The bookmark button of the gallery and the poster page (``bookmarked`` = 1 keeps the
    poster, 0 lets it go); back to ``next``."""
    form = await read_form(request)
    back = safe_next(form.get("next"), f"/posters/{poster_id}")
    if user is None:
        return to_sign_in(back)
    if form.get("bookmarked", "1") == "0":
        await bookmarks.unbookmark(db, meeting_id=meeting.id, poster_id=poster_id, user=user)
    else:
        await bookmarks.bookmark(db, meeting_id=meeting.id, poster_id=poster_id, user=user)
    await db.commit()
    return RedirectResponse(back, status_code=303)


async def agenda_section(request: Request, db: AsyncSession, user: User, meeting_id: int) -> Markup:
    """My bookmarked posters, for My agenda (``Extensions.agenda_sections``)."""
    found = await bookmarks.bookmarked_posters(db, meeting_id=meeting_id, user=user)
    pages = request.app.state.ctx.pages
    context = {"posters": found, "thumbnail_url": tiles.thumbnail_url}
    # The template autoescapes everything it inserts, so its output is safe markup.
    return Markup(pages.fragment(request, "posters/_agenda_bookmarks.html", context, user=user))  # noqa: S704
