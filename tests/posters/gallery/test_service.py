"""The gallery: filters with faceted counts, sort, pages, shareable addresses, bad values,
thumbnails; related posters on a poster's page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from conference.db.types import utcnow
from posters.gallery.service import PER_PAGE
from posters.models import PosterState
from tests.factories import UserFactory, sign_in
from tests.posters.bulk import set_fields
from tests.posters.factories import PosterFactory
from tests.program.sample_program import become, publish_sample


async def _signed_in(client: httpx.AsyncClient, users: UserFactory) -> None:
    attendee = await users.create()
    await sign_in(client, attendee.email)


def _boards(body: dict[str, Any]) -> list[str]:
    return [p["board"] for p in body["posters"]]


def _counts(body: dict[str, Any], facet: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in body["facets"][facet]}


async def test_facet_counts_reflect_the_other_filters(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P1", topic="JAK-STAT", keywords=["STAT1", "IL-6"])
    await posters.create(board="P2", topic="JAK-STAT", keywords=["STAT3"])
    await posters.create(board="P3", topic="Inflammasome", keywords=["IL-6", "NLRP3"])
    await posters.create(board="P4", topic="Inflammasome", keywords=["x"], state=PosterState.draft)
    await _signed_in(client, users)

    everything = (await client.get("/api/v1/posters")).json()
    assert everything["total"] == 3
    assert _counts(everything, "topics") == {"Inflammasome": 1, "JAK-STAT": 2}
    assert _counts(everything, "keywords") == {"il-6": 2, "nlrp3": 1, "stat1": 1, "stat3": 1}

    topic = (await client.get("/api/v1/posters", params={"topic": "JAK-STAT"})).json()
    assert _boards(topic) == ["P1", "P2"]
    # The topic's own counts stay whole; the keywords count within the topic.
    assert _counts(topic, "topics") == {"Inflammasome": 1, "JAK-STAT": 2}
    assert _counts(topic, "keywords") == {"il-6": 1, "stat1": 1, "stat3": 1}
    assert [f["value"] for f in topic["facets"]["topics"] if f["selected"]] == ["JAK-STAT"]

    both = (await client.get("/api/v1/posters", params={"keyword": "IL-6"})).json()
    assert _boards(both) == ["P1", "P3"]
    assert _counts(both, "topics") == {"Inflammasome": 1, "JAK-STAT": 1}
    labels = {f["value"]: f["label"] for f in both["facets"]["keywords"]}
    assert labels["il-6"] == "IL-6"


async def test_poster_sessions_come_from_the_published_program(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory, app: FastAPI
) -> None:
    sample = await publish_sample(client, users)
    first = await posters.create(board="P1")
    await posters.create(board="P2")
    async with app.state.ctx.db.session() as db:
        await set_fields(db, first.id, session_guid=sample.posters)
    await become(client, users, time_zone="Europe/London")

    body = (await client.get("/api/v1/posters")).json()
    assert body["facets"]["sessions"] == [
        {"value": sample.posters, "label": "Evening posters", "count": 1, "selected": False}
    ]
    chosen = (await client.get("/api/v1/posters", params={"session": sample.posters})).json()
    assert _boards(chosen) == ["P1"]
    # A session that is not a poster session of the program.
    refused = await client.get("/api/v1/posters", params={"session": sample.keynote})
    assert refused.status_code == 422
    page = await client.get("/posters", params={"session": sample.keynote})
    assert page.status_code == 200
    assert "There is no such poster session in the program." in page.text
    assert page.text.count('data-testid="poster-card"') == 2
    listed = await client.get("/posters")
    assert f'href="/posters?session={sample.posters}"' in listed.text
    assert 'Evening posters <span class="count">(1)</span>' in listed.text


async def test_sorts(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory, app: FastAPI
) -> None:
    a = await posters.create(board="P2", title="beta cells")
    b = await posters.create(board="P10", title="Alpha chains")
    c = await posters.create(board="P1", title="gamma rays")
    now = utcnow()
    async with app.state.ctx.db.session() as db:
        await set_fields(db, a.id, vote_count=5, active_at=now - timedelta(hours=2))
        await set_fields(db, b.id, vote_count=9, active_at=now - timedelta(hours=3))
        await set_fields(db, c.id, vote_count=1, active_at=now - timedelta(hours=1))
    await _signed_in(client, users)

    async def order(sort: str | None) -> list[str]:
        params = {"sort": sort} if sort else {}
        return _boards((await client.get("/api/v1/posters", params=params)).json())

    assert await order(None) == ["P1", "P2", "P10"]
    assert await order("board") == ["P1", "P2", "P10"]
    assert await order("title") == ["P10", "P2", "P1"]
    assert await order("votes") == ["P10", "P2", "P1"]
    assert await order("recent") == ["P1", "P2", "P10"]
    assert (await client.get("/api/v1/posters", params={"sort": "random"})).status_code == 422
    page = await client.get("/posters", params={"sort": "random"})
    assert page.status_code == 200
    assert "cannot be sorted that way" in page.text
    assert page.text.index("gamma rays") < page.text.index("Alpha chains")


async def test_pages_and_their_addresses(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    for n in range(1, PER_PAGE + 3):
        await posters.create(board=f"P{n}", title=f"Poster number {n}", topic="IFN signalling")
    await _signed_in(client, users)

    second = (await client.get("/api/v1/posters", params={"page": 2})).json()
    assert (second["total"], second["page"], second["pages"]) == (PER_PAGE + 2, 2, 2)
    assert _boards(second) == [f"P{PER_PAGE + 1}", f"P{PER_PAGE + 2}"]
    beyond = (await client.get("/api/v1/posters", params={"page": 9})).json()
    assert beyond["posters"] == []
    for value in ("0", "-1", "x", "99999999"):
        assert (await client.get("/api/v1/posters", params={"page": value})).status_code == 422

    first = await client.get("/posters", params={"topic": "IFN signalling", "sort": "title"})
    text = first.text
    assert text.count('data-testid="poster-card"') == PER_PAGE
    assert 'aria-label="Pages of posters"' in text
    # Every link keeps the search state; the page number is the only change.
    assert 'href="/posters?topic=IFN+signalling&amp;sort=title&amp;page=2" rel="next"' in text
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in text
    bad = await client.get("/posters", params={"page": "zero"})
    assert bad.status_code == 200
    assert "There is no such page; this is the first." in bad.text


async def test_bad_values_never_fail(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P1")
    await _signed_in(client, users)
    for params in (
        {"topic": "\x00"},
        {"keyword": "a\x01b"},
        {"topic": "t" * 500},
        {"keyword": "k" * 500},
        {"session": "not-a-guid"},
        {"page": "1e9"},
    ):
        page = await client.get("/posters", params=params)
        assert page.status_code == 200, params
        assert 'data-testid="gallery-errors"' in page.text, params
        api = await client.get("/api/v1/posters", params=params)
        assert api.status_code == 422, (params, api.text)


async def test_thumbnails_or_a_placeholder(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory, app: FastAPI
) -> None:
    ready = await posters.create(board="P1")
    await posters.create(board="P2")
    async with app.state.ctx.db.session() as db:
        await set_fields(db, ready.id, render_state="ready", render_version=3)
    await _signed_in(client, users)
    page = await client.get("/posters")
    assert f'src="/posters/{ready.id}/tiles/3/thumbnail.jpg"' in page.text
    assert page.text.count('class="thumb placeholder"') == 1
    cards = (await client.get("/api/v1/posters")).json()["posters"]
    thumbnail = f"/posters/{ready.id}/tiles/3/thumbnail.jpg"
    assert [c["thumbnail_url"] for c in cards] == [thumbnail, None]


async def test_anonymous_callers_are_refused(client: httpx.AsyncClient, demo_meeting: None) -> None:
    assert (await client.get("/api/v1/posters")).status_code == 401


async def test_related_posters_share_keywords_or_the_topic(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    main = await posters.create(board="P1", topic="JAK-STAT", keywords=["STAT1", "IL-6", "SOCS3"])
    await posters.create(board="P2", title="Two shared", topic="Other", keywords=["STAT1", "IL-6"])
    await posters.create(board="P3", title="Topic only", topic="JAK-STAT", keywords=["none"])
    await posters.create(board="P4", title="One and topic", topic="JAK-STAT", keywords=["SOCS3"])
    await posters.create(board="P5", title="Unrelated", topic="Other", keywords=["none"])
    await posters.create(
        board="P6",
        title="Draft twin",
        topic="JAK-STAT",
        keywords=["STAT1"],
        state=PosterState.draft,
    )
    await _signed_in(client, users)
    page = (await client.get(f"/posters/{main.id}")).text
    related = page[page.index('data-testid="related-posters"') :]
    # Scores: P2 4, P4 3, P3 1; P5 and the draft not at all.
    places = [related.index(t) for t in ("Two shared", "One and topic", "Topic only")]
    assert places == sorted(places)
    assert "Unrelated" not in related
    assert "Draft twin" not in related
