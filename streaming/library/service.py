"""The recordings library: what organizers manage and what attendees may watch.

A recording's files live in ``recordings/<id>/`` under MEDIA_DIR whatever made them (a live
broadcast or an upload), and are served at ``/vod/<id>/`` (streaming/media.py). Attendees
see a recording only when it is published and ready; organizers see and manage all of them.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from conference.errors import Conflict, InvalidInput, NotFound
from conference.extensions import RecordingOwner, parse_owner_key
from conference.files import write_atomically
from conference.jobs import service as jobs
from conference.program.models import Stage
from conference.program.published.program import PublishedProgram
from conference.settings import Settings
from streaming import jobs as transcodes
from streaming.library.captions import normalize_language, read_captions, validate_webvtt
from streaming.models import Caption, Recording, RecordingStatus
from streaming.status import vod_master_url

if TYPE_CHECKING:
    from conference.context import AppContext

EDITABLE = frozenset(
    {"title", "published", "allow_download", "premiere_at", "session_guid", "talk_guid"}
)


def recording_dir(media_root: Path, recording_id: int) -> Path:
    """The folder served at ``/vod/<id>/``."""
    return media_root / "recordings" / str(recording_id)


def is_watchable(recording: Recording) -> bool:
    """Whether attendees may watch it: published and ready."""
    return recording.published and recording.status == RecordingStatus.ready.value


async def list_recordings(
    db: AsyncSession,
    *,
    meeting_id: int,
    session_guid: str | None = None,
    stage_slug: str | None = None,
    status: RecordingStatus | None = None,
) -> list[Recording]:
    """The meeting's recordings, newest first (those on no stage belong to it as well)."""
    statement = (
        select(Recording)
        .outerjoin(Stage, Recording.stage_id == Stage.id)
        .where(or_(Recording.stage_id.is_(None), Stage.meeting_id == meeting_id))
        .order_by(Recording.id.desc())
    )
    if session_guid is not None:
        statement = statement.where(Recording.session_guid == session_guid)
    if stage_slug is not None:
        statement = statement.where(Stage.slug == stage_slug)
    if status is not None:
        statement = statement.where(Recording.status == status.value)
    return list((await db.scalars(statement)).all())


async def get_recording(db: AsyncSession, *, meeting_id: int, recording_id: int) -> Recording:
    """One of the meeting's recordings; 404 if there is none with that id."""
    recording = await db.get(Recording, recording_id)
    if recording is not None and recording.stage_id is not None:
        stage = await db.get(Stage, recording.stage_id)
        if stage is None or stage.meeting_id != meeting_id:
            recording = None
    if recording is None:
        raise NotFound("There is no such recording.")
    return recording


async def captions_of(db: AsyncSession, *, recording_id: int) -> list[Caption]:
    return list(
        (
            await db.scalars(
                select(Caption).where(Caption.recording_id == recording_id).order_by(Caption.id)
            )
        ).all()
    )


async def owner_may_watch(
    db: AsyncSession, owners: Mapping[str, RecordingOwner], key: str, viewer: User | None
) -> bool:
    """Whether ``viewer`` may play what the owner key ``key`` owns, as its domain's hook
    answers (an unknown kind: nobody)."""
    parsed = parse_owner_key(key)
    owner = owners.get(parsed[0]) if parsed else None
    return parsed is not None and owner is not None and await owner.watch(db, viewer, parsed[1])


async def playable(
    db: AsyncSession,
    *,
    meeting_id: int,
    recording_id: int,
    user: User,
    owners: Mapping[str, RecordingOwner],
) -> Recording:
    """A recording ``user`` may play: attendees get 404 unless it is published and ready;
    organizers may play any ready one (409 while it is still being made). One that belongs
    to something else (a poster's narration) also needs its owner's consent, organizers'
    included: a 404 without it."""
    recording = await get_recording(db, meeting_id=meeting_id, recording_id=recording_id)
    if recording.owner is not None and not await owner_may_watch(db, owners, recording.owner, user):
        raise NotFound("There is no such recording.")
    if user.has_role(Role.organizer):
        if recording.status != RecordingStatus.ready.value:
            raise Conflict("This recording is not ready to play yet.")
        return recording
    if not is_watchable(recording):
        raise NotFound("There is no such recording.")
    return recording


async def session_recordings(db: AsyncSession, *, session_guid: str) -> list[Recording]:
    """The published, ready recordings of a published session (for its page), oldest first."""
    return list(
        (
            await db.scalars(
                select(Recording)
                .where(
                    Recording.session_guid == session_guid,
                    Recording.published.is_(True),
                    Recording.status == RecordingStatus.ready.value,
                )
                .order_by(Recording.id)
            )
        ).all()
    )


@dataclass(frozen=True)
class Assignment:
    session_guid: str | None
    talk_guid: str | None
    stage_guid: str | None


def _assignment(
    program: PublishedProgram | None, session_guid: str | None, talk_guid: str | None
) -> Assignment:
    """Check a session/talk assignment against the published program."""
    if session_guid is None and talk_guid is None:
        return Assignment(None, None, None)
    if program is None:
        raise InvalidInput("The program has not been published yet.", field="session_guid")
    if talk_guid is not None:
        owner = program.talk_session.get(talk_guid)
        if owner is None:
            raise InvalidInput("There is no published talk with that GUID.", field="talk_guid")
        if session_guid is not None and session_guid != owner.guid:
            raise InvalidInput("That talk belongs to another session.", field="talk_guid")
        session_guid = owner.guid
    assert session_guid is not None
    session = program.by_guid.get(session_guid)
    if session is None:
        raise InvalidInput("There is no published session with that GUID.", field="session_guid")
    return Assignment(session_guid, talk_guid, session.stage.guid if session.stage else None)


async def update_recording(
    ctx: AppContext,
    db: AsyncSession,
    *,
    meeting_id: int,
    recording: Recording,
    changes: dict[str, Any],
) -> Recording:
    """Apply an organizer's changes (only the fields given; None clears a nullable one).

    Assigning a session (or a talk, which implies its session) moves the recording to that
    session's stage, where a premiere plays. A premiere needs a stage.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))}.")
    placed = [k for k in ("session_guid", "talk_guid", "premiere_at") if changes.get(k)]
    if recording.owner is not None and placed:
        # Its owner (a poster, say) decides who watches it: it has no place in the program.
        held_by = recording.owner.replace(":", " ")
        raise InvalidInput(
            f"This recording belongs to {held_by}, not to the program.", field=placed[0]
        )
    if "title" in changes:
        title = str(changes["title"] or "").strip()
        if not title:
            raise InvalidInput("A recording needs a title.", field="title")
        recording.title = title[:300]
    for flag in ("published", "allow_download"):
        if flag in changes:
            if not isinstance(changes[flag], bool):
                raise InvalidInput(f"{flag} must be true or false.", field=flag)
            setattr(recording, flag, changes[flag])
    if "session_guid" in changes or "talk_guid" in changes:
        program = await ctx.programs.latest(db, meeting_id=meeting_id)
        session_guid = changes.get("session_guid", recording.session_guid)
        talk_guid = changes.get("talk_guid", recording.talk_guid)
        if "session_guid" not in changes and "talk_guid" in changes and talk_guid is not None:
            session_guid = None  # implied by the talk
        if "session_guid" in changes and "talk_guid" not in changes and talk_guid is not None:
            # A new session keeps the talk only if the talk is one of its own.
            owner = program.talk_session.get(talk_guid) if program else None
            if owner is None or owner.guid != session_guid:
                talk_guid = None
        assigned = _assignment(program, session_guid, talk_guid)
        recording.session_guid = assigned.session_guid
        recording.talk_guid = assigned.talk_guid
        if assigned.stage_guid is not None:
            stage = await db.scalar(
                select(Stage).where(
                    Stage.meeting_id == meeting_id, Stage.guid == assigned.stage_guid
                )
            )
            if stage is not None:
                recording.stage_id = stage.id
    if "premiere_at" in changes:
        premiere_at = changes["premiere_at"]
        if premiere_at is not None:
            if not isinstance(premiere_at, datetime) or premiere_at.tzinfo is None:
                raise InvalidInput("premiere_at needs a date, time and zone.", field="premiere_at")
            if recording.stage_id is None:
                raise InvalidInput(
                    "Assign the recording to a session on a stage before scheduling a premiere.",
                    field="premiere_at",
                )
        recording.premiere_at = premiere_at
    await db.commit()
    await db.refresh(recording)
    return recording


async def delete_recording(db: AsyncSession, *, settings: Settings, recording: Recording) -> None:
    """Delete a recording with its captions, jobs and files (409 while it is being made)."""
    if recording.status in (RecordingStatus.recording.value, RecordingStatus.processing.value):
        raise Conflict(
            "This recording is still being made; stop the broadcast or wait for the upload "
            "to finish processing."
        )
    folder = recording_dir(settings.media_root, recording.id)
    await jobs.delete_jobs_about(db, subject=transcodes.subject(recording.id))
    await db.delete(recording)
    await db.commit()
    # The row goes first: if removing the files fails, nothing points to a half-deleted folder.
    await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)


async def put_caption(
    db: AsyncSession,
    *,
    settings: Settings,
    recording: Recording,
    language: str,
    label: str | None,
    body: bytes | AsyncIterator[bytes],
) -> Caption:
    """Attach (or replace) the WebVTT captions of one language; 422/413 for a bad file.

    ``body`` is the file, or a request body to read it from (up to the size limit).
    """
    language = normalize_language(language)
    label = (label or "").strip() or language
    if len(label) > 60:
        raise InvalidInput("A caption label has at most 60 characters.", field="label")
    text = validate_webvtt(body if isinstance(body, bytes) else await read_captions(body))
    path = recording_dir(settings.media_root, recording.id) / "captions" / f"{language}.vtt"
    await asyncio.to_thread(write_atomically, path, text)
    caption = await db.scalar(
        select(Caption).where(Caption.recording_id == recording.id, Caption.language == language)
    )
    if caption is None:
        caption = Caption(recording_id=recording.id, language=language, label=label)
        db.add(caption)
    else:
        caption.label = label
    await db.commit()
    await db.refresh(caption)
    return caption


async def delete_caption(
    db: AsyncSession, *, settings: Settings, recording: Recording, language: str
) -> None:
    """Remove the captions of one language (404 if there are none)."""
    language = normalize_language(language)
    caption = await db.scalar(
        select(Caption).where(Caption.recording_id == recording.id, Caption.language == language)
    )
    if caption is None:
        raise NotFound("This recording has no captions in that language.")
    await db.delete(caption)
    await db.commit()
    path = recording_dir(settings.media_root, recording.id) / "captions" / f"{language}.vtt"
    await asyncio.to_thread(path.unlink, missing_ok=True)


async def play_info(db: AsyncSession, *, recording: Recording) -> dict[str, Any]:
    """What a player needs for a recording (URLs under ``/vod/<id>/``)."""
    base = f"/vod/{recording.id}"
    captions = await captions_of(db, recording_id=recording.id)
    return {
        "id": recording.id,
        "title": recording.title,
        "master_url": vod_master_url(recording.id),
        "mp4_url": f"{base}/recording.mp4"
        if recording.allow_download and recording.has_mp4
        else None,
        "poster_url": f"{base}/poster.jpg" if recording.has_thumbnail else None,
        "duration_seconds": recording.duration_seconds,
        "captions": [
            {"language": c.language, "label": c.label, "url": f"{base}/captions/{c.language}.vtt"}
            for c in captions
        ],
        "premiere_at": recording.premiere_at.isoformat() if recording.premiere_at else None,
    }
