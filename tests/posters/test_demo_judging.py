"""The demo's judge: judge@demo.test judges a few demo posters, two already scored, with
judging open, so an organizer sees a ranking out of the box."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from conference.accounts.models import Role, User
from conference.demo import DEMO_PASSWORD, JUDGE_EMAIL, demo_accounts_text, seed_demo
from conference.program.demo.program import ORGANIZER_EMAIL
from conference.program.service import current_meeting
from posters.demo.judging import JUDGED_POSTERS
from posters.judging import service as judging
from posters.judging.models import JudgeAssignment
from posters.models import Poster
from tests.factories import sign_in


async def seed(app: FastAPI) -> list[str]:
    ctx = app.state.ctx
    return await seed_demo(ctx.db, ctx.passwords, ctx.extensions, base_url=ctx.settings.base_url)


async def assignments(app: FastAPI) -> list[tuple[int, int, int | None, str]]:
    """(assignment, poster, total, comment) of every assignment of the demo judge."""
    async with app.state.ctx.db.session() as db:
        judge = await db.scalar(select(User).where(User.email == JUDGE_EMAIL))
        assert judge is not None
        found = await db.scalars(
            select(JudgeAssignment)
            .where(JudgeAssignment.judge_id == judge.id)
            .order_by(JudgeAssignment.id)
        )
        return [(a.id, a.poster_id, a.total, a.comment) for a in found]


async def test_the_demo_judge_judges_posters_and_the_ranking_shows_its_scores(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    lines = await seed(app)
    base = app.state.ctx.settings.base_url
    assert (
        f"Judging: {JUDGE_EMAIL} judges {JUDGED_POSTERS} posters (2 scored) at "
        f"{base}/posters/judging; the ranking is at {base}/console/judging"
    ) in lines
    assert f"  {JUDGE_EMAIL:<22} {'attendee':<20} zone Pacific/Auckland (poster judge)" in (
        demo_accounts_text(base)
    )
    first = await assignments(app)
    assert len(first) == JUDGED_POSTERS
    assert [(total, comment[:10]) for _, _, total, comment in first] == [
        (18, "Convincing"),
        (14, "Clear ques"),
    ] + [(None, "")] * (JUDGED_POSTERS - 2)

    async with app.state.ctx.db.session() as db:
        meeting = await current_meeting(db)
        assert meeting is not None
        organizer = await db.scalar(select(User).where(User.email == ORGANIZER_EMAIL))
        judge = await db.scalar(select(User).where(User.email == JUDGE_EMAIL))
        assert organizer is not None
        assert judge is not None
        assert judge.role_set == {Role.attendee}
        assert await judging.judging_open(db, meeting_id=meeting.id)
        rows = await judging.ranking(db, meeting_id=meeting.id, actor=organizer)
        mine = [
            (a, p) for a, p in await judging.assignments_of(db, meeting_id=meeting.id, judge=judge)
        ]
        topics = {p.topic for _, p in mine}
        assert len(topics) == JUDGED_POSTERS  # one poster per topic
        judged = await db.scalars(
            select(Poster)
            .where(Poster.id.in_([p.id for _, p in mine]))
            .options(selectinload(Poster.authors))
            .execution_options(populate_existing=True)
        )
        assert all(judging.conflict_reason(p, judge) is None for p in judged)
        assert all(p.state == "published" for _, p in mine)
    ranked = [(r.rank, r.poster.id, r.mean_total) for r in rows if r.rank is not None]
    assert ranked == [(1, first[0][1], 18.0), (2, first[1][1], 14.0)]

    # Seeding again adds nothing and changes no score.
    await seed(app)
    assert await assignments(app) == first

    # The judge signs in with the demo password and finds its posters to score.
    await sign_in(client, JUDGE_EMAIL, DEMO_PASSWORD)
    page = await client.get("/posters/judging", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.text.count('href="/posters/') >= JUDGED_POSTERS
