"""People's-choice votes: one per attendee, moved or withdrawn, exact counts under
concurrency, live counts on the poster's channel, and the organizers' ranking."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from conference.accounts.models import Role, User
from conference.context import AppContext
from posters import service
from posters.models import Poster, PosterState
from posters.talk import votes
from posters.talk.models import PosterVote
from tests.factories import UserFactory, csrf, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.talk_helpers import make_poster
from tests.realtime.live_session import connect, drain, signed_in, subscribe, welcome


async def _counts(app: FastAPI, *poster_ids: int) -> list[int]:
    ctx: AppContext = app.state.ctx
    async with ctx.db.session() as db:
        found = await votes.counts(db, list(poster_ids))
    return [found[i] for i in poster_ids]


async def test_one_vote_given_moved_and_withdrawn(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    first = await posters.create()
    second = await posters.create()
    ana = await users.create()
    await sign_in(client, ana.email)
    assert (await client.get("/api/v1/posters/vote")).json()["poster_id"] is None
    given = await client.put(f"/api/v1/posters/{first.id}/vote")
    assert given.status_code == 200, given.text
    assert given.json() == {"poster_id": first.id, "vote_count": 1}
    # Again for the same poster: nothing changes.
    assert (await client.put(f"/api/v1/posters/{first.id}/vote")).json()["vote_count"] == 1
    moved = await client.put(f"/api/v1/posters/{second.id}/vote")
    assert moved.json() == {"poster_id": second.id, "vote_count": 1}
    assert await _counts(app, first.id, second.id) == [0, 1]
    assert (await client.get("/api/v1/posters/vote")).json()["poster_id"] == second.id
    withdrawn = await client.delete("/api/v1/posters/vote")
    assert withdrawn.json()["poster_id"] is None
    assert await _counts(app, first.id, second.id) == [0, 0]
    # Nothing to withdraw is fine.
    assert (await client.delete("/api/v1/posters/vote")).status_code == 200


async def test_vote_refusals(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    attendee = await users.create()
    own = await posters.create(presenter=presenter)
    withdrawn = await posters.create(state=PosterState.withdrawn)
    draft = await posters.create(presenter=presenter, state=PosterState.draft)
    await csrf(client)
    assert (await client.put(f"/api/v1/posters/{own.id}/vote")).status_code == 401
    await sign_in(client, presenter.email)
    refused = await client.put(f"/api/v1/posters/{own.id}/vote")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    # Their draft is visible to them, but takes no votes.
    assert (await client.put(f"/api/v1/posters/{draft.id}/vote")).status_code == 404
    await sign_in(client, attendee.email)
    for poster_id in (withdrawn.id, draft.id, 999_999):
        assert (await client.put(f"/api/v1/posters/{poster_id}/vote")).status_code == 404
    assert (await client.put("/api/v1/posters/0/vote")).status_code == 422
    # The ranking is the organizers'.
    assert (await client.get("/api/v1/posters/people-choice")).status_code == 403


async def test_people_choice_ranks_by_votes_with_ties(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    a = await posters.create(board="P1")
    b = await posters.create(board="P2")
    c = await posters.create(board="P3")
    await posters.create(board="P4")
    for poster, voters in ((a, 1), (b, 3), (c, 1)):
        for _ in range(voters):
            user = await users.create()
            await sign_in(client, user.email)
            assert (await client.put(f"/api/v1/posters/{poster.id}/vote")).status_code == 200
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    ranking = (await client.get("/api/v1/posters/people-choice")).json()
    assert ranking["total_votes"] == 5
    assert [(p["rank"], p["board"], p["vote_count"]) for p in ranking["posters"]] == [
        (1, "P2", 3),
        (2, "P1", 1),
        (2, "P3", 1),
    ]


async def test_concurrent_votes_keep_exact_counts(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    """Many attendees vote, move and withdraw at once, each also racing themselves: every
    count equals the rows that stand (on PostgreSQL the transactions truly overlap)."""
    ctx: AppContext = app.state.ctx
    targets = [await posters.create() for _ in range(3)]
    voters = [await users.create() for _ in range(12)]

    async def act(user_id: int, step: int) -> None:
        async with ctx.db.session() as db:
            user = await db.get(User, user_id)
            assert user is not None
            if step % 4 == 3:
                await votes.withdraw(db, meeting_id=targets[0].meeting_id, user=user)
            else:
                poster = await service.load_poster(
                    db, meeting_id=targets[0].meeting_id, poster_id=targets[step % 3].id
                )
                assert poster is not None
                await votes.cast_vote(db, poster=poster, user=user)
            await db.commit()

    for round_ in range(3):
        await asyncio.gather(
            *(act(v.id, i + round_ + k) for i, v in enumerate(voters) for k in range(2))
        )
    async with ctx.db.session() as db:
        stored = dict(
            (
                await db.execute(
                    select(PosterVote.poster_id, func.count()).group_by(PosterVote.poster_id)
                )
            ).all()
        )
        counted = dict(
            (
                await db.execute(
                    select(Poster.id, Poster.vote_count).where(
                        Poster.id.in_([t.id for t in targets])
                    )
                )
            ).all()
        )
    assert counted == {t.id: stored.get(t.id, 0) for t in targets}
    assert sum(counted.values()) <= len(voters)


def test_a_vote_updates_the_count_live(live: TestClient) -> None:
    poster_id = make_poster(live)
    signed_in(live, "watcher@example.org")
    with connect(live) as watcher:
        welcome(watcher)
        subscribe(watcher, f"poster:{poster_id}")
        signed_in(live, "voter@example.org")
        assert live.put(f"/api/v1/posters/{poster_id}/vote").status_code == 200
        frames = [f for f in drain(watcher) if f["type"] == "poster.votes"]
        assert [f["data"] for f in frames] == [{"poster_id": poster_id, "vote_count": 1}]
        assert "id" not in frames[0]
        assert live.delete("/api/v1/posters/vote").status_code == 200
        frames = [f for f in drain(watcher) if f["type"] == "poster.votes"]
        assert [f["data"]["vote_count"] for f in frames] == [0]


async def test_votes_and_comments_touch_activity_not_the_edit_time(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    ctx: AppContext = app.state.ctx
    poster = await posters.create()
    voter = await users.create()
    await sign_in(client, voter.email)

    async def times() -> tuple[object, object]:
        async with ctx.db.session() as db:
            row = (
                await db.execute(
                    select(Poster.active_at, Poster.updated_at).where(Poster.id == poster.id)
                )
            ).one()
        return row[0], row[1]

    active, updated = await times()
    assert (await client.put(f"/api/v1/posters/{poster.id}/vote")).status_code == 200
    voted_active, voted_updated = await times()
    assert voted_updated == updated
    assert voted_active != active
    made = await client.post(f"/api/v1/posters/{poster.id}/comments", json={"body": "Hi"})
    assert made.status_code == 201
    commented_active, commented_updated = await times()
    assert commented_updated == updated
    assert commented_active != voted_active
