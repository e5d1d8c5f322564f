"""The reads behind the console pages that the program's services do not offer.

The page modules parse the form or address, call these (or the program's services) and
render; no page route builds a query of its own.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time as clock
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.accounts.models import User
from conference.errors import NotFound
from conference.program.models import (
    Meeting,
    Person,
    ProgramSession,
    SessionChair,
    Stage,
    Talk,
    TalkSpeaker,
    Track,
)


async def program_counts(db: AsyncSession, *, meeting: Meeting) -> dict[str, int]:
    """How many sessions, talks, stages, tracks and people the draft holds."""
    in_meeting = ProgramSession.meeting_id == meeting.id
    counts = {
        "sessions": select(func.count()).select_from(ProgramSession).where(in_meeting),
        "talks": select(func.count(Talk.id)).join(ProgramSession).where(in_meeting),
        "stages": select(func.count()).select_from(Stage).where(Stage.meeting_id == meeting.id),
        "tracks": select(func.count()).select_from(Track).where(Track.meeting_id == meeting.id),
        "people": select(func.count()).select_from(Person),
    }
    return {name: await db.scalar(query) or 0 for name, query in counts.items()}


async def sessions_per(
    db: AsyncSession, *, meeting: Meeting, kind: Literal["stage", "track"]
) -> dict[int, int]:
    """How many draft sessions each stage (or track) has, by its id; none is left out."""
    column = ProgramSession.stage_id if kind == "stage" else ProgramSession.track_id
    rows = await db.execute(
        select(column, func.count())
        .where(ProgramSession.meeting_id == meeting.id, column.is_not(None))
        .group_by(column)
    )
    return {item_id: count for item_id, count in rows if item_id is not None}


async def get_person(db: AsyncSession, *, person_id: int) -> Person:
    """A person of the program; 404 if there is none with this id."""
    person = await db.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id}.")
    return person


async def account_email(db: AsyncSession, *, person: Person) -> str:
    """The email of the account linked to ``person``, or "" when none is."""
    account = await db.get(User, person.user_id) if person.user_id else None
    return account.email if account else ""


async def person_parts(db: AsyncSession, *, person: Person) -> tuple[int, int]:
    """How many sessions ``person`` chairs and in how many talks they speak."""
    chairs = await db.scalar(
        select(func.count()).select_from(SessionChair).where(SessionChair.person_id == person.id)
    )
    talks = await db.scalar(
        select(func.count()).select_from(TalkSpeaker).where(TalkSpeaker.person_id == person.id)
    )
    return chairs or 0, talks or 0


async def get_talk(db: AsyncSession, *, meeting: Meeting, talk_id: int) -> Talk:
    """The talk with its speakers; 404 if it is not in ``meeting``'s draft."""
    talk = await db.scalar(
        select(Talk)
        .join(ProgramSession)
        .where(Talk.id == talk_id, ProgramSession.meeting_id == meeting.id)
        .options(selectinload(Talk.speakers).selectinload(TalkSpeaker.person))
    )
    if talk is None:
        raise NotFound(f"No talk with id {talk_id}.")
    return talk


async def filtered_sessions(
    db: AsyncSession,
    *,
    meeting: Meeting,
    day: date | None = None,
    stage_id: int | Literal["none"] | None = None,
    track_id: int | None = None,
    title: str = "",
) -> Sequence[ProgramSession]:
    """The draft's sessions by start (no talks or chairs loaded): those starting on ``day``
    (in the meeting's zone), on stage ``stage_id`` (``"none"``: on no stage), in track
    ``track_id``, with ``title`` in their title (any case)."""
    statement = select(ProgramSession).where(ProgramSession.meeting_id == meeting.id)
    if day is not None:
        zone = ZoneInfo(meeting.time_zone)
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        statement = statement.where(
            ProgramSession.starts_at >= start, ProgramSession.starts_at < end
        )
    if stage_id == "none":
        statement = statement.where(ProgramSession.stage_id.is_(None))
    elif stage_id is not None:
        statement = statement.where(ProgramSession.stage_id == stage_id)
    if track_id is not None:
        statement = statement.where(ProgramSession.track_id == track_id)
    if title:
        statement = statement.where(ProgramSession.title.icontains(title, autoescape=True))
    found = await db.scalars(statement.order_by(ProgramSession.starts_at, ProgramSession.id))
    return found.all()


# Import previews ---------------------------------------------------------------------

IMPORT_SUFFIXES = (".json", ".csv")
# A previewed file waits this long for its "Apply".
KEEP_SECONDS = 6 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _stage(directory: Path, user_id: int, suffix: str, content: bytes) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        if old.stat().st_mtime < clock.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (directory / f"{user_id}-{token}{suffix}").write_bytes(content)
    return token


async def stage_import(directory: Path, *, user: User, suffix: str, content: bytes) -> str:
    """Keep a previewed file in ``directory`` for its "Apply"; the random token that names
    it (with the organizer's id). Files older than a few hours are dropped meanwhile."""
    return await asyncio.to_thread(_stage, directory, user.id, suffix, content)


def _staged(directory: Path, user_id: int, token: str) -> tuple[Path, bytes] | None:
    if not _TOKEN.match(token):
        return None
    for suffix in IMPORT_SUFFIXES:
        path = directory / f"{user_id}-{token}{suffix}"
        if path.is_file():
            return path, path.read_bytes()
    return None


async def staged_import(directory: Path, *, user: User, token: str) -> tuple[Path, bytes] | None:
    """The file ``user`` previewed under ``token`` and its content; None if it has gone
    (expired, applied) or the token is not one of ours."""
    return await asyncio.to_thread(_staged, directory, user.id, token)


async def drop_staged(path: Path) -> None:
    """Remove a previewed file once it is imported."""
    await asyncio.to_thread(path.unlink, missing_ok=True)
