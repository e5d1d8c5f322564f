"""A NUL in text is refused with 422 wherever it arrives, never a 500 (PostgreSQL refuses
NUL in text; SQLite keeps it, so both must answer the same)."""

from __future__ import annotations

from fastapi import FastAPI

from tests.console.pages import Console, field_error
from tests.program.factories import API
from tests.program.imports import fixture, post_import, row_counts


async def test_json_bodies_refuse_control_characters(console: Console) -> None:
    client = console.client
    for path, body in (
        (f"{API}/stages", {"name": "Main\x00Stage"}),
        (f"{API}/tracks", {"name": "Inter\x00ferons"}),
        (f"{API}/people", {"name": "Ada\x07", "affiliation": "x"}),
    ):
        response = await client.post(path, json=body)
        assert (response.status_code, response.json()["code"]) == (422, "invalidinput"), path
    assert (await client.get(f"{API}/stages")).json() == []


async def test_a_console_form_names_the_field(console: Console) -> None:
    response = await console.post("/console/stages/new", {"name": "Main\x00Stage"})
    assert response.status_code == 422
    assert field_error(response.text, "name") == "Control characters are not allowed"
    assert (await console.client.get(f"{API}/stages")).json() == []


async def test_an_imported_nul_is_refused_on_every_database(app: FastAPI, console: Console) -> None:
    document = fixture("frab-schedule.json")
    rooms = document["schedule"]["conference"]["days"][0]["rooms"]
    next(iter(rooms.values()))[0]["title"] = "Chemokine\x00receptor bias"
    before = await row_counts(app)
    response = await post_import(console.client, document, dry_run=False)
    assert (response.status_code, response.json()["code"]) == (422, "invalidinput")
    assert await row_counts(app) == before
