"""The posters API: who creates, reads and edits which poster, and what it refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from conference.accounts.models import Role
from posters.models import PosterState
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory, poster_body


async def test_an_organizer_creates_a_poster(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    presenter = await users.create(email="tanaka@example.org", name="Ken Tanaka")
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    body = poster_body(
        "P7",
        authors=[
            {"name": "Ada Lovelace", "affiliation": "Karolinska Institutet"},
            {"name": "Ken Tanaka", "email": "TANAKA@example.org", "presenting": True},
        ],
    )
    response = await client.post("/api/v1/posters", json=body)
    assert response.status_code == 201, response.text
    poster = response.json()
    assert poster["board"] == "P7"
    assert poster["state"] == "draft"
    assert poster["abstract_html"] == (
        "<p><strong>Background.</strong> Interferon-γ primes macrophages.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    )
    assert poster["authors"] == [
        {
            "name": "Ada Lovelace",
            "affiliation": "Karolinska Institutet",
            "presenting": False,
            "has_account": False,
        },
        {"name": "Ken Tanaka", "affiliation": "", "presenting": True, "has_account": True},
    ]
    assert poster["keywords"] == ["JAK-STAT", "Macrophages"]
    assert poster["links"] == [{"label": "Lab", "url": "https://example.org/lab"}]
    assert (poster["render_state"], poster["has_pdf"]) == ("none", False)
    # The presenting author's account edits it.
    await sign_in(client, presenter.email)
    mine = await client.patch(f"/api/v1/posters/{poster['id']}", json={"title": "New title"})
    assert mine.status_code == 200, mine.text
    assert mine.json()["title"] == "New title"


async def test_a_board_holds_one_poster(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P1")
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    taken = await client.post("/api/v1/posters", json=poster_body("P1"))
    assert (taken.status_code, taken.json()["code"]) == (409, "conflict")
    other = (await client.post("/api/v1/posters", json=poster_body("P2"))).json()
    moved = await client.patch(f"/api/v1/posters/{other['id']}", json={"board": "P1"})
    assert moved.status_code == 409


async def test_only_organizers_create(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    assert (await client.post("/api/v1/posters", json=poster_body())).status_code in (401, 403)
    attendee = await users.create()
    await sign_in(client, attendee.email)
    refused = await client.post("/api/v1/posters", json=poster_body())
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")


async def test_bad_input_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    for bad in (
        poster_body(board=""),
        poster_body(board="P 1"),
        poster_body(title="x" * 301),
        poster_body(abstract="x" * 20_001),
        poster_body(links=[{"label": "x", "url": "javascript:alert(1)"}]),
        poster_body(keywords=["k"] * 13),
        poster_body(session_guid="not-a-guid"),
        poster_body(state="archived"),
        poster_body(surprise=1),
        poster_body(title="NUL\x00"),
        poster_body(keywords=["bell\x07"]),
        poster_body(authors=[{"name": "A\x00"}]),
        poster_body(
            authors=[
                {"name": "A", "presenting": True},
                {"name": "B", "presenting": True},
            ]
        ),
    ):
        response = await client.post("/api/v1/posters", json=bad)
        assert response.status_code == 422, (bad, response.text)
    # The session must be a poster session of the published program: none is published
    # in this test, so any well-formed GUID is accepted; see test_session_must_be_a_poster_session.
    assert (await client.get("/api/v1/posters/1")).status_code == 404


async def test_who_sees_which_poster(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    attendee = await users.create()
    draft = await posters.create(presenter=presenter, state=PosterState.draft)
    withdrawn = await posters.create(presenter=presenter, state=PosterState.withdrawn)
    published = await posters.create(state=PosterState.published)
    assert (await client.get(f"/api/v1/posters/{published.id}")).status_code == 401
    await sign_in(client, attendee.email)
    assert (await client.get(f"/api/v1/posters/{published.id}")).status_code == 200
    assert (await client.get(f"/api/v1/posters/{draft.id}")).status_code == 404
    assert (await client.get(f"/api/v1/posters/{withdrawn.id}")).status_code == 404
    await sign_in(client, presenter.email)
    assert (await client.get(f"/api/v1/posters/{draft.id}")).status_code == 200
    assert (await client.get(f"/api/v1/posters/{withdrawn.id}")).status_code == 404


async def test_presenters_edit_their_own_until_the_deadline(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    other = await users.create()
    organizer = await users.create(Role.organizer)
    poster = await posters.create(presenter=presenter, state=PosterState.draft)
    url = f"/api/v1/posters/{poster.id}"
    published = await posters.create(state=PosterState.published)
    await sign_in(client, other.email)
    refused = await client.patch(f"/api/v1/posters/{published.id}", json={"title": "Mine"})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    await sign_in(client, presenter.email)
    handed_in = await client.patch(url, json={"state": "submitted", "keywords": ["IL-6"]})
    assert handed_in.json()["state"] == "submitted"
    assert handed_in.json()["keywords"] == ["IL-6"]
    publish = await client.patch(url, json={"state": "published"})
    assert publish.status_code == 403
    move = await client.patch(url, json={"board": "Z99"})
    assert move.status_code == 403
    await sign_in(client, organizer.email)
    deadline = datetime.now(UTC) - timedelta(minutes=1)
    settings = await client.put(
        "/api/v1/posters/settings", json={"edit_deadline": deadline.isoformat()}
    )
    assert settings.status_code == 200
    await sign_in(client, presenter.email)
    late = await client.patch(url, json={"title": "Too late"})
    assert (late.status_code, late.json()["detail"]) == (
        403,
        "The deadline for editing posters has passed.",
    )
    await sign_in(client, organizer.email)
    assert (await client.patch(url, json={"state": "published"})).json()["state"] == "published"
    assert (await client.get(url)).json()["title"] == poster.title


async def test_only_organizers_see_and_set_the_deadline(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    attendee = await users.create()
    await sign_in(client, attendee.email)
    assert (await client.get("/api/v1/posters/settings")).status_code == 403
    refused = await client.put("/api/v1/posters/settings", json={"edit_deadline": None})
    assert refused.status_code == 403
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    naive = await client.put(
        "/api/v1/posters/settings", json={"edit_deadline": "2021-10-01T12:00:00"}
    )
    assert naive.status_code == 422
    assert (await client.get("/api/v1/posters/settings")).json() == {"edit_deadline": None}
