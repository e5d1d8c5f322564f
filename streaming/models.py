"""Stages' stream keys, live broadcasts, recordings (live or uploaded) and captions.

Transcode jobs live in the core's ``jobs`` table (:mod:`conference.jobs`, kind ``transcode``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.db.base import Base
from conference.db.types import UTCDateTime, utcnow


class StreamKey(Base):
    """A secret that lets a WHIP client (OBS, our studio) publish to one stage.

    Only the key's SHA-256 is stored; ``hint`` is its first characters, shown to organizers.
    """

    __tablename__ = "stream_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class BroadcastState(StrEnum):
    # Holds the stage (a second publisher gets 409) but viewers see nothing yet: the stage
    # goes live when the first segment of every rendition exists.
    starting = "starting"
    live = "live"
    ended = "ended"
    # Ended before any media arrived: no recording, nothing was shown.
    no_media = "no_media"


# The states that hold a stage (heartbeat, 409 to a second publisher, WHIP DELETE).
ACTIVE_STATES = (BroadcastState.starting.value, BroadcastState.live.value)


class Broadcast(Base):
    """One run of a stage's live output, from go-live to stop.

    At most one broadcast per stage is live at a time (the second publisher gets 409). The
    row lets every process answer "is this stage live?", whichever process holds the ingest.
    """

    __tablename__ = "stream_broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"), index=True)
    # The published session on the stage when it went live (None between sessions).
    session_guid: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    state: Mapped[str] = mapped_column(String(16), default=BroadcastState.starting.value)
    # Path under MEDIA_DIR of this broadcast's HLS output (master.m3u8 inside).
    media_path: Mapped[str] = mapped_column(String(300))
    # The WHIP resource id (the DELETE URL's last part); secret enough to act as a handle.
    resource_id: Mapped[str] = mapped_column(String(64), unique=True)
    stream_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("stream_keys.id", ondelete="SET NULL"), nullable=True
    )
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recordings.id", ondelete="SET NULL"), nullable=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Refreshed by the process holding the ingest; a stale heartbeat means that process died.
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecordingSource(StrEnum):
    live = "live"
    upload = "upload"


class RecordingStatus(StrEnum):
    recording = "recording"  # a live broadcast still writing it
    processing = "processing"  # an upload being transcoded
    ready = "ready"
    failed = "failed"


class Recording(Base):
    """A watchable video: the recording of a broadcast or a transcoded upload.

    Attendees see it only when ``published``; organizers hide or publish each one.
    """

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Which published session (and talk, for a pre-recorded talk) it belongs to.
    session_guid: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    talk_guid: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    # What else it belongs to, when not the program's ("poster:17", a poster's narration:
    # conference.extensions.owner_key); the owning domain's hook decides who manages and
    # who watches it.
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("stages.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    # May attendees download an MP4 of it?
    allow_download: Mapped[bool] = mapped_column(Boolean, default=False)
    # Path under MEDIA_DIR holding master.m3u8, the renditions, recording.mp4, poster.jpg.
    media_path: Mapped[str] = mapped_column(String(300))
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    has_mp4: Mapped[bool] = mapped_column(Boolean, default=False)
    has_thumbnail: Mapped[bool] = mapped_column(Boolean, default=False)
    # A pre-recorded talk shown as live ("premiere") from this instant.
    premiere_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    captions: Mapped[list[Caption]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="Caption.id"
    )


def premiere_window(recording: Recording) -> tuple[datetime, datetime] | None:
    """When ``recording`` premieres, from start to end; None if it has no premiere (yet):
    no premiere time, not ready, or no known length."""
    if (
        recording.premiere_at is None
        or recording.status != RecordingStatus.ready.value
        or not recording.duration_seconds
    ):
        return None
    start = recording.premiere_at
    return start, start + timedelta(seconds=recording.duration_seconds)


def premiere_is_on(recording: Recording, now: datetime) -> bool:
    """Whether ``recording``'s premiere is playing at ``now`` (from its start to its end):
    the one answer for the stage's status, the stages page, a session's page and the
    premiere playlists."""
    window = premiere_window(recording)
    return window is not None and window[0] <= now < window[1]


class Caption(Base):
    """A WebVTT track of a recording (``captions/<language>.vtt`` under its media path)."""

    __tablename__ = "recording_captions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
