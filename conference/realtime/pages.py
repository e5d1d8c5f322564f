"""Realtime pages: the chair's projector view and the phone page behind the QR code.

The phone page's forms go through the same services as the /ws actions and publish the
same events, so a question asked from a phone in the hall appears live for everyone.
"""

from __future__ import annotations

import math
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import Context, CurrentUser, DbSession, OptionalUser
from conference.errors import Forbidden, InvalidInput, NotFound, ServiceError, Throttled
from conference.limits import parse_id
from conference.program.published.program import SessionView
from conference.realtime import qa_service
from conference.realtime.channels import is_moderator, published_session
from conference.realtime.durable import commit_and_publish
from conference.realtime.models import QuestionStatus
from conference.web.errors import to_sign_in
from conference.web.forms import checked, read_form

router = APIRouter(include_in_schema=False)

# The projector shows what fits on a wall: the pinned questions and the top-voted others.
PROJECTOR_QUESTIONS = 8
# Without JavaScript the projector reloads itself this often (seconds).
PROJECTOR_REFRESH = 30


async def _session(ctx: AppContext, db: AsyncSession, guid: str) -> SessionView:
    session = await published_session(ctx, db, guid)
    if session is None:
        raise NotFound("There is no such session in the published program.")
    return session


def short_link(ctx: AppContext, guid: str) -> str:
    return f"{ctx.settings.base_url.rstrip('/')}/q/{guid}"


def qr_svg(url: str) -> Markup:
    """The link as an inline SVG QR code (no script, no external image: the CSP holds)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=8, border=2, dark="#000", light="#fff", title="QR code: ask a question"
    )
    # segno escapes what it writes; the URL is our own base URL and a guid.
    return Markup(svg)  # noqa: S704


@router.get(
    "/program/sessions/{guid}/projector", response_class=HTMLResponse, name="realtime_projector"
)
async def projector_page(
    guid: str, request: Request, ctx: Context, db: DbSession, user: CurrentUser
) -> HTMLResponse:
    """Large-type Q&A for the hall: pinned and top-voted questions, QR code to ask."""
    session = await _session(ctx, db, guid)
    if not await is_moderator(ctx, db, user, session):
        raise Forbidden("The projector view is for the session's chairs and the organizers.")
    questions = [
        q
        for q in await qa_service.listing(db, guid=guid, queue=False)
        if q.status == QuestionStatus.approved.value
    ][:PROJECTOR_QUESTIONS]
    link = short_link(ctx, guid)
    context: dict[str, Any] = {
        "session": session,
        "questions": [qa_service.question_data(q, moderator=False) for q in questions],
        "short_link": link,
        "short_link_label": link.split("://", 1)[-1],
        "qr_svg": qr_svg(link),
        "refresh": PROJECTOR_REFRESH,
        "limit": PROJECTOR_QUESTIONS,
    }
    return ctx.pages.render(request, "realtime/projector.html", context, user=user)


def _to_signin(guid: str) -> RedirectResponse:
    return to_sign_in(f"/q/{guid}")


async def _ask_page(
    request: Request,
    ctx: AppContext,
    db: AsyncSession,
    user: User,
    session: SessionView,
    *,
    notice: str = "",
    error: str = "",
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    questions = await qa_service.listing(db, guid=session.guid, queue=False)
    voted = await qa_service.voted_ids(db, user=user, question_ids=[q.id for q in questions])
    context: dict[str, Any] = {
        "session": session,
        "questions": [qa_service.question_data(q, moderator=False) for q in questions],
        "voted": voted,
        "notice": notice,
        "error": error,
        "form": form or {},
        "max_body": qa_service.MAX_BODY,
    }
    return ctx.pages.render(
        request, "realtime/ask.html", context, user=user, status_code=status_code
    )


_NOTICES = {
    "asked": "Thank you: your question is with the moderators.",
    "voted": "Your upvote is counted.",
}


@router.get("/q/{guid}", response_class=HTMLResponse, name="realtime_ask")
async def ask_page(
    guid: str, request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    """The phone page behind the QR code: ask a question, upvote others."""
    if user is None:
        return _to_signin(guid)
    session = await _session(ctx, db, guid)
    notice = _NOTICES.get(request.query_params.get("done", ""), "")
    return await _ask_page(request, ctx, db, user, session, notice=notice)


def _throttle(ctx: AppContext, user: User, kind: str) -> None:
    # The same token buckets as the /ws actions: a form is no way around the limits.
    wait = ctx.realtime.limiter.check(user.id, kind)
    if wait:
        seconds = math.ceil(wait)
        raise Throttled(f"Slow down: try again in {seconds} s.", retry_after=seconds)


@router.post("/q/{guid}/ask", response_class=HTMLResponse)
async def ask_submit(
    guid: str, request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    if user is None:
        return _to_signin(guid)
    session = await _session(ctx, db, guid)
    form = await read_form(request)
    try:
        _throttle(ctx, user, "question")
        _, event = await qa_service.ask(
            db,
            guid=guid,
            user=user,
            body=form.get("body", ""),
            anonymous=checked(form, "anonymous"),
        )
    except ServiceError as exc:
        # The services refuse before writing (a lost vote race is undone by its
        # savepoint), so the session is clean to render the page with.
        return await _ask_page(
            request,
            ctx,
            db,
            user,
            session,
            error=exc.detail,
            form=form,
            status_code=exc.status_code,
        )
    await commit_and_publish(db, ctx.realtime.hub, [event])
    return RedirectResponse(f"/q/{guid}?done=asked", status_code=303)


@router.post("/q/{guid}/vote", response_class=HTMLResponse)
async def vote_submit(
    guid: str, request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    if user is None:
        return _to_signin(guid)
    session = await _session(ctx, db, guid)
    form = await read_form(request)
    try:
        question_id = parse_id(form.get("question_id", ""))
        if question_id is None:
            raise InvalidInput("Choose a question to upvote.", field="question_id")
        _throttle(ctx, user, "vote")
        _, event = await qa_service.vote(db, guid=guid, user=user, question_id=question_id)
    except ServiceError as exc:
        # The services refuse before writing (a lost vote race is undone by its
        # savepoint), so the session is clean to render the page with.
        return await _ask_page(
            request, ctx, db, user, session, error=exc.detail, status_code=exc.status_code
        )
    await commit_and_publish(db, ctx.realtime.hub, [event])
    return RedirectResponse(f"/q/{guid}?done=voted#questions", status_code=303)
