"""Helpers for the upload, job and premiere tests: settings, a published program, uploads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.accounts.models import Role
from conference.jobs.models import Job
from conference.jobs.runner import JobRunner
from conference.program.demo.meeting import seed_meeting
from conference.settings import Settings
from streaming.models import Recording
from tests.app_settings import app_settings
from tests.factories import UserFactory, sign_in
from tests.program.factories import ProgramBuilder

# Two tiny renditions keep each transcode to a second or two of CPU.
LADDER = "180p:320x180@200,90p:160x90@100"
RENDITIONS = ("180p", "90p")
MAX_UPLOAD = 2_000_000
UPLOADS = "/api/v1/streaming/uploads"
ORGANIZER = "organizer@example.org"
CHAIR = "chair@example.org"
SPEAKER = "speaker@example.org"
OTHER_SPEAKER = "other-speaker@example.org"
ATTENDEE = "attendee@example.org"


def upload_settings(database_url: str, var_dir: Path, **overrides: Any) -> Settings:
    """Test settings with no background worker (tests drive ``run_once``), a tiny ladder
    and a small upload cap."""
    values: dict[str, Any] = {
        "inline_worker": False,
        "stream_ladder": LADDER,
        "stream_segment_seconds": 1.0,
        "stream_fps": 10,
        "stream_preset": "ultrafast",
        "max_upload_bytes": MAX_UPLOAD,
    }
    values.update(overrides)
    return app_settings(database_url, var_dir, **values)


@dataclass(frozen=True)
class Program:
    session: str  # the session's guid
    talk: str  # the speaker's talk
    other_talk: str  # another speaker's talk in the same session
    stage_slug: str


async def publish_program(client: httpx.AsyncClient, users: UserFactory) -> Program:
    """A published session on a stage, chaired by CHAIR, with a talk by SPEAKER and one by
    OTHER_SPEAKER; the meeting and every user are created. The client ends signed out."""
    async with users.ctx.db.session() as db:
        await seed_meeting(db)
    await users.create(Role.organizer, email=ORGANIZER)
    chair = await users.create(email=CHAIR)
    speaker = await users.create(email=SPEAKER)
    other = await users.create(email=OTHER_SPEAKER)
    await users.create(email=ATTENDEE)
    await sign_in(client, ORGANIZER)
    build = ProgramBuilder(client)
    stage = await build.stage("Main Stage")
    chair_person = await build.person("Chiara Chair", user_id=chair.id)
    speaker_person = await build.person("Sam Speaker", user_id=speaker.id)
    other_person = await build.person("Olga Other", user_id=other.id)
    session = await build.session(
        "Interferon keynote",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=stage["id"],
        chair_ids=[chair_person["id"]],
    )
    # Adding a talk answers with its whole session.
    await build.talk(
        session["id"],
        "STAT1 in depth",
        "2021-10-18T09:00:00+01:00",
        30,
        speaker_ids=[speaker_person["id"]],
    )
    with_talks = await build.talk(
        session["id"],
        "STAT2 in brief",
        "2021-10-18T09:30:00+01:00",
        30,
        speaker_ids=[other_person["id"]],
    )
    published = await build.publish(confirm=True)
    assert published.status_code == 201, published.text
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    talks = {t["title"]: t["guid"] for t in with_talks["talks"]}
    return Program(session["guid"], talks["STAT1 in depth"], talks["STAT2 in brief"], stage["slug"])


async def upload(
    client: httpx.AsyncClient,
    body: bytes | AsyncIterator[bytes],
    *,
    content_type: str = "video/mp4",
    **params: str,
) -> httpx.Response:
    return await client.post(
        UPLOADS, content=body, params=params, headers={"Content-Type": content_type}
    )


async def counts(app: FastAPI) -> tuple[int, int]:
    """How many recordings and transcode jobs exist."""
    async with app.state.ctx.db.session() as db:
        recordings = await db.scalar(select(func.count()).select_from(Recording))
        jobs = await db.scalar(select(func.count()).select_from(Job))
        return int(recordings or 0), int(jobs or 0)


def upload_files(settings: Settings) -> list[Path]:
    folder = settings.media_root / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def worker(app: FastAPI) -> JobRunner:
    """The app's own job runner (not started: the tests drive it)."""
    found: JobRunner = app.state.ctx.job_runner
    return found


def new_worker(app: FastAPI) -> JobRunner:
    """Another runner with the app's job kinds, as another process would have."""
    return JobRunner(app.state.ctx.jobs)


async def run_worker(app: FastAPI) -> bool:
    """One step of the app's worker, as its loop would take it."""
    return await worker(app).run_once(app.state.ctx.db)
