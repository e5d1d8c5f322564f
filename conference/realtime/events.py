"""The durable event log: write an event with its row, read back what a client missed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.realtime.models import ChannelEvent
from conference.realtime.protocol import encode

# Events replayed for one subscribe; past this the client is told where to continue.
REPLAY_PAGE = 500


async def record(
    db: AsyncSession, *, channel: str, type: str, data: dict[str, Any]
) -> ChannelEvent:
    """Add a durable event to the caller's transaction (flushed, so its id is known).

    The caller commits, then publishes the event through the hub: stored first, so a
    client replaying with ``since`` can never miss an event another client saw.
    """
    event = ChannelEvent(channel=channel, type=type, data=data)
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


def frame(event: ChannelEvent) -> str:
    return encode(event.type, channel=event.channel, id=event.id, data=event.data)
