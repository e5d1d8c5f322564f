"""A published program with one stage, and recordings and broadcasts made as rows and files.

Shared by the media and recordings tests: no encoding, the files are small stand-ins.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from conference.accounts.models import Role
from conference.context import AppContext
from conference.db.types import utcnow
from conference.program.models import Stage
from streaming.models import Broadcast, BroadcastState, Recording, RecordingSource, RecordingStatus
from tests.factories import UserFactory, sign_in
from tests.program.factories import ProgramBuilder

ORGANIZER = "organizer@example.org"
ATTENDEE = "attendee@example.org"
SEGMENT = bytes(range(256)) * 40  # 10,240 bytes
_resources = itertools.count(1)
VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello\n"


@dataclass
class Program:
    stage_id: int
    stage_slug: str
    session_now: dict[str, Any]
    session_next: dict[str, Any]
    talk: dict[str, Any]
    other_talk: dict[str, Any]


@asynccontextmanager
async def client_of(app: FastAPI, email: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """Another browser on the same app, signed in as ``email`` (anonymous if None)."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        if email is not None:
            await sign_in(http, email)
        yield http


async def publish_program(client: httpx.AsyncClient, users: UserFactory) -> Program:
    """Organizer and attendee accounts, and a published program on "Main Stage": a session
    on now (with a talk) and one starting in two hours (with a talk). ``client`` stays
    signed in as the organizer."""
    await users.create(Role.organizer, email=ORGANIZER)
    await users.create(Role.attendee, email=ATTENDEE)
    await sign_in(client, ORGANIZER)
    builder = ProgramBuilder(client)
    stage = await builder.stage("Main Stage")
    now = utcnow().replace(microsecond=0)
    on_now = await builder.session(
        "Interferon keynote",
        (now - timedelta(minutes=10)).isoformat(),
        (now + timedelta(minutes=50)).isoformat(),
        stage_id=stage["id"],
    )
    # Adding a talk answers with its session.
    with_talk = await builder.talk(on_now["id"], "Type I interferons", on_now["starts_at"], 30)
    later = await builder.session(
        "Cytokine storms",
        (now + timedelta(hours=2)).isoformat(),
        (now + timedelta(hours=3)).isoformat(),
        stage_id=stage["id"],
    )
    later_talk = await builder.talk(later["id"], "IL-6 in sepsis", later["starts_at"], 30)
    published = await builder.publish(confirm=True)
    assert published.status_code == 201, published.text
    return Program(
        stage_id=stage["id"],
        stage_slug=stage["slug"],
        session_now=on_now,
        session_next=later,
        talk=with_talk["talks"][0],
        other_talk=later_talk["talks"][0],
    )


def ctx_of(app: FastAPI) -> AppContext:
    ctx: AppContext = app.state.ctx
    return ctx


def write_hls(folder: Path, *, download: bool = True, poster: bool = True) -> None:
    """Stand-in HLS output: a master playlist, one rendition, an MP4 and a poster."""
    (folder / "360p").mkdir(parents=True, exist_ok=True)
    (folder / "master.m3u8").write_text(
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\n360p/index.m3u8\n"
    )
    (folder / "360p" / "index.m3u8").write_text(
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"
        '#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.0,\nseg_00001.m4s\n'
    )
    (folder / "360p" / "init.mp4").write_bytes(b"\0\0\0\x18ftypiso6" + bytes(16))
    (folder / "360p" / "seg_00001.m4s").write_bytes(SEGMENT)
    if download:
        (folder / "recording.mp4").write_bytes(SEGMENT * 3)
    if poster:
        (folder / "poster.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))


async def add_recording(
    app: FastAPI,
    *,
    stage_id: int | None,
    published: bool = True,
    status: RecordingStatus = RecordingStatus.ready,
    allow_download: bool = False,
    title: str = "Interferon keynote",
    premiere_at: datetime | None = None,
    duration: float = 3600.0,
    session_guid: str | None = None,
    files: bool = True,
) -> int:
    """A recording row (and its files under recordings/<id>/); its id."""
    ctx = ctx_of(app)
    async with ctx.db.session() as db:
        recording = Recording(
            stage_id=stage_id,
            session_guid=session_guid,
            title=title,
            source=RecordingSource.upload.value,
            status=status.value,
            published=published,
            allow_download=allow_download,
            media_path="",
            duration_seconds=duration,
            has_mp4=True,
            has_thumbnail=True,
            premiere_at=premiere_at,
        )
        db.add(recording)
        await db.flush()
        recording.media_path = f"recordings/{recording.id}"
        await db.commit()
        recording_id = recording.id
    if files:
        write_hls(ctx.settings.media_root / "recordings" / str(recording_id))
    return recording_id


async def add_broadcast(
    app: FastAPI,
    *,
    stage_id: int,
    state: BroadcastState,
    heartbeat_age: timedelta = timedelta(0),
    ended_age: timedelta | None = None,
    recording_id: int | None = None,
) -> int:
    ctx = ctx_of(app)
    now = utcnow()
    async with ctx.db.session() as db:
        broadcast = Broadcast(
            stage_id=stage_id,
            state=state.value,
            media_path="streams/main-stage",
            resource_id=f"resource-{next(_resources)}",
            recording_id=recording_id,
            started_at=now - timedelta(minutes=30),
            heartbeat_at=now - heartbeat_age,
            ended_at=now - ended_age if ended_age is not None else None,
        )
        db.add(broadcast)
        await db.commit()
        return broadcast.id


async def stage_row(app: FastAPI, stage_id: int) -> Stage:
    async with ctx_of(app).db.session() as db:
        stage = await db.get(Stage, stage_id)
        assert stage is not None
        return stage
