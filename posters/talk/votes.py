"""People's-choice votes: each attendee has one vote in the meeting, for one published
poster; voting for another poster moves it, and it can be withdrawn.

``Poster.vote_count`` stays exact under concurrency: the vote row is changed by
conditional statements (insert unless one exists, move or delete only from the poster it
was read on), and the counts move by ``+1``/``-1`` in the same transaction, only when
that statement changed a row. A statement that lost a race changes nothing and the
change is tried again on what is now stored. Counts are updated in poster id order, so
two votes moving in opposite directions never deadlock on PostgreSQL.

A presenter cannot vote for their own poster, nor can a co-author with an account: a
people's choice is the audience's.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Insert, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import Conflict, Forbidden, NotFound
from conference.realtime.hub import Hub
from conference.realtime.protocol import encode
from posters.models import Poster, PosterState
from posters.talk.models import PosterVote
from posters.talk.schemas import PeopleChoiceEntry, PeopleChoiceOut, PosterVotes

# Each try follows another writer's committed change of this user's vote; more than a
# few in a row means the user is racing themselves.
ATTEMPTS = 5


def _insert_if_absent(db: AsyncSession, values: dict[str, Any]) -> Insert:
    dialect = db.get_bind().dialect.name
    maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        maker(PosterVote)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["meeting_id", "user_id"])
    )


async def _changed(db: AsyncSession, statement: Any) -> bool:
    result = cast(CursorResult[Any], await db.execute(statement))
    return result.rowcount == 1


async def _count(db: AsyncSession, changes: dict[int, int]) -> None:
    for poster_id in sorted(changes):
        await db.execute(
            update(Poster)
            .where(Poster.id == poster_id)
            .values(
                vote_count=Poster.vote_count + changes[poster_id],
                active_at=utcnow(),
                # Kept: its onupdate would say the poster was edited.
                updated_at=Poster.updated_at,
            )
            .execution_options(synchronize_session=False)
        )


async def current(db: AsyncSession, *, meeting_id: int, user_id: int) -> tuple[int, int] | None:
    """(vote id, poster id) of the user's vote in the meeting, as stored now."""
    row = (
        await db.execute(
            select(PosterVote.id, PosterVote.poster_id).where(
                PosterVote.meeting_id == meeting_id, PosterVote.user_id == user_id
            )
        )
    ).first()
    return None if row is None else (row[0], row[1])


def check_votable(poster: Poster, user: User) -> None:
    """Published posters only; never one's own (as presenter or a co-author)."""
    if poster.state != PosterState.published:
        raise NotFound("Only published posters take votes.")
    if poster.presenter_id == user.id or any(a.user_id == user.id for a in poster.authors):
        raise Forbidden("You cannot vote for your own poster.")


async def cast_vote(db: AsyncSession, *, poster: Poster, user: User) -> list[int]:
    """Give ``user``'s vote to ``poster`` (authors loaded), moving it from another poster if
    they had voted; the ids of the posters whose counts changed."""
    check_votable(poster, user)
    for _ in range(ATTEMPTS):
        found = await current(db, meeting_id=poster.meeting_id, user_id=user.id)
        if found is None:
            values = {"meeting_id": poster.meeting_id, "user_id": user.id, "poster_id": poster.id}
            if await _changed(db, _insert_if_absent(db, values)):
                await _count(db, {poster.id: 1})
                return [poster.id]
            continue
        vote_id, old = found
        if old == poster.id:
            return []
        moved = (
            update(PosterVote)
            .where(PosterVote.id == vote_id, PosterVote.poster_id == old)
            .values(poster_id=poster.id, created_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if await _changed(db, moved):
            await _count(db, {old: -1, poster.id: 1})
            return sorted((old, poster.id))
    raise Conflict("Your vote changed while this one was being saved: try again.")


async def withdraw(db: AsyncSession, *, meeting_id: int, user: User) -> list[int]:
    """Take back ``user``'s vote in the meeting; the poster whose count changed, if any."""
    for _ in range(ATTEMPTS):
        found = await current(db, meeting_id=meeting_id, user_id=user.id)
        if found is None:
            return []
        vote_id, old = found
        gone = (
            delete(PosterVote)
            .where(PosterVote.id == vote_id, PosterVote.poster_id == old)
            .execution_options(synchronize_session=False)
        )
        if await _changed(db, gone):
            await _count(db, {old: -1})
            return [old]
    raise Conflict("Your vote changed while it was being withdrawn: try again.")


async def counts(db: AsyncSession, poster_ids: list[int]) -> dict[int, int]:
    """The stored vote counts of these posters."""
    if not poster_ids:
        return {}
    rows = await db.execute(select(Poster.id, Poster.vote_count).where(Poster.id.in_(poster_ids)))
    return {row.id: row.vote_count for row in rows}


async def publish_counts(db: AsyncSession, hub: Hub, poster_ids: list[int]) -> dict[int, int]:
    """Tell each poster's page its count (after the commit); the counts sent."""
    found = await counts(db, poster_ids)
    for poster_id, count in found.items():
        channel = f"poster:{poster_id}"
        data = PosterVotes(poster_id=poster_id, vote_count=count)
        # Ephemeral: the count is on the poster row; a page reloading reads it there.
        await hub.publish(channel, encode("poster.votes", channel=channel, data=data.wire()))
    return found


async def people_choice(db: AsyncSession, *, meeting_id: int) -> PeopleChoiceOut:
    """Published posters with at least one vote, most votes first."""
    rows = (
        await db.execute(
            select(Poster.id, Poster.board, Poster.title, Poster.vote_count)
            .where(
                Poster.meeting_id == meeting_id,
                Poster.state == PosterState.published,
                Poster.vote_count > 0,
            )
            .order_by(Poster.vote_count.desc(), Poster.board_order, Poster.board)
        )
    ).all()
    entries: list[PeopleChoiceEntry] = []
    for position, (poster_id, board, title, count) in enumerate(rows, start=1):
        # Ties share the rank of the first of them ("1, 2, 2, 4").
        rank = entries[-1].rank if entries and entries[-1].vote_count == count else position
        entries.append(
            PeopleChoiceEntry(
                rank=rank, poster_id=poster_id, board=board, title=title, vote_count=count
            )
        )
    total = await db.scalar(
        select(func.coalesce(func.sum(Poster.vote_count), 0)).where(
            Poster.meeting_id == meeting_id, Poster.state == PosterState.published
        )
    )
    return PeopleChoiceOut(posters=entries, total_votes=int(total or 0))
