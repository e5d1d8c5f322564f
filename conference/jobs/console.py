"""The organizers' "Jobs" console page: the queue, running jobs with their progress, failures
with their error text, and a button to queue a failed job again.

A plain page and plain forms (no script needed); a retry redirects back and the page
confirms it once (conference.web.flash).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from conference.console.web import ConsoleRoute, ConsoleUser, Id, reload, render
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import Conflict
from conference.extensions import ConsoleSection
from conference.jobs import service
from conference.program.models import Meeting
from conference.web import flash

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PAGE = "/console/jobs"
CONSOLE_SECTION = ConsoleSection("jobs", "Jobs", PAGE, order=650)

JOB_RETRIED = flash.message("jobs.retried", "Job #{id} is queued again.")


async def _page(
    request: Request,
    ctx: AppContext,
    db: DbSession,
    user: ConsoleUser,
    meeting: Meeting,
    *,
    refused: str = "",
    status_code: int = 200,
) -> Response:
    overview = await service.overview(db, kinds=ctx.jobs)
    return render(
        request,
        "console/jobs.html",
        {"overview": overview, "refused": refused},
        user=user,
        meeting=meeting,
        section="jobs",
        status_code=status_code,
    )


@router.get(PAGE, name="console_jobs")
async def jobs_page(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Every job of every kind: queued, running (with progress), failed and done."""
    return await _page(request, ctx, db, user, meeting)


@router.post(PAGE + "/{job_id}/retry")
async def retry_job(
    request: Request,
    job_id: Id,
    user: ConsoleUser,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
) -> Response:
    """Queue a failed job again, with all its attempts; 409 and the page when it cannot be."""
    try:
        job = await service.retry(db, kinds=ctx.jobs, job_id=job_id)
    except Conflict as exc:
        await db.rollback()
        await reload(db, meeting, user)
        return await _page(request, ctx, db, user, meeting, refused=exc.detail, status_code=409)
    ctx.job_runner.wake()
    return flash.redirect(
        f"{PAGE}#job-{job.id}",
        secret_key=ctx.settings.secret_key,
        key=JOB_RETRIED,
        secure=ctx.settings.is_production,
        id=job.id,
    )
