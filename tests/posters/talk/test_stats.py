"""The presenter's statistics: views and unique viewers counted per page view without
storing who viewed, votes and comments per day; for the presenter and organizers only."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts.models import Role
from conference.context import AppContext
from conference.db.types import utcnow
from posters.talk.models import PosterView
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory


async def test_views_votes_and_comments_are_counted_per_day(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    ana = await users.create()
    bo = await users.create()
    poster = await posters.create(presenter=presenter)
    page = f"/posters/{poster.id}"
    await sign_in(client, ana.email)
    for _ in range(2):
        assert (await client.get(page)).status_code == 200
    assert (await client.put(f"/api/v1/posters/{poster.id}/vote")).status_code == 200
    comment = await client.post(f"/api/v1/posters/{poster.id}/comments", json={"body": "Nice"})
    assert comment.status_code == 201
    await sign_in(client, bo.email)
    assert (await client.get(page)).status_code == 200
    # The presenter's own views are not counted.
    await sign_in(client, presenter.email)
    assert (await client.get(page)).status_code == 200
    found = await client.get(f"/api/v1/posters/{poster.id}/stats")
    assert found.status_code == 200, found.text
    today = utcnow().date().isoformat()
    assert found.json() == {
        "poster_id": poster.id,
        "views": 3,
        "unique_viewers": 2,
        "vote_count": 1,
        "comment_count": 1,
        "days": [{"day": today, "views": 3, "unique_viewers": 2, "votes": 1, "comments": 1}],
    }
    html = await client.get(f"/posters/{poster.id}/stats")
    assert html.status_code == 200
    assert '<dd data-testid="views">3</dd>' in html.text
    # Nothing stored names a viewer: only keyed hashes, one per viewer and day.
    ctx: AppContext = app.state.ctx
    async with ctx.db.session() as db:
        rows = (await db.scalars(select(PosterView).where(PosterView.poster_id == poster.id))).all()
    assert sorted(r.views for r in rows) == [1, 2]
    for row in rows:
        assert len(row.viewer_hash) == 64
        assert str(ana.id) != row.viewer_hash
        assert ana.email not in row.viewer_hash


async def test_only_the_presenter_and_organizers_see_statistics(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    attendee = await users.create()
    organizer = await users.create(Role.organizer)
    poster = await posters.create(presenter=presenter)
    api = f"/api/v1/posters/{poster.id}/stats"
    page = f"/posters/{poster.id}/stats"
    assert (await client.get(api)).status_code == 401
    await sign_in(client, attendee.email)
    refused = await client.get(api)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert (await client.get(page)).status_code == 403
    assert (await client.get("/api/v1/posters/999999/stats")).status_code == 404
    poster_page = await client.get(f"/posters/{poster.id}")
    assert "Statistics of this poster" not in poster_page.text
    for allowed in (presenter, organizer):
        await sign_in(client, allowed.email)
        assert (await client.get(api)).status_code == 200
        assert (await client.get(page)).status_code == 200
        assert "Statistics of this poster" in (await client.get(f"/posters/{poster.id}")).text
