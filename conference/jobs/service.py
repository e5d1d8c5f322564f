"""Queueing jobs, reading the queue for organizers, and queueing a failed job again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from conference.errors import Conflict, NotFound
from conference.jobs.kinds import JobKind, JobKinds, UnknownKind
from conference.jobs.models import MAX_SUBJECT, Job, JobPriority, JobState
from conference.jobs.runner import claimed

# How many jobs of each state the console lists (the counts cover them all).
PAGE_LIMIT = 50


async def enqueue(
    db: AsyncSession,
    *,
    kind: JobKind,
    payload: Mapping[str, Any],
    subject: str = "",
    priority: JobPriority = JobPriority.normal,
) -> Job:
    """Add a queued job to the session (flushed, not committed): the caller commits it with
    the rows it belongs to, so a job never exists without them, nor they without it. Wake
    the runner after the commit."""
    job = Job(
        kind=kind.name,
        payload=dict(payload),
        subject=subject[:MAX_SUBJECT],
        state=JobState.queued.value,
        priority=priority.value,
        attempts=0,
        max_attempts=kind.max_attempts,
        progress=0.0,
        worker="",
        error="",
    )
    db.add(job)
    await db.flush()
    return job


async def delete_jobs_about(db: AsyncSession, *, subject: str) -> None:
    """Remove every job about ``subject`` (its thing is being deleted); not committed."""
    await db.execute(delete(Job).where(Job.subject == subject))


@dataclass(frozen=True)
class JobView:
    """A job as organizers read it."""

    job: Job
    label: str
    description: str
    retryable: bool
    not_retryable_because: str


@dataclass(frozen=True)
class QueueOverview:
    counts: dict[str, int]
    queued: list[JobView]
    running: list[JobView]
    failed: list[JobView]
    done: list[JobView]


def _view(kinds: JobKinds, job: Job) -> JobView:
    try:
        kind = kinds.get(job.kind)
    except UnknownKind:
        why = "No worker of this version knows this kind of job."
        return JobView(job, job.kind, job.subject, False, why)
    description = kind.describe(job.payload, job.subject)
    return JobView(job, kind.label, description, kind.retryable, kind.not_retryable_because)


async def _listed(
    db: AsyncSession, kinds: JobKinds, state: JobState, *, newest_first: bool
) -> list[JobView]:
    order = Job.id.desc() if newest_first else Job.id
    rows: Sequence[Job] = (
        await db.scalars(
            select(Job).where(Job.state == state.value).order_by(order).limit(PAGE_LIMIT)
        )
    ).all()
    return [_view(kinds, job) for job in rows]


async def overview(db: AsyncSession, *, kinds: JobKinds) -> QueueOverview:
    """Counts per state; the queue oldest first (the order it runs in); running, failed
    and done jobs newest first."""
    counted = await db.execute(select(Job.state, func.count()).group_by(Job.state))
    counts = dict.fromkeys((s.value for s in JobState), 0)
    counts.update({state: int(n) for state, n in counted})
    return QueueOverview(
        counts=counts,
        queued=await _listed(db, kinds, JobState.queued, newest_first=False),
        running=await _listed(db, kinds, JobState.running, newest_first=True),
        failed=await _listed(db, kinds, JobState.failed, newest_first=True),
        done=await _listed(db, kinds, JobState.done, newest_first=True),
    )


async def retry(db: AsyncSession, *, kinds: JobKinds, job_id: int) -> Job:
    """Queue a failed job again with all its attempts (404 unknown, 409 not failed or its
    kind cannot be retried). Wake the runner afterwards."""
    job = await db.get(Job, job_id)
    if job is None:
        raise NotFound("No such job.")
    if job.state != JobState.failed.value:
        raise Conflict(f"Job #{job.id} is {job.state}: only a failed job can be retried.")
    try:
        kind = kinds.get(job.kind)
    except UnknownKind:
        raise Conflict("No worker of this version knows this kind of job.") from None
    if not kind.retryable:
        raise Conflict(kind.not_retryable_because or "This kind of job cannot be retried.")
    result: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
        update(Job)
        .where(Job.id == job.id, Job.state == JobState.failed.value)
        .values(
            state=JobState.queued.value,
            attempts=0,
            progress=0.0,
            worker="",
            error="",
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        # Another organizer retried it a moment ago.
        await db.rollback()
        raise Conflict(f"Job #{job_id} is no longer failed: it was retried already.")
    await kind.retried(db, claimed(job))
    await db.commit()
    await db.refresh(job)
    return job
