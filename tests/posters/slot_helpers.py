"""Slots put straight into the database, for tests about showing them (not their rules):
at fixed instants of the 2021 meeting, or around now (a live slot)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conference.context import AppContext
from conference.db.types import utcnow
from posters.models import PosterSlot

# Tue 19 Oct 2021, 17:00 in London (BST), which is Wed 20 Oct 01:00 in Tokyo.
EVENING = datetime(2021, 10, 19, 16, 0, tzinfo=UTC)


async def put_slot(ctx: AppContext, poster_id: int, starts: datetime, ends: datetime) -> int:
    """A slot of poster ``poster_id``, written as is; its id."""
    async with ctx.db.session() as db:
        slot = PosterSlot(poster_id=poster_id, starts_at=starts, ends_at=ends)
        db.add(slot)
        await db.commit()
        return slot.id


async def put_live_slot(ctx: AppContext, poster_id: int) -> int:
    """A slot that started five minutes ago and lasts an hour; its id."""
    now = utcnow()
    return await put_slot(ctx, poster_id, now - timedelta(minutes=5), now + timedelta(minutes=55))
