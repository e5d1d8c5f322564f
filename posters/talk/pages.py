"""The talk part of a poster's page (``templates/posters/_talk.html``): what it needs to
render, the form posts it falls back to without JavaScript, and the statistics page.

Opening a poster's page counts one view (``posters.talk.stats``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, PathId
from conference.realtime.durable import commit_and_publish
from conference.web.forms import checked, read_form
from posters import service
from posters.models import Poster, PosterState
from posters.talk import comments, contact, stats, votes
from posters.talk.router import give_vote, send_contact, take_back_vote, write_comment

router = APIRouter(include_in_schema=False)


async def page_context(
    ctx: AppContext, db: AsyncSession, *, poster: Poster, user: User
) -> dict[str, Any]:
    """What ``_talk.html`` shows; counts the view (committed here)."""
    await stats.record_view(db, poster=poster, viewer=user, secret_key=ctx.settings.secret_key)
    await db.commit()
    snapshot = await comments.snapshot(db, poster=poster, viewer=user)
    mine = await votes.current(db, meeting_id=poster.meeting_id, user_id=user.id)
    own = poster.presenter_id == user.id or any(a.user_id == user.id for a in poster.authors)
    return {
        "talk": {
            "open": poster.state == PosterState.published,
            "comments": snapshot,
            "my_vote": mine[1] if mine else None,
            "may_vote": not own,
            "may_contact": poster.presenter_id is not None and poster.presenter_id != user.id,
            "may_see_stats": service.is_presenter(poster, user) or service.is_organizer(user),
            "max_comment": comments.MAX_BODY,
            "max_contact": contact.MAX_BODY,
        }
    }


def _back(poster_id: int, anchor: str, query: str = "") -> RedirectResponse:
    return RedirectResponse(f"/posters/{poster_id}{query}#{anchor}", status_code=303)


async def _visible(db: AsyncSession, meeting_id: int, poster_id: int, user: User) -> Poster:
    return await service.visible_poster(db, meeting_id=meeting_id, poster_id=poster_id, viewer=user)


@router.post("/posters/{poster_id}/comments")
async def comment_form(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> RedirectResponse:
    """The comment form without JavaScript: the same rules, then back to the comments."""
    form = await read_form(request)
    poster = await _visible(db, meeting.id, poster_id, user)
    await write_comment(ctx, db, poster=poster, user=user, body=form.get("body", ""))
    return _back(poster.id, "comments")


@router.post("/posters/{poster_id}/comments/{comment_id}/remove")
async def remove_form(
    poster_id: PathId,
    comment_id: PathId,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> RedirectResponse:
    """The remove button without JavaScript."""
    poster = await _visible(db, meeting.id, poster_id, user)
    event = await comments.remove(db, poster=poster, comment_id=comment_id, user=user)
    await commit_and_publish(db, ctx.realtime.hub, [event])
    return _back(poster.id, "comments")


@router.post("/posters/{poster_id}/vote")
async def vote_form(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> RedirectResponse:
    """The vote button without JavaScript (``action``: ``vote`` or ``withdraw``)."""
    form = await read_form(request)
    poster = await _visible(db, meeting.id, poster_id, user)
    if form.get("action") == "withdraw":
        await take_back_vote(ctx, db, meeting_id=meeting.id, user=user)
    else:
        await give_vote(ctx, db, poster=poster, user=user)
    return _back(poster.id, "vote")


@router.post("/posters/{poster_id}/contact")
async def contact_form(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> RedirectResponse:
    """The contact form without JavaScript."""
    form = await read_form(request)
    poster = await _visible(db, meeting.id, poster_id, user)
    body = form.get("body", "")
    await send_contact(
        ctx, db, poster=poster, user=user, body=body, share_email=checked(form, "share_email")
    )
    return _back(poster.id, "contact", "?sent=contact")


@router.get("/posters/{poster_id}/stats", response_class=HTMLResponse, name="poster_stats")
async def stats_page(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> HTMLResponse:
    """The presenter's statistics (and organizers'): counts per day, never who."""
    poster = await _visible(db, meeting.id, poster_id, user)
    stats.check_may_see_stats(poster, user)
    found = await stats.poster_stats(db, poster=poster)
    context = {"poster": poster, "stats": found}
    return ctx.pages.render(request, "posters/stats.html", context, user=user)
