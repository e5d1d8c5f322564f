"""The organizers' "Judging" console page (``/console/judging``).

Open or close judging, assign judges by hand or automatically, read the ranking with
every judge's scores and comments and the people's choice, download both (CSV, XLSX),
and give and publish awards. Plain forms answered by the same services as the JSON API;
a refused form shows the page again with the reason.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from conference.console.web import ConsoleRoute, ConsoleUser, Id, render
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import InvalidInput, ServiceError
from conference.extensions import ConsoleSection
from conference.program.models import Meeting
from conference.web import flash
from posters.judging import awards
from posters.judging import export as judging_export
from posters.judging import service as judging
from posters.judging.models import CRITERIA
from posters.judging.schemas import MAX_JUDGES_PER_POSTER, AwardIn

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PAGE = "/console/judging"
CONSOLE_SECTION = ConsoleSection("judging", "Judging", PAGE, order=750)

SAVED = flash.message("judging.saved", "{what}")


def _back(ctx: AppContext, what: str, anchor: str = "") -> Response:
    return flash.redirect(
        PAGE + anchor,
        secret_key=ctx.settings.secret_key,
        key=SAVED,
        secure=ctx.settings.is_production,
        what=what,
    )


async def _page(
    request: Request,
    db: DbSession,
    user: ConsoleUser,
    meeting: Meeting,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "judging_open": await judging.judging_open(db, meeting_id=meeting.id),
        "assignments": await judging.all_assignments(db, meeting_id=meeting.id),
        "ranking": await judging.ranking(db, meeting_id=meeting.id, actor=user),
        "choice": (await judging.peoples_choice(db, meeting_id=meeting.id, actor=user))[:20],
        "awards": await awards.awards_of(db, meeting_id=meeting.id, published_only=False),
        "criteria": CRITERIA,
        "max_per_poster": MAX_JUDGES_PER_POSTER,
        "error": error,
    }
    return render(
        request,
        "posters/console_judging.html",
        context,
        user=user,
        meeting=meeting,
        section="judging",
        status_code=status_code,
    )


async def _refused(
    request: Request, db: DbSession, user: ConsoleUser, meeting: Meeting, exc: ServiceError
) -> Response:
    # Every refusal comes before any change: nothing to roll back, the page reads on.
    return await _page(request, db, user, meeting, error=exc.detail, status_code=exc.status_code)


@router.get(PAGE, name="console_judging")
async def judging_page(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Judging: the switch, assignments, the ranking, the people's choice and awards."""
    return await _page(request, db, user, meeting)


@router.post(PAGE + "/open")
async def set_open(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Open or close judging."""
    is_open = (await request.form()).get("judging_open") == "1"
    await judging.set_judging_open(db, meeting_id=meeting.id, actor=user, is_open=is_open)
    await db.commit()
    return _back(ctx, "Judging is open." if is_open else "Judging is closed.")


@router.post(PAGE + "/assign")
async def assign(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Assign one judge (by email) to one poster (by board)."""
    form = await request.form()
    try:
        poster_id = await judging.poster_id_by_board(
            db, meeting_id=meeting.id, board=str(form.get("board", ""))[:16]
        )
        (judge_id,) = await judging.user_ids_by_email(db, emails=[str(form.get("email", ""))[:254]])
        await judging.assign_judge(
            db, meeting_id=meeting.id, actor=user, poster_id=poster_id, judge_id=judge_id
        )
        await db.commit()
    except ServiceError as exc:
        return await _refused(request, db, user, meeting, exc)
    return _back(ctx, "The judge is assigned.", "#assignments")


@router.post(PAGE + "/posters/{poster_id}/judges/{judge_id}/remove")
async def unassign(
    poster_id: Id,
    judge_id: Id,
    user: ConsoleUser,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
) -> Response:
    """Take a judge off a poster (with their score of it)."""
    await judging.unassign_judge(
        db, meeting_id=meeting.id, actor=user, poster_id=poster_id, judge_id=judge_id
    )
    await db.commit()
    return _back(ctx, "The judge is taken off the poster.", "#assignments")


@router.post(PAGE + "/auto")
async def auto(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Assign the listed judges (emails, one a line) automatically."""
    form = await request.form()
    try:
        text = str(form.get("per_poster", "")).strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_JUDGES_PER_POSTER:
            raise InvalidInput(f"Judges per poster: a number from 1 to {MAX_JUDGES_PER_POSTER}.")
        emails = str(form.get("judges", ""))[:100_000].split()
        judge_ids = await judging.user_ids_by_email(db, emails=emails)
        result = await judging.auto_assign(
            db, meeting_id=meeting.id, actor=user, judge_ids=judge_ids, per_poster=int(text)
        )
        await db.commit()
    except ServiceError as exc:
        return await _refused(request, db, user, meeting, exc)
    what = f"{result.created} assignments made."
    if result.unfilled:
        short = sorted(result.unfilled)
        # The message travels in a cookie: name the first few boards only.
        boards = ", ".join(short[:10]) + (f" and {len(short) - 10} more" if len(short) > 10 else "")
        what += f" Conflicts of interest left these posters short of judges: {boards}."
    return _back(ctx, what, "#assignments")


@router.get(PAGE + "/ranking.csv")
async def ranking_csv(user: ConsoleUser, db: DbSession, meeting: CurrentMeeting) -> Response:
    """The ranking with every judge's scores, as CSV."""
    rows = await judging.ranking(db, meeting_id=meeting.id, actor=user)
    return Response(
        judging_export.ranking_csv(rows).encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="poster-ranking.csv"'},
    )


@router.get(PAGE + "/ranking.xlsx")
async def ranking_xlsx(user: ConsoleUser, db: DbSession, meeting: CurrentMeeting) -> Response:
    """The ranking and the people's choice, as an XLSX workbook."""
    rows = await judging.ranking(db, meeting_id=meeting.id, actor=user)
    choice = await judging.peoples_choice(db, meeting_id=meeting.id, actor=user)
    return Response(
        judging_export.ranking_xlsx(rows, choice),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="poster-ranking.xlsx"'},
    )


@router.post(PAGE + "/awards")
async def add_award(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Give the poster on a board an award (published at once if ticked)."""
    form = await request.form()
    try:
        try:
            data = AwardIn(
                title=str(form.get("title", ""))[:1000], published=form.get("published") == "1"
            )
        except ValueError:
            raise InvalidInput("Name the award in at most 120 characters.") from None
        poster_id = await judging.poster_id_by_board(
            db, meeting_id=meeting.id, board=str(form.get("board", ""))[:16]
        )
        await awards.add_award(
            db,
            meeting_id=meeting.id,
            actor=user,
            poster_id=poster_id,
            title=data.title,
            published=data.published,
        )
        await db.commit()
    except ServiceError as exc:
        return await _refused(request, db, user, meeting, exc)
    return _back(ctx, "The award is saved.", "#awards")


@router.post(PAGE + "/awards/{award_id}/publish")
async def publish_award(
    award_id: Id,
    request: Request,
    user: ConsoleUser,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
) -> Response:
    """Publish or hide an award."""
    published = (await request.form()).get("published") == "1"
    await awards.publish_award(
        db, meeting_id=meeting.id, actor=user, award_id=award_id, published=published
    )
    await db.commit()
    return _back(ctx, "The award is published." if published else "The award is hidden.", "#awards")


@router.post(PAGE + "/awards/{award_id}/delete")
async def delete_award(
    award_id: Id, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Take an award away."""
    await awards.delete_award(db, meeting_id=meeting.id, actor=user, award_id=award_id)
    await db.commit()
    return _back(ctx, "The award is removed.", "#awards")
