"""Importing posters' abstracts from CSV and XLSX through ``/api/v1/posters/import``."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.accounts.models import Role
from posters.models import Poster
from posters.service import load_poster
from tests.factories import UserFactory, csrf, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.import_files import (
    HEADER,
    csv_bytes,
    good_rows,
    xlsx_bytes,
    zeros_zip,
    zip_bytes,
)
from tests.program.sample_program import publish_sample

URL = "/api/v1/posters/import"
CSV = {"content-type": "text/csv"}


async def _organizer(client: httpx.AsyncClient, users: UserFactory) -> None:
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)


async def _count(app: FastAPI) -> int:
    async with app.state.ctx.db.session() as db:
        return int(await db.scalar(select(func.count()).select_from(Poster)) or 0)


async def _poster(app: FastAPI, board: str) -> Poster:
    async with app.state.ctx.db.session() as db:
        poster_id = await db.scalar(select(Poster.id).where(Poster.board == board))
        assert poster_id is not None
        found = await load_poster(db, meeting_id=1, poster_id=poster_id)
        assert found is not None
        return found


def _summary(report: dict[str, Any]) -> tuple[list[str], list[str], int]:
    boards = {
        o: [r["board"] for r in report["rows"] if r["outcome"] == o] for o in report["counts"]
    }
    assert report["counts"] == {o: len(b) for o, b in boards.items()}
    return (boards["added"], boards["updated"], report["counts"]["unchanged"])


async def test_a_csv_is_previewed_then_applied_then_unchanged(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    tanaka = await users.create(email="tanaka@example.org", name="Ken Tanaka")
    await _organizer(client, users)
    content = csv_bytes(good_rows())
    preview = await client.post(URL, content=content, headers=CSV)
    assert preview.status_code == 200, preview.text
    assert preview.json()["dry_run"] is True
    assert _summary(preview.json()) == (["P1", "P2"], [], 0)
    assert await _count(app) == 0  # the dry run wrote nothing
    applied = await client.post(URL, params={"apply": "true"}, content=content, headers=CSV)
    assert applied.status_code == 200, applied.text
    assert _summary(applied.json()) == (["P1", "P2"], [], 0)
    p1 = await _poster(app, "P1")
    assert (p1.title, p1.state, p1.topic, p1.doi) == (
        "STAT1 kinetics after IFN-γ priming",
        "published",
        "IFN signalling",
        "10.1000/xyz1",
    )
    assert p1.abstract_html == (
        "<p><strong>Background.</strong> Interferon-γ primes macrophages.</p>\n"
    )
    assert [(a.name, a.affiliation, a.presenting, a.user_id) for a in p1.authors] == [
        ("Ada Lovelace", "Karolinska Institutet", False, None),
        ("Ken Tanaka", "Osaka University", True, tanaka.id),
    ]
    assert p1.presenter_id == tanaka.id
    assert [k.label for k in p1.keywords] == ["JAK-STAT", "Macrophages"]
    assert p1.links == [{"label": "Lab", "url": "https://example.org/lab"}]
    assert "karolinska" in p1.search_text
    assert (await _poster(app, "P2")).state == "draft"
    again = await client.post(URL, params={"apply": "true"}, content=content, headers=CSV)
    assert _summary(again.json()) == ([], [], 2)


async def test_a_changed_row_updates_its_poster(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    rows = good_rows()
    await client.post(URL, params={"apply": "true"}, content=csv_bytes(rows), headers=CSV)
    rows[1][1] = "IL-6 trans-signalling in the colon"
    rows[1][7] = "IL-6; gp130"
    response = await client.post(
        URL, params={"apply": "true"}, content=csv_bytes(rows), headers=CSV
    )
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [
        {
            "row": 2,
            "file": None,
            "board": "P1",
            "title": "STAT1 kinetics after IFN-γ priming",
            "outcome": "unchanged",
            "fields": [],
        },
        {
            "row": 3,
            "file": None,
            "board": "P2",
            "title": "IL-6 trans-signalling in the colon",
            "outcome": "updated",
            "fields": ["title", "keywords"],
        },
    ]
    assert response.json()["counts"] == {"added": 0, "updated": 1, "unchanged": 1}
    p2 = await _poster(app, "P2")
    assert p2.title == "IL-6 trans-signalling in the colon"
    assert [k.label for k in p2.keywords] == ["IL-6", "gp130"]
    assert "colon" in p2.search_text


async def test_an_xlsx_workbook_is_imported(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    rows: list[list[object]] = [list(r) for r in good_rows()]
    rows[1][0] = 17  # a board typed as a number
    response = await client.post(
        URL, params={"apply": "true"}, files={"file": ("posters.xlsx", xlsx_bytes(rows))}
    )
    assert response.status_code == 200, response.text
    assert _summary(response.json()) == (["P1", "17"], [], 0)
    assert (await _poster(app, "17")).title == "IL-6 trans-signalling in the gut"


async def test_excel_csv_with_semicolons_and_unknown_columns(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    content = csv_bytes([["P9", "A title", "x"]], header=["BOARD", "title", "Notes"], delimiter=";")
    response = await client.post(URL, content=content, headers=CSV)
    assert response.status_code == 200, response.text
    assert _summary(response.json()) == (["P9"], [], 0)
    assert response.json()["warnings"] == ["the column 'notes' is not one of ours and was ignored"]


async def test_every_bad_row_is_reported_and_nothing_written(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    sample = await publish_sample(client, users)
    rows = [
        ["P1", "Fine", "", "", "", "", "", "", "Evening posters", "", "", ""],
        ["P2", "", "", "", "", "", "", "", "", "", "", ""],
        ["P3", "Bad state", "", "", "", "", "", "", "", "", "", "archived"],
        ["P4", "Bad session", "", "", "", "", "", "", "Lunch posters", "", "", ""],
        ["P1", "Twice", "", "", "", "", "", "", "", "", "", ""],
        ["P6", "T" * 301, "", "", "", "", "", "", "", "", "", ""],
        ["P7", "Keynote", "", "", "", "", "", "", sample.keynote, "", "", ""],
        ["P8", "Who", "", "Ada (X)", "Bob", "", "", "", "", "", "", ""],
        ["P9", "Link", "", "", "", "", "", "", "", "", "https://x.org", ""],
    ]
    response = await client.post(
        URL, params={"apply": "true"}, content=csv_bytes(rows), headers=CSV
    )
    assert response.status_code == 422, response.text
    errors = [(e["row"], e["column"], e["message"]) for e in response.json()["errors"]]
    assert errors == [
        (3, "title", "the title is required"),
        (4, "state", "the state must be one of: draft, submitted, published, withdrawn"),
        (5, "session", "no published session is 'Lunch posters'"),
        (6, "board", "board P1 is also on row 2"),
        (7, "title", "String should have at most 300 characters"),
        (8, "session", "“Interferon keynote” is not a poster session"),
        (9, "presenting_author", "'Bob' is not one of the authors"),
        (10, "links", "write each link as label|url, not 'https://x.org'"),
    ]
    assert await _count(app) == 0


async def test_a_session_is_named_by_title_or_guid(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    sample = await publish_sample(client, users)
    rows = [["P1", "By title", "Evening posters"], ["P2", "By GUID", sample.posters.upper()]]
    content = csv_bytes(rows, header=["board", "title", "session"])
    response = await client.post(URL, params={"apply": "true"}, content=content, headers=CSV)
    assert response.status_code == 200, response.text
    assert (await _poster(app, "P1")).session_guid == sample.posters
    assert (await _poster(app, "P2")).session_guid == sample.posters


async def test_header_problems(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    content = csv_bytes([["x"]], header=["title", "title", "presenting_author"])
    response = await client.post(URL, content=content, headers=CSV)
    assert response.status_code == 422
    assert [(e["row"], e["column"], e["message"]) for e in response.json()["errors"]] == [
        (1, "title", "the column appears twice"),
        (1, "board", "this column is required"),
        (1, "presenting_author", "this column needs the authors column"),
    ]


async def test_who_may_import(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    content = csv_bytes(good_rows())
    await csrf(client)
    anonymous = await client.post(URL, content=content, headers=CSV)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")
    attendee = await users.create()
    await sign_in(client, attendee.email)
    refused = await client.post(URL, content=content, headers=CSV)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert await _count(app) == 0


async def test_refused_files(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    for content, message in (
        (
            b"%PDF-1.7\n\x00\x01\x02",
            "the file is neither a CSV file (UTF-8 text) nor an XLSX workbook",
        ),
        (b"\xff\xfe\x00b\x00o", "the file is neither a CSV file (UTF-8 text) nor an XLSX workbook"),
        (b"PK\x03\x04broken", "the file is neither a CSV file (UTF-8 text) nor an XLSX workbook"),
        (zip_bytes({"notes.txt": b"x"}), "the file is not a readable XLSX workbook"),
        (b"", "the file is empty"),
        (b"board,title\r\n", "row 1: the file has a header but no rows"),
    ):
        response = await client.post(URL, content=content, headers=CSV)
        assert response.status_code == 422, content
        assert response.json()["detail"].removeprefix("file: ") == message
    limit = app.state.ctx.settings.max_import_bytes
    big = await client.post(URL, content=b"board,title\n" + b"x" * limit, headers=CSV)
    assert big.status_code == 413


async def test_a_workbook_that_unpacks_too_large_is_refused(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    bomb = zeros_zip("xl/sharedStrings.xml", 300, head=b"")
    response = await client.post(URL, content=bomb, headers=CSV)
    assert response.status_code == 422
    assert response.json()["detail"] == "file: the workbook unpacks to more than 256 MiB"


async def test_header_only_columns_used_on_update(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    await client.post(URL, params={"apply": "true"}, content=csv_bytes(good_rows()), headers=CSV)
    # Only board and title: the authors, keywords and the rest stay as they were.
    content = csv_bytes([["P1", "New title"]], header=["board", "title"])
    response = await client.post(URL, params={"apply": "true"}, content=content, headers=CSV)
    assert [(r["board"], r["outcome"], r["fields"]) for r in response.json()["rows"]] == [
        ("P1", "updated", ["title"])
    ]
    p1 = await _poster(app, "P1")
    assert len(p1.authors) == 2
    assert p1.state == "published"
    assert HEADER[0] == "Board"


async def test_bad_rows_of_a_workbook_have_their_sheet_row_numbers(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    await _organizer(client, users)
    rows: list[list[object]] = [
        ["P1", "Fine"],
        [None, None],  # an empty row is skipped, but still counted
        ["P3", None],
        ["P 4", "Space in the board"],
    ]
    workbook = xlsx_bytes(rows, header=["board", "title"])
    response = await client.post(URL, content=workbook, headers=CSV)
    assert response.status_code == 422, response.text
    assert [(e["row"], e["column"], e["message"]) for e in response.json()["errors"]] == [
        (4, "title", "the title is required"),
        (5, "board", "a board number has no spaces"),
    ]
    assert await _count(app) == 0
