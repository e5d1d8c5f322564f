"""Announcements: create, end, list, and publish scheduled ones exactly once.

An announcement is sent (a durable ``announcement`` event on ``meeting``) when its start
arrives. The event log itself is the claim: an announcement is due when no ``announcement``
event names it yet, and the claim re-checks that holding the write lock on the
announcement's row (:func:`lock_row`), so of several app processes running
:class:`Scheduler` exactly one records it, on PostgreSQL and SQLite alike. Ending works
the same way with ``announcement.ended``, whether an organizer ends it early or its end
time passes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, model_validator
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import Conflict, NotFound
from conference.limits import NoControlCharacters
from conference.realtime import events
from conference.realtime.durable import commit_and_publish
from conference.realtime.models import Announcement, ChannelEvent
from conference.realtime.polls_service import lock_row
from conference.realtime.schemas import AnnouncementEnded, AnnouncementEvent, AnnouncementView

if TYPE_CHECKING:
    from conference.context import AppContext

logger = logging.getLogger(__name__)

CHANNEL = "meeting"
SENT = "announcement"
ENDED = "announcement.ended"
SCHEDULER_SECONDS = 1.0
# Natural ends are announced only for announcements that ended this recently: a process
# that was down for a day does not replay yesterday's ends.
ENDED_LOOKBACK = timedelta(hours=1)


class AnnouncementIn(BaseModel):
    """``POST /api/v1/announcements``: times must carry their zone (naive ones are a 422)."""

    model_config = ConfigDict(extra="forbid")

    message: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
        NoControlCharacters,
    ]
    level: Literal["info", "important"] = "info"
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        start = self.starts_at or utcnow()
        if self.ends_at <= max(start, utcnow()):
            raise ValueError("ends_at must be after starts_at (and after now).")
        return self


def status(item: Announcement, now: datetime) -> str:
    """``scheduled``, ``active`` or ``ended`` at ``now``."""
    if item.cancelled or item.ends_at <= now:
        return "ended"
    return "active" if item.starts_at <= now else "scheduled"


def statuses(items: Iterable[Announcement]) -> list[tuple[Announcement, str]]:
    """Each item with where it stands now."""
    now = utcnow()
    return [(item, status(item, now)) for item in items]


def views(items: Iterable[Announcement], now: datetime | None = None) -> list[AnnouncementView]:
    """:func:`view` of each item, all at one instant (the present unless given)."""
    now = now or utcnow()
    return [view(item, now) for item in items]


def view(item: Announcement, now: datetime | None = None) -> AnnouncementView:
    """The API's shape: the event's data plus the start and where it stands (now, unless
    ``now`` is given)."""
    return AnnouncementView(
        **dict(announcement_event(item)),
        starts_at=item.starts_at,
        status=status(item, now or utcnow()),
    )


def announcement_event(item: Announcement) -> AnnouncementEvent:
    """The ``announcement`` event's data."""
    return AnnouncementEvent(
        announcement_id=item.id,
        message=item.message,
        level=item.level,
        ends_at=item.ends_at,
    )


def wire(item: Announcement) -> dict[str, Any]:
    """The ``announcement`` event's data as JSON values (what pages embed)."""
    return announcement_event(item).wire()


def _event_for(announcement_id: Any, type: str) -> ColumnElement[bool]:
    """An ``exists`` clause: the meeting log holds a ``type`` event naming the announcement."""
    return exists().where(
        ChannelEvent.channel == CHANNEL,
        ChannelEvent.type == type,
        ChannelEvent.data["announcement_id"].as_integer() == announcement_id,
    )


async def create(
    db: AsyncSession, *, user: User, data: AnnouncementIn
) -> tuple[Announcement, ChannelEvent | None]:
    """Store the announcement; if it starts now, record its event in the same transaction
    (so no scheduler can ever see it unsent). The caller commits, then publishes."""
    now = utcnow()
    item = Announcement(
        message=data.message,
        level=data.level,
        starts_at=data.starts_at or now,
        ends_at=data.ends_at,
        created_by_id=user.id,
    )
    db.add(item)
    await db.flush()
    event = None
    if item.starts_at <= now:
        event = await events.record(db, channel=CHANNEL, type=SENT, data=announcement_event(item))
    return item, event


async def end(db: AsyncSession, announcement_id: int) -> tuple[Announcement, ChannelEvent | None]:
    """End an announcement now (cancel it if it has not started). The caller commits."""
    await lock_row(db, Announcement, announcement_id)
    item = await db.scalar(select(Announcement).where(Announcement.id == announcement_id))
    if item is None:
        raise NotFound("There is no such announcement.")
    now = utcnow()
    if item.cancelled or item.ends_at <= now:
        raise Conflict("The announcement has already ended.")
    item.cancelled = True
    if item.starts_at <= now:
        item.ends_at = now
    event = None
    # Tell the clients only what they were told of; the row lock orders this after (or
    # before) a scheduler's claim, so the check is exact.
    if await db.scalar(select(_event_for(item.id, SENT))) and not await db.scalar(
        select(_event_for(item.id, ENDED))
    ):
        event = await events.record(
            db, channel=CHANNEL, type=ENDED, data=AnnouncementEnded(announcement_id=item.id)
        )
    await db.flush()
    return item, event


async def all_announcements(db: AsyncSession) -> list[Announcement]:
    """Every announcement, newest start first."""
    query = select(Announcement).order_by(Announcement.starts_at.desc(), Announcement.id.desc())
    return list((await db.scalars(query)).all())


async def active_views(db: AsyncSession) -> list[AnnouncementView]:
    """:func:`view` of those showing now."""
    now = utcnow()
    return views(await active(db, now), now)


async def active(db: AsyncSession, now: datetime | None = None) -> list[Announcement]:
    """Those showing now, oldest first."""
    now = now or utcnow()
    query = (
        select(Announcement)
        .where(
            Announcement.starts_at <= now,
            Announcement.ends_at > now,
            Announcement.cancelled.is_(False),
        )
        .order_by(Announcement.starts_at, Announcement.id)
    )
    return list((await db.scalars(query)).all())


async def _claim(ctx: AppContext, announcement_id: int, type: str) -> bool:
    """Record and publish ``type`` for the announcement unless some process already has."""
    async with ctx.db.session() as db:
        await lock_row(db, Announcement, announcement_id)
        item = await db.scalar(select(Announcement).where(Announcement.id == announcement_id))
        if item is None or await db.scalar(select(_event_for(item.id, type))):
            return False
        data = (
            announcement_event(item) if type == SENT else AnnouncementEnded(announcement_id=item.id)
        )
        event = await events.record(db, channel=CHANNEL, type=type, data=data)
        await commit_and_publish(db, ctx.realtime.hub, [event])
    return True


async def publish_due(ctx: AppContext) -> list[int]:
    """Send the announcements whose start has come and announce the ends that passed;
    the ids of the announcements this process sent or ended."""
    now = utcnow()
    async with ctx.db.session() as db:
        starting = await db.scalars(
            select(Announcement.id).where(
                Announcement.starts_at <= now,
                Announcement.ends_at > now,
                Announcement.cancelled.is_(False),
                ~_event_for(Announcement.id, SENT),
            )
        )
        due = [(i, SENT) for i in starting]
        ending = await db.scalars(
            select(Announcement.id).where(
                Announcement.ends_at <= now,
                Announcement.ends_at > now - ENDED_LOOKBACK,
                _event_for(Announcement.id, SENT),
                ~_event_for(Announcement.id, ENDED),
            )
        )
        due += [(i, ENDED) for i in ending]
    done = []
    for announcement_id, type in due:
        try:
            claimed = await _claim(ctx, announcement_id, type)
        except OperationalError:
            # A lock wait that gave up (a stuck writer): the next round tries again.
            logger.info("announcement %s: claim lost a race", announcement_id)
            continue
        if claimed:
            done.append(announcement_id)
    return done


@dataclass
class Board:
    """This process's copy of the active announcements, for pages (rendering is sync).

    Refreshed every second by the :class:`Scheduler`, and at once when this process
    creates or ends one; each read drops what has ended since.
    """

    items: list[Announcement] = field(default_factory=list)

    def banners(self, now: datetime | None = None) -> list[dict[str, Any]]:
        now = now or utcnow()
        return [
            {**wire(item), "ends_at": item.ends_at}
            for item in self.items
            if item.starts_at <= now < item.ends_at and not item.cancelled
        ]

    async def refresh(self, db: AsyncSession) -> None:
        self.items = await active(db)


class Scheduler:
    """Once a second: publish what is due and refresh the board (one per app process).

    A part of the app's realtime registry (:func:`scheduler`): made when the feature
    registers, started and closed by the app's lifespan. It owns the app's :class:`Board`.
    """

    def __init__(self) -> None:
        self.board = Board()
        self._ctx: AppContext | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, ctx: AppContext) -> None:
        self._ctx = ctx
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(ctx), name="announcement-scheduler")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._ctx = None

    async def run_once(self) -> list[int]:
        """One round (what the task does each second); the ids sent or ended."""
        if self._ctx is None:
            raise RuntimeError("the announcement scheduler is not running")
        return await self._round(self._ctx)

    async def _round(self, ctx: AppContext) -> list[int]:
        done = await publish_due(ctx)
        async with ctx.db.session() as db:
            await self.board.refresh(db)
        return done

    async def _run(self, ctx: AppContext) -> None:
        while True:
            try:
                await self._round(ctx)
            except Exception:  # a database hiccup must not stop later announcements
                logger.warning("announcement scheduler failed", exc_info=True)
            await asyncio.sleep(SCHEDULER_SECONDS)


def scheduler(ctx: AppContext) -> Scheduler:
    """The app's scheduler."""
    return ctx.realtime.part(Scheduler)


def board(ctx: AppContext) -> Board:
    """The app's board of active announcements."""
    return scheduler(ctx).board
