"""The judge's page and the organizers' Judging console page, with the ranking's CSV and
XLSX downloads."""

from __future__ import annotations

import csv
import io

import httpx
from fastapi import FastAPI
from openpyxl import load_workbook

from conference.accounts.models import Role
from tests.console.pages import HTML, Console, text_of
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.judging_helpers import assign, judge, score

FORM = {"content": "4", "clarity": "4", "design": "3", "presentation": "5", "comment": "Nice."}


async def test_a_judge_scores_on_their_page(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="J1")
    other = await posters.create(board="J2")
    someone = await judge(app, users)
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    await assign(client, poster.id, someone.id)
    await sign_in(client, someone.email)
    home = await client.get("/", headers=HTML)
    assert text_of(home.text, "judging-home") == (
        "Poster judging You judge 1 poster: open your judging page."
    )
    assert 'href="/posters/judging"' in home.text
    page = Console(client)
    listed = await page.get("/posters/judging")
    assert listed.status_code == 200
    assert f'action="/posters/judging/{poster.id}"' in listed.text
    assert f"/posters/judging/{other.id}" not in listed.text
    saved = await page.post(f"/posters/judging/{poster.id}", FORM)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/posters/judging?saved={poster.id}#poster-{poster.id}"
    shown = await page.get("/posters/judging", saved=str(poster.id))
    assert text_of(shown.text, "score-saved") == "Your score is saved."
    assert text_of(shown.text, "my-total") == "Your total: 16 of 20."
    # Bad marks, and another judge's poster.
    for bad in ({**FORM, "design": "6"}, {**FORM, "content": "0"}, {**FORM, "clarity": ""}):
        refused = await page.post(f"/posters/judging/{poster.id}", bad)
        assert refused.status_code == 422
        assert text_of(refused.text, "score-error") is not None
    long = await page.post(f"/posters/judging/{poster.id}", {**FORM, "comment": "x" * 2001})
    assert long.status_code == 422
    control = await page.post(f"/posters/judging/{poster.id}", {**FORM, "comment": "a\x1bb"})
    assert control.status_code == 422
    assert (await page.post(f"/posters/judging/{other.id}", FORM)).status_code == 403
    assert (await client.get(f"/api/v1/posters/{poster.id}/score")).json()["total"] == 16


async def test_the_judging_console_is_for_organizers(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    attendee = await users.create()
    await sign_in(client, attendee.email)
    assert 'data-testid="judging-home"' not in (await client.get("/", headers=HTML)).text
    for path in (
        "/console/judging",
        "/console/judging/ranking.csv",
        "/console/judging/ranking.xlsx",
    ):
        assert (await client.get(path, headers=HTML)).status_code == 403, path
    page = Console(client)
    for path in ("/console/judging/open", "/console/judging/assign", "/console/judging/auto"):
        assert (await page.post(path, {"judging_open": "0"})).status_code == 403, path


async def test_organizers_assign_rank_export_and_award_on_the_console(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    p1 = await posters.create(board="C1", title="=cmd|' /C calc'!A0")
    p2 = await posters.create(board="C2", title="IL-6 trans-signalling")
    first = await judge(app, users, name="First", email="first@example.org")
    second = await judge(app, users, name="Second", email="second@example.org")
    conflicted = await judge(
        app, users, name="Kaja", email="kaja@example.org", affiliation="karolinska institutet"
    )
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    page = Console(client)
    ok = await page.post("/console/judging/assign", {"board": "C1", "email": "FIRST@example.org"})
    assert ok.status_code == 303
    refused = await page.post(
        "/console/judging/assign", {"board": "C1", "email": "kaja@example.org"}
    )
    assert refused.status_code == 409
    assert "Conflict of interest: Kaja" in (text_of(refused.text, "judging-error") or "")
    nobody = await page.post(
        "/console/judging/assign", {"board": "C9", "email": "first@example.org"}
    )
    assert nobody.status_code == 404
    auto = await page.post(
        "/console/judging/auto",
        {"per_poster": "2", "judges": "first@example.org\nsecond@example.org\nkaja@example.org"},
    )
    assert auto.status_code == 303
    assert (
        await page.post("/console/judging/auto", {"per_poster": "9", "judges": "x"})
    ).status_code == 422
    listed = (await client.get("/api/v1/posters/judging/assignments")).json()
    assert sorted((a["board"], a["judge_name"]) for a in listed) == [
        ("C1", "First"),
        ("C1", "Second"),
        ("C2", "First"),
        ("C2", "Second"),
    ]
    del conflicted
    await sign_in(client, first.email)
    await score(client, p1.id, comment="-1+1 looks off")
    await score(client, p2.id, content=3)
    await sign_in(client, second.email)
    await score(client, p1.id, comment="@SUM(A1)")
    await sign_in(client, organizer.email)

    shown = await page.get("/console/judging")
    assert shown.status_code == 200
    ranking = text_of(shown.text, "ranking") or ""
    assert "First: content 5, clarity 4, design 3, presentation 4 (total 16)" in ranking
    assert "Second" in ranking

    exported = await client.get("/console/judging/ranking.csv", headers=HTML)
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "rank", "board", "title", "topic", "mean total", "scores", "judge",
        "content", "clarity", "design", "presentation", "total", "comment",
    ]  # fmt: skip
    title = "'=cmd|' /C calc'!A0"
    assert rows[1:] == [
        ["1", "C1", title, "IFN signalling", "16.0", "2", "First",
         "5", "4", "3", "4", "16", "'-1+1 looks off"],
        ["1", "C1", title, "IFN signalling", "16.0", "2", "Second",
         "5", "4", "3", "4", "16", "'@SUM(A1)"],
        ["2", "C2", "IL-6 trans-signalling", "IFN signalling", "14.0", "1", "First",
         "3", "4", "3", "4", "14", "Clear kinetics."],
    ]  # fmt: skip

    workbook = await client.get("/console/judging/ranking.xlsx", headers=HTML)
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames == ["Judging", "People's choice"]
    judged = [list(r) for r in book["Judging"].iter_rows(values_only=True)]
    assert judged[1] == [
        1, "C1", title, "IFN signalling", 16, 2, "First",
        5, 4, 3, 4, 16, "'-1+1 looks off",
    ]  # fmt: skip
    assert [r[1] for r in judged[1:]] == ["C1", "C1", "C2"]
    voted = [list(r) for r in book["People's choice"].iter_rows(values_only=True)]
    assert voted == [
        ["rank", "board", "title", "votes"],
        [1, "C1", title, 0],
        [1, "C2", "IL-6 trans-signalling", 0],
    ]

    given = await page.post(
        "/console/judging/awards", {"board": "C2", "title": "Best poster: IL-6", "published": "1"}
    )
    assert given.status_code == 303
    gallery = await client.get("/posters", headers=HTML)
    assert "Best poster: IL-6" in (text_of(gallery.text, "award-badges") or "")
    closed = await page.post("/console/judging/open", {"judging_open": "0"})
    assert closed.status_code == 303
    await sign_in(client, first.email)
    assert (await score(client, p2.id)).status_code == 409


async def test_organizers_remove_judges_and_hide_awards_on_the_console(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="H1")
    someone = await judge(app, users, name="Hana")
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    page = Console(client)
    await assign(client, poster.id, someone.id)
    removed = await page.post(
        f"/console/judging/posters/{poster.id}/judges/{someone.id}/remove", {}
    )
    assert removed.status_code == 303
    assert (await client.get("/api/v1/posters/judging/assignments")).json() == []
    again = await page.post(f"/console/judging/posters/{poster.id}/judges/{someone.id}/remove", {})
    assert again.status_code == 404
    await page.post("/console/judging/awards", {"board": "H1", "title": "People's choice"})
    (award,) = (await client.get(f"/api/v1/posters/{poster.id}/awards")).json()
    assert award["published"] is False
    too_long = await page.post("/console/judging/awards", {"board": "H1", "title": "x" * 121})
    assert too_long.status_code == 422
    shown = await page.post(f"/console/judging/awards/{award['id']}/publish", {"published": "1"})
    assert shown.status_code == 303
    attendee = await users.create()
    await sign_in(client, attendee.email)
    assert "People's choice" in (
        text_of((await client.get(f"/posters/{poster.id}")).text, "award-badges") or ""
    )
    await sign_in(client, organizer.email)
    await page.post(f"/console/judging/awards/{award['id']}/publish", {"published": "0"})
    await sign_in(client, attendee.email)
    assert 'data-testid="award-badges"' not in (await client.get(f"/posters/{poster.id}")).text
    await sign_in(client, organizer.email)
    deleted = await page.post(f"/console/judging/awards/{award['id']}/delete", {})
    assert deleted.status_code == 303
    assert (await client.get(f"/api/v1/posters/{poster.id}/awards")).json() == []
