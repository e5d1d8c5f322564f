"""Session chat over /ws: send, edit, delete, mute, refusals, limits and paged history."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conference.settings import Settings
from tests.realtime.live_session import (
    ORGANIZER,
    act,
    act_frames,
    connect,
    drain,
    live_client,
    publish_session,
    receive,
    refill,
    signed_in,
    subscribe,
    welcome,
)

ANA = "ana@example.org"
BO = "bo@example.org"


@pytest.fixture
def channel(live: TestClient) -> str:
    return f"session:{publish_session(live)}"


def test_two_users_see_each_others_messages_edits_and_deletes(
    live: TestClient, channel: str
) -> None:
    signed_in(live, ANA)
    with connect(live) as ana:
        ana_id = welcome(ana)
        subscribe(ana, channel)
        signed_in(live, BO)
        with connect(live) as bo:
            bo_id = welcome(bo)
            subscribe(bo, channel)

            ack = act(ana, "chat.send", channel, {"body": "  Hello, see https://example.org  "})
            assert ack["type"] == "ack"
            message_id = ack["data"]["message_id"]
            [seen] = drain(bo)
            assert seen["type"] == "chat.message"
            assert seen["channel"] == channel
            assert seen["id"] == ack["data"]["event_id"]
            assert seen["data"]["message_id"] == message_id
            assert seen["data"]["author"] == {"id": ana_id, "name": "ana"}
            # Stored as plain text, stripped; links are the client's business.
            assert seen["data"]["body"] == "Hello, see https://example.org"
            assert seen["data"]["created_at"]

            reply = act(bo, "chat.send", channel, {"body": "<b>Hi</b> Ana"})
            [from_bo] = drain(ana)
            assert from_bo["type"] == "chat.message"
            assert from_bo["data"]["author"] == {"id": bo_id, "name": "bo"}
            assert from_bo["data"]["body"] == "<b>Hi</b> Ana"

            edited = act(ana, "chat.edit", channel, {"message_id": message_id, "body": "Hello!"})
            assert edited["type"] == "ack"
            [change] = drain(bo)
            assert change["type"] == "chat.edited"
            assert change["data"]["message_id"] == message_id
            assert change["data"]["body"] == "Hello!"
            assert change["data"]["edited_at"]

            # Ana may not edit or delete Bo's message.
            refused = act(
                ana, "chat.edit", channel, {"message_id": reply["data"]["message_id"], "body": "x"}
            )
            assert refused["type"] == "error"
            assert refused["data"]["code"] == "forbidden"
            refused = act(ana, "chat.delete", channel, {"message_id": reply["data"]["message_id"]})
            assert refused["data"]["code"] == "forbidden"
            assert drain(bo) == []

            deleted = act(ana, "chat.delete", channel, {"message_id": message_id})
            assert deleted["type"] == "ack"
            [gone] = drain(bo)
            assert gone["type"] == "chat.deleted"
            assert gone["data"] == {"message_id": message_id, "by_moderator": False}
            # Deleted stays deleted: no edit, no second delete.
            again = act(ana, "chat.edit", channel, {"message_id": message_id, "body": "back"})
            assert again["data"]["code"] == "conflict"


def test_moderator_deletes_any_message_and_both_users_see_it(
    live: TestClient, channel: str
) -> None:
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, channel)
        message_id = act(ana, "chat.send", channel, {"body": "Spam"})["data"]["message_id"]
        signed_in(live, ORGANIZER)
        with connect(live) as organizer:
            welcome(organizer)
            subscribe(organizer, channel)
            *seen, ack = act_frames(organizer, "chat.delete", channel, {"message_id": message_id})
            assert ack["type"] == "ack"
            expected = {"message_id": message_id, "by_moderator": True}
            assert [(f["type"], f["data"]) for f in drain(ana)] == [("chat.deleted", expected)]
            assert [(f["type"], f["data"]) for f in seen] == [("chat.deleted", expected)]


def test_mute_refuses_the_muted_user_and_tells_them(live: TestClient, channel: str) -> None:
    signed_in(live, ANA)
    with connect(live) as ana:
        ana_id = welcome(ana)
        subscribe(ana, channel)
        subscribe(ana, f"user:{ana_id}")
        signed_in(live, BO)
        with connect(live) as bo:
            welcome(bo)
            subscribe(bo, channel)
            # An attendee may not mute.
            refused = act(bo, "chat.mute", channel, {"user_id": ana_id, "minutes": 10})
            assert refused["data"]["code"] == "forbidden"
        signed_in(live, ORGANIZER)
        with connect(live) as organizer:
            welcome(organizer)
            subscribe(organizer, channel)
            for bad in ({"user_id": ana_id, "minutes": 0}, {"user_id": ana_id, "minutes": 1441}):
                assert act(organizer, "chat.mute", channel, bad)["data"]["code"] == "invalidinput"
            ack = act(organizer, "chat.mute", channel, {"user_id": ana_id, "minutes": 10})
            assert ack["type"] == "ack"
            until = ack["data"]["until"]
        [notice] = drain(ana)
        assert notice["type"] == "chat.muted"
        assert notice["channel"] == f"user:{ana_id}"
        assert "id" not in notice  # ephemeral
        assert notice["data"] == {"channel": channel, "until": until}
        refused = act(ana, "chat.send", channel, {"body": "Let me speak"})
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "forbidden"
        assert "muted" in refused["data"]["message"]
        assert until in refused["data"]["message"]
        history = live.get(f"/api/v1/realtime/sessions/{channel.split(':')[1]}/chat").json()
        assert history["messages"] == []


def test_refusals_size_subscription_and_rate(live: TestClient, channel: str) -> None:
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        # Not subscribed yet.
        refused = act(ana, "chat.send", channel, {"body": "Hello"})
        assert refused["data"]["code"] == "not_subscribed"
        subscribe(ana, channel)
        for body in ("x" * 2001, "   ", "nul\x00byte"):
            refused = act(ana, "chat.send", channel, {"body": body})
            assert refused["type"] == "error"
            assert refused["data"]["code"] == "invalidinput"
        refill(live)
        assert act(ana, "chat.send", channel, {"body": "x", "html": "<b>"})["data"]["code"] == (
            "invalidinput"
        )
        assert act(ana, "chat.send", None, {"body": "Hello"})["data"]["code"] == "invalidinput"
        assert act(ana, "chat.edit", channel, {"message_id": 999_999, "body": "x"})["data"][
            "code"
        ] == ("notfound")
        # Every attempt above spent a chat token: start from a full bucket of 5.
        refill(live)
        answers = [act(ana, "chat.send", channel, {"body": f"m{i}"}, ref=f"m{i}") for i in range(6)]
        assert [a["type"] for a in answers] == ["ack"] * 5 + ["error"]
        assert answers[-1]["data"]["code"] == "rate_limited"
        # The connection stays usable after the refusal.
        ana.send_json({"type": "ping", "ref": "alive"})
        assert receive(ana)["type"] == "pong"


def test_history_pages_oldest_first_with_deleted_messages(live: TestClient, channel: str) -> None:
    guid = channel.split(":")[1]
    signed_in(live, ANA)
    ids: list[int] = []
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, channel)
        for i in range(7):
            refill(live)
            ack = act(ana, "chat.send", channel, {"body": f"message {i}"}, ref=f"m{i}")
            ids.append(ack["data"]["message_id"])
        act(ana, "chat.delete", channel, {"message_id": ids[5]})
    newest = live.get(f"/api/v1/realtime/sessions/{guid}/chat", params={"limit": 3})
    assert newest.status_code == 200
    page = newest.json()
    assert [m["message_id"] for m in page["messages"]] == ids[4:7]
    assert page["more"] is True
    assert page["messages"][1] == {
        "message_id": ids[5],
        "author": page["messages"][0]["author"],
        "body": None,
        "created_at": page["messages"][1]["created_at"],
        "edited_at": None,
        "deleted": True,
    }
    assert page["messages"][0]["body"] == "message 4"
    assert page["last_event_id"] > 0
    older = live.get(
        f"/api/v1/realtime/sessions/{guid}/chat", params={"limit": 3, "before": ids[4]}
    ).json()
    assert [m["message_id"] for m in older["messages"]] == ids[1:4]
    oldest = live.get(
        f"/api/v1/realtime/sessions/{guid}/chat", params={"limit": 3, "before": ids[1]}
    ).json()
    assert [m["message_id"] for m in oldest["messages"]] == ids[:1]
    assert oldest["more"] is False
    # Subscribing since last_event_id replays nothing: the page was up to date.
    with connect(live) as again:
        welcome(again)
        subscribed = subscribe(again, channel, since=page["last_event_id"])
        assert subscribed["data"]["last_id"] == page["last_event_id"]
    # Refusals: bad paging, unknown session, signed out.
    bad = live.get(f"/api/v1/realtime/sessions/{guid}/chat", params={"limit": 101})
    assert bad.status_code == 422
    unknown = live.get("/api/v1/realtime/sessions/00000000-0000-0000-0000-000000000000/chat")
    assert unknown.status_code == 404
    live.cookies.clear()
    assert live.get(f"/api/v1/realtime/sessions/{guid}/chat").status_code == 401


def test_chat_survives_a_restart(settings: Settings) -> None:
    with live_client(settings) as first:
        guid = publish_session(first)
        signed_in(first, ANA)
        with connect(first) as ana:
            welcome(ana)
            subscribe(ana, f"session:{guid}")
            act(ana, "chat.send", f"session:{guid}", {"body": "Before the restart"})
        # Stored before the app goes away (and the websocket handler is done with it).
        assert len(first.get(f"/api/v1/realtime/sessions/{guid}/chat").json()["messages"]) == 1
    with live_client(settings) as second:
        signed_in(second, BO)
        history = second.get(f"/api/v1/realtime/sessions/{guid}/chat").json()
        assert [(m["author"]["name"], m["body"]) for m in history["messages"]] == [
            ("ana", "Before the restart")
        ]
        with connect(second) as bo:
            welcome(bo)
            bo.send_json({"type": "subscribe", "channel": f"session:{guid}", "since": 0})
            replayed = receive(bo)
            assert replayed["type"] == "chat.message"
            assert replayed["data"]["body"] == "Before the restart"
