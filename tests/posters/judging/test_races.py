"""Judging's writes racing a concurrent request (forced on PostgreSQL, tests/posters/races):
the loser gets the same outcome where that is what it asked for (an assignment, the judging
switch) or a clean 409 (an award given twice, a stale automatic plan), never a database
error; a score racing the judge's removal is refused. Nothing is half-written."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from conference.context import AppContext
from conference.errors import Conflict, Forbidden, NotFound
from posters.judging import awards, service
from posters.judging.models import JudgeAssignment, JudgingSettings, PosterAward
from posters.judging.schemas import ScoreIn
from tests.factories import UserFactory
from tests.posters.factories import PosterFactory
from tests.posters.judging_helpers import RUBRIC, judge
from tests.posters.races import lose_race, postgresql_only


async def _user(db: AsyncSession, user: User) -> User:
    found = await db.get(User, user.id)
    assert found is not None
    return found


async def _pairs(ctx: AppContext) -> list[tuple[int | None, int]]:
    async with ctx.db.session() as db:
        rows = await db.execute(
            select(JudgeAssignment.judge_id, JudgeAssignment.poster_id).order_by(JudgeAssignment.id)
        )
        return [(j, p) for j, p in rows]


async def test_two_organizers_assign_the_same_judge_at_once(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    poster = await posters.create()
    someone = await judge(app, users, affiliation="MIT")
    organizer = await users.create(Role.organizer)
    rival_row = JudgeAssignment(
        meeting_id=poster.meeting_id, poster_id=poster.id, judge_id=someone.id
    )

    async def rival(db: AsyncSession) -> None:
        db.add(rival_row)

    async def call(db: AsyncSession) -> tuple[int, bool]:
        assignment, new = await service.assign_judge(
            db,
            meeting_id=poster.meeting_id,
            actor=await _user(db, organizer),
            poster_id=poster.id,
            judge_id=someone.id,
        )
        return assignment.id, new

    # The same outcome as asking a moment later: the rival's assignment, not a new one.
    assert await lose_race(ctx, rival, call) == (rival_row.id, False)
    assert await _pairs(ctx) == [(someone.id, poster.id)]


async def test_an_automatic_plan_made_stale_by_a_concurrent_assignment_writes_nothing(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    first = await posters.create(board="P1")
    second = await posters.create(board="P2")
    someone = await judge(app, users, affiliation="MIT")
    organizer = await users.create(Role.organizer)

    async def rival(db: AsyncSession) -> None:
        db.add(
            JudgeAssignment(meeting_id=second.meeting_id, poster_id=second.id, judge_id=someone.id)
        )

    async def call(db: AsyncSession) -> int:
        result = await service.auto_assign(
            db,
            meeting_id=first.meeting_id,
            actor=await _user(db, organizer),
            judge_ids=[someone.id],
            per_poster=1,
        )
        return result.created

    with pytest.raises(Conflict, match="changed while these were being planned"):
        await lose_race(ctx, rival, call)
    # The plan's other pair (the first poster) went with it: only the rival's stands.
    assert await _pairs(ctx) == [(someone.id, second.id)]


async def test_the_same_award_given_twice_at_once_is_a_conflict(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    poster = await posters.create(board="P7")
    organizer = await users.create(Role.organizer)

    async def rival(db: AsyncSession) -> None:
        db.add(PosterAward(poster_id=poster.id, title="Best poster", published=True))

    async def call(db: AsyncSession) -> int:
        award = await awards.add_award(
            db,
            meeting_id=poster.meeting_id,
            actor=await _user(db, organizer),
            poster_id=poster.id,
            title="Best poster",
            published=False,
        )
        return award.id

    with pytest.raises(Conflict) as refused:
        await lose_race(ctx, rival, call)
    assert (refused.value.status_code, refused.value.code) == (409, "conflict")
    assert refused.value.detail == "Poster P7 already has the award “Best poster”."
    async with ctx.db.session() as db:
        stored = await db.execute(select(PosterAward.title, PosterAward.published))
        assert stored.all() == [("Best poster", True)]


async def test_two_first_switches_of_judging_both_succeed_and_the_later_wins(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    poster = await posters.create()
    organizer = await users.create(Role.organizer)

    async def rival(db: AsyncSession) -> None:
        db.add(JudgingSettings(meeting_id=poster.meeting_id, judging_open=False))

    async def call(db: AsyncSession) -> bool:
        return await service.set_judging_open(
            db, meeting_id=poster.meeting_id, actor=await _user(db, organizer), is_open=True
        )

    assert await lose_race(ctx, rival, call) is True
    async with ctx.db.session() as db:
        assert await service.judging_open(db, meeting_id=poster.meeting_id) is True


async def test_a_score_racing_the_judges_removal_is_refused(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    poster = await posters.create()
    someone = await judge(app, users, affiliation="MIT")
    async with ctx.db.session() as db:
        db.add(
            JudgeAssignment(meeting_id=poster.meeting_id, poster_id=poster.id, judge_id=someone.id)
        )
        await db.commit()

    async def rival(db: AsyncSession) -> None:
        await db.execute(delete(JudgeAssignment).where(JudgeAssignment.judge_id == someone.id))

    async def call(db: AsyncSession) -> None:
        await service.score_poster(
            db,
            meeting_id=poster.meeting_id,
            poster_id=poster.id,
            judge=await _user(db, someone),
            data=ScoreIn(**RUBRIC),
        )

    with pytest.raises(Forbidden, match="not a judge of this poster"):
        await lose_race(ctx, rival, call)
    assert await _pairs(ctx) == []


async def test_publishing_an_award_being_deleted_is_not_found(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    postgresql_only(ctx)
    poster = await posters.create()
    organizer = await users.create(Role.organizer)
    async with ctx.db.session() as db:
        award = PosterAward(poster_id=poster.id, title="Best poster", published=False)
        db.add(award)
        await db.commit()

    async def rival(db: AsyncSession) -> None:
        await db.execute(delete(PosterAward).where(PosterAward.id == award.id))

    async def call(db: AsyncSession) -> None:
        await awards.publish_award(
            db,
            meeting_id=poster.meeting_id,
            actor=await _user(db, organizer),
            award_id=award.id,
            published=True,
        )

    with pytest.raises(NotFound, match="no award with this number"):
        await lose_race(ctx, rival, call)
