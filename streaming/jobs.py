"""The transcode worker: claims queued jobs from the database and runs each in a child process.

Every app process runs one (``inline_worker``, the embedded default) or none, and
``conference worker`` runs one alone, for scale-out. The queue is the ``transcode_jobs``
table, so it needs no broker and survives restarts:

- a worker claims a job with one ``UPDATE ... WHERE state = 'queued'``: with several workers
  (processes or machines) on one database, exactly one update matches;
- the transcode itself runs in a child process (``python -m streaming.transcode``), so a
  decoder crash, a segfault or the OOM killer ends the child, never the web process; the child
  reports progress as JSON lines on stdout, which the worker writes to the job row with a
  heartbeat about once a second;
- a child that exits badly puts the job back in the queue until ``max_attempts``, then the
  job and its recording fail with the error; a running job whose heartbeat is older than
  ``stale_seconds`` lost its worker (process killed, machine gone) and any worker queues it
  again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import shutil
import socket
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from conference.db.types import utcnow
from conference.settings import Settings
from streaming.models import JobState, Recording, RecordingStatus, TranscodeJob

if TYPE_CHECKING:
    from conference.context import AppContext
    from conference.db.engine import Database

logger = logging.getLogger(__name__)

# The child's exit status for input it can never transcode (no retry would help).
EXIT_BAD_INPUT = 65
STDERR_TAIL_BYTES = 2000


@dataclass(frozen=True)
class ClaimedJob:
    """A job this worker has claimed (state running, attempts already counted)."""

    id: int
    recording_id: int
    source_path: str
    attempts: int
    max_attempts: int


@dataclass
class ChildOutcome:
    returncode: int
    result: dict[str, Any] | None
    stderr_tail: str
    lost: bool = False  # another worker took the job over (we were presumed dead)


class JobWorker:
    """Runs transcode jobs, one at a time, for one process."""

    poll_seconds = 1.0
    heartbeat_seconds = 1.0
    stale_seconds = 30.0
    # A child that reports nothing for this long is presumed hung and killed.
    stall_seconds = 600.0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"
        self._ctx: AppContext | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self.child_pid: int | None = None

    # Lifecycle -------------------------------------------------------------------------

    async def start(self, ctx: AppContext) -> None:
        """Start polling the queue with the app."""
        self._ctx = ctx
        self._task = asyncio.create_task(self._run_forever(), name="transcode-worker")

    async def stop(self) -> None:
        """Stop with the app; must not raise. A job cut short goes back to the queue."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(BaseException):
            await task

    def wake(self) -> None:
        """Look at the queue now (an upload just enqueued a job in this process)."""
        self._wake.set()

    async def _run_forever(self) -> None:
        assert self._ctx is not None
        while True:
            try:
                worked = await self.run_once(self._ctx.db)
            except Exception:  # a database hiccup must not end the worker
                logger.exception("transcode worker iteration failed")
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
        try:
            outcome = await self._run_child(database, job)
        except asyncio.CancelledError:
            # Shutting down: not the job's fault, so its attempt is given back.
            async with database.session() as db:
                await self._requeue(db, job, error="", refund=True)
            raise
        async with database.session() as db:
            await self._finish(db, job, outcome)
        return True

    async def claim(self, db: AsyncSession) -> ClaimedJob | None:
        """Atomically take the oldest queued job, or None if there is none (or others won)."""
        for _ in range(5):
            job_id = await db.scalar(
                select(TranscodeJob.id)
                .where(TranscodeJob.state == JobState.queued.value)
                .order_by(TranscodeJob.id)
                .limit(1)
            )
            if job_id is None:
                await db.rollback()
                return None
            now = utcnow()
            result: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
                update(TranscodeJob)
                .where(TranscodeJob.id == job_id, TranscodeJob.state == JobState.queued.value)
                .values(
                    state=JobState.running.value,
                    attempts=TranscodeJob.attempts + 1,
                    worker=self.name,
                    started_at=now,
                    heartbeat_at=now,
                    progress=0.0,
                )
                .execution_options(synchronize_session=False)
            )
            await db.commit()
            if result.rowcount == 1:
                job = await db.get(TranscodeJob, job_id, populate_existing=True)
                assert job is not None
                return ClaimedJob(
                    job.id, job.recording_id, job.source_path, job.attempts, job.max_attempts
                )
        return None

    async def requeue_stale(self, db: AsyncSession) -> int:
        """Queue again (or fail, attempts spent) running jobs whose worker stopped beating."""
        cutoff = utcnow() - timedelta(seconds=self.stale_seconds)
        stale = (
            await db.scalars(
                select(TranscodeJob).where(
                    TranscodeJob.state == JobState.running.value,
                    TranscodeJob.heartbeat_at < cutoff,
                )
            )
        ).all()
        for job in stale:
            claimed = ClaimedJob(
                job.id, job.recording_id, job.source_path, job.attempts, job.max_attempts
            )
            error = f"The worker {job.worker} stopped responding."
            await self._requeue(db, claimed, error=error, only_if_before=cutoff)
        return len(stale)

    # The child process -----------------------------------------------------------------

    def child_command(self, job: ClaimedJob) -> list[str]:
        """The transcoder command line for ``job``."""
        root = self.settings.media_root
        return [
            sys.executable,
            "-m",
            "streaming.transcode",
            "--source",
            str(root / job.source_path),
            "--out",
            str(root / "recordings" / str(job.recording_id)),
            "--ladder",
            self.settings.stream_ladder,
            "--segment-seconds",
            str(self.settings.stream_segment_seconds),
            "--fps",
            str(self.settings.stream_fps),
            "--preset",
            self.settings.stream_preset,
        ]

    async def _run_child(self, database: Database, job: ClaimedJob) -> ChildOutcome:
        process = await asyncio.create_subprocess_exec(
            *self.child_command(job),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self.child_pid = process.pid
        assert process.stdout is not None
        assert process.stderr is not None
        state: dict[str, Any] = {"progress": 0.0, "result": None}
        stderr_task = asyncio.create_task(process.stderr.read())
        beat_task = asyncio.create_task(self._heartbeat(database, job, state, process))
        try:
            while True:
                line = await asyncio.wait_for(process.stdout.readline(), self.stall_seconds)
                if not line:
                    break
                _read_report(line, state)
            await process.wait()
        except TimeoutError:
            state["error"] = f"The transcoder reported nothing for {self.stall_seconds:.0f} s."
        finally:
            beat_task.cancel()
            with contextlib.suppress(BaseException):
                await beat_task
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
            stderr = await stderr_task
            self.child_pid = None
        tail = stderr[-STDERR_TAIL_BYTES:].decode(errors="replace").strip()
        returncode = process.returncode if process.returncode is not None else -9
        if "error" in state:  # hung and killed: a failure even if the kill raced an exit
            tail = f"{state['error']} {tail}".strip()
            returncode = -9
        return ChildOutcome(returncode, state["result"], tail, lost=state.get("lost", False))

    async def _heartbeat(
        self,
        database: Database,
        job: ClaimedJob,
        state: dict[str, Any],
        process: asyncio.subprocess.Process,
    ) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            async with database.session() as db:
                result: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
                    update(TranscodeJob)
                    .where(TranscodeJob.id == job.id, TranscodeJob.worker == self.name)
                    .where(TranscodeJob.state == JobState.running.value)
                    .values(progress=state["progress"], heartbeat_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
                await db.commit()
            if result.rowcount == 0:
                # Another worker re-queued the job (or it was deleted): stop duplicating work.
                state["lost"] = True
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                return

    # Outcomes --------------------------------------------------------------------------

    async def _finish(self, db: AsyncSession, job: ClaimedJob, outcome: ChildOutcome) -> None:
        if outcome.lost:
            return
        if outcome.returncode == 0 and outcome.result is not None:
            await self._succeed(db, job, outcome.result)
            return
        if outcome.returncode < 0:
            why = f"The transcoder was killed by signal {-outcome.returncode}."
        else:
            why = f"The transcoder failed (exit status {outcome.returncode})."
        error = f"{why} {outcome.stderr_tail}".strip()[:2000]
        logger.warning("transcode job %s attempt %s: %s", job.id, job.attempts, error)
        give_up = outcome.returncode == EXIT_BAD_INPUT
        await self._requeue(db, job, error=error, give_up=give_up)

    async def _succeed(self, db: AsyncSession, job: ClaimedJob, result: dict[str, Any]) -> None:
        now = utcnow()
        done: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
            update(TranscodeJob)
            .where(TranscodeJob.id == job.id, TranscodeJob.worker == self.name)
            .where(TranscodeJob.state == JobState.running.value)
            .values(state=JobState.done.value, progress=100.0, finished_at=now, heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            # Taken over since the last heartbeat (or deleted): the other run decides.
            await db.rollback()
            return
        await db.execute(
            update(Recording)
            .where(Recording.id == job.recording_id)
            .values(
                status=RecordingStatus.ready.value,
                media_path=f"recordings/{job.recording_id}",
                duration_seconds=float(result["duration"]),
                has_thumbnail=bool(result["thumbnail"]),
                has_mp4=bool(result["mp4"]),
                error="",
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        await db.commit()
        await asyncio.to_thread(_remove, self.settings.media_root, job, partial=False)

    async def _requeue(
        self,
        db: AsyncSession,
        job: ClaimedJob,
        *,
        error: str,
        refund: bool = False,
        give_up: bool = False,
        only_if_before: Any = None,
    ) -> None:
        """Put ``job`` back in the queue, or fail it and its recording when out of attempts."""
        attempts = job.attempts - 1 if refund else job.attempts
        failed = give_up or attempts >= job.max_attempts
        now = utcnow()
        condition = [TranscodeJob.id == job.id, TranscodeJob.state == JobState.running.value]
        if only_if_before is not None:
            # Another worker may have re-queued it, or it came back to life, meanwhile.
            condition.append(TranscodeJob.heartbeat_at < only_if_before)
        else:
            condition.append(TranscodeJob.worker == self.name)
        values: dict[str, Any] = {"attempts": attempts, "error": error, "progress": 0.0}
        if failed:
            values.update(state=JobState.failed.value, finished_at=now)
        else:
            values.update(state=JobState.queued.value, worker="", heartbeat_at=None)
        result: CursorResult[Any] = await db.execute(  # type: ignore[assignment]
            update(TranscodeJob)
            .where(*condition)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1 and failed:
            await db.execute(
                update(Recording)
                .where(Recording.id == job.recording_id)
                .values(
                    status=RecordingStatus.failed.value,
                    error=(error or "The transcode failed.")[:500],
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        await db.commit()
        if result.rowcount == 1 and failed:
            # Nothing will use the upload or a half-written output again.
            await asyncio.to_thread(_remove, self.settings.media_root, job, partial=True)


def _remove(root: Path, job: ClaimedJob, *, partial: bool) -> None:
    """Delete the upload of a finished job (and a failed one's half-written output)."""
    (root / job.source_path).unlink(missing_ok=True)
    if partial:
        shutil.rmtree(root / "recordings" / f".{job.recording_id}.partial", ignore_errors=True)


def _read_report(line: bytes, state: dict[str, Any]) -> None:
    """Take a progress or result line from the child (other output is ignored)."""
    try:
        report = json.loads(line)
    except ValueError:
        return
    if not isinstance(report, dict):
        return
    if "progress" in report:
        with contextlib.suppress(TypeError, ValueError):
            state["progress"] = max(0.0, min(100.0, float(report["progress"])))
    if isinstance(report.get("result"), dict):
        state["result"] = report["result"]
