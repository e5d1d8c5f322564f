"""Commit, then publish: the one way a durable event reaches the hub.

A durable event is stored with the change it describes (:func:`events.record`, in the
caller's transaction) and published only once that transaction has committed, so a
client that replays with ``since`` can never miss an event another client saw live, and
an event whose change was rolled back is never seen at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from conference.realtime import events
from conference.realtime.hub import Hub
from conference.realtime.models import ChannelEvent

logger = logging.getLogger(__name__)


async def commit_and_publish(db: AsyncSession, hub: Hub, stored: Iterable[ChannelEvent]) -> None:
    """Commit the caller's transaction, then publish the events it recorded.

    A failed commit raises before anything is published.
    """
    await db.commit()
    await publish_committed(hub, stored)


async def publish_committed(hub: Hub, stored: Iterable[ChannelEvent]) -> None:
    """Publish events whose transaction has committed, in id order.

    The change is done once committed, so a hub failure here is logged, not raised: the
    action succeeded, and clients get the events when they next subscribe with
    ``since``. Publishing stops at the first failure: a client that saw a later event
    live would resume after it and never be sent the one that failed.
    """
    ordered = sorted(stored, key=lambda e: e.id)
    for position, event in enumerate(ordered):
        try:
            await hub.publish(event.channel, events.frame(event), event_id=event.id)
        except Exception:
            logger.warning(
                "event %s (%s on %s) and the %d after it are stored but were not published; "
                "clients get them when they subscribe with since",
                event.id,
                event.type,
                event.channel,
                len(ordered) - position - 1,
                exc_info=True,
            )
            return
