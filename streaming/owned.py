"""Recordings that belong to something other than a talk: a poster's narration.

A domain registers a :class:`~conference.extensions.RecordingOwner` under its kind
(``Extensions.recording_owners["poster"]``); a recording it owns carries the owner key
(``Recording.owner = "poster:17"``) instead of a session or talk. This module asks the
registered hook who may attach, replace or remove the media and who may watch it, and
never names the owning domain. Each owner has one recording: a new upload replaces the
old (its row, captions, job and files go once the new file is accepted); while one is
still being transcoded, another is refused (409), as deleting a recording is.

``PUT /api/v1/streaming/owned/<kind>/<id>/recording`` takes the raw file as the body, as
the talk uploads do (streamed, counted against ``max_upload_bytes``, probed by content; a
refusal leaves neither a file nor a row), and queues the same transcode job kind. ``GET``
answers its state and the job's progress to those who may manage it; ``DELETE`` removes it;
``PUT .../recording/captions/<language>`` attaches WebVTT captions to the ready recording.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from conference.context import AppContext
from conference.deps import Context, CurrentUser, DbSession, PathId
from conference.errors import Conflict, InvalidInput, NotFound
from conference.extensions import (
    AfterCommit,
    OwnerEraser,
    OwnerGrant,
    RecordingOwner,
    owner_key,
)
from conference.jobs import service as jobs
from conference.jobs.models import Job
from conference.settings import Settings
from streaming import jobs as transcodes
from streaming.deps import Runtime
from streaming.library.probe import probe_media
from streaming.library.service import captions_of, owner_may_watch, put_caption, recording_dir
from streaming.models import Caption, Recording, RecordingStatus
from streaming.runtime import StreamingRuntime
from streaming.uploads import UPLOADS_DIR, add_processing, discard, receive_file

router = APIRouter(prefix="/api/v1/streaming/owned", tags=["streaming: owned recordings"])

MAX_TITLE = 300
# What browsers send for audio and video files; the probe decides what the file is.
MEDIA_TYPES = ("audio/", "video/")
BUSY = "The previous recording is still being processed: wait until it is ready, then replace it."


# Service ------------------------------------------------------------------------------


def registered(owners: Mapping[str, RecordingOwner], kind: str) -> RecordingOwner:
    """The hook of ``kind`` (404 when no domain owns recordings of that kind)."""
    found = owners.get(kind)
    if found is None:
        raise NotFound("Nothing of this kind has recordings.")
    return found


async def owned_recordings(db: AsyncSession, *, key: str) -> list[Recording]:
    """Every recording ``key`` owns, newest first (one, save during a race)."""
    rows = await db.scalars(
        select(Recording).where(Recording.owner == key).order_by(Recording.id.desc())
    )
    return list(rows)


async def check_replaceable(db: AsyncSession, *, key: str) -> None:
    """Refuse (409) while a recording of ``key`` is still being made."""
    busy = await db.scalar(
        select(Recording.id)
        .where(Recording.owner == key, Recording.status == RecordingStatus.processing.value)
        .limit(1)
    )
    if busy is not None:
        raise Conflict(BUSY)


async def _delete_rows(db: AsyncSession, found: list[Recording]) -> list[int]:
    """Delete ``found`` with their captions and jobs (not committed); their ids."""
    ids = [r.id for r in found]
    for recording_id in ids:
        await jobs.delete_jobs_about(db, subject=transcodes.subject(recording_id))
    if ids:
        await db.execute(delete(Caption).where(Caption.recording_id.in_(ids)))
        await db.execute(delete(Recording).where(Recording.id.in_(ids)))
    return ids


def _remove_folders(media_root: Path, ids: list[int]) -> None:
    for recording_id in ids:
        shutil.rmtree(recording_dir(media_root, recording_id), ignore_errors=True)


async def accept_owned_upload(
    db: AsyncSession,
    *,
    ctx: AppContext,
    runtime: StreamingRuntime,
    key: str,
    grant: OwnerGrant,
    audio_only: bool,
    user: User,
    chunks: AsyncIterator[bytes],
) -> tuple[Recording, Job]:
    """Store the body, check it is media (sound alone where ``audio_only``), replace what
    ``key`` owned with it and queue its transcode; refused → nothing kept.

    The caller closes its database connection first: a large body may take long to arrive.
    """
    name = uuid.uuid4().hex
    part = runtime.media_root / UPLOADS_DIR / f"{name}.part"
    await receive_file(chunks, dest=part, max_bytes=runtime.settings.max_upload_bytes)
    try:
        info = await asyncio.to_thread(probe_media, part, audio_only=audio_only)
    except BaseException:
        discard(part)
        raise
    final = part.with_name(f"{name}.{info.container}")
    part.replace(final)
    try:
        recording, job, replaced = await _replace(
            db, ctx=ctx, key=key, grant=grant, user=user, source_path=f"{UPLOADS_DIR}/{final.name}"
        )
    except BaseException:
        discard(final)
        raise
    # The rows went first: nothing points at a folder being removed.
    await asyncio.to_thread(_remove_folders, runtime.media_root, replaced)
    ctx.job_runner.wake()
    return recording, job


async def _replace(
    db: AsyncSession,
    *,
    ctx: AppContext,
    key: str,
    grant: OwnerGrant,
    user: User,
    source_path: str,
) -> tuple[Recording, Job, list[int]]:
    """In one transaction: the old recordings of ``key`` gone, the new one and its queued
    job added; the ids of the old ones (their folders are the caller's to remove)."""
    # Checked again here: another upload may have been accepted while this one arrived.
    await check_replaceable(db, key=key)
    replaced = await _delete_rows(db, await owned_recordings(db, key=key))
    recording = Recording(
        owner=key,
        session_guid=None,
        talk_guid=None,
        stage_id=None,
        title=" ".join(grant.title.split())[:MAX_TITLE],
        published=grant.published,
        uploaded_by_id=user.id,
    )
    job = await add_processing(db, ctx=ctx, recording=recording, source_path=source_path)
    await db.commit()
    return recording, job, replaced


async def remove_owned(db: AsyncSession, *, settings: Settings, key: str) -> None:
    """Remove what ``key`` owns (404 if nothing, 409 while it is being made)."""
    found = await owned_recordings(db, key=key)
    if not found:
        raise NotFound("There is no recording to remove.")
    await check_replaceable(db, key=key)
    ids = await _delete_rows(db, found)
    await db.commit()
    await asyncio.to_thread(_remove_folders, settings.media_root, ids)


def owner_eraser(media_root: Path) -> OwnerEraser:
    """``Extensions.owner_erasers``' hook: a deleted thing's recordings go with it (rows now,
    in the deletion's transaction, even while one is being made; folders once committed)."""

    async def erase(db: AsyncSession, key: str) -> AfterCommit:
        ids = await _delete_rows(db, await owned_recordings(db, key=key))

        async def remove_folders() -> None:
            await asyncio.to_thread(_remove_folders, media_root, ids)

        return remove_folders

    return erase


async def playable_owned(
    db: AsyncSession, *, key: str, viewer: User | None, owners: Mapping[str, RecordingOwner]
) -> Recording | None:
    """The newest ready recording of ``key`` that ``viewer`` may play (published, unless
    they are an organizer), else None."""
    if viewer is None:
        return None
    statement = select(Recording).where(
        Recording.owner == key, Recording.status == RecordingStatus.ready.value
    )
    if not viewer.has_role(Role.organizer):
        statement = statement.where(Recording.published.is_(True))
    recording = await db.scalar(statement.order_by(Recording.id.desc()).limit(1))
    if recording is None or not await owner_may_watch(db, owners, key, viewer):
        return None
    return recording


# Router -------------------------------------------------------------------------------

Kind = Annotated[str, PathParam(pattern=r"^[a-z][a-z_]{0,30}$")]


class OwnedAccepted(BaseModel):
    recording_id: int
    job_id: int


class OwnedCaptionOut(BaseModel):
    language: str
    label: str
    url: str


class OwnedRecordingOut(BaseModel):
    """An owned recording's state for those who manage it, with its transcode's progress."""

    recording_id: int
    title: str
    status: str  # processing, ready, failed
    published: bool
    duration_seconds: float | None
    error: str
    job_id: int | None
    job_state: str | None  # queued, running, done, failed
    progress: float  # 0-100
    play_url: str | None
    captions: list[OwnedCaptionOut]


async def _authorized(
    db: AsyncSession, ctx: AppContext, user: User, kind: str, owner_id: int
) -> tuple[RecordingOwner, OwnerGrant, str]:
    owner = registered(ctx.extensions.recording_owners, kind)
    grant = await owner.manage(db, user, owner_id)
    return owner, grant, owner_key(kind, owner_id)


@router.put("/{kind}/{owner_id}/recording", status_code=202, response_model=OwnedAccepted)
async def put_recording(
    kind: Kind,
    owner_id: PathId,
    request: Request,
    user: CurrentUser,
    db: DbSession,
    ctx: Context,
    runtime: Runtime,
) -> OwnedAccepted:
    """Replace the owner's recording with the audio or video file sent as the body; 202
    with the new recording and its transcode job."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type.startswith(MEDIA_TYPES):
        raise InvalidInput("Send the file with its audio/... or video/... type.")
    owner, grant, key = await _authorized(db, ctx, user, kind, owner_id)
    await check_replaceable(db, key=key)
    # Hold no database connection while a large body trickles in.
    await db.close()
    recording, job = await accept_owned_upload(
        db,
        ctx=ctx,
        runtime=runtime,
        key=key,
        grant=grant,
        audio_only=owner.audio_only,
        user=user,
        chunks=request.stream(),
    )
    return OwnedAccepted(recording_id=recording.id, job_id=job.id)


@router.get("/{kind}/{owner_id}/recording", response_model=OwnedRecordingOut)
async def get_recording(
    kind: Kind, owner_id: PathId, response: Response, user: CurrentUser, db: DbSession, ctx: Context
) -> OwnedRecordingOut:
    """The owner's recording and its transcode (404 when there is none)."""
    _, _, key = await _authorized(db, ctx, user, kind, owner_id)
    found = await owned_recordings(db, key=key)
    if not found:
        raise NotFound("There is no recording yet.")
    recording = found[0]
    job = await db.scalar(
        select(Job)
        .where(Job.subject == transcodes.subject(recording.id))
        .order_by(Job.id.desc())
        .limit(1)
    )
    captions = await captions_of(db, recording_id=recording.id)
    response.headers["Cache-Control"] = "no-store"
    ready = recording.status == RecordingStatus.ready.value
    return OwnedRecordingOut(
        recording_id=recording.id,
        title=recording.title,
        status=recording.status,
        published=recording.published,
        duration_seconds=recording.duration_seconds,
        error=recording.error,
        job_id=job.id if job else None,
        job_state=job.state if job else None,
        progress=100.0 if ready else (job.progress if job else 0.0),
        play_url=f"/api/v1/streaming/recordings/{recording.id}/play" if ready else None,
        captions=[_caption_out(recording, c) for c in captions],
    )


def _caption_out(recording: Recording, caption: Caption) -> OwnedCaptionOut:
    return OwnedCaptionOut(
        language=caption.language,
        label=caption.label,
        url=f"/vod/{recording.id}/captions/{caption.language}.vtt",
    )


@router.put("/{kind}/{owner_id}/recording/captions/{language}", response_model=OwnedCaptionOut)
async def put_captions(
    kind: Kind,
    owner_id: PathId,
    language: Annotated[str, PathParam(max_length=35)],
    request: Request,
    user: CurrentUser,
    db: DbSession,
    ctx: Context,
    label: Annotated[str | None, Query(max_length=60)] = None,
) -> OwnedCaptionOut:
    """Attach WebVTT captions (the body, up to 1 MB) in ``language`` to the owner's ready
    recording, shown as ``label``; replaces earlier ones of that language. A new recording
    drops them (they were timed for the old one)."""
    _, _, key = await _authorized(db, ctx, user, kind, owner_id)
    found = await owned_recordings(db, key=key)
    if not found:
        raise NotFound("There is no recording to caption yet.")
    if found[0].status != RecordingStatus.ready.value:
        # The transcode replaces the recording's folder when it ends.
        raise Conflict("Add captions once the recording is ready.")
    caption = await put_caption(
        db,
        settings=ctx.settings,
        recording=found[0],
        language=language,
        label=label,
        body=request.stream(),
    )
    return _caption_out(found[0], caption)


@router.delete("/{kind}/{owner_id}/recording", status_code=204)
async def delete_recording(
    kind: Kind, owner_id: PathId, user: CurrentUser, db: DbSession, ctx: Context
) -> Response:
    """Remove the owner's recording, its captions and files."""
    _, _, key = await _authorized(db, ctx, user, kind, owner_id)
    await remove_owned(db, settings=ctx.settings, key=key)
    return Response(status_code=204)


# The player hook ----------------------------------------------------------------------


async def owned_player(
    request: Request, db: AsyncSession, key: str, viewer: User | None
) -> Markup | None:
    """The player of ``key``'s recording for ``viewer`` (``Extensions.recording_players``);
    None when nothing ready may be shown to them."""
    ctx: AppContext = request.app.state.ctx
    recording = await playable_owned(
        db, key=key, viewer=viewer, owners=ctx.extensions.recording_owners
    )
    if recording is None:
        return None
    template = ctx.pages.templates.env.get_template("streaming/_owned_player.html")
    context: dict[str, Any] = {"request": request, "recording": recording}
    return Markup(template.render(**context))  # noqa: S704 - rendered by our autoescaping template
