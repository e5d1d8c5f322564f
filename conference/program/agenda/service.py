"""The personal agenda: starred sessions, their overlaps, and the secret calendar feed.

Stars are keyed by session GUID, so they survive republishing; a starred session that a
later version cancelled is reported as gone (with its last known title and time) rather
than silently dropped. The feed address is an HMAC of (user, generation) under the app's
secret: nothing secret is stored, and bumping the generation revokes every old address.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.errors import NotFound
from conference.limits import MAX_ID
from conference.program.documents import PlacedDoc
from conference.program.models import AgendaFeed, AgendaStar, ProgramVersion
from conference.program.published.program import PublishedProgram, SessionView

# Bound on what a feed token may be before it is even parsed (user id, dash, 32 hex).
_MAX_TOKEN_LENGTH = 64
_FEED_CONTEXT = b"conference.agenda-feed:"
# ASCII only: ``isdigit``/``int`` accept other scripts' digits (``isdigit`` even "²", which
# ``int`` refuses) and ``compare_digest`` raises on non-ASCII text. The id stays within
# the database's integer column.
_FEED_TOKEN = re.compile(r"(?P<user>[1-9][0-9]{0,9})-(?P<mac>[0-9a-f]{32})")


# Stars -------------------------------------------------------------------------------


async def starred(db: AsyncSession, *, user_id: int) -> dict[str, datetime]:
    """The GUIDs the user starred, with when (one query)."""
    rows = await db.execute(
        select(AgendaStar.session_guid, AgendaStar.starred_at).where(AgendaStar.user_id == user_id)
    )
    return {guid: at for guid, at in rows}  # noqa: C416 (a Result has keys(): not a mapping)


async def star(
    db: AsyncSession, *, user_id: int, program: PublishedProgram | None, session_guid: str
) -> bool:
    """Star a published session; True if newly starred, False if it already was.

    Only sessions of the published program can be starred (404 otherwise).
    """
    if program is None or session_guid not in program.by_guid:
        raise NotFound(f"No published session {session_guid[:80]}.")
    existing = await db.scalar(
        select(AgendaStar.id).where(
            AgendaStar.user_id == user_id, AgendaStar.session_guid == session_guid
        )
    )
    if existing is not None:
        return False
    db.add(AgendaStar(user_id=user_id, session_guid=session_guid))
    try:
        await db.commit()
    except IntegrityError:  # the same star from another tab at the same moment
        await db.rollback()
        return False
    return True


async def unstar(
    db: AsyncSession, *, user_id: int, program: PublishedProgram | None, session_guid: str
) -> bool:
    """Remove a star; True if one was removed.

    Idempotent for published sessions. A GUID that is neither published nor starred is
    unknown (404); a star on a since-cancelled session can still be removed.
    """
    result = await db.execute(
        delete(AgendaStar).where(
            AgendaStar.user_id == user_id, AgendaStar.session_guid == session_guid
        )
    )
    await db.commit()
    removed = bool(getattr(result, "rowcount", 0))
    if not removed and (program is None or session_guid not in program.by_guid):
        raise NotFound(f"No published session {session_guid[:80]}.")
    return removed


# The agenda --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaEntry:
    session: SessionView
    starred_at: datetime
    overlaps: tuple[SessionView, ...]


@dataclass(frozen=True)
class GoneStar:
    """A starred session that is not in the published program any more."""

    guid: str
    title: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    cancelled_in: int | None


@dataclass(frozen=True)
class Agenda:
    entries: tuple[AgendaEntry, ...]
    gone: tuple[GoneStar, ...]

    @property
    def sessions(self) -> tuple[SessionView, ...]:
        """The starred sessions still in the program, in time order."""
        return tuple(entry.session for entry in self.entries)

    @property
    def overlap_pairs(self) -> list[tuple[SessionView, SessionView]]:
        """Each pair of overlapping starred sessions once, in the agenda's order."""
        order = {entry.session.guid: index for index, entry in enumerate(self.entries)}
        return [
            (entry.session, other)
            for entry in self.entries
            for other in entry.overlaps
            if order[other.guid] > order[entry.session.guid]
        ]


def overlaps(sessions: list[SessionView]) -> dict[str, list[SessionView]]:
    """For each session, the others in ``sessions`` that overlap it (a sorted sweep)."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.guid))
    found: dict[str, list[SessionView]] = {s.guid: [] for s in ordered}
    for i, session in enumerate(ordered):
        for other in ordered[i + 1 :]:
            if other.starts_at >= session.ends_at:
                break
            if session.overlaps(other):
                found[session.guid].append(other)
                found[other.guid].append(session)
    return found


async def build_agenda(
    db: AsyncSession,
    *,
    program: PublishedProgram | None,
    stars: dict[str, datetime],
    meeting_id: int,
) -> Agenda:
    """The user's starred sessions in time order, each with the starred ones it overlaps.

    Reads the changelogs (one query) only when some starred session has gone.
    """
    published = program.by_guid if program else {}
    sessions = [published[guid] for guid in stars if guid in published]
    clashes = overlaps(sessions)
    entries = tuple(
        AgendaEntry(session=s, starred_at=stars[s.guid], overlaps=tuple(clashes[s.guid]))
        for s in sorted(sessions, key=lambda s: (s.starts_at, s.title))
    )
    missing = [guid for guid in stars if guid not in published]
    gone: list[GoneStar] = []
    if missing:
        cancelled = await _cancellations(db, meeting_id=meeting_id, guids=set(missing))
        for guid in sorted(missing, key=lambda g: stars[g]):
            found = cancelled.get(guid)
            if found is None:
                gone.append(GoneStar(guid, None, None, None, None))
                continue
            number, item = found
            gone.append(
                GoneStar(
                    guid=guid,
                    title=item["title"],
                    starts_at=datetime.fromisoformat(item["starts_at"]),
                    ends_at=datetime.fromisoformat(item["ends_at"]),
                    cancelled_in=number,
                )
            )
    return Agenda(entries=entries, gone=tuple(gone))


async def _cancellations(
    db: AsyncSession, *, meeting_id: int, guids: set[str]
) -> dict[str, tuple[int, PlacedDoc]]:
    """For each of ``guids``, the newest version that cancelled it and its changelog entry."""
    rows = await db.execute(
        select(ProgramVersion.number, ProgramVersion.changelog)
        .where(ProgramVersion.meeting_id == meeting_id)
        .order_by(ProgramVersion.number.desc())
    )
    found: dict[str, tuple[int, PlacedDoc]] = {}
    for number, changelog in rows:
        for item in changelog["cancelled"]:
            guid = item["guid"]
            if guid in guids and guid not in found:
                found[guid] = (number, item)
    return found


# The calendar feed -------------------------------------------------------------------


def feed_token(secret: str, *, user_id: int, created_at: datetime, generation: int) -> str:
    """``<user id>-<32 hex>``: names the user, and proves the address came from us.

    The account's creation instant is in the MAC so that a new account given a deleted
    account's id (SQLite may reuse the highest row id) never inherits its old address.
    """
    message = _FEED_CONTEXT + (
        f"{user_id}:{created_at.astimezone(UTC).isoformat()}:{generation}".encode()
    )
    mac = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]
    return f"{user_id}-{mac}"


async def feed_generation(db: AsyncSession, *, user_id: int) -> int:
    """The current generation of the user's feed (1 until it is first reset)."""
    generation = await db.scalar(select(AgendaFeed.generation).where(AgendaFeed.user_id == user_id))
    return generation if generation is not None else 1


async def current_feed_token(db: AsyncSession, *, secret: str, user: User) -> str:
    """The secret part of ``user``'s current feed address."""
    generation = await feed_generation(db, user_id=user.id)
    return feed_token(secret, user_id=user.id, created_at=user.created_at, generation=generation)


async def reset_feed(db: AsyncSession, *, user_id: int) -> None:
    """Revoke the user's feed address by moving to the next generation."""
    bump = (
        update(AgendaFeed)
        .where(AgendaFeed.user_id == user_id)
        .values(generation=AgendaFeed.generation + 1)
    )
    if getattr(await db.execute(bump), "rowcount", 0):
        await db.commit()
        return
    # Generation 1 was the implicit address; the first reset moves past it.
    db.add(AgendaFeed(user_id=user_id, generation=2))
    try:
        await db.commit()
    except IntegrityError:  # a reset from another tab created the row meanwhile
        await db.rollback()
        await db.execute(bump)
        await db.commit()


async def feed_owner(db: AsyncSession, *, secret: str, token: str) -> int | None:
    """The user id a feed token belongs to, or None if it is malformed, forged or revoked."""
    found = _FEED_TOKEN.fullmatch(token) if len(token) <= _MAX_TOKEN_LENGTH else None
    if found is None or int(found["user"]) > MAX_ID:
        return None
    user_id = int(found["user"])
    # One query: the account must still exist and be active, and its feed's generation.
    row = (
        await db.execute(
            select(User.is_active, User.created_at, AgendaFeed.generation)
            .outerjoin(AgendaFeed, AgendaFeed.user_id == User.id)
            .where(User.id == user_id)
        )
    ).first()
    if row is None or not row[0]:
        return None
    expected = feed_token(secret, user_id=user_id, created_at=row[1], generation=row[2] or 1)
    return user_id if hmac.compare_digest(expected.encode(), token.encode()) else None


async def export_user_agenda(db: AsyncSession, user: User) -> dict[str, Any]:
    """The user's agenda for "export my data" (the feed address itself is left out)."""
    stars = await starred(db, user_id=user.id)
    return {
        "starred_sessions": [
            {"session_guid": guid, "starred_at": at.isoformat()}
            for guid, at in sorted(stars.items(), key=lambda item: item[1])
        ],
        "calendar_feed_generation": await feed_generation(db, user_id=user.id),
    }
