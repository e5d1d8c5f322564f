"""Pre-recorded talks: upload a video file, follow its transcode job.

``POST /api/v1/streaming/uploads?session=<guid>&talk=<guid>&title=...`` takes the raw file
as the request body (not a multipart form: the app-wide CSRF check would parse a form into
memory; the page sends the file with ``fetch`` and the ``X-CSRF-Token`` header). The body
is streamed to ``uploads/<uuid>.part`` under the media directory, counted against
``max_upload_bytes`` (a chunked body declares no length for the size middleware to check),
then probed: the content decides whether it is a video, not its name or Content-Type.
Whatever is refused leaves nothing behind, neither a file nor a row.

Who may upload: organizers for any session or talk; the chairs of a session (linked to
their account through ``Person.user_id``) for it and its talks; a speaker for their own
talk. An organizer's upload is published at once; anyone else's waits, unpublished, until
an organizer publishes it (so a speaker's late replacement never appears unreviewed).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from conference.context import AppContext
from conference.deps import Context, CurrentUser, DbSession, PathId
from conference.errors import Forbidden, InvalidInput, NotFound
from conference.jobs import service as jobs
from conference.jobs.models import Job
from conference.program import participation
from conference.program.models import Stage
from conference.program.published.program import SessionView, TalkView
from conference.web.limits import BodyTooLarge
from streaming import jobs as transcodes
from streaming.deps import Runtime
from streaming.library.probe import MediaInfo, probe_media
from streaming.models import Recording, RecordingSource, RecordingStatus
from streaming.runtime import StreamingRuntime

router = APIRouter(tags=["streaming: uploads"])

UPLOADS_DIR = "uploads"
# What browsers send for the accepted containers; the probe decides what the file is.
CONTENT_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
# Written to disk in pieces this large, each in a thread, so the event loop never blocks.
WRITE_BUFFER_BYTES = 1 << 20
MAX_TITLE = 300


# Service ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadTarget:
    """Where an authorised upload belongs in the published program."""

    session: SessionView
    talk: TalkView | None
    stage_id: int | None
    title: str
    published: bool


async def authorize_upload(
    db: AsyncSession,
    *,
    ctx: AppContext,
    user: User,
    session_guid: str | None,
    talk_guid: str | None,
    title: str,
) -> UploadTarget:
    """Check the program GUIDs (422) and that ``user`` may upload for them (403)."""
    program = await ctx.programs.current(db)
    if program is None:
        raise InvalidInput("Nothing has been published yet.", field="session")
    talk: TalkView | None = None
    session: SessionView | None = None
    if talk_guid:
        session = program.talk_session.get(talk_guid)
        if session is None:
            raise InvalidInput("No published talk has this GUID.", field="talk")
        talk = next(t for t in session.talks if t.guid == talk_guid)
        if session_guid and session_guid != session.guid:
            raise InvalidInput("This talk is not part of that session.", field="talk")
    elif session_guid:
        session = program.by_guid.get(session_guid)
        if session is None:
            raise InvalidInput("No published session has this GUID.", field="session")
    else:
        raise InvalidInput("Name the session or the talk the video is for.", field="session")

    part = await participation.of_user(db, user=user)
    if not part.may_upload_for(session, talk):
        raise Forbidden("Only organizers, the session's chairs and the talk's speakers upload.")

    stage_id = None
    if session.stage is not None:
        stage_id = await db.scalar(select(Stage.id).where(Stage.guid == session.stage.guid))
    title = " ".join(title.split())[:MAX_TITLE] or (talk.title if talk else session.title)
    return UploadTarget(session, talk, stage_id, title[:MAX_TITLE], published=part.organizer)


class _SpooledFile:
    """Writes to a file in large pieces, each in a worker thread."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.pending: list[bytes] = []
        self.pending_bytes = 0

    async def write(self, chunk: bytes) -> None:
        self.pending.append(chunk)
        self.pending_bytes += len(chunk)
        if self.pending_bytes >= WRITE_BUFFER_BYTES:
            await self.flush()

    async def flush(self) -> None:
        if self.pending:
            data, self.pending, self.pending_bytes = b"".join(self.pending), [], 0
            await asyncio.to_thread(self.handle.write, data)


def discard(path: Path) -> None:
    """Remove what a refused upload wrote (a quick metadata operation)."""
    path.unlink(missing_ok=True)


async def receive_file(chunks: AsyncIterator[bytes], *, dest: Path, max_bytes: int) -> int:
    """Stream ``chunks`` into ``dest``; its size. Over ``max_bytes`` → 413, and any error
    (a client gone mid-way included) removes the partial file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    try:
        with dest.open("xb") as handle:
            out = _SpooledFile(handle)
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise BodyTooLarge(max_bytes)
                await out.write(chunk)
            await out.flush()
    except BaseException:
        discard(dest)
        raise
    return size


async def check_video(path: Path) -> MediaInfo:
    """Probe ``path`` (in a thread) by its content; not a video → 422, the file removed."""
    try:
        return await asyncio.to_thread(probe_media, path)
    except BaseException:
        discard(path)
        raise


async def accept_upload(
    db: AsyncSession,
    *,
    ctx: AppContext,
    runtime: StreamingRuntime,
    target: UploadTarget,
    user: User,
    chunks: AsyncIterator[bytes],
) -> tuple[Recording, Job]:
    """Store the body, check it is a video, and queue its transcode; refused → nothing kept.

    The caller closes its database connection first: a large body may take long to arrive.
    """
    name = uuid.uuid4().hex
    part = runtime.media_root / UPLOADS_DIR / f"{name}.part"
    await receive_file(chunks, dest=part, max_bytes=runtime.settings.max_upload_bytes)
    info = await check_video(part)
    final = part.with_name(f"{name}.{info.container}")
    part.replace(final)
    try:
        uploaded = await create_upload(
            db, ctx=ctx, target=target, user=user, source_path=f"{UPLOADS_DIR}/{final.name}"
        )
    except BaseException:
        discard(final)
        raise
    ctx.job_runner.wake()
    return uploaded


async def create_upload(
    db: AsyncSession, *, ctx: AppContext, target: UploadTarget, user: User, source_path: str
) -> tuple[Recording, Job]:
    """The processing recording and its queued transcode job for an accepted file."""
    recording = Recording(
        session_guid=target.session.guid,
        talk_guid=target.talk.guid if target.talk else None,
        stage_id=target.stage_id,
        title=target.title,
        published=target.published,
        uploaded_by_id=user.id,
    )
    job = await add_processing(db, ctx=ctx, recording=recording, source_path=source_path)
    await db.commit()
    return recording, job


async def add_processing(
    db: AsyncSession, *, ctx: AppContext, recording: Recording, source_path: str
) -> Job:
    """Add ``recording`` (an accepted upload at ``source_path`` under the media folder) as
    processing, with its transcode job queued; flushed, not committed."""
    recording.source = RecordingSource.upload.value
    recording.status = RecordingStatus.processing.value
    recording.media_path = ""
    db.add(recording)
    await db.flush()
    recording.media_path = f"recordings/{recording.id}"
    return await jobs.enqueue(
        db,
        kind=ctx.jobs.get(transcodes.TRANSCODE),
        payload=transcodes.payload(recording_id=recording.id, source_path=source_path),
        subject=transcodes.subject(recording.id),
    )


async def visible_job(db: AsyncSession, *, user: User, job_id: int) -> Job:
    """A transcode job, for its uploader or an organizer."""
    job = await db.get(Job, job_id)
    if job is None or job.kind != transcodes.TRANSCODE:
        raise NotFound("No such job.")
    if not user.has_role(Role.organizer):
        uploader = await db.scalar(
            select(Recording.uploaded_by_id).where(Recording.id == int(job.payload["recording_id"]))
        )
        if uploader != user.id:
            raise Forbidden("Only the uploader and organizers follow this job.")
    return job


# Router -------------------------------------------------------------------------------

Guid = Annotated[str | None, Query(max_length=36)]


class UploadAccepted(BaseModel):
    recording_id: int
    job_id: int


class JobOut(BaseModel):
    id: int
    recording_id: int
    state: str
    progress: float
    attempts: int
    max_attempts: int
    error: str


@router.post("/api/v1/streaming/uploads", status_code=202, response_model=UploadAccepted)
async def upload(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    ctx: Context,
    runtime: Runtime,
    session: Guid = None,
    talk: Guid = None,
    title: Annotated[str, Query(max_length=MAX_TITLE)] = "",
) -> UploadAccepted:
    """Accept a video file as the body; 202 with the recording and its transcode job."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in CONTENT_TYPES:
        raise InvalidInput("Send the file as video/mp4, video/quicktime or video/webm.")
    target = await authorize_upload(
        db, ctx=ctx, user=user, session_guid=session, talk_guid=talk, title=title
    )
    # Hold no database connection while a large body trickles in.
    await db.close()
    recording, job = await accept_upload(
        db, ctx=ctx, runtime=runtime, target=target, user=user, chunks=request.stream()
    )
    return UploadAccepted(recording_id=recording.id, job_id=job.id)


@router.get("/api/v1/streaming/jobs/{job_id}", response_model=JobOut)
async def job_status(job_id: PathId, user: CurrentUser, db: DbSession) -> JobOut:
    """A transcode job's state and progress (0-100), for its uploader and organizers."""
    job = await visible_job(db, user=user, job_id=job_id)
    return JobOut(
        id=job.id,
        recording_id=int(job.payload["recording_id"]),
        state=job.state,
        progress=job.progress,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        error=job.error,
    )
