"""CSV import of sessions and talks (docs/CSV_IMPORT.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.program.factories import API, ProgramBuilder
from tests.program.imports import draft, nothing_changed, row_counts

pytestmark = pytest.mark.usefixtures("demo_meeting")

CSV = (Path(__file__).parents[1] / "data" / "sessions.csv").read_bytes()
IMPORT_CSV = f"{API}/import/csv"
HEADER = (
    "session_guid,session_title,session_type,session_description,track,stage,session_start,"
    "session_end,chairs,cme_accredited,cme_minutes,may_be_recorded,talk_guid,talk_title,"
    "talk_start,talk_duration_minutes,speakers,abstract"
)


async def post_csv(client: httpx.AsyncClient, content: bytes, *, dry_run: bool) -> httpx.Response:
    return await client.post(
        IMPORT_CSV,
        params={"dry_run": str(dry_run).lower()},
        content=content,
        headers={"Content-Type": "text/csv; charset=utf-8"},
    )


async def test_csv_creates_sessions_talks_and_people(app: FastAPI, builder: ProgramBuilder) -> None:
    client = builder.client
    before = await row_counts(app)
    preview = await post_csv(client, CSV, dry_run=True)
    assert preview.status_code == 200, preview.text
    diff = preview.json()
    assert [s["title"] for s in diff["sessions"]["added"]] == [
        "Cytokines in cancer",
        "Coffee break",
    ]
    assert diff["sessions"]["added"][1]["guid"] == "6a0f4c1e-2d3b-4e5f-8a9b-0c1d2e3f4a5b"
    assert diff["stages"] == {"added": ["Main Stage"], "updated": []}
    assert diff["tracks"] == {"added": ["Cytokines in cancer"], "updated": []}
    # The chairs are committee members of the demo meeting: matched by name, not added.
    assert diff["people"] == {"added": ["Ana Ruiz", "Ben Okafor", "Chen Wei"], "updated": []}
    assert await row_counts(app) == before

    applied = await post_csv(client, CSV, dry_run=False)
    assert applied.json() == {**diff, "dry_run": False}
    sessions = await draft(client)
    cancer = sessions["Cytokines in cancer"]
    assert (cancer["session_type"], cancer["stage"], cancer["track"]) == (
        "symposium",
        "Main Stage",
        "Cytokines in cancer",
    )
    assert (cancer["starts_at"], cancer["ends_at"]) == (
        "2021-10-19T12:00:00Z",
        "2021-10-19T13:30:00Z",
    )
    assert (cancer["cme_accredited"], cancer["cme_minutes"], cancer["may_be_recorded"]) == (
        True,
        90,
        True,
    )
    assert [(c["name"], c["affiliation"]) for c in cancer["chairs"]] == [
        ("Iain B. McInnes", "University of Glasgow"),
        ("Awen M. Gallimore", "Cardiff University"),
    ]
    # Talks without a start follow the one before them.
    assert [
        (
            t["title"],
            t["starts_at"],
            t["duration_minutes"],
            [(s["name"], s["affiliation"]) for s in t["speakers"]],
        )
        for t in cancer["talks"]
    ] == [
        (
            "IL-2 muteins in the clinic",
            "2021-10-19T12:05:00Z",
            25,
            [("Ana Ruiz", "Karolinska Institutet"), ("Ben Okafor", "")],
        ),
        ("IL-12 and tumour control", "2021-10-19T12:30:00Z", 25, [("Ben Okafor", "")]),
        (
            "Type I IFN in checkpoint blockade",
            "2021-10-19T12:55:00Z",
            30,
            [("Chen Wei", "Peking University")],
        ),
    ]
    assert cancer["talks"][0]["abstract"] == "Engineered IL-2, with fewer side effects."
    coffee = sessions["Coffee break"]
    assert (coffee["session_type"], coffee["may_be_recorded"], coffee["talks"]) == (
        "break",
        False,
        [],
    )

    after = await row_counts(app)
    assert (await post_csv(client, CSV, dry_run=False)).json() == nothing_changed(2, dry_run=False)
    assert await row_counts(app) == after


async def test_multipart_upload_and_semicolons(builder: ProgramBuilder) -> None:
    """Spreadsheets in many locales save CSV with semicolons; a form upload works too."""
    content = (
        HEADER.replace(",", ";")
        + "\n;Networking lounge;networking;;;Lounge;2021-10-18T17:00:00+01:00;"
        + "2021-10-18T18:00:00+01:00;;;;;;;;;;\n"
    ).encode()
    response = await builder.client.post(
        IMPORT_CSV,
        params={"dry_run": "true"},
        files={"file": ("program.csv", content, "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert [s["title"] for s in response.json()["sessions"]["added"]] == ["Networking lounge"]


async def test_bad_rows_are_each_reported_and_nothing_changes(
    app: FastAPI, builder: ProgramBuilder
) -> None:
    rows = [
        # 2: a time without its zone, and a bad number of CME minutes
        ",Interferons,symposium,,,Stage A,2021-10-18T09:00:00,2021-10-18T10:00:00+01:00,,,lots,,,"
        "Talk one,,20,,",
        # 3: fine
        ",Chemokines,symposium,,,Stage A,2021-10-18T11:00:00+01:00,2021-10-18T12:00:00+01:00,,,,,,"
        "Talk two,,20,,",
        # 4: the same session as row 3, but with a talk without a length
        ",Chemokines,,,,,2021-10-18T11:00:00+01:00,,,,,,,Talk three,,,,",
        # 5: an unknown session type, and a speaker that is only an affiliation
        ",Awards,lecture,,,Stage A,2021-10-18T13:00:00+01:00,2021-10-18T14:00:00+01:00,,,,,,"
        "Prize talk,,20,(Cardiff University),",
        # 6: ends before it starts
        ",Backwards,,,,Stage A,2021-10-18T15:00:00+01:00,2021-10-18T14:00:00+01:00,,,,,,,,,,",
    ]
    content = "\n".join([HEADER, *rows]).encode()
    before = await row_counts(app)
    response = await post_csv(builder.client, content, dry_run=False)
    assert response.status_code == 422
    body = response.json()
    assert [(e["row"], e["column"], e["message"]) for e in body["errors"]] == [
        (
            2,
            "session_start",
            "'2021-10-18T09:00:00' has no time zone: write it with its UTC offset, as in "
            "'2021-10-18T09:00:00+01:00' or '2021-10-18T09:00:00Z'",
        ),
        (2, "cme_minutes", "'lots' is not a whole number of minutes from 0 to 1440"),
        (4, "talk_duration_minutes", "a talk needs its length in minutes"),
        (
            5,
            "session_type",
            "'lecture' is not one of plenary, symposium, workshop, poster_session, "
            "award_ceremony, industry_symposium, networking, break",
        ),
        (5, "speakers", "'(Cardiff University)' is not a name, or a name and (affiliation)"),
        (6, "session_end", "a session must end after it starts"),
    ]
    assert body["field"] == "row 2"
    assert body["detail"].startswith("6 problems, nothing imported: row 2, session_start: ")
    assert await row_counts(app) == before


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (b"", [(1, None, "the file is empty: the first row must name the columns")]),
        (
            b"session_title,session_start,room\n",
            [
                (1, "room", "unknown column 'room'; the columns are: " + HEADER.replace(",", ", ")),
                (1, "session_end", "this column is required"),
            ],
        ),
        (
            b"session_title,session_start,session_end\n",
            [(1, None, "the file has a header but no rows")],
        ),
        (
            b"session_title,session_start,session_end\nA,2021-10-18T09:00:00Z,2021-10-18T10:00Z,x\n",
            [(2, None, "has 4 cells, the header 3")],
        ),
        (b"\xff\xfe", [(None, None, "the file is not UTF-8 text")]),
        (
            b"session_guid,session_title,session_start,session_end\n"
            b"6a0f4c1e-2d3b-4e5f-8a9b-0c1d2e3f4a5b,,2021-10-18T09:00:00Z,2021-10-18T10:00:00Z\n",
            [(2, "session_title", "this column is required")],
        ),
        (
            b"session_title,session_start,session_end\n" + b"x" * 140_000 + b",,\n",
            [
                (
                    2,
                    None,
                    "not readable as CSV: field larger than field limit (131072)",
                )
            ],
        ),
    ],
)
async def test_unreadable_files(
    builder: ProgramBuilder, content: bytes, errors: list[tuple[Any, ...]]
) -> None:
    response = await post_csv(builder.client, content, dry_run=True)
    assert response.status_code == 422
    assert [(e["row"], e["column"], e["message"]) for e in response.json()["errors"]] == errors


async def test_a_talk_moves_between_sessions_by_guid(app: FastAPI, builder: ProgramBuilder) -> None:
    talk = "0b5d0b6e-8a7c-4d1e-9f2a-3b4c5d6e7f80"
    morning = ",Morning,,,,,2021-10-18T09:00:00Z,2021-10-18T10:00:00Z,,,,,"
    afternoon = ",Afternoon,,,,,2021-10-18T13:00:00Z,2021-10-18T14:00:00Z,,,,,"
    first = f"{HEADER}\n{morning}{talk},IL-6,,20,Kim,\n{afternoon},,,,,\n"
    assert (await post_csv(builder.client, first.encode(), dry_run=False)).status_code == 200
    counts = await row_counts(app)
    # The file lists only the afternoon: the morning session keeps its place, loses the talk.
    second = f"{HEADER}\n{afternoon}{talk},IL-6,,20,Kim,\n"
    moved = await post_csv(builder.client, second.encode(), dry_run=False)
    assert moved.status_code == 200, moved.text
    assert [(s["title"], s["fields"]) for s in moved.json()["sessions"]["updated"]] == [
        ("Afternoon", ["talks"]),
        ("Morning", ["talks"]),
    ]
    sessions = await draft(builder.client)
    assert sessions["Morning"]["talks"] == []
    [moved_talk] = sessions["Afternoon"]["talks"]
    assert (moved_talk["guid"], moved_talk["starts_at"]) == (talk, "2021-10-18T13:00:00Z")
    assert await row_counts(app) == counts
    assert (await post_csv(builder.client, second.encode(), dry_run=True)).json() == (
        nothing_changed(1)
    )


async def test_console_lists_each_bad_row(app: FastAPI, builder: ProgramBuilder) -> None:
    content = (
        f"{HEADER}\n"
        ",Interferons,,,,,2021-10-18T09:00:00,2021-10-18T10:00:00+01:00,,,,,,,,,,\n"
        ",Chemokines,,,,,2021-10-18T11:00:00+01:00,2021-10-18T12:00:00+01:00,,,,maybe,,,,,,\n"
    ).encode()
    before = await row_counts(app)
    response = await builder.client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("program.csv", content, "text/csv")},
    )
    assert response.status_code == 422
    assert "2 problems in program.csv: nothing was imported" in response.text
    assert "<td>Row 2</td><td><code>session_start</code></td>" in response.text
    row_3 = "<td>Row 3</td><td><code>may_be_recorded</code></td>"
    assert row_3 + "<td>&#39;maybe&#39; is not yes or no</td>" in response.text
    assert await row_counts(app) == before

    good = await builder.client.post(
        "/console/import",
        data={"action": "preview"},
        files={"file": ("sessions.csv", CSV, "text/csv")},
    )
    assert good.status_code == 200
    assert "Sessions: 2 added, 0 updated, 0 unchanged." in good.text
