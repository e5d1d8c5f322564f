"""The organizers' "Streaming" console page: stream keys per stage, and the recordings.

Plain forms (no script needed), answered by the same services as the JSON API: a new
stream key is shown once, on the page that issued it; everything else redirects back.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.datastructures import UploadFile

from conference.console.web import (
    ConsoleRoute,
    ConsoleUser,
    Id,
    parse_local,
    render,
)
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import InvalidInput, ServiceError
from conference.extensions import ConsoleSection
from conference.program.models import Meeting, Stage
from conference.web import flash
from streaming.ingest import keys
from streaming.library import service as recordings
from streaming.models import Caption, StreamKey

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PAGE = "/console/streaming"
# The console's menu entry (main.py adds it, between Announcements and People).
CONSOLE_SECTION = ConsoleSection("streaming", "Streaming", PAGE, order=600)
# A caption file is small text; the app's 1 MiB request limit applies before this.
MAX_CAPTION_BYTES = 512 * 1024


async def _page(
    request: Request,
    ctx: AppContext,
    db: DbSession,
    user: ConsoleUser,
    meeting: Meeting,
    extra: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    stages = list(
        await db.scalars(
            select(Stage).where(Stage.meeting_id == meeting.id).order_by(Stage.position, Stage.id)
        )
    )
    stage_keys: dict[int, list[StreamKey]] = {stage.id: [] for stage in stages}
    if stages:
        rows = await db.scalars(
            select(StreamKey).where(StreamKey.stage_id.in_(stage_keys)).order_by(StreamKey.id)
        )
        for key in rows:
            stage_keys[key.stage_id].append(key)
    found = await recordings.list_recordings(db, meeting_id=meeting.id)
    captions: dict[int, list[Caption]] = {r.id: [] for r in found}
    if found:
        for caption in await db.scalars(
            select(Caption).where(Caption.recording_id.in_(captions)).order_by(Caption.id)
        ):
            captions[caption.recording_id].append(caption)
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    context = {
        "stages": stages,
        "stage_keys": stage_keys,
        "recordings": found,
        "captions": captions,
        "sessions": program.by_guid if program else {},
        "stage_names": {stage.id: stage.name for stage in stages},
        "whip_base": ctx.settings.base_url.rstrip("/") + "/whip/",
        **(extra or {}),
    }
    return render(
        request,
        "streaming/console_streaming.html",
        context,
        user=user,
        meeting=meeting,
        section="streaming",
        status_code=status_code,
    )


KEY_REVOKED = flash.message("streaming.key_revoked", "Key {hint}… of {stage} is revoked.")
RECORDING_SAVED = flash.message("streaming.recording_saved", "Recording #{id} is saved.")
CAPTIONS_ADDED = flash.message("streaming.captions_added", "Captions added to recording #{id}.")
RECORDING_DELETED = flash.message("streaming.recording_deleted", "Recording #{id} is deleted.")


def _back(ctx: AppContext, key: str, anchor: str = "", **values: str | int) -> Response:
    """Back to the page, which confirms the action once (conference.web.flash)."""
    return flash.redirect(
        PAGE + anchor,
        secret_key=ctx.settings.secret_key,
        key=key,
        secure=ctx.settings.is_production,
        **values,
    )


@router.get(PAGE, name="console_streaming")
async def streaming_page(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Stream keys and the WHIP address per stage; every recording with its settings."""
    return await _page(request, ctx, db, user, meeting)


async def _stage(db: DbSession, meeting: Meeting, slug: str) -> Stage:
    stage = await keys.find_stage(db, slug=slug)
    if stage.meeting_id != meeting.id:
        raise InvalidInput("That stage is not part of this meeting.")
    return stage


@router.post(PAGE + "/stages/{slug}/keys")
async def issue_key(
    slug: str,
    request: Request,
    user: ConsoleUser,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
) -> Response:
    """Issue a key; the page shows it this once (it is stored only as a hash)."""
    stage = await _stage(db, meeting, slug)
    form = await request.form()
    label = str(form.get("label", ""))
    try:
        key, plain = await keys.issue_key(db, stage=stage, label=label, user=user)
    except ServiceError as exc:
        errors = {"stage": stage.slug, "message": exc.detail}
        return await _page(request, ctx, db, user, meeting, {"key_error": errors}, status_code=422)
    issued = {"stage": stage.slug, "key": plain, "hint": key.hint, "label": key.label}
    return await _page(request, ctx, db, user, meeting, {"issued": issued})


@router.post(PAGE + "/stages/{slug}/keys/{key_id}/revoke")
async def revoke_key(
    slug: str, key_id: Id, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Refuse the key from now on (a stream using it is not cut off)."""
    stage = await _stage(db, meeting, slug)
    key = await keys.revoke_key(db, stage=stage, key_id=key_id)
    return _back(ctx, KEY_REVOKED, f"#stage-{stage.slug}", hint=key.hint, stage=stage.name)


def _checked(form: Any, name: str) -> bool:
    return form.get(name) in ("on", "1", "yes")


@router.post(PAGE + "/recordings/{recording_id}")
async def update_recording(
    recording_id: Id,
    request: Request,
    user: ConsoleUser,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
) -> Response:
    """Save a recording's title, visibility, download and premiere time."""
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    form = await request.form()
    changes: dict[str, Any] = {
        "published": _checked(form, "published"),
        "allow_download": _checked(form, "allow_download"),
    }
    title = " ".join(str(form.get("title", "")).split())
    if title:
        changes["title"] = title
    premiere_text = str(form.get("premiere_at", "")).strip()
    if premiere_text:
        premiere, problem = parse_local(premiere_text, meeting.time_zone, what="premiere time")
        if problem is not None:
            error = {"id": recording_id, "message": problem}
            return await _page(
                request, ctx, db, user, meeting, {"recording_error": error}, status_code=422
            )
        changes["premiere_at"] = premiere
    elif recording.premiere_at is not None:
        changes["premiere_at"] = None
    try:
        await recordings.update_recording(
            ctx, db, meeting_id=meeting.id, recording=recording, changes=changes
        )
    except ServiceError as exc:
        await db.rollback()
        error = {"id": recording_id, "message": exc.detail}
        return await _page(
            request, ctx, db, user, meeting, {"recording_error": error}, status_code=exc.status_code
        )
    return _back(ctx, RECORDING_SAVED, f"#recording-{recording_id}", id=recording_id)


@router.post(PAGE + "/recordings/{recording_id}/captions")
async def upload_captions(
    recording_id: Id,
    request: Request,
    user: ConsoleUser,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
) -> Response:
    """Attach (or replace) a WebVTT file in one language."""
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    form = await request.form()
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile):
            raise InvalidInput("Choose a WebVTT (.vtt) file.")
        body = await upload.read(MAX_CAPTION_BYTES + 1)
        if len(body) > MAX_CAPTION_BYTES:
            raise InvalidInput("A caption file has at most 512 KiB.")
        await recordings.put_caption(
            db,
            settings=ctx.settings,
            recording=recording,
            language=str(form.get("language", "")),
            label=str(form.get("label", "")) or None,
            body=body,
        )
    except ServiceError as exc:
        error = {"id": recording_id, "message": exc.detail}
        return await _page(
            request, ctx, db, user, meeting, {"recording_error": error}, status_code=exc.status_code
        )
    return _back(ctx, CAPTIONS_ADDED, f"#recording-{recording_id}", id=recording_id)


@router.post(PAGE + "/recordings/{recording_id}/delete")
async def delete_recording(
    recording_id: Id, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Delete the recording and its files."""
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    await recordings.delete_recording(db, settings=ctx.settings, recording=recording)
    return _back(ctx, RECORDING_DELETED, id=recording_id)
