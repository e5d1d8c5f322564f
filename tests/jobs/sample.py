"""A second job kind, registered by the tests as a domain would: adds numbers in a child."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from conference.context import AppContext
from conference.jobs import service
from conference.jobs.kinds import ClaimedJob, JobKind
from conference.jobs.models import Job, JobPriority
from conference.jobs.runner import JobRunner
from tests.waiting import wait_until_awaited

SAMPLE = "sample"


@dataclass
class Outcomes:
    """What the kind's hooks were told, in order."""

    succeeded: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    cleaned: list[tuple[int, bool]] = field(default_factory=list)


def sample_kind(outcomes: Outcomes, *, name: str = SAMPLE, retryable: bool = True) -> JobKind:
    """The kind, recording its hooks' calls in ``outcomes``."""

    def command(job: ClaimedJob) -> list[str]:
        payload = json.dumps(dict(job.payload))
        return [sys.executable, "-m", "tests.jobs.sample_child", str(job.attempts), payload]

    async def succeeded(_db: Any, job: ClaimedJob, result: dict[str, Any]) -> None:
        outcomes.succeeded.append((job.id, result))

    async def failed(_db: Any, job: ClaimedJob, error: str) -> None:
        outcomes.failed.append((job.id, error))

    async def retried(_db: Any, job: ClaimedJob) -> None:
        outcomes.retried.append(job.id)

    def cleanup(job: ClaimedJob, ok: bool) -> None:
        outcomes.cleaned.append((job.id, ok))

    def describe(payload: Mapping[str, Any], _subject: str) -> str:
        return "Adding " + " + ".join(str(n) for n in payload.get("numbers", []))

    return JobKind(
        name=name,
        label="Sum of numbers",
        command=command,
        succeeded=succeeded,
        failed=failed,
        retried=retried,
        cleanup=cleanup,
        describe=describe,
        program="adder",
        retryable=retryable,
        not_retryable_because="the numbers are gone.",
    )


def ctx_of(app: FastAPI) -> AppContext:
    ctx: AppContext = app.state.ctx
    return ctx


async def enqueue(
    app: FastAPI,
    kind: str = SAMPLE,
    *,
    priority: JobPriority = JobPriority.normal,
    **payload: Any,
) -> int:
    """Queue a job of ``kind`` (registered on the app) as its domain would; its id."""
    ctx = ctx_of(app)
    async with ctx.db.session() as db:
        job = await service.enqueue(
            db,
            kind=ctx.jobs.get(kind),
            payload=payload,
            subject=f"numbers:{kind}",
            priority=priority,
        )
        await db.commit()
        return job.id


async def job_row(app: FastAPI, job_id: int) -> Job:
    async with ctx_of(app).db.session() as db:
        job = await db.get(Job, job_id)
        assert job is not None
        return job


async def all_jobs(app: FastAPI) -> list[Job]:
    async with ctx_of(app).db.session() as db:
        return list(await db.scalars(select(Job).order_by(Job.id)))


def runner(app: FastAPI) -> JobRunner:
    """A runner with the app's kinds, as a worker process would have."""
    return JobRunner(ctx_of(app).jobs)


async def wait_for(app: FastAPI, job_id: int, condition: Any) -> Job:
    """The job once ``condition(job)`` holds (polled: it changes in another task)."""
    seen: list[Job] = []

    async def reached() -> Job | None:
        seen[:] = [await job_row(app, job_id)]
        return seen[0] if condition(seen[0]) else None

    def what() -> str:
        return f"job {job_id} to reach the state awaited (it is {seen[0].state if seen else '?'})"

    return await wait_until_awaited(reached, what)
