"""A bookmark racing the same user's bookmark from another tab (forced on PostgreSQL,
tests/posters/races): both succeed, one row stands."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.context import AppContext
from posters.gallery import bookmarks
from posters.models import PosterBookmark
from tests.factories import UserFactory
from tests.posters.factories import PosterFactory
from tests.posters.races import lose_race, postgresql_only


async def test_two_tabs_bookmark_the_same_poster_at_once(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    poster = await posters.create()
    attendee = await users.create()

    async def tab(db: AsyncSession) -> int:
        user = await db.get(User, attendee.id)
        assert user is not None
        marked = await bookmarks.bookmark(
            db, meeting_id=poster.meeting_id, poster_id=poster.id, user=user
        )
        return marked.id

    async def rival(db: AsyncSession) -> None:
        await tab(db)

    assert await lose_race(ctx, rival, tab) == poster.id
    async with ctx.db.session() as db:
        stored = await db.execute(select(PosterBookmark.user_id, PosterBookmark.poster_id))
        assert stored.all() == [(attendee.id, poster.id)]
