"""The published program as frab/c3voc schedule JSON, checked against the shared schema."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator, FormatChecker  # type: ignore[import-untyped]

from tests.program.factories import API, ProgramBuilder, small_program

pytestmark = pytest.mark.usefixtures("demo_meeting")

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[4] / "shared/interop/frab-schedule.schema.json").read_text()
)
SCHEDULE = f"{API}/schedule.json"


def _aware(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def validate(document: dict[str, Any]) -> None:
    """Raise unless ``document`` is valid, formats included (uuid, date, our date-time)."""
    checker = FormatChecker()
    # jsonschema checks date-time only with an optional package; this check is stricter.
    checker.checks("date-time")(_aware)
    Draft6Validator(SCHEMA, format_checker=checker).validate(document)


async def test_unpublished_program_is_404(builder: ProgramBuilder) -> None:
    response = await builder.client.get(SCHEDULE)
    assert response.status_code == 404
    assert response.json() == {
        "detail": "The program has not been published yet.",
        "code": "notfound",
    }


async def test_export_is_valid_and_exact(builder: ProgramBuilder) -> None:
    made = await small_program(builder)
    response = await builder.client.get(SCHEDULE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    validate(document)
    schedule = document["schedule"]
    assert schedule["version"] == "1"
    assert schedule["base_url"] == "http://testserver/"
    conference = schedule["conference"]
    assert {k: conference[k] for k in ("acronym", "start", "end", "daysCount")} == {
        "acronym": "cytokines_2021",
        "start": "2021-10-17",
        "end": "2021-10-20",
        "daysCount": 4,
    }
    assert conference["time_zone_name"] == "Europe/London"
    assert conference["tracks"] == [
        {"name": "Interferons", "slug": "interferons", "color": "#7a1538"}
    ]
    assert conference["rooms"] == [
        {
            "name": "Main Stage",
            "guid": made["main"]["guid"],
            "type": "lecturehall",
            "slug": "main-stage",
        },
        {"name": "Stage B", "guid": made["side"]["guid"], "type": "online", "slug": "stage-b"},
    ]
    days = conference["days"]
    assert [(d["index"], d["date"], list(d["rooms"])) for d in days] == [
        (n, f"2021-10-{16 + n}", ["Main Stage", "Stage B"]) for n in range(1, 5)
    ]
    assert days[1]["day_start"] == "2021-10-18T00:00:00+01:00"
    assert days[1]["day_end"] == "2021-10-19T00:00:00+01:00"
    assert [e["title"] for e in days[0]["rooms"]["Main Stage"]] == ["Opening plenary"]
    [event] = days[1]["rooms"]["Main Stage"]
    chair, speaker = made["chair"], made["speaker"]
    guid = made["symposium"]["guid"]
    assert event.pop("id") >= 1
    assert event.pop("slug").startswith("cytokines_2021-")
    assert event == {
        "guid": guid,
        "date": "2021-10-18T09:00:00+01:00",
        "start": "09:00",
        "end": "2021-10-18T10:30:00+01:00",
        "duration": "01:30",
        "room": "Main Stage",
        "url": f"http://testserver/program/sessions/{guid}",
        "title": "Interferons in infection",
        "subtitle": None,
        "track": "Interferons",
        "type": "symposium",
        "language": "en",
        "abstract": "Type I and III interferons.\n",
        "description": (
            "Chairs: Eleanor Chair\n\nTalks:\n"
            "09:05-09:25 Type I IFN, by Sam Speaker (University of Pennsylvania)\n"
            "09:30-09:55 IFN-lambda at barriers, by Sam Speaker (University of Pennsylvania), "
            "Eleanor Chair (University of Toronto)"
        ),
        "do_not_record": False,
        "persons": [
            {
                "guid": chair["guid"],
                "name": "Eleanor Chair",
                "public_name": "Eleanor Chair",
                "biography": None,
            },
            {
                "guid": speaker["guid"],
                "name": "Sam Speaker",
                "public_name": "Sam Speaker",
                "biography": "Studies IL-27.",
                "avatar": "https://example.org/sam.jpg",
            },
        ],
        "links": [],
    }
    [coffee] = days[1]["rooms"]["Stage B"]
    assert (coffee["type"], coffee["do_not_record"], coffee["duration"]) == ("break", True, "00:30")
    assert (coffee["persons"], coffee["description"]) == ([], None)
    # Talks, chairs and CME travel exactly in the meta block our own import reads.
    meta = conference["meta"]["cytokines-conference"]["sessions"][guid]
    assert meta["chairs"] == [chair["guid"]]
    assert (meta["cme_accredited"], meta["cme_minutes"]) == (True, 90)
    assert [(t["title"], t["starts_at"], t["duration_minutes"]) for t in meta["talks"]] == [
        ("Type I IFN", "2021-10-18T09:05:00+01:00", 20),
        ("IFN-lambda at barriers", "2021-10-18T09:30:00+01:00", 25),
    ]


async def test_caching_headers_and_guids_stable_across_publications(
    builder: ProgramBuilder,
) -> None:
    made = await small_program(builder)
    first = await builder.client.get(SCHEDULE)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    unchanged = await builder.client.get(SCHEDULE, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.headers["etag"] == etag

    moved = await builder.client.patch(
        f"{API}/draft/sessions/{made['coffee']['id']}",
        json={"starts_at": "2021-10-18T11:00:00+01:00", "ends_at": "2021-10-18T11:15:00+01:00"},
    )
    assert moved.status_code == 200
    assert (await builder.publish()).status_code == 201
    second = await builder.client.get(SCHEDULE, headers={"If-None-Match": etag})
    assert second.status_code == 200
    assert second.headers["etag"] != etag
    validate(second.json())

    def identities(document: dict[str, Any]) -> dict[str, Any]:
        conference = document["schedule"]["conference"]
        events = [e for d in conference["days"] for r in d["rooms"].values() for e in r]
        return {
            "rooms": [r["guid"] for r in conference["rooms"]],
            "events": sorted((e["guid"], e["id"], e["slug"]) for e in events),
            "persons": sorted({p["guid"] for e in events for p in e["persons"]}),
        }

    assert identities(first.json()) == identities(second.json())
    assert second.json()["schedule"]["version"] == "2"
    [coffee] = second.json()["schedule"]["conference"]["days"][1]["rooms"]["Stage B"]
    assert (coffee["date"], coffee["duration"]) == ("2021-10-18T11:00:00+01:00", "00:15")
