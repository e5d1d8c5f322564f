"""Live author slots: when a poster's presenter will be at their poster.

A presenter sets their poster's slots any time before each slot starts (the poster edit
deadline does not apply: slots are about presence, not content); organizers set and remove
any slot at any time. A slot lasts :data:`MIN_LENGTH` to :data:`MAX_LENGTH`, a poster has
at most :data:`MAX_SLOTS`, a poster's slots never overlap, and each lies within the
meeting's days (in the meeting's zone) stretched to today and tomorrow, as the program's
bounds are stretched to today (``conference.program.bounds``) so a rehearsal can happen
around now. Instants are stored in UTC; pages show them in the viewer's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.errors import Forbidden, InvalidInput, NotFound
from conference.program.bounds import representable
from conference.program.models import Meeting
from conference.timezones import span
from posters.models import Poster, PosterSlot
from posters.service import is_organizer, is_presenter, visible_poster

MIN_LENGTH = timedelta(minutes=10)
MAX_LENGTH = timedelta(hours=2)
MAX_SLOTS = 10
# "Start now": a presenter typing the current time is a minute late by the time they send it.
GRACE = timedelta(minutes=15)


class SlotIn(BaseModel):
    """A slot to add: instants with their UTC offset (naive times are refused)."""

    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime
    ends_at: AwareDatetime


class SlotOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    # The span in the viewer's zone, e.g. "Mon 18 Oct 2021, 17:00–17:30 JST".
    when: str
    live: bool


class SlotsOut(BaseModel):
    # The zone ``when`` is written in (the viewer's own, else the meeting's).
    zone: str
    slots: list[SlotOut]


@dataclass(frozen=True)
class SlotView:
    """A slot as pages show it to one viewer."""

    id: int
    starts_at: datetime
    ends_at: datetime
    when: str
    live: bool
    started: bool


def may_manage(poster: Poster, user: User | None) -> bool:
    """Organizers and the poster's presenter set its slots."""
    return is_organizer(user) or is_presenter(poster, user)


def window(meeting: Meeting, now: datetime) -> tuple[datetime, datetime]:
    """When slots may take place (UTC): the meeting's days in its zone, stretched to cover
    today and tomorrow."""
    zone = ZoneInfo(meeting.time_zone)
    today = now.astimezone(zone).date()
    first = datetime.combine(min(meeting.starts_on, today), time(0), zone)
    last = datetime.combine(max(meeting.ends_on, today + timedelta(days=1)), time(0), zone)
    return first.astimezone(UTC), (last + timedelta(days=1)).astimezone(UTC)


def check_times(meeting: Meeting, starts: datetime, ends: datetime, *, now: datetime) -> None:
    """Refuse (422) a slot out of bounds: its length, the meeting's days, the past."""
    if not (representable(starts) and representable(ends)):
        raise InvalidInput("A slot must be near the meeting's dates.", field="starts_at")
    if ends <= starts:
        raise InvalidInput("A slot must end after it starts.", field="ends_at")
    if ends - starts < MIN_LENGTH:
        raise InvalidInput("A slot lasts at least 10 minutes.", field="ends_at")
    if ends - starts > MAX_LENGTH:
        raise InvalidInput("A slot lasts at most 2 hours.", field="ends_at")
    if starts < now - GRACE:
        raise InvalidInput("A slot cannot start in the past.", field="starts_at")
    earliest, latest = window(meeting, now)
    if starts < earliest or ends > latest:
        zone = ZoneInfo(meeting.time_zone)
        first = earliest.astimezone(zone).date()
        last = (latest - timedelta(seconds=1)).astimezone(zone).date()
        raise InvalidInput(
            f"A slot must take place during the meeting ({first} to {last}).",
            field="starts_at",
        )


async def poster_slots(db: AsyncSession, *, poster_id: int) -> list[PosterSlot]:
    """The poster's slots, earliest first."""
    found = await db.scalars(
        select(PosterSlot)
        .where(PosterSlot.poster_id == poster_id)
        .order_by(PosterSlot.starts_at, PosterSlot.id)
    )
    return list(found)


async def managed_poster(
    db: AsyncSession, *, meeting_id: int, poster_id: int, actor: User
) -> Poster:
    """The poster if ``actor`` sets its slots: NotFound if they may not see it, Forbidden
    if they see it but are neither its presenter nor an organizer."""
    poster = await visible_poster(db, meeting_id=meeting_id, poster_id=poster_id, viewer=actor)
    if not may_manage(poster, actor):
        raise Forbidden("Only the poster's presenter and organizers set its slots.")
    return poster


async def add_slot(
    db: AsyncSession, *, meeting: Meeting, poster: Poster, data: SlotIn, now: datetime
) -> PosterSlot:
    """A new slot for a poster the caller manages (see :func:`managed_poster`)."""
    if not (representable(data.starts_at) and representable(data.ends_at)):
        # Before converting: year 9999 with a negative offset overflows on the way to UTC.
        raise InvalidInput("A slot must be near the meeting's dates.", field="starts_at")
    starts, ends = data.starts_at.astimezone(UTC), data.ends_at.astimezone(UTC)
    check_times(meeting, starts, ends, now=now)
    count = await db.scalar(
        select(func.count()).select_from(PosterSlot).where(PosterSlot.poster_id == poster.id)
    )
    if (count or 0) >= MAX_SLOTS:
        raise InvalidInput(f"A poster has at most {MAX_SLOTS} slots.", field="starts_at")
    clash = await db.scalar(
        select(PosterSlot.id).where(
            PosterSlot.poster_id == poster.id,
            PosterSlot.starts_at < ends,
            PosterSlot.ends_at > starts,
        )
    )
    if clash is not None:
        raise InvalidInput("This slot overlaps another slot of the poster.", field="starts_at")
    slot = PosterSlot(poster_id=poster.id, starts_at=starts, ends_at=ends)
    db.add(slot)
    poster.active_at = now
    await db.flush()
    return slot


async def remove_slot(
    db: AsyncSession, *, poster: Poster, slot_id: int, actor: User, now: datetime
) -> None:
    """Remove a slot: organizers any, the presenter only one that has not started."""
    slot = await db.scalar(
        select(PosterSlot).where(PosterSlot.id == slot_id, PosterSlot.poster_id == poster.id)
    )
    if slot is None:
        raise NotFound("This poster has no such slot.")
    if not is_organizer(actor) and slot.starts_at <= now:
        raise Forbidden("A slot that has started stays; an organizer can remove it.")
    await db.delete(slot)
    await db.flush()


async def current_slot(db: AsyncSession, *, poster_id: int, now: datetime) -> PosterSlot | None:
    """The poster's slot going on at ``now``, if any (slots never overlap)."""
    slot: PosterSlot | None = await db.scalar(
        select(PosterSlot).where(
            PosterSlot.poster_id == poster_id,
            PosterSlot.starts_at <= now,
            PosterSlot.ends_at > now,
        )
    )
    return slot


def live_slot(slots: list[PosterSlot], now: datetime) -> PosterSlot | None:
    """The slot going on at ``now``, if any."""
    return next((s for s in slots if s.starts_at <= now < s.ends_at), None)


def slot_view(slot: PosterSlot, *, zone: str, now: datetime) -> SlotView:
    return SlotView(
        id=slot.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        when=span(slot.starts_at, slot.ends_at, zone),
        live=slot.starts_at <= now < slot.ends_at,
        started=slot.starts_at <= now,
    )


def slot_out(slot: PosterSlot, *, zone: str, now: datetime) -> SlotOut:
    view = slot_view(slot, zone=zone, now=now)
    return SlotOut(
        id=view.id, starts_at=view.starts_at, ends_at=view.ends_at, when=view.when, live=view.live
    )


def parse_local(text: str, zone: str, *, field: str) -> datetime:
    """A ``datetime-local`` form value (``2021-10-18T17:00``) read in ``zone``, as UTC;
    InvalidInput for a malformed value or a wall-clock time the zone skips (a DST gap)."""
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("Enter a date and time (YYYY-MM-DDTHH:MM).", field=field) from None
    if naive.tzinfo is not None:
        raise InvalidInput("Enter a local date and time, without an offset.", field=field)
    if not representable(naive.replace(tzinfo=UTC)):
        raise InvalidInput("A slot must be near the meeting's dates.", field=field)
    moment = naive.replace(tzinfo=ZoneInfo(zone))
    # A time in a DST gap does not survive the round trip through UTC.
    if moment.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None) != naive:
        raise InvalidInput(f"{naive:%H:%M} does not exist on that day in {zone}.", field=field)
    return moment.astimezone(UTC)
