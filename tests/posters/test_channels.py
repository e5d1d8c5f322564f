"""Who may follow a poster's channel: whoever may see the poster."""

from __future__ import annotations

from fastapi import FastAPI

from conference.accounts.models import Role, User
from conference.context import AppContext
from posters.models import PosterState
from tests.factories import UserFactory
from tests.posters.factories import PosterFactory


async def test_the_poster_channel_follows_who_may_see_the_poster(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    presenter = await users.create()
    attendee = await users.create()
    organizer = await users.create(Role.organizer)
    published = await posters.create()
    draft = await posters.create(presenter=presenter, state=PosterState.draft)
    withdrawn = await posters.create(presenter=presenter, state=PosterState.withdrawn)
    expected = {
        (attendee.id, published.id): True,
        (attendee.id, draft.id): False,
        (attendee.id, withdrawn.id): False,
        (presenter.id, draft.id): True,
        (presenter.id, withdrawn.id): False,
        (organizer.id, withdrawn.id): True,
        (attendee.id, 999_999): False,
    }
    async with ctx.db.session() as db:
        seen = {}
        for user_id, poster_id in expected:
            user = await db.get(User, user_id)
            assert user is not None
            seen[user_id, poster_id] = await ctx.realtime.may_subscribe(
                ctx, db, user, f"poster:{poster_id}"
            )
    assert seen == expected
