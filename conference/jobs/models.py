"""The jobs table: one row per piece of background work, whatever its kind."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import JSON, Float, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from conference.db.base import Base
from conference.db.types import UTCDateTime, utcnow

MAX_KIND = 40
MAX_SUBJECT = 100


class JobPriority(IntEnum):
    """Which queued job a worker takes first: the highest priority, then the oldest.

    Work someone is waiting for (a speaker's upload, a presenter's PDF) is ``normal``;
    work queued by the hundred (a bulk import, the demo's posters) is ``bulk``, so one
    organizer's import of 600 PDFs never keeps a speaker's talk waiting for an hour."""

    bulk = -10
    normal = 0


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(Base):
    """Work a worker runs in a child process: a transcode, poster tiles, a certificate...

    A worker claims a queued job by an atomic update and refreshes ``heartbeat_at`` while it
    runs; a running job whose heartbeat is stale was orphaned by a crash and is queued again
    (up to ``max_attempts``). ``payload`` is the kind's own input; ``subject`` names what the
    job is about (``recording:12``) so its domain can find its jobs without reading JSON.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(MAX_KIND))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT), default="", index=True)
    state: Mapped[str] = mapped_column(String(16), default=JobState.queued.value, index=True)
    priority: Mapped[int] = mapped_column(
        Integer, default=JobPriority.normal.value, server_default=text("0")
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    # Percent, as the child last reported it.
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    # Who holds (or last held) it: host:pid:random of the worker.
    worker: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
