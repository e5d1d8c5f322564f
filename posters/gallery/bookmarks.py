"""Bookmarks: posters an attendee keeps for later, listed in their agenda.

Only a published poster can be bookmarked (a draft or withdrawn one is a 404, as its page
is). Bookmarking twice or removing a missing bookmark changes nothing. A bookmark of a
poster later withdrawn stays in the table but is not shown until it is published again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.db.unique import add_unless_taken
from conference.errors import NotFound
from conference.realtime.models import ChannelEvent
from posters import service
from posters.models import Poster, PosterBookmark, PosterState


async def bookmark(db: AsyncSession, *, meeting_id: int, poster_id: int, user: User) -> Poster:
    """Bookmark a published poster for ``user`` (idempotent); NotFound otherwise."""
    poster = await service.visible_poster(
        db, meeting_id=meeting_id, poster_id=poster_id, viewer=user
    )
    if poster.state != PosterState.published:
        raise NotFound("There is no poster at this address.")
    exists = await db.scalar(
        select(PosterBookmark.id).where(
            PosterBookmark.user_id == user.id, PosterBookmark.poster_id == poster.id
        )
    )
    if exists is None:
        # Lost to the same user's other tab: it is bookmarked all the same.
        await add_unless_taken(db, PosterBookmark(user_id=user.id, poster_id=poster.id))
        poster.active_at = utcnow()
    await db.flush()
    return poster


async def unbookmark(db: AsyncSession, *, meeting_id: int, poster_id: int, user: User) -> None:
    """Remove ``user``'s bookmark of a poster of the meeting, if there is one."""
    await db.execute(
        delete(PosterBookmark).where(
            PosterBookmark.user_id == user.id,
            PosterBookmark.poster_id.in_(
                select(Poster.id).where(Poster.id == poster_id, Poster.meeting_id == meeting_id)
            ),
        )
    )


async def bookmarked_ids(
    db: AsyncSession, *, user: User | None, poster_ids: Iterable[int]
) -> set[int]:
    """Which of ``poster_ids`` ``user`` has bookmarked (one statement; none when signed out)."""
    ids = list(poster_ids)
    if user is None or not ids:
        return set()
    found = await db.scalars(
        select(PosterBookmark.poster_id).where(
            PosterBookmark.user_id == user.id, PosterBookmark.poster_id.in_(ids)
        )
    )
    return set(found)


async def bookmarked_posters(db: AsyncSession, *, meeting_id: int, user: User) -> list[Poster]:
    """``user``'s bookmarked published posters with their authors, by board number."""
    found = await db.scalars(
        select(Poster)
        .join(PosterBookmark, PosterBookmark.poster_id == Poster.id)
        .where(
            PosterBookmark.user_id == user.id,
            Poster.meeting_id == meeting_id,
            Poster.state == PosterState.published,
        )
        .order_by(Poster.board_order, Poster.board, Poster.id)
        .options(selectinload(Poster.authors))
    )
    return list(found)


async def export_user(db: AsyncSession, user: User) -> list[dict[str, Any]]:
    """``user``'s bookmarks for "export my data" (withdrawn posters' included)."""
    rows = await db.execute(
        select(Poster.id, Poster.board, Poster.title, PosterBookmark.created_at)
        .join(PosterBookmark, PosterBookmark.poster_id == Poster.id)
        .where(PosterBookmark.user_id == user.id)
        .order_by(PosterBookmark.id)
    )
    return [
        {"poster_id": pid, "board": board, "title": title, "bookmarked_at": at.isoformat()}
        for pid, board, title, at in rows.all()
    ]


async def erase_user(db: AsyncSession, user: User) -> list[ChannelEvent]:
    """Delete ``user``'s bookmarks before their account goes (nothing to publish)."""
    await db.execute(delete(PosterBookmark).where(PosterBookmark.user_id == user.id))
    return []
