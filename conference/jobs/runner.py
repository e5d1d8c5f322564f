"""The job runner: claims queued jobs from the database and runs each in a child process.

Every app process runs one (``inline_worker``, the embedded default) or none, and
``conference worker`` runs one alone, for scale-out. The queue is the ``jobs`` table, so it
needs no broker and survives restarts; the same rules hold for every kind:

- a runner claims a job with one ``UPDATE ... WHERE state = 'queued'``: with several
  runners (processes or machines) on one database, exactly one update matches; a runner
  claims only kinds registered in its own process;
- the job itself runs in a child process (:mod:`conference.jobs.process`), which reports
  progress as JSON lines; the runner writes it to the job row with a heartbeat about once a
  second;
- a child that exits badly puts the job back in the queue until ``max_attempts``, then the
  job fails with the error (and the kind's ``failed`` hook records it in its domain); a
  running job whose heartbeat is older than ``stale_seconds`` lost its runner (process
  killed, machine gone) and any runner queues it again;
- stopping the runner (shutdown) kills the child and gives the job back without counting
  the attempt: it was not the job's fault.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from conference.db.types import utcnow
from conference.jobs.child import EXIT_BAD_INPUT
from conference.jobs.kinds import ClaimedJob, JobKind, JobKinds
from conference.jobs.models import Job, JobState
from conference.jobs.process import ChildOutcome, run_child

if TYPE_CHECKING:
    from conference.db.engine import Database

logger = logging.getLogger(__name__)

MAX_ERROR = 2000


def claimed(job: Job) -> ClaimedJob:
    """The claimed view of a job row."""
    return ClaimedJob(
        job.id, job.kind, dict(job.payload), job.subject, job.attempts, job.max_attempts
    )


class JobRunner:
    """Runs jobs of the registered kinds, one at a time, for one process."""

    poll_seconds = 1.0
    heartbeat_seconds = 1.0
    stale_seconds = 30.0

    def __init__(self, kinds: JobKinds) -> None:
        self.kinds = kinds
        self.name = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"
        self._database: Database | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        # The running child's pid (tests kill it as the OOM killer would).
        self.child_pid: int | None = None

    # Lifecycle -------------------------------------------------------------------------

    async def start(self, database: Database) -> None:
        """Start polling the queue."""
        self._database = database
        self._task = asyncio.create_task(self._run_forever(), name="job-runner")

    async def stop(self) -> None:
        """Stop; must not raise. A job cut short goes back to the queue."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(BaseException):
            await task

    def wake(self) -> None:
        """Look at the queue now (a job was just queued in this process)."""
        self._wake.set()

    async def _run_forever(self) -> None:
        assert self._database is not None
        while True:
            try:
                worked = await self.run_once(self._database)
            except Exception:  # a database hiccup must not end the runner
                logger.exception("job runner iteration failed")
                worked = False
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                self._wake.clear()

    # One step --------------------------------------------------------------------------

    async def run_once(self, database: Database) -> bool:
        """Re-queue stale jobs, then claim and run one job; whether there was one."""
        async with database.session() as db:
            await self.requeue_stale(db)
            job = await self.claim(db)
        if job is None:
            return False
        kind = self.kinds.get(job.kind)
        try:
            outcome = await run_child(
                kind.command(job),
                program=kind.program,
                beat=lambda progress: self._heartbeat(database, job, progress),
                beat_seconds=self.heartbeat_seconds,
                stall_seconds=kind.stall_seconds,
                started=self._child_started,
            )
        except asyncio.CancelledError:
            # Shutting down: not the job's fault, so its attempt is given back.
            async with database.session() as db:
                await self._requeue(db, job, error="", refund=True)
            raise
        async with database.session() as db:
            await self._finish(db, kind, job, outcome)
        return True

    def _child_started(self, pid: int | None) -> None:
        self.child_pid = pid

    async def claim(self, db: AsyncSession) -> ClaimedJob | None:
        """Atomically take the queued job of a known kind with the highest priority, the
        oldest first, or None if there is none (or other runners won every one tried)."""
        names = self.kinds.names()
        if not names:
            return None
        for _ in range(5):
            job_id = await db.scalar(
                select(Job.id)
                .where(Job.state == JobState.queued.value, Job.kind.in_(names))
                .order_by(Job.priority.desc(), Job.id)
                .limit(1)
            )
            if job_id is None:
                await db.rollback()
                return None
            now = utcnow()
            result: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
                update(Job)
                .where(Job.id == job_id, Job.state == JobState.queued.value)
                .values(
                    state=JobState.running.value,
                    attempts=Job.attempts + 1,
                    worker=self.name,
                    started_at=now,
                    heartbeat_at=now,
                    progress=0.0,
                )
                .execution_options(synchronize_session=False)
            )
            await db.commit()
            if result.rowcount == 1:
                job = await db.get(Job, job_id, populate_existing=True)
                assert job is not None
                return claimed(job)
        return None

    async def requeue_stale(self, db: AsyncSession) -> int:
        """Queue again (or fail, attempts spent) running jobs whose runner stopped beating."""
        names = self.kinds.names()
        if not names:
            return 0
        cutoff = utcnow() - timedelta(seconds=self.stale_seconds)
        stale = (
            await db.scalars(
                select(Job).where(
                    Job.state == JobState.running.value,
                    Job.kind.in_(names),
                    Job.heartbeat_at < cutoff,
                )
            )
        ).all()
        for job in stale:
            error = f"The worker {job.worker} stopped responding."
            await self._requeue(db, claimed(job), error=error, only_if_before=cutoff)
        return len(stale)

    async def _heartbeat(self, database: Database, job: ClaimedJob, progress: float) -> bool:
        """Record progress and that we are alive; False if the job is no longer ours.

        Shielded: stopping the runner cancels the beat, and a cancel landing inside the
        beat's transaction could leave the job's row locked by a connection nobody finishes,
        so that giving the job back (the next statement on that row) waited forever. The
        beat's own transaction always ends, committed, before the row is touched again.
        """
        return await asyncio.shield(self._beat_once(database, job, progress))

    async def _beat_once(self, database: Database, job: ClaimedJob, progress: float) -> bool:
        async with database.session() as db:
            result: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
                update(Job)
                .where(Job.id == job.id, Job.worker == self.name)
                .where(Job.state == JobState.running.value)
                .values(progress=progress, heartbeat_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                await self.kinds.get(job.kind).progressed(db, job, progress)
            await db.commit()
        # Zero rows: another runner re-queued the job (or it was deleted).
        return result.rowcount == 1

    # Outcomes --------------------------------------------------------------------------

    async def _finish(
        self, db: AsyncSession, kind: JobKind, job: ClaimedJob, outcome: ChildOutcome
    ) -> None:
        if outcome.lost:
            return
        if outcome.returncode == 0 and outcome.result is not None:
            await self._succeed(db, kind, job, outcome.result)
            return
        if outcome.returncode < 0:
            why = f"The {kind.program} was killed by signal {-outcome.returncode}."
        else:
            why = f"The {kind.program} failed (exit status {outcome.returncode})."
        error = f"{why} {outcome.stderr_tail}".strip()[:MAX_ERROR]
        logger.warning("%s job %s attempt %s: %s", job.kind, job.id, job.attempts, error)
        give_up = outcome.returncode == EXIT_BAD_INPUT
        await self._requeue(db, job, error=error, give_up=give_up)

    async def _succeed(
        self, db: AsyncSession, kind: JobKind, job: ClaimedJob, result: dict[str, Any]
    ) -> None:
        now = utcnow()
        done: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
            update(Job)
            .where(Job.id == job.id, Job.worker == self.name)
            .where(Job.state == JobState.running.value)
            .values(state=JobState.done.value, progress=100.0, finished_at=now, heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            # Taken over since the last heartbeat (or deleted): the other run decides.
            await db.rollback()
            return
        await kind.succeeded(db, job, result)
        await db.commit()
        if kind.cleanup is not None:
            await asyncio.to_thread(kind.cleanup, job, True)

    async def _requeue(
        self,
        db: AsyncSession,
        job: ClaimedJob,
        *,
        error: str,
        refund: bool = False,
        give_up: bool = False,
        only_if_before: datetime | None = None,
    ) -> None:
        """Put ``job`` back in the queue, or fail it (and tell its kind) when it is out of
        attempts."""
        kind = self.kinds.get(job.kind)
        attempts = job.attempts - 1 if refund else job.attempts
        failed = give_up or attempts >= job.max_attempts
        now = utcnow()
        condition = [Job.id == job.id, Job.state == JobState.running.value]
        if only_if_before is not None:
            # Another runner may have re-queued it, or it came back to life, meanwhile.
            condition.append(Job.heartbeat_at < only_if_before)
        else:
            condition.append(Job.worker == self.name)
        values: dict[str, Any] = {"attempts": attempts, "error": error, "progress": 0.0}
        if failed:
            values.update(state=JobState.failed.value, finished_at=now)
        else:
            values.update(state=JobState.queued.value, worker="", heartbeat_at=None)
        result: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
            update(Job)
            .where(*condition)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        settled = result.rowcount == 1 and failed
        if settled:
            await kind.failed(db, job, error)
        await db.commit()
        if settled and kind.cleanup is not None:
            # Nothing will use the job's input or a half-written output again.
            await asyncio.to_thread(kind.cleanup, job, False)
