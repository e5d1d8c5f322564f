"""Who may open the console: organizers and admins; everyone else is refused, clearly."""

from __future__ import annotations

import httpx
import pytest

from conference.accounts.models import Role
from tests.console.pages import HTML, Console, page_text, text_of
from tests.factories import UserFactory, csrf, sign_in
from tests.program.factories import API, ProgramBuilder

pytestmark = pytest.mark.usefixtures("demo_meeting")

PAGES = [
    "/console",
    "/console/sessions",
    "/console/sessions/new",
    "/console/stages",
    "/console/stages/new",
    "/console/tracks",
    "/console/tracks/new",
    "/console/people",
    "/console/people/new",
    "/console/publish",
]
FORMS = [
    "/console/sessions/new",
    "/console/sessions/bulk",
    "/console/stages/new",
    "/console/tracks/new",
    "/console/people/new",
    "/console/publish",
]
SESSION = {
    "title": "Not allowed",
    "session_type": "symposium",
    "starts_at": "2021-10-18T09:00",
    "ends_at": "2021-10-18T10:00",
}


async def test_anonymous_is_sent_to_sign_in_and_back(client: httpx.AsyncClient) -> None:
    response = await client.get("/console", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/console"

    response = await client.get("/console/sessions", params={"day": "2021-10-18"})
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/console/sessions%3Fday%3D2021-10-18"


@pytest.mark.parametrize("path", PAGES)
async def test_anonymous_pages_redirect(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/signin?next={path}"


async def test_anonymous_form_post_changes_nothing(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    token = await csrf(client)
    response = await client.post(
        "/console/stages/new", data={"csrf_token": token, "name": "Sneaky"}, headers=HTML
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/console/stages/new"
    await users.create(Role.organizer, email="org@example.org")
    await sign_in(client, "org@example.org")
    assert (await client.get(f"{API}/stages")).json() == []


@pytest.mark.parametrize("role", [Role.attendee, Role.speaker, Role.exhibitor])
async def test_other_roles_get_403_pages(
    client: httpx.AsyncClient, users: UserFactory, role: Role
) -> None:
    await users.create(role, email="someone@example.org", name="Sam Someone")
    await sign_in(client, "someone@example.org")
    for path in PAGES:
        response = await client.get(path)
        assert response.status_code == 403, path
        assert response.headers["content-type"].startswith("text/html")
        text = page_text(response.text)
        assert "Not allowed The console is for the meeting's organizers." in text
        assert "Sam Someone" in response.text  # the refusal page knows who is signed in
    token = client.headers["X-CSRF-Token"]
    for path in FORMS:
        response = await client.post(path, data={"csrf_token": token, **SESSION})
        assert response.status_code == 403, path


async def test_other_roles_change_nothing(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(Role.attendee, email="a@example.org")
    await sign_in(client, "a@example.org")
    response = await client.post(
        "/console/sessions/new", data={"csrf_token": client.headers["X-CSRF-Token"], **SESSION}
    )
    assert response.status_code == 403
    await users.create(Role.organizer, email="org@example.org")
    await sign_in(client, "org@example.org")
    assert (await client.get(f"{API}/draft/sessions")).json() == []


async def test_no_console_link_for_attendees(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(Role.attendee, email="a@example.org")
    await sign_in(client, "a@example.org")
    assert 'href="/console"' not in (await client.get("/")).text


async def test_organizers_and_admins_get_in(client: httpx.AsyncClient, users: UserFactory) -> None:
    await users.create(Role.organizer, email="org@example.org")
    await users.create(Role.admin, email="admin@example.org")
    for email in ("org@example.org", "admin@example.org"):
        await sign_in(client, email)
        home = await client.get("/")
        assert '<a href="/console">Console</a>' in home.text
        for path in PAGES:
            assert (await client.get(path)).status_code == 200, (email, path)


async def test_form_without_csrf_token_is_refused(console: Console) -> None:
    del console.client.headers["X-CSRF-Token"]
    response = await console.client.post("/console/stages/new", data={"name": "No token"})
    assert response.status_code == 403
    assert "CSRF token missing or invalid" in page_text(response.text)


async def test_unknown_ids_are_404_pages(console: Console, builder: ProgramBuilder) -> None:
    stage = await builder.stage("Hall 1")
    session = await builder.session(
        "Kept", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=stage["id"]
    )
    missing = [
        "/console/sessions/999999",
        "/console/sessions/999999/delete",
        "/console/sessions/not-a-number",
        "/console/talks/999999",
        "/console/talks/999999/delete",
        "/console/stages/999999",
        "/console/tracks/999999",
        "/console/people/999999",
        "/console/people/999999/delete",
        "/console/sessions/99999999999999999999",  # beyond any id: not a page, not a crash
        "/console/talks/0",
        "/console/stages/-1",
    ]
    for path in missing:
        response = await console.get(path)
        assert response.status_code == 404, path
        assert text_of(response.text, "main", "id") is not None
        assert "Page not found" in page_text(response.text)
    assert "No session with id 999999." in page_text(
        (await console.get("/console/sessions/999999")).text
    )
    # Junk in query strings is ignored rather than refused.
    for path, params in [
        ("/console/sessions", {"done": "x" * 500, "n": "9" * 5000, "q": "y" * 500}),
        ("/console/people", {"page": "9" * 5000, "q": "z" * 500}),
        ("/console/publish", {"published": "9" * 5000}),
        ("/console/sessions", {"stage": "99999999999999", "track": "\u00b2", "n": "\u00b2"}),
        ("/console/people", {"page": "\u00b2"}),
    ]:
        assert (await console.get(path, **params)).status_code == 200, path
    for path in (
        "/console/sessions/999999",
        "/console/sessions/999999/delete",
        "/console/sessions/999999/duplicate",
        "/console/talks/999999/delete",
        "/console/stages/999999/delete",
        "/console/people/999999",
    ):
        response = await console.post(path, {"title": "x", "name": "x"})
        assert response.status_code == 404, path
    # A stale id in a bulk move names the session and moves nothing.
    response = await console.post(
        "/console/sessions/bulk",
        {"session_ids": [str(session["id"]), "999999"], "shift_minutes": "30"},
    )
    assert response.status_code == 422
    assert "No session with id 999999." in page_text(response.text)
    kept = (await console.client.get(f"{API}/draft/sessions/{session['id']}")).json()
    assert kept["starts_at"] == "2021-10-18T08:00:00Z"
