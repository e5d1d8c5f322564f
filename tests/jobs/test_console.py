"""The organizers' Jobs page: queue, running jobs with progress, failures with their error
and a retry button; nobody else may see it or retry anything."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from conference.accounts.models import Role
from conference.console.web import LocalTimes
from conference.db.types import utcnow
from conference.jobs import service
from conference.jobs.models import Job
from tests.console.pages import DASH, HTML, Console, text_of
from tests.factories import UserFactory, csrf, sign_in
from tests.jobs.sample import Outcomes, ctx_of, enqueue, job_row, runner

pytestmark = pytest.mark.usefixtures("demo_meeting")

PAGE = "/console/jobs"
ORGANIZER = "organizer@example.org"
FAILURE = "The adder failed (exit status 65). These are not numbers."
# The demo meeting's zone: the page shows times in it.
LONDON = LocalTimes("Europe/London")


async def _set_job(app: FastAPI, job_id: int, **values: object) -> None:
    async with ctx_of(app).db.session() as db:
        await db.execute(update(Job).where(Job.id == job_id).values(**values))
        await db.commit()


async def _failed_job(app: FastAPI, *numbers: int) -> int:
    job_id = await enqueue(app, numbers=list(numbers))
    await _set_job(app, job_id, state="failed", attempts=3, error=FAILURE, finished_at=utcnow())
    return job_id


@pytest.fixture
async def organizer(client: httpx.AsyncClient, users: UserFactory) -> Console:
    await users.create(Role.organizer, email=ORGANIZER)
    await sign_in(client, ORGANIZER)
    return Console(client)


@asynccontextmanager
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Another browser on the same app."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50002))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_organizers_see_the_queue_progress_and_failures(
    app: FastAPI, organizer: Console, outcomes: Outcomes
) -> None:
    queued = await enqueue(app, numbers=[1, 2])
    running = await enqueue(app, numbers=[3])
    await _set_job(
        app,
        running,
        state="running",
        attempts=1,
        progress=42.5,
        worker="host:12:abc",
        started_at=utcnow(),
        heartbeat_at=utcnow(),
    )
    failed = await _failed_job(app, 4)
    done = await enqueue(app, numbers=[5])
    await _set_job(app, done, state="done", attempts=1, progress=100.0, finished_at=utcnow())

    page = await organizer.get(PAGE)
    assert page.status_code == 200
    html = page.text
    assert '<a href="/console/jobs" aria-current="page">Jobs</a>' in html
    assert text_of(html, "job-counts") == "1 queued, 1 running, 1 failed, 1 done."
    queued_at = LONDON.full((await job_row(app, queued)).created_at)
    assert text_of(html, "queued-jobs") == (
        "Queued Oldest first, the order workers take them in. Job Kind About Queued "
        f"Attempts so far Last error #{queued} Sum of numbers Adding 1 + 2 {queued_at} "
        f"0 of 3 {DASH}"
    )
    running_text = text_of(html, "running-jobs")
    assert running_text is not None
    assert f"#{running} Sum of numbers Adding 3 42.5% 42.5% 1 of 3" in running_text
    assert (
        f'<progress id="progress-{running}" max="100" value="42.5" '
        f'aria-label="Progress of job #{running}">'
    ) in html
    assert text_of(html, "job-error") == FAILURE
    assert f'action="/console/jobs/{failed}/retry"' in html
    assert f'Retry<span class="visually-hidden"> job #{failed}</span>' in html
    done_text = text_of(html, "done-jobs")
    assert done_text is not None
    assert f"#{done} Sum of numbers Adding 5" in done_text
    assert outcomes.retried == []


@pytest.mark.parametrize("role", [Role.attendee, Role.speaker])
async def test_others_are_refused_the_page_and_the_retry(
    app: FastAPI, users: UserFactory, outcomes: Outcomes, role: Role
) -> None:
    failed = await _failed_job(app, 4)
    person = await users.create(role)
    async with browser(app) as http:
        await sign_in(http, person.email)
        assert (await http.get(PAGE, headers=HTML)).status_code == 403
        token = await csrf(http)
        refused = await http.post(
            f"{PAGE}/{failed}/retry", data={"csrf_token": token}, headers=HTML
        )
    assert refused.status_code == 403
    job = await job_row(app, failed)
    assert (job.state, job.attempts, job.error) == ("failed", 3, FAILURE)
    assert outcomes.retried == []


async def test_anonymous_is_sent_to_sign_in(app: FastAPI) -> None:
    async with browser(app) as http:
        response = await http.get(PAGE, headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/console/jobs"


async def test_retrying_a_failed_job_queues_it_again_and_it_runs(
    app: FastAPI, organizer: Console, outcomes: Outcomes
) -> None:
    failed = await _failed_job(app, 1, 2)
    retried = await organizer.post(f"{PAGE}/{failed}/retry", {})
    assert retried.status_code == 303
    assert retried.headers["location"] == f"/console/jobs#job-{failed}"
    job = await job_row(app, failed)
    assert (job.state, job.attempts, job.error, job.finished_at) == ("queued", 0, "", None)
    assert outcomes.retried == [failed]

    page = await organizer.get(PAGE)
    assert f'<p class="notice" role="status">Job #{failed} is queued again.</p>' in page.text
    assert text_of(page.text, "job-counts") == "1 queued, 0 running, 0 failed, 0 done."

    assert await runner(app).run_once(ctx_of(app).db) is True
    job = await job_row(app, failed)
    assert (job.state, job.attempts) == ("done", 1)
    assert outcomes.succeeded == [(failed, {"sum": 3})]


async def test_what_cannot_be_retried_is_refused_and_changes_nothing(
    app: FastAPI, organizer: Console, outcomes: Outcomes
) -> None:
    ctx = ctx_of(app)
    async with ctx.db.session() as db:
        transcode = await service.enqueue(
            db,
            kind=ctx.jobs.get("transcode"),
            payload={"recording_id": 9, "source_path": "uploads/gone.mp4"},
            subject="recording:9",
        )
        await db.commit()
    await _set_job(app, transcode.id, state="failed", attempts=1, error="bad video")
    queued = await enqueue(app, numbers=[1])

    page = await organizer.get(PAGE)
    assert "Cannot be retried: its upload was deleted when it failed" in page.text
    assert f'action="/console/jobs/{transcode.id}/retry"' not in page.text

    refused = await organizer.post(f"{PAGE}/{transcode.id}/retry", {})
    assert refused.status_code == 409
    assert text_of(refused.text, "refused") == (
        "its upload was deleted when it failed; upload the video again. Nothing was changed."
    )
    refused = await organizer.post(f"{PAGE}/{queued}/retry", {})
    assert refused.status_code == 409
    assert text_of(refused.text, "refused") == (
        f"Job #{queued} is queued: only a failed job can be retried. Nothing was changed."
    )
    assert (await organizer.post(f"{PAGE}/{queued + 100}/retry", {})).status_code == 404
    # Without the form's CSRF token: refused before anything is read.
    failed = await _failed_job(app, 2)
    organizer.client.headers.pop("X-CSRF-Token")
    no_token = await organizer.client.post(f"{PAGE}/{failed}/retry", headers=HTML)
    assert no_token.status_code == 403

    jobs = [await job_row(app, job_id) for job_id in (transcode.id, queued, failed)]
    states = [(j.id, j.state, j.attempts) for j in jobs]
    assert states == [(transcode.id, "failed", 1), (queued, "queued", 0), (failed, "failed", 3)]
    assert outcomes.retried == []
