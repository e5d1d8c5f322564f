"""Imports that used to drop data silently: the schedule2 form, and rooms sharing a GUID.

A hub/c3voc "schedule2" file (events under ``schedule.events``, rooms, tracks and people
referenced) answered 200 and imported nothing; a pretalx file giving two rooms one GUID
put the second room's sessions into the first. The files in ``data/`` are written by hand
in the shape those tools write.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi import FastAPI

from conference.program.interop.plan import ImportDiff
from tests.program.factories import API, ProgramBuilder
from tests.program.imports import (
    DATA,
    draft,
    fixture,
    nothing_changed,
    post_import,
    row_counts,
)

THEATRE = "9a7e4c21-3b5d-4f60-8a1b-2c3d4e5f6071"
ALPHA_BETA = "7c1b5e0a-2f3d-5a4e-8b6c-0d1e2f3a4b5c"
SHARED_WARNING = (
    f"schedule.conference.rooms: the rooms Room Alpha, Room Beta share the GUID {ALPHA_BETA}: "
    "they are imported as separate stages, each matched by its name (the GUID is not used "
    "for them)"
)


async def test_schedule2_imports_events_rooms_tracks_and_people(
    app: FastAPI, builder: ProgramBuilder
) -> None:
    client = builder.client
    document = fixture("hub-schedule2.json")
    before = await row_counts(app)
    expected = {
        "dry_run": True,
        "sessions": {
            "added": [
                {
                    "guid": "e1d2c3b4-a596-4877-8899-aabbccddee01",
                    "title": "The JAK1 pseudokinase domain as a drug target",
                },
                {
                    "guid": "e1d2c3b4-a596-4877-8899-aabbccddee02",
                    "title": "Phospho-STAT flow cytometry, hands on",
                },
                {"guid": "e1d2c3b4-a596-4877-8899-aabbccddee03", "title": "Lunch break"},
            ],
            "updated": [],
            "unchanged": 0,
        },
        "stages": {"added": ["Lecture Theatre 1", "Workshop Room B"], "updated": []},
        "tracks": {"added": ["Signalling", "Clinical translation"], "updated": []},
        "people": {"added": ["Ines Duarte", "Kwame Mensah"], "updated": []},
    }
    preview = await post_import(client, document, dry_run=True)
    assert preview.status_code == 200, preview.text
    assert preview.json() == expected
    assert await row_counts(app) == before

    applied = await post_import(client, document, dry_run=False)
    assert applied.status_code == 200, applied.text
    assert applied.json() == {**expected, "dry_run": False}

    stages = (await client.get(f"{API}/stages")).json()
    assert [(s["name"], s["slug"], s["guid"]) for s in stages] == [
        ("Lecture Theatre 1", "lecture-theatre-1", "9a7e4c21-3b5d-4f60-8a1b-2c3d4e5f6071"),
        ("Workshop Room B", "workshop-room-b", "9a7e4c21-3b5d-4f60-8a1b-2c3d4e5f6072"),
    ]
    tracks = (await client.get(f"{API}/tracks")).json()
    assert [(t["name"], t["slug"], t["color"]) for t in tracks] == [
        ("Signalling", "signalling", "#2e6b9e"),
        ("Clinical translation", "clinical-translation", "#8b3a62"),
    ]
    people = (await client.get(f"{API}/people", params={"q": "e"})).json()
    ines = next(p for p in people if p["name"] == "Ines Duarte")
    assert ines["guid"] == "c0ffee00-1111-4222-8333-444455556601"
    assert ines["biography"] == "Structural biologist working on Janus kinases."
    assert ines["photo_url"] == "https://hub.example.org/media/avatars/duarte.png"

    sessions = await draft(client)
    jak1 = sessions["The JAK1 pseudokinase domain as a drug target"]
    assert (jak1["stage"], jak1["track"], jak1["starts_at"], jak1["ends_at"]) == (
        "Lecture Theatre 1",
        "Signalling",  # referenced by slug
        "2021-10-18T08:30:00Z",
        "2021-10-18T09:15:00Z",
    )
    assert jak1["description"] == (
        "Allosteric inhibitors that bind the JH2 domain.\n\n"
        "Structures, selectivity and first cellular data."
    )
    [talk] = jak1["talks"]
    assert (talk["starts_at"], talk["duration_minutes"]) == ("2021-10-18T08:30:00Z", 45)
    assert [s["name"] for s in talk["speakers"]] == ["Ines Duarte", "Kwame Mensah"]
    flow = sessions["Phospho-STAT flow cytometry, hands on"]
    # The room referenced by GUID alone; the English of a text given per language.
    assert (flow["stage"], flow["track"], flow["session_type"]) == (
        "Workshop Room B",
        "Clinical translation",
        "workshop",
    )
    assert (flow["description"], flow["may_be_recorded"]) == ("Phospho-flow in practice.", False)
    assert [s["name"] for s in flow["talks"][0]["speakers"]] == ["Kwame Mensah"]
    lunch = sessions["Lunch break"]
    assert (lunch["stage"], lunch["track"], lunch["talks"]) == ("Lecture Theatre 1", None, [])

    after = await row_counts(app)
    again = await post_import(client, document, dry_run=False)
    assert again.json() == nothing_changed(3, dry_run=False)
    assert await row_counts(app) == after


def _events(document: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = document["schedule"]["events"]
    return events


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (
            lambda d: _events(d)[1]["room"].update(guid="00000000-0000-4000-8000-000000000000"),
            "schedule.events[1].room: no room with GUID 00000000-0000-4000-8000-000000000000 "
            "in schedule.conference.rooms",
        ),
        (
            lambda d: _events(d)[0].pop("start"),
            "schedule.events[0].start: missing: an event needs its start with a UTC offset",
        ),
        (
            lambda d: _events(d)[2].update(start="2021-10-18T12:30:00"),
            "schedule.events[2].start: '2021-10-18T12:30:00' has no time zone: write it with "
            "its UTC offset, as in '2021-10-18T12:30:00+01:00' or '2021-10-18T12:30:00Z'",
        ),
        (
            lambda d: _events(d)[0].update(title=None),
            "schedule.events[0].title: Input should be a valid string",
        ),
        (lambda d: d["schedule"].update(events={}), "schedule.events: must be a list of events"),
        (
            # Two rooms with one GUID, and an event naming its room by that GUID alone.
            lambda d: [
                d["schedule"]["conference"]["rooms"][1].update(guid=THEATRE),
                _events(d)[1]["room"].update(guid=THEATRE),
            ],
            f"schedule.events[1].room: the room GUID {THEATRE} belongs to several rooms "
            "(Lecture Theatre 1, Workshop Room B): name the event's room",
        ),
        (
            lambda d: d["schedule"].update(events=[]),
            "schedule: the file holds no events (looked in schedule.conference.days[].rooms "
            "and schedule.events): nothing to import",
        ),
    ],
)
async def test_schedule2_problems_are_refused_naming_the_path(
    app: FastAPI, builder: ProgramBuilder, change: Any, detail: str
) -> None:
    before = await row_counts(app)
    document = copy.deepcopy(fixture("hub-schedule2.json"))
    change(document)
    for dry_run in (True, False):
        response = await post_import(builder.client, document, dry_run=dry_run)
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == detail
    assert await row_counts(app) == before


async def test_rooms_sharing_a_guid_stay_apart_and_the_diff_says_so(
    app: FastAPI, builder: ProgramBuilder
) -> None:
    client = builder.client
    document = fixture("pretalx-shared-room-guid.json")
    preview = await post_import(client, document, dry_run=True)
    assert preview.status_code == 200, preview.text
    assert preview.json()["warnings"] == [SHARED_WARNING]
    assert preview.json()["stages"] == {"added": ["Room Alpha", "Room Beta"], "updated": []}

    applied = await post_import(client, document, dry_run=False)
    assert applied.status_code == 200
    assert applied.json() == {**preview.json(), "dry_run": False}
    sessions = await draft(client)
    # Each session in the room the file puts it in (one GUID used to merge Beta into Alpha).
    assert {title: s["stage"] for title, s in sessions.items() if "IL-6" in title} == {
        "Trans-signalling through soluble IL-6R": "Room Alpha",
        "IL-6 in cytokine release syndrome": "Room Beta",
        "Discussion: IL-6 blockade beyond rheumatology": "Room Beta",
    }
    stages = {s["name"]: s["guid"] for s in (await client.get(f"{API}/stages")).json()}
    assert stages["Room Alpha"] != stages["Room Beta"]
    assert ALPHA_BETA not in stages.values()

    # Importing it again matches the rooms by name: nothing changes, the warning stays.
    again = await post_import(client, document, dry_run=False)
    assert again.json() == {**nothing_changed(3, dry_run=False), "warnings": [SHARED_WARNING]}

    page = await client.post(
        "/console/import",
        data={"action": "preview"},
        files={
            "file": (
                "democon.json",
                (DATA / "pretalx-shared-room-guid.json").read_bytes(),
                "application/json",
            )
        },
    )
    assert page.status_code == 200
    assert 'data-testid="import-warnings"' in page.text
    assert f"share the GUID {ALPHA_BETA}: they are imported as separate stages" in page.text


async def test_schedule2_rooms_sharing_a_guid_are_told_apart_by_name(
    builder: ProgramBuilder,
) -> None:
    document = copy.deepcopy(fixture("hub-schedule2.json"))
    document["schedule"]["conference"]["rooms"][1]["guid"] = THEATRE
    _events(document)[1]["room"] = {"guid": THEATRE, "name": "Workshop Room B"}
    applied = await post_import(builder.client, document, dry_run=False)
    assert applied.status_code == 200, applied.text
    assert applied.json()["warnings"] == [
        "schedule.conference.rooms: the rooms Lecture Theatre 1, Workshop Room B share the "
        f"GUID {THEATRE}: they are imported as separate stages, each matched by its name "
        "(the GUID is not used for them)"
    ]
    sessions = await draft(builder.client)
    assert sessions["Phospho-STAT flow cytometry, hands on"]["stage"] == "Workshop Room B"
    assert sessions["Lunch break"]["stage"] == "Lecture Theatre 1"


def test_diff_lines_and_json_carry_warnings_only_when_there_are_some() -> None:
    quiet = ImportDiff(dry_run=True)
    assert "warnings" not in json.loads(quiet.model_dump_json())
    noisy = ImportDiff(dry_run=True, warnings=[SHARED_WARNING])
    assert json.loads(noisy.model_dump_json())["warnings"] == [SHARED_WARNING]
    assert f"  ! {SHARED_WARNING}" in noisy.lines()
