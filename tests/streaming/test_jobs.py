"""The transcode worker: crashes retried, stale jobs re-queued, attempts bounded, one claim."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from conference.db.engine import Database
from conference.db.types import utcnow
from conference.jobs.models import Job
from conference.jobs.runner import JobRunner
from conference.main import create_app
from conference.settings import Settings
from streaming.models import Recording
from streaming.transcode import CRASH_ENV
from tests.factories import UserFactory, sign_in
from tests.streaming.frames import write_sample_video
from tests.streaming.uploading import (
    ORGANIZER,
    new_worker,
    publish_program,
    run_worker,
    upload,
    upload_files,
    upload_settings,
    worker,
)
from tests.waiting import wait_until, wait_until_awaited

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return upload_settings(database_url, tmp_path / "var")


@pytest.fixture(scope="module")
def sample_mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("media") / "talk.mp4"
    return write_sample_video(path, 2.0, 160, 90, "mp4").read_bytes()


@pytest.fixture
async def uploaded(
    client: httpx.AsyncClient, users: UserFactory, sample_mp4: bytes
) -> dict[str, int]:
    """One organizer upload, queued: its recording_id and job_id."""
    program = await publish_program(client, users)
    await sign_in(client, ORGANIZER)
    response = await upload(client, sample_mp4, talk=program.talk)
    assert response.status_code == 202, response.text
    accepted: dict[str, int] = response.json()
    return accepted


async def _rows(app: FastAPI, ids: dict[str, int]) -> tuple[Job, Recording]:
    async with app.state.ctx.db.session() as db:
        job = await db.get(Job, ids["job_id"])
        recording = await db.get(Recording, ids["recording_id"])
        assert job is not None
        assert recording is not None
        return job, recording


async def _set_job(app: FastAPI, job_id: int, **values: object) -> None:
    async with app.state.ctx.db.session() as db:
        await db.execute(update(Job).where(Job.id == job_id).values(**values))
        await db.commit()


def _output(settings: Settings, recording_id: int) -> Path:
    return settings.media_root / "recordings" / str(recording_id)


async def test_a_crashed_transcode_is_retried_and_completes(
    app: FastAPI,
    settings: Settings,
    uploaded: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CRASH_ENV, "0.5")
    assert await run_worker(app) is True
    job, recording = await _rows(app, uploaded)
    assert (job.state, job.attempts, job.worker, job.progress) == ("queued", 1, "", 0.0)
    assert "killed by signal 9" in job.error
    assert recording.status == "processing"
    assert not _output(settings, recording.id).exists()
    assert len(upload_files(settings)) == 1  # kept for the next attempt

    monkeypatch.delenv(CRASH_ENV)
    assert await run_worker(app) is True
    job, recording = await _rows(app, uploaded)
    assert (job.state, job.attempts, job.progress) == ("done", 2, 100.0)
    assert (recording.status, recording.error) == ("ready", "")
    assert (_output(settings, recording.id) / "master.m3u8").is_file()
    assert upload_files(settings) == []


async def test_a_child_killed_from_outside_does_not_harm_the_worker(
    app: FastAPI, uploaded: dict[str, int]
) -> None:
    running = asyncio.create_task(run_worker(app))
    pid = await wait_until(lambda: worker(app).child_pid, "the worker to start its child")
    os.kill(pid, signal.SIGKILL)  # as the OOM killer would
    assert await running is True
    job, recording = await _rows(app, uploaded)
    assert (job.state, job.attempts, recording.status) == ("queued", 1, "processing")
    assert "signal 9" in job.error


async def test_every_attempt_crashing_fails_the_job_and_recording(
    app: FastAPI,
    settings: Settings,
    uploaded: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CRASH_ENV, "0")
    for attempt in (1, 2, 3):
        assert await run_worker(app) is True
        job, _ = await _rows(app, uploaded)
        assert job.attempts == attempt
    job, recording = await _rows(app, uploaded)
    assert job.state == "failed"
    assert job.finished_at is not None
    assert recording.status == "failed"
    assert "killed by signal 9" in recording.error
    assert upload_files(settings) == []
    assert not _output(settings, recording.id).exists()
    assert await run_worker(app) is False


async def test_input_that_cannot_be_transcoded_fails_at_once(
    app: FastAPI, settings: Settings, uploaded: dict[str, int]
) -> None:
    # The stored upload is damaged after it was accepted: no retry can help.
    [stored] = upload_files(settings)
    stored.write_bytes(b"not a video any more")
    assert await run_worker(app) is True
    job, recording = await _rows(app, uploaded)
    assert (job.state, job.attempts, recording.status) == ("failed", 1, "failed")
    assert "exit status 65" in recording.error


async def test_a_stale_running_job_is_queued_again(
    app: FastAPI, settings: Settings, uploaded: dict[str, int]
) -> None:
    mine = worker(app)
    async with app.state.ctx.db.session() as db:
        claimed = await mine.claim(db)
        assert claimed is not None
        assert (claimed.id, claimed.attempts) == (uploaded["job_id"], 1)
        # Its heartbeat is fresh: nobody takes it.
        assert await new_worker(app).requeue_stale(db) == 0
    await _set_job(app, claimed.id, heartbeat_at=utcnow() - timedelta(seconds=31))
    async with app.state.ctx.db.session() as db:
        assert await new_worker(app).requeue_stale(db) == 1
    job, recording = await _rows(app, uploaded)
    assert (job.state, job.attempts, job.worker, recording.status) == (
        "queued",
        1,
        "",
        "processing",
    )
    assert "stopped responding" in job.error
    # The next worker to look runs it to the end.
    assert await run_worker(app) is True
    job, recording = await _rows(app, uploaded)
    assert (job.state, job.attempts, recording.status) == ("done", 2, "ready")


async def test_a_stale_job_out_of_attempts_fails(
    app: FastAPI, settings: Settings, uploaded: dict[str, int]
) -> None:
    await _set_job(
        app,
        uploaded["job_id"],
        state="running",
        attempts=3,
        worker="gone:1:abc",
        heartbeat_at=utcnow() - timedelta(minutes=5),
    )
    async with app.state.ctx.db.session() as db:
        assert await new_worker(app).requeue_stale(db) == 1
    job, recording = await _rows(app, uploaded)
    assert (job.state, recording.status) == ("failed", "failed")
    assert "gone:1:abc stopped responding" in recording.error
    assert upload_files(settings) == []


async def test_two_workers_claim_one_job_once(
    app: FastAPI, settings: Settings, uploaded: dict[str, int]
) -> None:
    # Two engines, as two worker processes would have.
    other_db = Database(settings.database_url)
    try:
        first, second = new_worker(app), new_worker(app)

        async def claim(who: JobRunner, database: Database) -> int | None:
            async with database.session() as db:
                job = await who.claim(db)
                return job.id if job else None

        results = await asyncio.gather(claim(first, app.state.ctx.db), claim(second, other_db))
        assert sorted(results, key=lambda r: r is None) == [uploaded["job_id"], None]
        assert await claim(second, other_db) is None
    finally:
        await other_db.dispose()
    job, _ = await _rows(app, uploaded)
    assert (job.state, job.attempts) == ("running", 1)
    assert job.worker in (first.name, second.name)


async def test_stopping_the_worker_gives_the_job_back(
    app: FastAPI, settings: Settings, uploaded: dict[str, int]
) -> None:
    mine = new_worker(app)
    await mine.start(app.state.ctx.db)
    pid = await wait_until(lambda: mine.child_pid, "the worker to start its child")
    await mine.stop()
    job, recording = await _rows(app, uploaded)
    # Shutting down is not the job's fault: its attempt is not counted.
    assert (job.state, job.attempts, recording.status) == ("queued", 0, "processing")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child is gone too


async def test_the_worker_command_runs_jobs_from_its_own_process(
    app: FastAPI, settings: Settings, uploaded: dict[str, int]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFERENCE_")}
    env.update(
        PYTHONPATH=str(ROOT),
        CONFERENCE_VAR_DIR=str(settings.var_dir),
        CONFERENCE_DATABASE_URL=settings.database_url,
        CONFERENCE_STREAM_LADDER=settings.stream_ladder,
        CONFERENCE_STREAM_SEGMENT_SECONDS=str(settings.stream_segment_seconds),
        CONFERENCE_STREAM_FPS=str(settings.stream_fps),
        CONFERENCE_STREAM_PRESET=settings.stream_preset,
        CONFERENCE_INLINE_WORKER="false",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "conference",
        "worker",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:

        async def finished() -> tuple[Job, Recording] | None:
            rows = await _rows(app, uploaded)
            return rows if rows[0].state == "done" else None

        job, recording = await wait_until_awaited(finished, "the worker process to run the job")
        assert recording.status == "ready"
        # Claimed by the worker process, not this one.
        assert f":{process.pid}:" in job.worker
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert b"Job worker (poster_tiles, transcode) on" in stdout


async def test_the_inline_worker_picks_up_an_upload_at_once(
    database_url: str, tmp_path: Path, sample_mp4: bytes
) -> None:
    inline = create_app(upload_settings(database_url, tmp_path / "inline", inline_worker=True))
    async with inline.router.lifespan_context(inline):
        transport = httpx.ASGITransport(app=inline)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            program = await publish_program(client, UserFactory(inline))
            await sign_in(client, ORGANIZER)
            accepted = (await upload(client, sample_mp4, talk=program.talk)).json()
            url = f"/api/v1/streaming/jobs/{accepted['job_id']}"
            # The page polls this; the worker was woken by the upload, no poll interval.

            async def finished() -> dict[str, Any] | None:
                job: dict[str, Any] = (await client.get(url)).json()
                return job if job["state"] == "done" else None

            job = await wait_until_awaited(finished, "the inline worker to run the job")
            assert (job["state"], job["progress"], job["attempts"]) == ("done", 100.0, 1)
