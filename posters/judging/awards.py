"""Awards on posters ("Best poster: IFN signalling", "People's choice"): organizers give
and publish them; published ones show on the poster's page and as a badge in the gallery."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from conference.accounts.models import User
from conference.db.unique import add_unless_taken
from conference.errors import Conflict, NotFound
from posters.judging.models import PosterAward
from posters.judging.service import judged_poster, require_organizer
from posters.models import Poster
from posters.service import is_organizer


async def add_award(
    db: AsyncSession, *, meeting_id: int, actor: User, poster_id: int, title: str, published: bool
) -> PosterAward:
    """Give a poster an award (organizers); Conflict if it has one of that title."""
    require_organizer(actor)
    poster = await judged_poster(db, meeting_id=meeting_id, poster_id=poster_id)
    taken = await db.scalar(
        select(PosterAward.id).where(PosterAward.poster_id == poster.id, PosterAward.title == title)
    )
    if taken is not None:
        raise Conflict(f"Poster {poster.board} already has the award “{title}”.")
    award = PosterAward(poster_id=poster.id, title=title, published=published)
    if not await add_unless_taken(db, award):
        # Another organizer gave the same award at the same moment.
        raise Conflict(f"Poster {poster.board} already has the award “{title}”.")
    return award


async def _award(db: AsyncSession, *, meeting_id: int, award_id: int) -> PosterAward:
    award = await db.scalar(
        select(PosterAward)
        .join(Poster, Poster.id == PosterAward.poster_id)
        .where(PosterAward.id == award_id, Poster.meeting_id == meeting_id)
    )
    if award is None:
        raise NotFound("There is no award with this number.")
    return award


async def publish_award(
    db: AsyncSession, *, meeting_id: int, actor: User, award_id: int, published: bool
) -> PosterAward:
    """Publish or hide an award (organizers)."""
    require_organizer(actor)
    award = await _award(db, meeting_id=meeting_id, award_id=award_id)
    try:
        async with db.begin_nested():
            award.published = published
    except StaleDataError:
        # Another organizer deleted it since it was read above.
        raise NotFound("There is no award with this number.") from None
    return award


async def delete_award(db: AsyncSession, *, meeting_id: int, actor: User, award_id: int) -> None:
    """Take an award away (organizers)."""
    require_organizer(actor)
    await db.delete(await _award(db, meeting_id=meeting_id, award_id=award_id))
    await db.flush()


async def awards_of(
    db: AsyncSession, *, meeting_id: int, published_only: bool = True
) -> list[tuple[PosterAward, Poster]]:
    """The meeting's awards with their posters, by board."""
    query = (
        select(PosterAward, Poster)
        .join(Poster, Poster.id == PosterAward.poster_id)
        .where(Poster.meeting_id == meeting_id)
        .order_by(Poster.board_order, Poster.board, PosterAward.id)
    )
    if published_only:
        query = query.where(PosterAward.published.is_(True))
    return [(a, p) for a, p in await db.execute(query)]


async def published_awards(db: AsyncSession, posters: Iterable[Poster]) -> dict[int, list[str]]:
    """The titles of the published awards of these posters, by poster id (one query)."""
    ids = {p.id for p in posters}
    if not ids:
        return {}
    rows = await db.execute(
        select(PosterAward.poster_id, PosterAward.title)
        .where(PosterAward.poster_id.in_(ids), PosterAward.published.is_(True))
        .order_by(PosterAward.id)
    )
    found: dict[int, list[str]] = {}
    for poster_id, title in rows:
        found.setdefault(poster_id, []).append(title)
    return found


async def awards_of_poster(db: AsyncSession, *, poster: Poster, actor: User) -> list[PosterAward]:
    """A poster's awards: all for organizers, the published ones for everyone else."""
    query = select(PosterAward).where(PosterAward.poster_id == poster.id).order_by(PosterAward.id)
    if not is_organizer(actor):
        query = query.where(PosterAward.published.is_(True))
    return list(await db.scalars(query))
