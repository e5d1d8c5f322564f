"""The gallery and a poster's page, as an attendee reads them."""

from __future__ import annotations

import httpx

from posters.models import PosterState
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory


async def test_the_gallery_lists_published_posters_by_board(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P10", title="Tenth")
    await posters.create(board="P2", title="Second")
    await posters.create(board="P3", title="Draft one", state=PosterState.draft)
    await posters.create(board="P4", title="Withdrawn one", state=PosterState.withdrawn)
    attendee = await users.create()
    await sign_in(client, attendee.email)
    page = await client.get("/posters")
    assert page.status_code == 200
    assert page.text.index("Second") < page.text.index("Tenth")
    assert "Draft one" not in page.text
    assert "Withdrawn one" not in page.text
    assert '<a href="/posters">Posters</a>' not in page.text  # the breadcrumb is on posters
    assert 'href="/posters"' in page.text  # the navigation names the gallery


async def test_visitors_are_sent_to_sign_in(client: httpx.AsyncClient, demo_meeting: None) -> None:
    for path in ("/posters", "/posters/1"):
        page = await client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 303, path
        assert page.headers["location"] == f"/signin?next={path}"


async def test_a_poster_page_shows_the_sanitized_abstract(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(
        board="P1",
        abstract="IL-6 <script>alert(1)</script> [x](javascript:alert(2)) **bold**",
        doi="10.1000/182",
    )
    attendee = await users.create()
    await sign_in(client, attendee.email)
    page = await client.get(f"/posters/{poster.id}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<strong>bold</strong>" in page.text
    assert "<script>alert(1)" not in page.text
    assert 'href="javascript:' not in page.text
    assert '<a href="https://doi.org/10.1000/182"' in page.text
    assert "Ken Tanaka" in page.text
    assert "(presenting)" in page.text


async def test_unpublished_posters_are_not_found_for_attendees(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    draft = await posters.create(presenter=presenter, state=PosterState.draft)
    withdrawn = await posters.create(state=PosterState.withdrawn)
    attendee = await users.create()
    await sign_in(client, attendee.email)
    html = {"Accept": "text/html"}
    assert (await client.get(f"/posters/{draft.id}", headers=html)).status_code == 404
    assert (await client.get(f"/posters/{withdrawn.id}", headers=html)).status_code == 404
    await sign_in(client, presenter.email)
    own = await client.get(f"/posters/{draft.id}", headers=html)
    assert own.status_code == 200
    assert 'data-testid="poster-state">(draft)' in own.text
