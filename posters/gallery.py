"""Reading the gallery: which posters an attendee browses."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from posters.models import Poster, PosterState


async def published_posters(db: AsyncSession, *, meeting_id: int) -> list[Poster]:
    """The meeting's published posters with their authors, by board number."""
    rows = await db.scalars(
        select(Poster)
        .where(Poster.meeting_id == meeting_id, Poster.state == PosterState.published)
        .order_by(Poster.board_order, Poster.board)
        .options(selectinload(Poster.authors))
    )
    return list(rows)
