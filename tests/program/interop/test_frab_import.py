"""Importing frab/c3voc schedule JSON: pretalx's and frab's exports, and our own."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts.models import Role
from conference.program.interop import service as importing
from conference.program.models import (
    ProgramVersion,
)
from tests.cli import query, run_cli
from tests.factories import UserFactory, csrf, sign_in
from tests.program.factories import API, ProgramBuilder, small_program
from tests.program.imports import (
    DATA,
    IMPORT,
    draft,
    fixture,
    nothing_changed,
    post_import,
    row_counts,
)


async def test_pretalx_export_imports_after_a_dry_run(
    app: FastAPI, builder: ProgramBuilder
) -> None:
    client = builder.client
    document = fixture("pretalx-schedule.json")
    before = await row_counts(app)
    preview = await post_import(client, document, dry_run=True)
    assert preview.status_code == 200, preview.text
    expected = {
        "dry_run": True,
        "sessions": {
            "added": [
                {
                    "guid": "a1f3c9d0-1b2c-5d3e-8f4a-5b6c7d8e9f01",
                    "title": "Tonic type I interferon signalling in the steady state",
                },
                {
                    "guid": "b2e4d0e1-2c3d-5e4f-9a5b-6c7d8e9f0a12",
                    "title": "Hands-on: single-cell interferon signatures",
                },
                {"guid": "c3f5e1f2-3d4e-5f5a-8b6c-7d8e9f0a1b23", "title": "Lunch"},
                {
                    "guid": "d4a6f2a3-4e5f-5a6b-9c7d-8e9f0a1b2c34",
                    "title": "Keynote: interferons and COVID-19",
                },
            ],
            "updated": [],
            "unchanged": 0,
        },
        "stages": {"added": ["Hall A", "Seminar Room 2"], "updated": []},
        "tracks": {"added": ["Interferons", "Innate immunity"], "updated": []},
        "people": {"added": ["Maria Oyelaran", "Tomasz Wilczek"], "updated": []},
    }
    assert preview.json() == expected
    assert await row_counts(app) == before

    applied = await post_import(client, document, dry_run=False)
    assert applied.status_code == 200
    assert applied.json() == {**expected, "dry_run": False}

    stages = (await client.get(f"{API}/stages")).json()
    assert [(s["name"], s["slug"], s["guid"]) for s in stages] == [
        ("Hall A", "hall-a", "0c5c4a4e-8a3f-5d6e-9f0b-2a1d3c4b5e6f"),
        ("Seminar Room 2", "seminar-room-2", "4b8d1e2f-3a4c-5b6d-8e9f-0a1b2c3d4e5f"),
    ]
    tracks = (await client.get(f"{API}/tracks")).json()
    assert [(t["name"], t["slug"], t["color"]) for t in tracks] == [
        ("Interferons", "interferons", "#7a1538"),
        ("Innate immunity", "innate-immunity", "#1f6f8b"),
    ]
    people = (await client.get(f"{API}/people", params={"q": "o"})).json()
    maria = next(p for p in people if p["name"] == "Maria Oyelaran")
    assert maria["guid"] == "5d2e7a10-6b1c-5f0e-9a8b-7c6d5e4f3a21"
    assert maria["biography"] == "Immunologist studying interferon regulation."
    assert maria["photo_url"] == "https://pretalx.example.org/media/avatars/oyelaran.jpg"

    sessions = await draft(client)
    tonic = sessions["Tonic type I interferon signalling in the steady state"]
    assert (tonic["session_type"], tonic["stage"], tonic["track"]) == (
        "symposium",
        "Hall A",
        "Interferons",
    )
    assert (tonic["starts_at"], tonic["ends_at"]) == (
        "2021-10-18T08:00:00Z",
        "2021-10-18T08:30:00Z",
    )
    assert tonic["description"] == (
        "How low-level IFN-beta shapes immune readiness.\n\n"
        "We review evidence from reporter mice and human cohorts."
    )
    assert tonic["chairs"] == []
    [talk] = tonic["talks"]
    assert (talk["title"], talk["starts_at"], talk["duration_minutes"]) == (
        tonic["title"],
        "2021-10-18T08:00:00Z",
        30,
    )
    assert [s["name"] for s in talk["speakers"]] == ["Maria Oyelaran", "Tomasz Wilczek"]
    workshop = sessions["Hands-on: single-cell interferon signatures"]
    assert (workshop["session_type"], workshop["may_be_recorded"]) == ("workshop", False)
    lunch = sessions["Lunch"]
    assert (lunch["session_type"], lunch["stage"], lunch["track"], lunch["talks"]) == (
        "break",
        "Seminar Room 2",
        None,
        [],
    )
    keynote = sessions["Keynote: interferons and COVID-19"]
    assert (keynote["session_type"], keynote["starts_at"]) == ("plenary", "2021-10-19T08:00:00Z")

    after = await row_counts(app)
    again = await post_import(client, document, dry_run=True)
    assert again.json() == nothing_changed(4)
    reapplied = await post_import(client, document, dry_run=False)
    assert reapplied.json() == nothing_changed(4, dry_run=False)
    assert await row_counts(app) == after


async def test_frab_export_without_guids_imports_idempotently(
    app: FastAPI, builder: ProgramBuilder
) -> None:
    client = builder.client
    document = fixture("frab-schedule.json")
    response = await post_import(client, document, dry_run=False)
    assert response.status_code == 200, response.text
    diff = response.json()
    assert [s["title"] for s in diff["sessions"]["added"]] == [
        "Chemokine receptor bias",
        "Chemokine gradients in lymph nodes",
        "Early-career meetup",
    ]
    guids = [s["guid"] for s in diff["sessions"]["added"]]
    assert guids[0] == "f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b"
    assert len(set(guids)) == 3
    assert diff["stages"]["added"] == ["Auditorium", "Room 101"]
    assert diff["tracks"]["added"] == ["Chemokines"]
    assert diff["people"]["added"] == ["Ingrid Haugland", "Kwame Mensah"]

    sessions = await draft(client)
    bias = sessions["Chemokine receptor bias"]
    assert bias["description"] == "Biased agonism at CCR7.\n\nStructural and cellular views."
    assert [s["name"] for s in bias["talks"][0]["speakers"]] == ["Ingrid Haugland", "Kwame Mensah"]
    gradients = sessions["Chemokine gradients in lymph nodes"]
    assert [s["name"] for s in gradients["talks"][0]["speakers"]] == ["Kwame Mensah"]
    meetup = sessions["Early-career meetup"]
    assert (meetup["session_type"], meetup["may_be_recorded"], meetup["stage"]) == (
        "networking",
        False,
        "Room 101",
    )

    # The GUIDs derived for events without one are the same every time.
    after = await row_counts(app)
    assert (await post_import(client, document, dry_run=False)).json() == nothing_changed(
        3, dry_run=False
    )
    assert await row_counts(app) == after

    # An edit at the source is an update of the same session, field by field.
    edited = copy.deepcopy(document)
    event = edited["schedule"]["conference"]["days"][0]["rooms"]["Auditorium"][1]
    event["date"] = "2021-10-20T10:15:00+01:00"
    event["title"] = "Chemokine gradients in lymph nodes, revisited"
    preview = (await post_import(client, edited, dry_run=True)).json()
    assert preview["sessions"]["updated"] == [
        {
            "guid": guids[1],
            "title": "Chemokine gradients in lymph nodes, revisited",
            "fields": ["title", "starts_at", "ends_at", "talks"],
        }
    ]
    assert preview["sessions"]["unchanged"] == 2
    assert await row_counts(app) == after


async def test_own_export_round_trips_into_an_empty_meeting(
    app: FastAPI, builder: ProgramBuilder
) -> None:
    client = builder.client
    await small_program(builder)
    exported = (await client.get(f"{API}/schedule.json")).json()
    # Into the meeting it came from, it changes nothing (free text kept as written).
    assert (await post_import(client, exported, dry_run=True)).json() == nothing_changed(3)

    # Empty the meeting: every session, stage, track and program person goes.
    for session in (await client.get(f"{API}/draft/sessions")).json():
        assert (await client.delete(f"{API}/draft/sessions/{session['id']}")).status_code == 204
    for kind in ("stages", "tracks"):
        for item in (await client.get(f"{API}/{kind}")).json():
            assert (await client.delete(f"{API}/{kind}/{item['id']}")).status_code == 204
    for name in ("Eleanor Chair", "Sam Speaker"):
        [person] = (await client.get(f"{API}/people", params={"q": name})).json()
        assert (await client.delete(f"{API}/people/{person['id']}")).status_code == 204

    imported = await post_import(client, exported, dry_run=False)
    assert imported.status_code == 200, imported.text
    assert len(imported.json()["sessions"]["added"]) == 3
    republished = await builder.publish()
    assert republished.status_code == 201
    assert republished.json()["changes"] == {"added": 0, "moved": 0, "changed": 0, "cancelled": 0}
    async with app.state.ctx.db.session() as db:
        first, second = (
            await db.scalars(select(ProgramVersion).order_by(ProgramVersion.number))
        ).all()
    assert second.snapshot == first.snapshot
    again = await post_import(client, exported, dry_run=True)
    assert again.json() == nothing_changed(3)


def _broken(document: dict[str, Any], change: Any) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    change(broken["schedule"]["conference"])
    return broken


@pytest.mark.parametrize(
    ("change", "field", "detail"),
    [
        (
            lambda c: c["days"][0]["rooms"]["Hall A"][1].pop("title"),
            "schedule.conference.days[0].rooms.Hall A[1].title",
            "schedule.conference.days[0].rooms.Hall A[1].title: Field required",
        ),
        (
            lambda c: c["days"][1]["rooms"]["Hall A"][0].update(date="2021-10-19T09:00:00"),
            "schedule.conference.days[1].rooms.Hall A[0].date",
            "schedule.conference.days[1].rooms.Hall A[0].date: '2021-10-19T09:00:00' has no "
            "time zone: write it with its UTC offset, as in '2021-10-19T09:00:00+01:00' or "
            "'2021-10-19T09:00:00Z'",
        ),
        (
            lambda c: c["days"][0]["rooms"]["Seminar Room 2"][0].update(duration="45 min"),
            "schedule.conference.days[0].rooms.Seminar Room 2[0].duration",
            "schedule.conference.days[0].rooms.Seminar Room 2[0].duration: '45 min' is not a "
            "duration as HH:MM",
        ),
        (
            lambda c: c["days"].__setitem__(0, "Monday"),
            "schedule.conference.days[0]",
            "schedule.conference.days[0]: Input should be a JSON object",
        ),
        (
            lambda c: c["days"][0]["rooms"]["Hall A"][0]["persons"][1].update(
                name="", public_name=""
            ),
            "schedule.conference.days[0].rooms.Hall A[0].persons[1].name",
            "schedule.conference.days[0].rooms.Hall A[0].persons[1].name: must not be empty",
        ),
    ],
)
async def test_invalid_document_is_refused_naming_the_first_bad_path(
    app: FastAPI, builder: ProgramBuilder, change: Any, field: str, detail: str
) -> None:
    before = await row_counts(app)
    broken = _broken(fixture("pretalx-schedule.json"), change)
    for dry_run in (True, False):
        response = await post_import(builder.client, broken, dry_run=dry_run)
        assert response.status_code == 422
        body = response.json()
        assert (body["detail"], body["field"]) == (detail, field)
    assert await row_counts(app) == before


async def test_malformed_json_is_refused(app: FastAPI, builder: ProgramBuilder) -> None:
    before = await row_counts(app)
    response = await builder.client.post(
        IMPORT,
        content=b'{"schedule": {"version": "1",\n  "conference": }',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "line 2, column 17: malformed JSON: Expecting value"
    not_a_schedule = await post_import(builder.client, [1, 2], dry_run=False)
    assert not_a_schedule.status_code == 422
    assert not_a_schedule.json()["detail"] == (
        'the document must be a JSON object holding a "schedule"'
    )
    assert await row_counts(app) == before


async def test_duplicate_guids_are_refused(app: FastAPI, builder: ProgramBuilder) -> None:
    before = await row_counts(app)
    document = fixture("pretalx-schedule.json")
    hall = document["schedule"]["conference"]["days"][1]["rooms"]["Hall A"]
    hall.append({**hall[0], "date": "2021-10-19T11:00:00+01:00"})
    response = await post_import(builder.client, document, dry_run=False)
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "schedule.conference.days[1].rooms.Hall A[1]: the session GUID "
        "d4a6f2a3-4e5f-5a6b-9c7d-8e9f0a1b2c34 appears twice"
    )
    assert await row_counts(app) == before


async def test_a_failure_midway_leaves_nothing_behind(
    app: FastAPI, builder: ProgramBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stages, tracks and people are written before the sessions: one transaction undoes
    them all when anything after them fails."""
    before = await row_counts(app)

    async def failing(*args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importing, "_sessions", failing)
    with pytest.raises(RuntimeError):
        await post_import(builder.client, fixture("pretalx-schedule.json"), dry_run=False)
    assert await row_counts(app) == before


@pytest.mark.usefixtures("demo_meeting")
async def test_only_organizers_may_import(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    document = fixture("pretalx-schedule.json")
    await csrf(client)
    anonymous = await post_import(client, document, dry_run=True)
    assert anonymous.status_code == 401
    await users.create(Role.attendee, email="attendee@example.org")
    await sign_in(client, "attendee@example.org")
    before = await row_counts(app)
    for path in (IMPORT, f"{IMPORT}/csv"):
        refused = await client.post(path, content=b"{}", params={"dry_run": "false"})
        assert refused.status_code == 403
    assert await row_counts(app) == before


# The console page ----------------------------------------------------------------------


async def test_console_previews_then_applies(app: FastAPI, builder: ProgramBuilder) -> None:
    client = builder.client
    page = await client.get("/console/import")
    assert page.status_code == 200
    assert '<label for="file">Schedule file (.json or .csv)</label>' in page.text
    before = await row_counts(app)
    content = (DATA / "pretalx-schedule.json").read_bytes()
    preview = await client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("pretalx-schedule.json", content, "application/json")},
    )
    assert preview.status_code == 200
    assert "Preview of pretalx-schedule.json: nothing has changed yet" in preview.text
    assert "Sessions: 4 added, 0 updated, 0 unchanged." in preview.text
    assert "<li>Keynote: interferons and COVID-19</li>" in preview.text
    assert await row_counts(app) == before
    token = re.search(r'name="upload" value="([^"]+)"', preview.text)
    assert token is not None

    form = {"action": "apply", "upload": token.group(1), "filename": "pretalx-schedule.json"}
    applied = await client.post("/console/import", data=form)
    assert applied.status_code == 200
    assert "Imported pretalx-schedule.json into the draft" in applied.text
    assert (await row_counts(app))["program_sessions"] == before["program_sessions"] + 4
    again = await client.post("/console/import", data=form)
    assert again.status_code == 422
    assert "That preview has expired or was already imported." in again.text

    unchanged = await client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("pretalx-schedule.json", content, "application/json")},
    )
    assert "Nothing to import: the draft already matches this file." in unchanged.text
    assert 'name="upload"' not in unchanged.text


async def test_console_shows_the_first_bad_path(app: FastAPI, builder: ProgramBuilder) -> None:
    before = await row_counts(app)
    response = await builder.client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("schedule.json", b'{"schedule": {}}', "application/json")},
    )
    assert response.status_code == 422
    assert "1 problem in schedule.json: nothing was imported" in response.text
    assert "<code>schedule.conference</code>" in response.text
    wrong_kind = await builder.client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("schedule.xml", b"<schedule/>", "text/xml")},
    )
    assert wrong_kind.status_code == 422
    assert "Choose a schedule file ending in .json or .csv." in wrong_kind.text
    assert await row_counts(app) == before


@pytest.mark.usefixtures("demo_meeting")
async def test_console_import_is_for_organizers(
    client: httpx.AsyncClient, users: UserFactory
) -> None:
    anonymous = await client.get("/console/import")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/signin?next=/console/import"
    await users.create(Role.attendee, email="attendee@example.org")
    await sign_in(client, "attendee@example.org")
    assert (await client.get("/console/import")).status_code == 403
    posted = await client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("s.json", b"{}", "application/json")},
    )
    assert posted.status_code == 403


# The command line ----------------------------------------------------------------------


def test_cli_import_schedule(tmp_path: Path) -> None:
    """As an operator runs it, after ``migrate`` and ``demo`` (one SQLite database)."""
    var = tmp_path / "var"
    for step in (("migrate",), ("demo",)):
        assert run_cli(var, *step).returncode == 0
    guids = sorted(
        e["guid"]
        for d in fixture("pretalx-schedule.json")["schedule"]["conference"]["days"]
        for r in d["rooms"].values()
        for e in r
    )
    imported = f"SELECT guid FROM program_sessions WHERE guid IN ({','.join('?' * len(guids))})"
    source = str(DATA / "pretalx-schedule.json")

    dry = run_cli(var, "import-schedule", source, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would import: 4 session(s) added, 0 updated, 0 unchanged." in dry.stdout
    assert "  + session Keynote: interferons and COVID-19 (d4a6f2a3-" in dry.stdout
    assert query(var, imported, *guids) == []

    real = run_cli(var, "import-schedule", source)
    assert real.returncode == 0, real.stderr
    assert real.stdout.startswith("Imported: 4 session(s) added, 0 updated, 0 unchanged.")
    assert sorted(row[0] for row in query(var, imported, *guids)) == guids

    bad = tmp_path / "bad.csv"
    bad.write_text("session_title,session_start,session_end\nX,2021-10-18T09:00:00,soon\n")
    refused = run_cli(var, "import-schedule", str(bad))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "Nothing was imported:",
        "  row 2, session_start: '2021-10-18T09:00:00' has no time zone: write it with its "
        "UTC offset, as in '2021-10-18T09:00:00+01:00' or '2021-10-18T09:00:00Z'",
        "  row 2, session_end: 'soon' is not an ISO 8601 date and time",
    ]
