"""The judge's page (``/posters/judging``): the posters they judge, each with its rubric.

Only the signed-in judge's own assignments are listed; a score is sent as a plain form,
answered by the same service as the JSON API. A refused score (judging closed, a
conflict of interest, a mark out of range) shows the page again with the reason.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, PathId
from conference.errors import InvalidInput, ServiceError
from conference.program.models import Meeting
from conference.program.service import current_meeting
from posters.judging import service as judging
from posters.judging.models import CRITERIA, MAX_COMMENT, MAX_MARK, MIN_MARK
from posters.judging.schemas import ScoreIn

router = APIRouter(include_in_schema=False)

PAGE = "/posters/judging"


def score_from_form(form: FormData) -> ScoreIn:
    """The rubric from the form's fields; InvalidInput naming what is wrong."""
    values: dict[str, Any] = {}
    for name in CRITERIA:
        text = str(form.get(name, "")).strip()
        if not text.isdigit() or not MIN_MARK <= int(text) <= MAX_MARK:
            raise InvalidInput(f"Give {name} a mark from {MIN_MARK} to {MAX_MARK}.", field=name)
        values[name] = int(text)
    comment = str(form.get("comment", "")).replace("\r\n", "\n")
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"The comment is longer than {MAX_COMMENT} characters.", field="comment")
    try:
        return ScoreIn(**values, comment=comment)
    except ValidationError:
        raise InvalidInput(
            "The comment holds characters that are not text.", field="comment"
        ) from None


async def _page(
    request: Request,
    ctx: AppContext,
    db: DbSession,
    user: User,
    meeting: Meeting,
    *,
    saved: int | None = None,
    error: tuple[int, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "assignments": await judging.assignments_of(db, meeting_id=meeting.id, judge=user),
        "judging_open": await judging.judging_open(db, meeting_id=meeting.id),
        "criteria": CRITERIA,
        "marks": range(MIN_MARK, MAX_MARK + 1),
        "max_comment": MAX_COMMENT,
        "saved": saved,
        "error": error,
    }
    response: HTMLResponse = ctx.pages.render(
        request, "posters/judging.html", context, user=user, status_code=status_code
    )
    return response


@router.get(PAGE, response_class=HTMLResponse, name="poster_judging")
async def judging_page(
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
    saved: int | None = None,
) -> HTMLResponse:
    """The signed-in judge's posters and their scores of them."""
    return await _page(request, ctx, db, user, meeting, saved=saved)


@router.post(PAGE + "/{poster_id}")
async def score_poster(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> Response:
    """Score (or score again) one of the judge's posters."""
    form = await request.form()
    try:
        data = score_from_form(form)
        await judging.score_poster(
            db, meeting_id=meeting.id, poster_id=poster_id, judge=user, data=data
        )
        await db.commit()
    except ServiceError as exc:
        # Refusals come before any change: nothing to roll back, the page reads on.
        if exc.status_code in (403, 404):
            raise
        return await _page(
            request,
            ctx,
            db,
            user,
            meeting,
            error=(poster_id, exc.detail),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"{PAGE}?saved={poster_id}#poster-{poster_id}", status_code=303)


async def judging_home_section(request: Request, db: AsyncSession, user: User | None) -> Markup:
    """On the home page, a judge's way to their judging page (nothing for anyone else)."""
    if user is None:
        return Markup("")
    meeting = await current_meeting(db)
    if meeting is None:
        return Markup("")
    count = await judging.assignment_count(db, meeting_id=meeting.id, judge=user)
    if not count:
        return Markup("")
    template = request.app.state.ctx.pages.templates.get_template("posters/_judging_home.html")
    # The template autoescapes everything it inserts, so its output is safe markup.
    return Markup(template.render(count=count))  # noqa: S704
