"""Bookmarks: API and form, refusals, My agenda, data export and account deletion."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from posters.models import PosterBookmark, PosterState
from tests.factories import PASSWORD, UserFactory, sign_in
from tests.posters.bulk import set_fields
from tests.posters.factories import PosterFactory


async def test_bookmark_unbookmark_and_list(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    first = await posters.create(board="P2", title="Second board")
    second = await posters.create(board="P1", title="First board")
    attendee = await users.create()
    await sign_in(client, attendee.email)

    for _ in range(2):  # idempotent
        put = await client.put(f"/api/v1/posters/{first.id}/bookmark")
        assert put.status_code == 200
        assert put.json() == {"poster_id": first.id, "bookmarked": True}
    await client.put(f"/api/v1/posters/{second.id}/bookmark")
    listed = (await client.get("/api/v1/posters/bookmarks")).json()
    assert [p["board"] for p in listed] == ["P1", "P2"]
    assert all(p["bookmarked"] for p in listed)
    gallery = (await client.get("/api/v1/posters")).json()
    assert [p["bookmarked"] for p in gallery["posters"]] == [True, True]

    for _ in range(2):
        gone = await client.delete(f"/api/v1/posters/{first.id}/bookmark")
        assert gone.status_code == 204
    assert [p["board"] for p in (await client.get("/api/v1/posters/bookmarks")).json()] == ["P1"]


async def test_refusals(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    draft = await posters.create(board="P1", state=PosterState.draft, presenter=presenter)
    withdrawn = await posters.create(board="P2", state=PosterState.withdrawn)
    await posters.create(board="P3")

    assert (await client.get("/api/v1/posters/bookmarks")).status_code == 401

    await sign_in(client, presenter.email)
    # Even its presenter, who sees the draft, cannot bookmark it.
    assert (await client.put(f"/api/v1/posters/{draft.id}/bookmark")).status_code == 404
    assert (await client.put(f"/api/v1/posters/{withdrawn.id}/bookmark")).status_code == 404
    assert (await client.put("/api/v1/posters/999999/bookmark")).status_code == 404
    assert (await client.put("/api/v1/posters/0/bookmark")).status_code == 422
    assert (await client.put("/api/v1/posters/abc/bookmark")).status_code == 422
    assert (await client.get("/api/v1/posters/bookmarks")).json() == []


async def test_anonymous_api_caller_gets_401(
    client: httpx.AsyncClient, posters: PosterFactory
) -> None:
    published = await posters.create(board="P3")
    token = (await client.get("/api/v1/auth/csrf")).json()["csrf_token"]
    put = await client.put(
        f"/api/v1/posters/{published.id}/bookmark", headers={"X-CSRF-Token": token}
    )
    assert put.status_code == 401


async def test_a_withdrawn_poster_leaves_the_bookmarks(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="P1")
    attendee = await users.create()
    await sign_in(client, attendee.email)
    await client.put(f"/api/v1/posters/{poster.id}/bookmark")
    async with posters.ctx.db.session() as db:
        await set_fields(db, poster.id, state=PosterState.withdrawn)
    assert (await client.get("/api/v1/posters/bookmarks")).json() == []


async def test_the_form_bookmarks_and_my_agenda_lists_it(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="P7", title="Bookmarked by form")
    attendee = await users.create()
    await sign_in(client, attendee.email)
    token = client.headers["X-CSRF-Token"]
    before = (await client.get("/agenda")).text
    assert "You have not bookmarked any posters yet." in before

    page = (await client.get(f"/posters/{poster.id}")).text
    assert f'action="/posters/{poster.id}/bookmark"' in page
    sent = await client.post(
        f"/posters/{poster.id}/bookmark",
        data={"csrf_token": token, "bookmarked": "1", "next": "/posters?q=bookmarked"},
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/posters?q=bookmarked"
    agenda = (await client.get("/agenda")).text
    section = agenda[agenda.index('data-testid="poster-bookmarks"') :]
    assert f'<a href="/posters/{poster.id}">Bookmarked by form</a>' in section
    assert "Remove bookmark" in (await client.get(f"/posters/{poster.id}")).text

    off_site = await client.post(
        f"/posters/{poster.id}/bookmark",
        data={"csrf_token": token, "bookmarked": "0", "next": "https://evil.example/"},
    )
    assert off_site.headers["location"] == f"/posters/{poster.id}"
    assert "Bookmarked by form" not in (await client.get("/agenda")).text


async def test_the_form_refuses_without_csrf_and_for_drafts(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    draft = await posters.create(board="P1", state=PosterState.draft)
    published = await posters.create(board="P2")
    attendee = await users.create()
    await sign_in(client, attendee.email)
    token = client.headers.pop("X-CSRF-Token")
    forged = await client.post(f"/posters/{published.id}/bookmark", data={"bookmarked": "1"})
    assert forged.status_code == 403
    refused = await client.post(
        f"/posters/{draft.id}/bookmark",
        data={"csrf_token": token, "bookmarked": "1"},
        headers={"Accept": "text/html"},
    )
    assert refused.status_code == 404


async def test_visitors_are_sent_to_sign_in(
    client: httpx.AsyncClient, posters: PosterFactory
) -> None:
    poster = await posters.create(board="P1")
    token = (await client.get("/api/v1/auth/csrf")).json()["csrf_token"]
    sent = await client.post(
        f"/posters/{poster.id}/bookmark", data={"csrf_token": token, "next": "/posters"}
    )
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/signin?next=")


async def test_export_and_account_deletion(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="P9", title="Kept for later")
    attendee = await users.create()
    await sign_in(client, attendee.email)
    await client.put(f"/api/v1/posters/{poster.id}/bookmark")
    export = (await client.get("/api/v1/me/export")).json()["poster_bookmarks"]
    assert [(b["poster_id"], b["board"], b["title"]) for b in export] == [
        (poster.id, "P9", "Kept for later")
    ]
    deleted = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert deleted.status_code == 204
    async with posters.ctx.db.session() as db:
        assert await db.scalar(select(func.count()).select_from(PosterBookmark)) == 0
