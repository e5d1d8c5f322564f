"""Stages, tracks and people in the console."""

from __future__ import annotations

from typing import Any

from conference.accounts.models import Role
from tests.console.pages import Console, field_error, page_text
from tests.factories import UserFactory
from tests.program.factories import API, ProgramBuilder


async def api(console: Console, path: str) -> Any:
    return (await console.client.get(f"{API}{path}")).json()


async def test_stage_create_edit_delete(console: Console, builder: ProgramBuilder) -> None:
    response = await console.post(
        "/console/stages/new", {"name": "Plenary Hall", "slug": "", "room": "", "position": ""}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console/stages?done=created"
    [stage] = await api(console, "/stages")
    assert {k: v for k, v in stage.items() if k not in {"id", "guid"}} == {
        "name": "Plenary Hall",
        "slug": "plenary-hall",
        "room": "",
        "position": 0,
    }
    listing = page_text((await console.get("/console/stages", done="created")).text)
    assert "The stage was created." in listing
    assert "Plenary Hall plenary-hall 0 0" in listing

    same = await console.post("/console/stages/new", {"name": "Plenary hall", "position": "1"})
    assert same.status_code == 422
    assert field_error(same.text, "slug") == 'A stage with the slug "plenary-hall" exists already.'
    bad = await console.post(
        "/console/stages/new", {"name": "", "slug": "Not A Slug", "position": "first"}
    )
    assert bad.status_code == 422
    assert field_error(bad.text, "name") == "String should have at least 1 character"
    assert field_error(bad.text, "slug") == (
        "Use lower-case letters, digits and hyphens (e.g. main-stage)."
    )
    assert field_error(bad.text, "position") == "Enter the position as a whole number."
    huge = await console.post("/console/stages/new", {"name": "Huge", "position": "9" * 12})
    assert huge.status_code == 422
    assert field_error(huge.text, "position") == "Enter the position as a whole number."
    assert len(await api(console, "/stages")) == 1

    response = await console.post(
        f"/console/stages/{stage['id']}",
        {"name": "Main Hall", "slug": "", "room": "City Hall, Assembly Room", "position": "2"},
    )
    assert response.status_code == 303
    [saved] = await api(console, "/stages")
    assert (saved["name"], saved["slug"], saved["room"], saved["position"]) == (
        "Main Hall",
        "plenary-hall",  # an empty slug keeps the one it had
        "City Hall, Assembly Room",
        2,
    )

    session = await builder.session(
        "On it", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=stage["id"]
    )
    confirm = page_text((await console.get(f"/console/stages/{stage['id']}/delete")).text)
    assert "Delete this stage? Main Hall 1 session in the draft program" in confirm
    assert "Its sessions stay in the program without a stage, and each gets a warning." in confirm
    response = await console.post(f"/console/stages/{stage['id']}/delete", {})
    assert response.status_code == 303
    assert await api(console, "/stages") == []
    assert (await api(console, f"/draft/sessions/{session['id']}"))["stage_id"] is None


async def test_tracks_have_colours(console: Console) -> None:
    response = await console.post(
        "/console/tracks/new", {"name": "Interferons", "color": "#1B6AC9", "position": "1"}
    )
    assert response.status_code == 303
    [track] = await api(console, "/tracks")
    assert (track["name"], track["slug"], track["color"]) == (
        "Interferons",
        "interferons",
        "#1B6AC9",
    )
    listing = await console.get("/console/tracks")
    assert '<rect width="16" height="16" rx="3" fill="#1B6AC9"/>' in listing.text
    bad = await console.post(f"/console/tracks/{track['id']}", {"name": "X", "color": "blue"})
    assert bad.status_code == 422
    assert field_error(bad.text, "color") == "Choose a colour, written like #1b6ac9."
    assert (await api(console, "/tracks"))[0]["color"] == "#1B6AC9"
    response = await console.post(f"/console/tracks/{track['id']}/delete", {})
    assert response.status_code == 303
    assert await api(console, "/tracks") == []


async def test_people_create_search_edit_delete(console: Console, users: UserFactory) -> None:
    await users.create(Role.speaker, email="tegan@example.org")
    response = await console.post(
        "/console/people/new",
        {
            "name": "Tegan Quillfeather",
            "affiliation": "University of Pennsylvania",
            "country": "us",
            "biography": "Interferon biology.",
            "photo_url": "",
            "account_email": "Tegan@Example.org",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console/people?done=created"
    [person] = await api(console, "/people?q=Quillfeather")
    assert {k: v for k, v in person.items() if k not in {"id", "guid", "user_id"}} == {
        "name": "Tegan Quillfeather",
        "affiliation": "University of Pennsylvania",
        "country": "US",
        "biography": "Interferon biology.",
        "photo_url": "",
    }
    assert person["user_id"] is not None

    found = page_text((await console.get("/console/people", q="quillf")).text)
    assert "People (1 found)" in found
    assert f"Tegan Quillfeather account #{person['id']} University of Pennsylvania US" in found
    edit = await console.get(f"/console/people/{person['id']}")
    assert 'value="tegan@example.org"' in edit.text

    bad = await console.post(
        f"/console/people/{person['id']}",
        {"name": "", "country": "USA", "account_email": "nobody@example.org"},
    )
    assert bad.status_code == 422
    assert field_error(bad.text, "name") == "String should have at least 1 character"
    assert field_error(bad.text, "country") == "String should have at most 2 characters"
    assert field_error(bad.text, "account_email") == "No account has this email address."
    assert (await api(console, "/people?q=Quillfeather"))[0]["name"] == "Tegan Quillfeather"

    response = await console.post(
        f"/console/people/{person['id']}",
        {
            "name": "Tegan L. Quillfeather",
            "affiliation": "Penn",
            "country": "US",
            "account_email": "",
        },
    )
    assert response.status_code == 303
    [saved] = await api(console, "/people?q=Quillfeather")
    assert (saved["name"], saved["affiliation"], saved["user_id"]) == (
        "Tegan L. Quillfeather",
        "Penn",
        None,
    )

    confirm = page_text((await console.get(f"/console/people/{person['id']}/delete")).text)
    assert (
        "Delete this person? Tegan L. Quillfeather Chairs 0 session(s), speaks in 0 talk(s)"
        in confirm
    )
    response = await console.post(f"/console/people/{person['id']}/delete", {})
    assert response.status_code == 303
    assert await api(console, "/people?q=Quillfeather") == []


async def test_people_are_paged(console: Console, builder: ProgramBuilder) -> None:
    for i in range(55):
        await builder.person(f"Zz Paged {i:02d}")
    first = page_text((await console.get("/console/people", q="Zz Paged")).text)
    assert "People (55 found)" in first
    assert "Zz Paged 49" in first
    assert "Zz Paged 50" not in first
    assert "Page 1 of 2 Next page" in first
    second = page_text((await console.get("/console/people", q="Zz Paged", page="2")).text)
    assert "Previous page Page 2 of 2" in second
    assert "Zz Paged 50" in second
    assert "Zz Paged 49" not in second
    nobody = page_text((await console.get("/console/people", q="No such name")).text)
    assert "Nobody's name contains “No such name”." in nobody
