"""Judging through the API: assignments, conflicts of interest, scores, the ranking,
awards, and what deleting a judge's account keeps."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts.models import Role, User
from posters.judging.models import JudgeAssignment
from posters.judging.service import normalise_affiliation
from posters.models import Poster
from tests.factories import PASSWORD, UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.judging_helpers import RUBRIC, assign, judge, score


async def _organizer(client: httpx.AsyncClient, users: UserFactory) -> User:
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    return organizer


def test_affiliations_compare_without_case_spacing_or_punctuation() -> None:
    assert normalise_affiliation("  Karolinska   Institutet. ") == "karolinska institutet"
    assert normalise_affiliation("KAROLINSKA-Institutet") == "karolinska institutet"
    assert normalise_affiliation("Université de Paris") == "université de paris"
    assert normalise_affiliation("...") == ""


async def test_an_organizer_assigns_and_unassigns_a_judge(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="P1")
    someone = await judge(app, users, affiliation="MIT", name="Jo Judge")
    await _organizer(client, users)
    first = await assign(client, poster.id, someone.id)
    assert first.status_code == 201, first.text
    assert first.json() == {
        "poster_id": poster.id,
        "board": "P1",
        "title": poster.title,
        "topic": "IFN signalling",
        "judge_id": someone.id,
        "judge_name": "Jo Judge",
        "score": {
            "content": None,
            "clarity": None,
            "design": None,
            "presentation": None,
            "total": None,
            "comment": "",
            "scored_at": None,
        },
    }
    again = await assign(client, poster.id, someone.id)
    assert again.status_code == 200
    listed = (await client.get("/api/v1/posters/judging/assignments")).json()
    assert [(a["board"], a["judge_id"]) for a in listed] == [("P1", someone.id)]
    gone = await client.delete(f"/api/v1/posters/{poster.id}/judges/{someone.id}")
    assert gone.status_code == 204
    assert (await client.get("/api/v1/posters/judging/assignments")).json() == []
    missing = await client.delete(f"/api/v1/posters/{poster.id}/judges/{someone.id}")
    assert missing.status_code == 404
    assert (await assign(client, 999_999, someone.id)).status_code == 404
    assert (await assign(client, poster.id, 999_999)).status_code == 404


@pytest.mark.parametrize(
    "affiliation", ["Karolinska Institutet", "  karolinska  INSTITUTET. ", "Karolinska-Institutet"]
)
async def test_a_shared_affiliation_is_a_conflict_of_interest(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
    affiliation: str,
) -> None:
    poster = await posters.create()  # an author at Karolinska Institutet
    conflicted = await judge(app, users, affiliation=affiliation, name="Kim")
    await _organizer(client, users)
    refused = await assign(client, poster.id, conflicted.id)
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Conflict of interest: Kim shares an affiliation (Karolinska Institutet) "
        f"with Ada Lovelace, an author of poster {poster.board}.",
        "code": "conflict",
    }
    assert (await client.get("/api/v1/posters/judging/assignments")).json() == []


async def test_an_author_cannot_judge_their_poster(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create(name="Pat Presenter")
    poster = await posters.create(presenter=presenter)
    await _organizer(client, users)
    refused = await assign(client, poster.id, presenter.id)
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        f"Pat Presenter is an author of poster {poster.board}.",
    )


async def test_a_judge_scores_and_changes_the_score(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="P3")
    someone = await judge(app, users, affiliation="MIT")
    await _organizer(client, users)
    await assign(client, poster.id, someone.id)
    await sign_in(client, someone.email)
    mine = (await client.get("/api/v1/posters/judging/mine")).json()
    assert [(a["board"], a["score"]["total"]) for a in mine] == [("P3", None)]
    scored = await score(client, poster.id)
    assert scored.status_code == 200, scored.text
    assert {k: scored.json()[k] for k in ("content", "total", "comment")} == {
        "content": 5,
        "total": 16,
        "comment": "Clear kinetics.",
    }
    changed = await score(client, poster.id, design=5, comment="Line one.\nLine two.")
    assert (changed.json()["total"], changed.json()["comment"]) == (18, "Line one.\nLine two.")
    read = (await client.get(f"/api/v1/posters/{poster.id}/score")).json()
    assert read["total"] == 18


@pytest.mark.parametrize(
    "changes",
    [
        {"content": 0},
        {"clarity": 6},
        {"design": None},
        {"presentation": "4"},
        {"content": 4.5},
        {"comment": "x" * 2001},
        {"comment": "bell\x07"},
        {"comment": "nul\x00"},
        {"extra": 1},
    ],
)
async def test_a_bad_rubric_is_refused_and_nothing_is_stored(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
    changes: dict[str, object],
) -> None:
    poster = await posters.create()
    someone = await judge(app, users)
    await _organizer(client, users)
    await assign(client, poster.id, someone.id)
    await sign_in(client, someone.email)
    refused = await score(client, poster.id, **changes)
    assert refused.status_code == 422, refused.text
    missing = {k: v for k, v in RUBRIC.items() if k != "design"}
    assert (await client.put(f"/api/v1/posters/{poster.id}/score", json=missing)).status_code == 422
    assert (await client.get(f"/api/v1/posters/{poster.id}/score")).json()["scored_at"] is None


async def test_judges_are_refused_what_is_not_theirs(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    mine = await posters.create()
    theirs = await posters.create()
    me = await judge(app, users)
    other = await judge(app, users)
    await _organizer(client, users)
    await assign(client, mine.id, me.id)
    await assign(client, theirs.id, other.id)
    await sign_in(client, me.email)
    # Another judge's poster, and a poster nobody assigned me: 403, nothing stored.
    for poster_id in (theirs.id,):
        refused = await score(client, poster_id)
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
        assert (await client.get(f"/api/v1/posters/{poster_id}/score")).status_code == 403
    unassigned = await posters.create()
    assert (await score(client, unassigned.id)).status_code == 403
    assert (await score(client, 999_999)).status_code == 404
    assert [a["poster_id"] for a in (await client.get("/api/v1/posters/judging/mine")).json()] == [
        mine.id
    ]
    # Organizer routes are not for judges or attendees.
    for method, path in (
        ("GET", "/api/v1/posters/judging/assignments"),
        ("GET", "/api/v1/posters/judging/ranking"),
        ("GET", "/api/v1/posters/judging/settings"),
        ("PUT", f"/api/v1/posters/{mine.id}/judges/{me.id}"),
        ("DELETE", f"/api/v1/posters/{theirs.id}/judges/{other.id}"),
        ("POST", f"/api/v1/posters/{mine.id}/awards"),
    ):
        response = await client.request(method, path)
        assert response.status_code in (403, 422), (method, path)
    forbidden = await client.put("/api/v1/posters/judging/settings", json={"judging_open": False})
    assert forbidden.status_code == 403
    auto = await client.post(
        "/api/v1/posters/judging/auto", json={"judge_ids": [me.id], "per_poster": 1}
    )
    assert auto.status_code == 403
    award = await client.post(f"/api/v1/posters/{mine.id}/awards", json={"title": "Best"})
    assert award.status_code == 403
    async with app.state.ctx.db.session() as db:
        rows = list(await db.scalars(select(JudgeAssignment).order_by(JudgeAssignment.id)))
    assert [(a.poster_id, a.judge_id, a.scored_at) for a in rows] == [
        (mine.id, me.id, None),
        (theirs.id, other.id, None),
    ]


async def test_closed_judging_refuses_scores(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create()
    someone = await judge(app, users)
    organizer = await _organizer(client, users)
    await assign(client, poster.id, someone.id)
    closed = await client.put("/api/v1/posters/judging/settings", json={"judging_open": False})
    assert closed.json() == {"judging_open": False}
    await sign_in(client, someone.email)
    refused = await score(client, poster.id)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Judging is closed: scores can no longer be changed."
    await sign_in(client, organizer.email)
    await client.put("/api/v1/posters/judging/settings", json={"judging_open": True})
    await sign_in(client, someone.email)
    assert (await score(client, poster.id)).status_code == 200


async def test_a_conflict_that_appears_after_assignment_refuses_the_score(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create()
    someone = await judge(app, users, affiliation="Kyoto University", name="Kei")
    await _organizer(client, users)
    assert (await assign(client, poster.id, someone.id)).status_code == 201
    authors = [{"name": "Ren Sato", "affiliation": "Kyoto University."}]
    changed = await client.patch(f"/api/v1/posters/{poster.id}", json={"authors": authors})
    assert changed.status_code == 200
    await sign_in(client, someone.email)
    refused = await score(client, poster.id)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Conflict of interest: Kei shares an affiliation (Kyoto University.) with Ren Sato, "
        f"an author of poster {poster.board}. Ask the organizers to reassign this poster."
    )
    assert (await client.get(f"/api/v1/posters/{poster.id}/score")).json()["scored_at"] is None


async def test_automatic_assignment_is_even_and_skips_conflicts(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    made = []
    for i, topic in enumerate(["IFN signalling"] * 4 + ["IL-6 family"] * 3 + ["JAK-STAT"] * 3):
        made.append(await posters.create(board=f"A{i + 1}", topic=topic))
    judges = [await judge(app, users, affiliation=f"Institute {i}") for i in range(4)]
    # Karolinska: every poster has an author there, so this judge can take none.
    karolinska = await judge(app, users, affiliation="Karolinska Institutet")
    await _organizer(client, users)
    ids = [j.id for j in judges]
    response = await client.post(
        "/api/v1/posters/judging/auto", json={"judge_ids": ids, "per_poster": 2}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["created"] == 20
    assert result["unfilled"] == {}
    assert sorted(result["loads"].values()) == [5, 5, 5, 5]
    listed = (await client.get("/api/v1/posters/judging/assignments")).json()
    per_poster = Counter(a["poster_id"] for a in listed)
    assert per_poster == {p.id: 2 for p in made}
    assert len({(a["poster_id"], a["judge_id"]) for a in listed}) == 20
    # Topics stay together: no judge has more than two topics.
    for j in ids:
        assert len({a["topic"] for a in listed if a["judge_id"] == j}) <= 2
    # A second run has nothing left to fill; a judge with conflicts everywhere gets none.
    again = await client.post(
        "/api/v1/posters/judging/auto",
        json={"judge_ids": [*ids, karolinska.id], "per_poster": 3},
    )
    assert again.status_code == 200
    assert again.json()["created"] == 10
    after = (await client.get("/api/v1/posters/judging/assignments")).json()
    assert all(a["judge_id"] != karolinska.id for a in after)
    assert Counter(a["poster_id"] for a in after) == {p.id: 3 for p in made}
    assert sorted(again.json()["loads"].values()) == [0, 7, 7, 8, 8]


async def test_automatic_assignment_refuses_bad_input(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create()
    one = await judge(app, users)
    await _organizer(client, users)
    for body in (
        {"judge_ids": [one.id], "per_poster": 2},
        {"judge_ids": [999_999], "per_poster": 1},
        {"judge_ids": [], "per_poster": 1},
        {"judge_ids": [one.id], "per_poster": 0},
        {"judge_ids": [one.id], "per_poster": 6},
    ):
        response = await client.post("/api/v1/posters/judging/auto", json=body)
        assert response.status_code == 422, body
    assert (await client.get("/api/v1/posters/judging/assignments")).json() == []


async def test_the_ranking_orders_by_mean_and_shares_ties(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    p1 = await posters.create(board="R1")
    p2 = await posters.create(board="R2")
    p3 = await posters.create(board="R3")
    p4 = await posters.create(board="R4")
    first, second = await judge(app, users, name="First"), await judge(app, users, name="Second")
    organizer = await _organizer(client, users)
    for poster in (p1, p2, p3, p4):
        await assign(client, poster.id, first.id)
        await assign(client, poster.id, second.id)
    await sign_in(client, first.email)
    # R1: 16 and 18 (mean 17); R2: 17 (mean 17, one score); R3: 20 and 19 (19.5); R4: none.
    await score(client, p1.id)
    await score(client, p2.id, design=4)
    await score(client, p3.id, clarity=5, design=5, presentation=5)
    await sign_in(client, second.email)
    await score(client, p1.id, design=5, comment='=HYPERLINK("x")')
    await score(client, p3.id, clarity=5, design=5, presentation=4)
    await sign_in(client, organizer.email)
    ranking = (await client.get("/api/v1/posters/judging/ranking")).json()
    rows = [(r["rank"], r["board"], r["mean_total"], r["scores"]) for r in ranking["judging"]]
    assert rows == [
        (1, "R3", 19.5, 2),
        (2, "R1", 17.0, 2),
        (2, "R2", 17.0, 1),
        (None, "R4", None, 0),
    ]
    r1 = ranking["judging"][1]
    assert [
        (j["judge_name"], j["score"]["total"], j["score"]["comment"]) for j in r1["judges"]
    ] == [
        ("First", 16, "Clear kinetics."),
        ("Second", 18, '=HYPERLINK("x")'),
    ]


async def test_peoples_choice_orders_by_votes_then_board(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    made = [await posters.create(board=f"V{i}") for i in (1, 2, 3)]
    async with app.state.ctx.db.session() as db:
        for poster, votes in zip(made, (3, 7, 3), strict=True):
            found = await db.get(Poster, poster.id)
            assert found is not None
            found.vote_count = votes
        await db.commit()
    await _organizer(client, users)
    choice = (await client.get("/api/v1/posters/judging/ranking")).json()["peoples_choice"]
    assert [(c["rank"], c["board"], c["votes"]) for c in choice] == [
        (1, "V2", 7),
        (2, "V1", 3),
        (2, "V3", 3),
    ]


async def test_published_awards_show_on_the_poster_and_in_the_gallery(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create(board="W1")
    attendee = await users.create()
    await _organizer(client, users)
    created = await client.post(
        f"/api/v1/posters/{poster.id}/awards", json={"title": "Best poster: IFN signalling"}
    )
    assert created.status_code == 201
    award = created.json()
    assert award["published"] is False
    duplicate = await client.post(
        f"/api/v1/posters/{poster.id}/awards", json={"title": "Best poster: IFN signalling"}
    )
    assert duplicate.status_code == 409
    bad = await client.post(f"/api/v1/posters/{poster.id}/awards", json={"title": "x\x01"})
    assert bad.status_code == 422
    await sign_in(client, attendee.email)
    assert (await client.get(f"/api/v1/posters/{poster.id}/awards")).json() == []
    assert "Best poster" not in (await client.get(f"/posters/{poster.id}")).text
    hidden = await client.patch(f"/api/v1/posters/awards/{award['id']}", json={"published": True})
    assert hidden.status_code == 403
    organizer = await _organizer(client, users)
    del organizer
    published = await client.patch(
        f"/api/v1/posters/awards/{award['id']}", json={"published": True}
    )
    assert published.json()["published"] is True
    await sign_in(client, attendee.email)
    shown = (await client.get(f"/api/v1/posters/{poster.id}/awards")).json()
    assert [a["title"] for a in shown] == ["Best poster: IFN signalling"]
    page = (await client.get(f"/posters/{poster.id}")).text
    assert 'data-testid="award-badges"' in page
    assert "Best poster: IFN signalling" in page
    gallery = (await client.get("/posters")).text
    assert "Best poster: IFN signalling" in gallery
    await _organizer(client, users)
    assert (await client.delete(f"/api/v1/posters/awards/{award['id']}")).status_code == 204
    assert (await client.delete(f"/api/v1/posters/awards/{award['id']}")).status_code == 404


async def test_deleting_a_judge_keeps_their_scores_anonymously(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    scored, unscored = await posters.create(board="D1"), await posters.create(board="D2")
    someone = await judge(app, users, name="Leaving Judge")
    organizer = await _organizer(client, users)
    await assign(client, scored.id, someone.id)
    await assign(client, unscored.id, someone.id)
    await sign_in(client, someone.email)
    await score(client, scored.id)
    exported = (await client.get("/api/v1/me/export")).json()["poster_judging"]
    assert [
        (a["poster_board"], a["score"] and a["score"]["content"]) for a in exported["assignments"]
    ] == [("D1", 5), ("D2", None)]
    deleted = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert deleted.status_code == 204
    await sign_in(client, organizer.email)
    ranking = (await client.get("/api/v1/posters/judging/ranking")).json()["judging"]
    assert [(r["board"], r["mean_total"]) for r in ranking] == [("D1", 16.0)]
    assert [j["judge_name"] for j in ranking[0]["judges"]] == ["Deleted account"]
    async with app.state.ctx.db.session() as db:
        rows = list(await db.scalars(select(JudgeAssignment)))
    assert [(a.poster_id, a.judge_id, a.total) for a in rows] == [(scored.id, None, 16)]
