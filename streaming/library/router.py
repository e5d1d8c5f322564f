"""JSON API of the recordings library: organizers manage, attendees list a session's replays.

``/api/v1/streaming/recordings`` (organizers): list, get, change, delete, and attach WebVTT
captions (``PUT .../captions/<language>`` with the file as the body). Attendees get
``/api/v1/streaming/sessions/<guid>/recordings``, the published, ready ones; playing one goes
through ``.../recordings/<id>/play`` (streaming/media.py), which hands out the media token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, Organizer, PathId
from conference.errors import NotFound
from conference.limits import GUID_LENGTH, MAX_SLUG_LENGTH
from conference.realtime.channels import published_session
from streaming.library import service as recordings
from streaming.models import Caption, Recording, RecordingStatus

router = APIRouter(prefix="/api/v1/streaming", tags=["streaming"])


class CaptionOut(BaseModel):
    language: str
    label: str
    url: str


class RecordingOut(BaseModel):
    id: int
    title: str
    session_guid: str | None
    talk_guid: str | None
    stage_id: int | None
    source: str
    status: str
    published: bool
    allow_download: bool
    duration_seconds: float | None
    has_mp4: bool
    has_thumbnail: bool
    premiere_at: datetime | None
    error: str
    created_at: datetime
    master_url: str
    captions: list[CaptionOut] | None = None

    @classmethod
    def of(cls, recording: Recording, captions: list[Caption] | None = None) -> RecordingOut:
        return cls(
            id=recording.id,
            title=recording.title,
            session_guid=recording.session_guid,
            talk_guid=recording.talk_guid,
            stage_id=recording.stage_id,
            source=recording.source,
            status=recording.status,
            published=recording.published,
            allow_download=recording.allow_download,
            duration_seconds=recording.duration_seconds,
            has_mp4=recording.has_mp4,
            has_thumbnail=recording.has_thumbnail,
            premiere_at=recording.premiere_at,
            error=recording.error,
            created_at=recording.created_at,
            master_url=f"/vod/{recording.id}/master.m3u8",
            captions=None if captions is None else [_caption_out(recording, c) for c in captions],
        )


class SessionRecordingOut(BaseModel):
    id: int
    title: str
    talk_guid: str | None
    duration_seconds: float | None
    has_thumbnail: bool
    play_url: str


class RecordingPatch(BaseModel):
    """The fields to change; a field left out stays as it is, null clears it."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    published: bool | None = None
    allow_download: bool | None = None
    premiere_at: AwareDatetime | None = None
    session_guid: Annotated[str, Field(max_length=36)] | None = None
    talk_guid: Annotated[str, Field(max_length=36)] | None = None


def _caption_out(recording: Recording, caption: Caption) -> CaptionOut:
    return CaptionOut(
        language=caption.language,
        label=caption.label,
        url=f"/vod/{recording.id}/captions/{caption.language}.vtt",
    )


@router.get("/recordings", response_model=list[RecordingOut])
async def list_recordings(
    organizer: Organizer,
    meeting: CurrentMeeting,
    db: DbSession,
    session: Annotated[str | None, Query(max_length=36)] = None,
    stage: Annotated[str | None, Query(max_length=MAX_SLUG_LENGTH)] = None,
    status: RecordingStatus | None = None,
) -> list[RecordingOut]:
    """The meeting's recordings, newest first, optionally of one session, stage or status."""
    found = await recordings.list_recordings(
        db, meeting_id=meeting.id, session_guid=session, stage_slug=stage, status=status
    )
    return [RecordingOut.of(r) for r in found]


@router.get("/recordings/{recording_id}", response_model=RecordingOut)
async def get_recording(
    recording_id: PathId, organizer: Organizer, meeting: CurrentMeeting, db: DbSession
) -> RecordingOut:
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    return RecordingOut.of(recording, await recordings.captions_of(db, recording_id=recording.id))


@router.patch("/recordings/{recording_id}", response_model=RecordingOut)
async def update_recording(
    recording_id: PathId,
    changes: RecordingPatch,
    organizer: Organizer,
    meeting: CurrentMeeting,
    ctx: Context,
    db: DbSession,
) -> RecordingOut:
    """Rename, publish or hide, allow the download, assign a session or talk, schedule a
    premiere."""
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    given: dict[str, Any] = changes.model_dump(exclude_unset=True)
    recording = await recordings.update_recording(
        ctx, db, meeting_id=meeting.id, recording=recording, changes=given
    )
    return RecordingOut.of(recording, await recordings.captions_of(db, recording_id=recording.id))


@router.delete("/recordings/{recording_id}", status_code=204)
async def delete_recording(
    recording_id: PathId,
    organizer: Organizer,
    meeting: CurrentMeeting,
    ctx: Context,
    db: DbSession,
) -> Response:
    """Delete the recording and its files."""
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    await recordings.delete_recording(db, settings=ctx.settings, recording=recording)
    return Response(status_code=204)


@router.put("/recordings/{recording_id}/captions/{language}", response_model=CaptionOut)
async def put_captions(
    recording_id: PathId,
    language: str,
    request: Request,
    organizer: Organizer,
    meeting: CurrentMeeting,
    ctx: Context,
    db: DbSession,
    label: Annotated[str | None, Query(max_length=60)] = None,
) -> CaptionOut:
    """Attach WebVTT captions (the request body, up to 1 MB) in ``language``, shown to
    viewers as ``label`` (the language tag if not given); replaces earlier ones."""
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    caption = await recordings.put_caption(
        db,
        settings=ctx.settings,
        recording=recording,
        language=language,
        label=label,
        body=request.stream(),
    )
    return _caption_out(recording, caption)


@router.delete("/recordings/{recording_id}/captions/{language}", status_code=204)
async def delete_captions(
    recording_id: PathId,
    language: str,
    organizer: Organizer,
    meeting: CurrentMeeting,
    ctx: Context,
    db: DbSession,
) -> Response:
    recording = await recordings.get_recording(db, meeting_id=meeting.id, recording_id=recording_id)
    await recordings.delete_caption(
        db, settings=ctx.settings, recording=recording, language=language
    )
    return Response(status_code=204)


@router.get("/sessions/{guid}/recordings", response_model=list[SessionRecordingOut])
async def session_recordings(
    guid: Annotated[str, Path(max_length=GUID_LENGTH)],
    user: CurrentUser,
    ctx: Context,
    db: DbSession,
) -> list[SessionRecordingOut]:
    """The published, ready recordings of a published session (any signed-in user)."""
    if await published_session(ctx, db, guid) is None:
        raise NotFound("There is no such session.")
    return [
        SessionRecordingOut(
            id=r.id,
            title=r.title,
            talk_guid=r.talk_guid,
            duration_seconds=r.duration_seconds,
            has_thumbnail=r.has_thumbnail,
            play_url=f"/api/v1/streaming/recordings/{r.id}/play",
        )
        for r in await recordings.session_recordings(db, session_guid=guid)
    ]
