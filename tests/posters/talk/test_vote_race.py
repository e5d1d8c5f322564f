"""A people's-choice vote racing the same user's vote from another tab (forced on
PostgreSQL, tests/posters/races): the later one moves the vote, the counts stay exact."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.context import AppContext
from posters import service
from posters.models import Poster
from posters.talk import votes
from posters.talk.models import PosterVote
from tests.factories import UserFactory
from tests.posters.factories import PosterFactory
from tests.posters.races import lose_race, postgresql_only


async def test_two_tabs_vote_for_different_posters_at_once(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    first = await posters.create(board="P1")
    second = await posters.create(board="P2")
    attendee = await users.create()

    def vote_for(poster_id: int) -> Callable[[AsyncSession], Awaitable[list[int]]]:
        async def cast(db: AsyncSession) -> list[int]:
            user = await db.get(User, attendee.id)
            poster = await service.load_poster(db, meeting_id=first.meeting_id, poster_id=poster_id)
            assert user is not None
            assert poster is not None
            return await votes.cast_vote(db, poster=poster, user=user)

        return cast

    async def rival(db: AsyncSession) -> None:
        assert await vote_for(first.id)(db) == [first.id]

    # The insert met the rival's vote: this one moves it, changing both counts.
    moved = await lose_race(ctx, rival, vote_for(second.id))
    assert moved == [first.id, second.id]
    async with ctx.db.session() as db:
        stored = await db.execute(select(PosterVote.user_id, PosterVote.poster_id))
        assert stored.all() == [(attendee.id, second.id)]
        counts = await db.execute(
            select(Poster.board, Poster.vote_count)
            .where(Poster.id.in_([first.id, second.id]))
            .order_by(Poster.board)
        )
        assert counts.all() == [("P1", 0), ("P2", 1)]
