"""Comments on a poster: live over poster:<id>, resumed with since, moderated, refused
where they must be, and gone from replay and export once removed."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from conference.accounts.models import Role
from posters.models import PosterState
from tests import services
from tests.app_settings import app_settings
from tests.factories import PASSWORD, UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.talk_helpers import make_poster, seed
from tests.realtime.live_session import (
    ORGANIZER,
    act,
    connect,
    drain,
    live_client,
    receive,
    refill,
    signed_in,
    subscribe,
    welcome,
)

ANA = "ana@example.org"
BO = "bo@example.org"
PRESENTER = "presenter@example.org"


def test_a_comment_reaches_every_viewer_live_and_is_counted(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = make_poster(live, presenter_id=presenter_id)
    channel = f"poster:{poster_id}"
    ana_id = signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, channel)
        signed_in(live, BO)
        with connect(live) as bo:
            welcome(bo)
            subscribe(bo, channel)
            ack = act(ana, "poster.comment", channel, {"body": "  <b>Nice</b> blot!  "})
            assert ack["type"] == "ack", ack
            [seen] = drain(bo)
            assert seen["type"] == "poster.comment"
            assert seen["id"] == ack["data"]["event_id"]
            assert seen["data"]["comment_id"] == ack["data"]["comment_id"]
            assert seen["data"]["author"] == {"id": ana_id, "name": "ana"}
            # Plain text, stripped: the page shows it as text.
            assert seen["data"]["body"] == "<b>Nice</b> blot!"
            assert seen["data"]["comment_count"] == 1
    listed = live.get(f"/api/v1/posters/{poster_id}/comments").json()
    assert [(c["body"], c["may_remove"]) for c in listed["comments"]] == [
        ("<b>Nice</b> blot!", False)
    ]
    assert listed["comment_count"] == 1
    assert listed["last_event_id"] == ack["data"]["event_id"]
    # The HTTP route publishes the same way, and counts.
    made = live.post(f"/api/v1/posters/{poster_id}/comments", json={"body": "Second"})
    assert made.status_code == 201, made.text
    assert live.get(f"/api/v1/posters/{poster_id}").json()["title"]
    assert live.get(f"/api/v1/posters/{poster_id}/comments").json()["comment_count"] == 2


def test_refusals(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = make_poster(live, presenter_id=presenter_id)
    draft_id = make_poster(live, presenter_id=presenter_id, state=PosterState.draft)
    withdrawn_id = make_poster(live, state=PosterState.withdrawn)
    channel = f"poster:{poster_id}"
    # The presenter sees their draft, but comments open on publication.
    refused = live.post(f"/api/v1/posters/{draft_id}/comments", json={"body": "Early"})
    assert (refused.status_code, refused.json()["code"]) == (409, "conflict")
    live.cookies.clear()
    anonymous = live.get(f"/api/v1/posters/{poster_id}/comments")
    assert anonymous.status_code == 401
    signed_in(live, ANA)
    for gone in (draft_id, withdrawn_id, 999_999):
        assert live.post(f"/api/v1/posters/{gone}/comments", json={"body": "x"}).status_code == 404
    too_long = live.post(f"/api/v1/posters/{poster_id}/comments", json={"body": "x" * 1001})
    assert (too_long.status_code, too_long.json()["code"]) == (422, "invalidinput")
    control = live.post(f"/api/v1/posters/{poster_id}/comments", json={"body": "a\x00b"})
    assert control.status_code == 422
    with connect(live) as ana:
        welcome(ana)
        ana.send_json({"type": "subscribe", "channel": f"poster:{draft_id}", "ref": "d"})
        denied = drain(ana)[-1]
        assert (denied["type"], denied["data"]["code"]) == ("error", "forbidden")
        subscribe(ana, channel)
        empty = act(ana, "poster.comment", channel, {"body": "   "})
        assert empty["data"]["code"] == "invalidinput"
        long = act(ana, "poster.comment", channel, {"body": "y" * 1001})
        assert (long["data"]["code"], long["data"].get("reason")) == ("invalidinput", "too_long")
        wrong = act(ana, "poster.comment", channel, {"body": "x", "extra": 1})
        assert wrong["data"]["code"] == "invalidinput"
        refill(live)
        answers = [
            act(ana, "poster.comment", channel, {"body": f"c{i}"}, ref=f"r{i}") for i in range(6)
        ]
        assert [a["type"] for a in answers] == ["ack"] * 5 + ["error"]
        assert answers[-1]["data"]["code"] == "rate_limited"
    # The HTTP route shares the bucket.
    throttled = live.post(f"/api/v1/posters/{poster_id}/comments", json={"body": "more"})
    assert throttled.status_code == 429


def test_who_removes_a_comment_and_everyone_sees_it_go(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = make_poster(live, presenter_id=presenter_id)
    channel = f"poster:{poster_id}"
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, channel)
        first = act(ana, "poster.comment", channel, {"body": "one"})["data"]["comment_id"]
        second = act(ana, "poster.comment", channel, {"body": "two"})["data"]["comment_id"]
        third = act(ana, "poster.comment", channel, {"body": "three"})["data"]["comment_id"]
        drain(ana)
        signed_in(live, BO)
        with connect(live) as bo:
            welcome(bo)
            subscribe(bo, channel)
            refused = act(bo, "poster.comment.remove", channel, {"comment_id": first})
            assert (refused["type"], refused["data"]["code"]) == ("error", "forbidden")
            http = live.delete(f"/api/v1/posters/{poster_id}/comments/{first}")
            assert http.status_code == 403
            # The poster's presenter looks after their board.
            signed_in(live, PRESENTER)
            assert live.delete(f"/api/v1/posters/{poster_id}/comments/{first}").status_code == 204
            [gone] = drain(ana)
            assert (gone["type"], gone["data"]) == (
                "poster.comment_removed",
                {"comment_id": first, "comment_count": 2},
            )
            signed_in(live, ORGANIZER, Role.organizer)
            with connect(live) as organizer:
                welcome(organizer)
                subscribe(organizer, channel)
                ack = act(organizer, "poster.comment.remove", channel, {"comment_id": second})
                assert ack["type"] == "ack"
            assert [f["type"] for f in drain(bo)][-1] == "poster.comment_removed"
            # The author removes their own; a removed one is unknown after.
            assert (
                act(ana, "poster.comment.remove", channel, {"comment_id": third})["type"] == "ack"
            )
            again = act(ana, "poster.comment.remove", channel, {"comment_id": third})
            assert again["data"]["code"] == "notfound"
    assert live.get(f"/api/v1/posters/{poster_id}/comments").json()["comments"] == []


def test_since_resumes_after_a_reconnect_without_removed_comments(live: TestClient) -> None:
    poster_id = make_poster(live)
    channel = f"poster:{poster_id}"
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        last = subscribe(ana, channel)["data"]["last_id"]
        kept = act(ana, "poster.comment", channel, {"body": "seen live"})
        assert kept["type"] == "ack"
    # Ana is away; Bo writes two comments and removes one of them.
    signed_in(live, BO)
    with connect(live) as bo:
        welcome(bo)
        subscribe(bo, channel)
        missed = act(bo, "poster.comment", channel, {"body": "missed"})["data"]
        hidden = act(bo, "poster.comment", channel, {"body": "regretted"})["data"]
        act(bo, "poster.comment.remove", channel, {"comment_id": hidden["comment_id"]})
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        ana.send_json({"type": "subscribe", "channel": channel, "since": kept["data"]["event_id"]})
        frames = []
        while (frame := ana.receive_json())["type"] != "subscribed":
            if frame["type"] not in ("presence", "reactions"):
                frames.append(frame)
    comments = [
        (f["data"]["comment_id"], f["data"]["body"])
        for f in frames
        if f["type"] == "poster.comment"
    ]
    assert comments == [(missed["comment_id"], "missed")]
    assert [f["data"]["comment_id"] for f in frames if f["type"] == "poster.comment_removed"] == [
        hidden["comment_id"]
    ]
    # From the start, the replay never holds the removed text either.
    with connect(live) as again:
        welcome(again)
        again.send_json({"type": "subscribe", "channel": channel, "since": last})
        bodies = []
        while (frame := again.receive_json())["type"] != "subscribed":
            if frame["type"] == "poster.comment":
                bodies.append(frame["data"]["body"])
    assert bodies == ["seen live", "missed"]


def test_export_and_account_deletion(live: TestClient) -> None:
    poster_id = make_poster(live)
    channel = f"poster:{poster_id}"
    ana_id = signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, channel)
        act(ana, "poster.comment", channel, {"body": "mine"})
    assert live.put(f"/api/v1/posters/{poster_id}/vote").status_code == 200
    exported = live.get("/api/v1/me/export").json()["posters"]
    assert [c["body"] for c in exported["poster_comments"]] == ["mine"]
    assert [v["poster_id"] for v in exported["poster_votes"]] == [poster_id]
    deleted = live.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert deleted.status_code == 204, deleted.text
    signed_in(live, BO)
    listed = live.get(f"/api/v1/posters/{poster_id}/comments").json()
    assert (listed["comments"], listed["comment_count"]) == ([], 0)
    poster = live.get(f"/api/v1/posters/{poster_id}")
    assert poster.status_code == 200
    signed_in(live, ORGANIZER, Role.organizer)
    assert live.get("/api/v1/posters/people-choice").json()["total_votes"] == 0
    with connect(live) as bo:
        welcome(bo)
        bo.send_json({"type": "subscribe", "channel": channel, "since": 0})
        texts = []
        while (frame := bo.receive_json())["type"] != "subscribed":
            if frame["type"] == "poster.comment":
                texts.append(frame["data"])
    assert texts == []
    assert ana_id


async def test_the_forms_work_without_javascript(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create(email="form-presenter@example.org")
    ana = await users.create()
    poster = await posters.create(presenter=presenter)
    await sign_in(client, ana.email)
    token = client.headers.pop("X-CSRF-Token")
    page = await client.get(f"/posters/{poster.id}")
    assert 'action="/posters/' in page.text
    posted = await client.post(
        f"/posters/{poster.id}/comments", data={"csrf_token": token, "body": "<i>From a form</i>"}
    )
    assert (posted.status_code, posted.headers["location"]) == (
        303,
        f"/posters/{poster.id}#comments",
    )
    shown = await client.get(f"/posters/{poster.id}")
    assert "&lt;i&gt;From a form&lt;/i&gt;" in shown.text
    assert "<i>From a form</i>" not in shown.text
    voted = await client.post(
        f"/posters/{poster.id}/vote", data={"csrf_token": token, "action": "vote"}
    )
    assert voted.status_code == 303
    assert (
        'data-testid="vote-count" data-vote-count>1<'
        in (await client.get(f"/posters/{poster.id}")).text
    )
    sent = await client.post(
        f"/posters/{poster.id}/contact", data={"csrf_token": token, "body": "Hello"}
    )
    assert sent.headers["location"] == f"/posters/{poster.id}?sent=contact#contact"
    comment_id = (await client.get(f"/api/v1/posters/{poster.id}/comments")).json()["comments"][0][
        "comment_id"
    ]
    removed = await client.post(
        f"/posters/{poster.id}/comments/{comment_id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 303
    assert "From a form" not in (await client.get(f"/posters/{poster.id}")).text
    withdrawn = await client.post(
        f"/posters/{poster.id}/vote", data={"csrf_token": token, "action": "withdraw"}
    )
    assert withdrawn.status_code == 303
    assert "data-vote-count>0<" in (await client.get(f"/posters/{poster.id}")).text
    # Without the token, nothing.
    refused = await client.post(f"/posters/{poster.id}/comments", data={"body": "forged"})
    assert refused.status_code == 403


def test_a_comment_crosses_app_processes_through_redis(database_url: str, tmp_path: Path) -> None:
    settings = app_settings(
        database_url,
        tmp_path / "var",
        redis_url=services.redis_url(),
        hub_prefix=f"test-{uuid.uuid4().hex[:8]}:",
    )
    with live_client(settings) as one, live_client(settings) as two:
        seed(one)
        poster_id = make_poster(one)
        channel = f"poster:{poster_id}"
        signed_in(two, BO)
        with connect(two) as bo:
            welcome(bo)
            subscribe(bo, channel)
            signed_in(one, ANA)
            with connect(one) as ana:
                welcome(ana)
                subscribe(ana, channel)
                ack = act(ana, "poster.comment", channel, {"body": "across the hub"})
                assert ack["type"] == "ack"
            # Blocks until the frame arrives through Redis (the suite's timeout bounds it).
            frame = receive(bo)
            while frame["type"] != "poster.comment":
                frame = receive(bo)
            assert (frame["id"], frame["data"]["body"]) == (
                ack["data"]["event_id"],
                "across the hub",
            )
