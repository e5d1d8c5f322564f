"""The talk part of a poster's page (``templates/posters/_talk.html``): what it needs to
render, the form posts it falls back to without JavaScript, and the statistics page.

Opening a poster's page counts one view (``posters.talk.stats``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
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


@dataclass(frozen=True)
class Visit:
    """What every route of a poster's talk part starts from: the app, the request's
    session, the signed-in viewer and the poster they may see."""

    ctx: AppContext
    db: AsyncSession
    user: User
    poster: Poster


async def _visit(
    poster_id: PathId, ctx: Context, db: DbSession, user: CurrentUser, meeting: CurrentMeeting
) -> Visit:
    poster = await service.visible_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, viewer=user
    )
    return Visit(ctx=ctx, db=db, user=user, poster=poster)


Visited = Annotated[Visit, Depends(_visit)]


@router.post("/posters/{poster_id}/comments")
async def comment_form(request: Request, v: Visited) -> RedirectResponse:
    """The comment form without JavaScript: the same rules, then back to the comments."""
    form = await read_form(request)
    await write_comment(v.ctx, v.db, poster=v.poster, user=v.user, body=form.get("body", ""))
    return _back(v.poster.id, "comments")


@router.post("/posters/{poster_id}/comments/{comment_id}/remove")
async def remove_form(comment_id: PathId, v: Visited) -> RedirectResponse:
    """The remove button without JavaScript."""
    event = await comments.remove(v.db, poster=v.poster, comment_id=comment_id, user=v.user)
    await commit_and_publish(v.db, v.ctx.realtime.hub, [event])
    return _back(v.poster.id, "comments")


@router.post("/posters/{poster_id}/vote")
async def vote_form(request: Request, v: Visited) -> RedirectResponse:
    """The vote button without JavaScript (``action``: ``vote`` or ``withdraw``)."""
    form = await read_form(request)
    if form.get("action") == "withdraw":
        await take_back_vote(v.ctx, v.db, meeting_id=v.poster.meeting_id, user=v.user)
    else:
        await give_vote(v.ctx, v.db, poster=v.poster, user=v.user)
    return _back(v.poster.id, "vote")


@router.post("/posters/{poster_id}/contact")
async def contact_form(request: Request, v: Visited) -> RedirectResponse:
    """The contact form without JavaScript."""
    form = await read_form(request)
    share = checked(form, "share_email")
    body = form.get("body", "")
    await send_contact(v.ctx, v.db, poster=v.poster, user=v.user, body=body, share_email=share)
    return _back(v.poster.id, "contact", "?sent=contact")


@router.get("/posters/{poster_id}/stats", response_class=HTMLResponse, name="poster_stats")
async def stats_page(request: Request, v: Visited) -> HTMLResponse:
    """The presenter's statistics (and organizers'): counts per day, never who."""
    stats.check_may_see_stats(v.poster, v.user)
    found = await stats.poster_stats(v.db, poster=v.poster)
    context = {"poster": v.poster, "stats": found}
    return v.ctx.pages.render(request, "posters/stats.html", context, user=v.user)
