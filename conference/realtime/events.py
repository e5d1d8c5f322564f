"""The durable event log: write an event with its row, read back what a client missed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from conference.realtime.models import ChannelEvent
from conference.realtime.protocol import encode
from conference.realtime.schemas import Payload

# Events replayed for one subscribe; past this the client is told where to continue.
REPLAY_PAGE = 500


async def record(db: AsyncSession, *, channel: str, type: str, data: Payload) -> ChannelEvent:
    """Add a durable event to the caller's transaction (flushed, so its id is known).

    The caller commits, then publishes the event through the hub
    (:func:`conference.realtime.durable.commit_and_publish`): stored first, so a client
    replaying with ``since`` can never miss an event another client saw.
    """
    if db.get_bind().dialect.name == "postgresql":
        # Ids come from one sequence, but transactions may commit out of order: event 2
        # could be published before event 1 commits, and a client replaying since=2 would
        # never see 1. Writers of one channel family take turns (the lock lasts until
        # commit), so ids commit in order. A session and its moderation channel share one
        # lock, so a transaction writing both cannot deadlock with another.
        await db.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": _lock_key(channel)}
        )
    event = ChannelEvent(channel=channel, type=type, data=data.wire())
    db.add(event)
    await db.flush()
    return event


async def missed(db: AsyncSession, *, channel: str, since: int) -> Sequence[ChannelEvent]:
    """The channel's events after ``since``, oldest first, at most :data:`REPLAY_PAGE`."""
    return (
        await db.scalars(
            select(ChannelEvent)
            .where(ChannelEvent.channel == channel, ChannelEvent.id > since)
            .order_by(ChannelEvent.id)
            .limit(REPLAY_PAGE)
        )
    ).all()


async def last_id(db: AsyncSession, *, channel: str) -> int:
    """The newest event id of the channel, 0 if it has none."""
    return (
        await db.scalar(
            select(func.coalesce(func.max(ChannelEvent.id), 0)).where(
                ChannelEvent.channel == channel
            )
        )
        or 0
    )


def _lock_key(channel: str) -> str:
    kind, _, argument = channel.partition(":")
    return f"session:{argument}" if kind in ("session", "moderation") else channel


def frame(event: ChannelEvent) -> str:
    """The event's envelope, as every subscriber and every replay gets it."""
    return encode(event.type, channel=event.channel, id=event.id, data=event.data)
