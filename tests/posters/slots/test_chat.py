"""The chat with the presenter during a live slot: stored then published on poster:<id>,
resumed with since, open only during a slot, limited, moderated (the presenter and
organizers), and paged over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from conference.accounts.models import Role
from conference.realtime.models import ChannelEvent, ChatMessage
from posters.models import PosterState
from tests.factories import PASSWORD
from tests.posters.slot_helpers import put_live_slot
from tests.posters.talk_helpers import make_poster
from tests.realtime.live_session import (
    ORGANIZER,
    act,
    connect,
    drain,
    receive,
    refill,
    signed_in,
    subscribe,
    welcome,
)

ANA = "ana@example.org"
BO = "bo@example.org"
PRESENTER = "presenter@example.org"


def live_poster(live: TestClient, presenter_id: int, **fields: Any) -> int:
    """A published poster of the presenter with a slot on now; its id."""
    poster_id = make_poster(live, presenter_id=presenter_id, **fields)
    live.portal.call(put_live_slot, live.app.state.ctx, poster_id)  # type: ignore[union-attr,attr-defined,call-arg]
    return poster_id


def stored(live: TestClient, channel: str) -> tuple[list[ChatMessage], list[ChannelEvent]]:
    """The chat messages and the durable events of ``channel``, oldest first."""
    ctx = live.app.state.ctx  # type: ignore[attr-defined]

    async def read() -> tuple[list[ChatMessage], list[ChannelEvent]]:
        async with ctx.db.session() as db:
            messages = await db.scalars(
                select(ChatMessage).where(ChatMessage.channel == channel).order_by(ChatMessage.id)
            )
            events = await db.scalars(
                select(ChannelEvent)
                .where(ChannelEvent.channel == channel)
                .order_by(ChannelEvent.id)
            )
            return list(messages), list(events)

    found: tuple[list[ChatMessage], list[ChannelEvent]] = live.portal.call(read)  # type: ignore[union-attr]
    return found


def test_a_message_during_a_slot_is_stored_then_seen_live(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = live_poster(live, presenter_id)
    channel = f"poster:{poster_id}"
    with connect(live) as presenter:
        welcome(presenter)
        subscribe(presenter, channel)
        ana_id = signed_in(live, ANA)
        with connect(live) as ana:
            welcome(ana)
            subscribe(ana, channel)
            ack = act(ana, "poster.chat.send", channel, {"body": "  Which <b>cell</b> line?  "})
            assert ack["type"] == "ack", ack
            [seen] = drain(presenter)
            [messages], [event] = stored(live, channel)
            assert (messages.user_id, messages.author_name, messages.body) == (
                ana_id,
                "ana",
                "Which <b>cell</b> line?",
            )
            assert messages.deleted_at is None
            data = {
                "message_id": messages.id,
                "author": {"id": ana_id, "name": "ana"},
                "body": "Which <b>cell</b> line?",
                "created_at": messages.created_at.isoformat(),
            }
            assert (event.id, event.type, event.data) == (
                ack["data"]["event_id"],
                "chat.message",
                data,
            )
            assert ack["data"] == {"message_id": messages.id, "event_id": event.id}
            assert seen == {
                "v": 1,
                "type": "chat.message",
                "channel": channel,
                "id": event.id,
                "data": data,
            }
            # The presenter answers over HTTP: published the same way.
            signed_in(live, PRESENTER)
            answer = live.post(f"/api/v1/posters/{poster_id}/chat", json={"body": "HeLa."})
            assert answer.status_code == 201, answer.text
            [heard] = drain(ana)
            assert (heard["type"], heard["id"]) == ("chat.message", answer.json()["event_id"])
            assert heard["data"]["author"] == {"id": presenter_id, "name": "presenter"}
            assert heard["data"]["body"] == "HeLa."
    page = live.get(f"/api/v1/posters/{poster_id}/chat").json()
    assert [(m["author"]["name"], m["body"]) for m in page["messages"]] == [
        ("ana", "Which <b>cell</b> line?"),
        ("presenter", "HeLa."),
    ]
    assert page["last_event_id"] == answer.json()["event_id"]
    assert (page["live"], page["more"], page["may_moderate"], page["may_mute"]) == (
        True,
        False,
        True,
        False,
    )
    # Comments are not chat: the poster's comment list is untouched.
    assert live.get(f"/api/v1/posters/{poster_id}/comments").json()["comment_count"] == 0


def test_refused_outside_a_slot_and_on_posters_that_take_none(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    quiet_id = make_poster(live, presenter_id=presenter_id)
    withdrawn_id = live_poster(live, presenter_id, state=PosterState.withdrawn)
    draft_id = live_poster(live, presenter_id, state=PosterState.draft)
    channel = f"poster:{quiet_id}"
    # No slot on: nobody writes, the presenter neither.
    refused = live.post(f"/api/v1/posters/{quiet_id}/chat", json={"body": "Hello?"})
    assert (refused.status_code, refused.json()["code"], refused.json()["reason"]) == (
        409,
        "conflict",
        "not_open",
    )
    # A draft with a slot: the presenter sees it, but it takes no messages.
    early = live.post(f"/api/v1/posters/{draft_id}/chat", json={"body": "Early"})
    assert (early.status_code, early.json()["reason"]) == (409, "not_open")
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, channel)
        answer = act(ana, "poster.chat.send", channel, {"body": "Hello?"})
        assert (answer["type"], answer["data"]["code"], answer["data"]["reason"]) == (
            "error",
            "conflict",
            "not_open",
        )
    page = live.get(f"/api/v1/posters/{quiet_id}/chat").json()
    assert (page["messages"], page["live"], page["slot_ends_at"]) == ([], False, None)
    # A withdrawn poster is not there for attendees, slot or not.
    for gone in (withdrawn_id, draft_id, 999_999):
        assert live.post(f"/api/v1/posters/{gone}/chat", json={"body": "x"}).status_code == 404
        assert live.get(f"/api/v1/posters/{gone}/chat").status_code == 404
    # Organizers still see it, but it takes no messages.
    signed_in(live, ORGANIZER, Role.organizer)
    closed = live.post(f"/api/v1/posters/{withdrawn_id}/chat", json={"body": "x"})
    assert (closed.status_code, closed.json()["reason"]) == (409, "not_open")
    live.cookies.clear()
    assert live.get(f"/api/v1/posters/{quiet_id}/chat").status_code == 401
    for poster_id in (quiet_id, withdrawn_id, draft_id):
        assert stored(live, f"poster:{poster_id}") == ([], [])


def test_bad_text_and_the_rate_limit(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = live_poster(live, presenter_id)
    channel = f"poster:{poster_id}"
    signed_in(live, ANA)
    api = f"/api/v1/posters/{poster_id}/chat"
    too_long = live.post(api, json={"body": "x" * 2001})
    assert (too_long.status_code, too_long.json()["code"], too_long.json()["reason"]) == (
        422,
        "invalidinput",
        "too_long",
    )
    control = live.post(api, json={"body": "a\x07b"})
    assert (control.status_code, control.json()["code"]) == (422, "invalidinput")
    extra = live.post(api, json={"body": "x", "to": 1})
    assert extra.status_code == 422
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, channel)
        for data in ({"body": "y" * 2001}, {"body": "a\x00b"}, {"body": "   "}, {"text": "x"}):
            answer = act(ana, "poster.chat.send", channel, data)
            assert (answer["type"], answer["data"]["code"]) == ("error", "invalidinput"), data
        assert stored(live, channel) == ([], [])
        refill(live)
        answers = [
            act(ana, "poster.chat.send", channel, {"body": f"m{i}"}, ref=f"r{i}") for i in range(6)
        ]
        assert [a["type"] for a in answers] == ["ack"] * 5 + ["error"]
        assert answers[-1]["data"]["code"] == "rate_limited"
    # The HTTP route shares the bucket.
    throttled = live.post(api, json={"body": "more"})
    assert (throttled.status_code, throttled.json()["code"]) == (429, "rate_limited")
    messages, _ = stored(live, channel)
    assert [m.body for m in messages] == ["m0", "m1", "m2", "m3", "m4"]


def test_the_presenter_and_organizers_moderate(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = live_poster(live, presenter_id)
    channel = f"poster:{poster_id}"
    api = f"/api/v1/posters/{poster_id}/chat"
    ana_id = signed_in(live, ANA)
    first = live.post(api, json={"body": "Spam spam"}).json()["message_id"]
    second = live.post(api, json={"body": "More spam"}).json()["message_id"]
    bo_id = signed_in(live, BO)
    # Another attendee deletes nobody's message, and mutes nobody.
    assert live.delete(f"{api}/{first}").status_code == 403
    with connect(live) as bo:
        welcome(bo)
        subscribe(bo, channel)
        denied = act(bo, "poster.chat.delete", channel, {"message_id": first})
        assert (denied["type"], denied["data"]["code"]) == ("error", "forbidden")
        denied = act(bo, "poster.chat.mute", channel, {"user_id": ana_id, "minutes": 5})
        assert (denied["type"], denied["data"]["code"]) == ("error", "forbidden")
        signed_in(live, PRESENTER)
        with connect(live) as presenter:
            welcome(presenter)
            subscribe(presenter, channel)
            done = act(presenter, "poster.chat.delete", channel, {"message_id": first})
            assert done["type"] == "ack", done
            [gone] = drain(bo)
            assert (gone["type"], gone["data"]) == (
                "chat.deleted",
                {"message_id": first, "by_moderator": True},
            )
            # The presenter hosts, organizers mute.
            denied = act(presenter, "poster.chat.mute", channel, {"user_id": ana_id, "minutes": 5})
            assert (denied["type"], denied["data"]["code"]) == ("error", "forbidden")
        signed_in(live, ORGANIZER, Role.organizer)
        assert live.delete(f"{api}/{second}").status_code == 204
        assert live.delete(f"{api}/{second}").status_code == 409
        with connect(live) as organizer:
            welcome(organizer)
            subscribe(organizer, channel)
            muted = act(organizer, "poster.chat.mute", channel, {"user_id": bo_id, "minutes": 5})
            assert (muted["type"], muted["data"]["user_id"]) == ("ack", bo_id)
        quiet = act(bo, "poster.chat.send", channel, {"body": "Let me speak"})
        assert (quiet["data"]["code"], quiet["data"]["reason"]) == ("forbidden", "muted")
    # Deleted means gone from the history and from the replayed log.
    page = live.get(api).json()
    assert [(m["message_id"], m["body"], m["deleted"]) for m in page["messages"]] == [
        (first, None, True),
        (second, None, True),
    ]
    messages, events = stored(live, channel)
    assert [m.body for m in messages] == ["", ""]
    assert all(e.data.get("body") is None for e in events)


def test_resume_with_since_and_page_the_history(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = live_poster(live, presenter_id)
    channel = f"poster:{poster_id}"
    api = f"/api/v1/posters/{poster_id}/chat"
    signed_in(live, ANA)
    acks = [live.post(api, json={"body": f"m{i}"}).json() for i in range(4)]
    with connect(live) as ana:
        welcome(ana)
        ana.send_json({"type": "subscribe", "channel": channel, "since": acks[1]["event_id"]})
        replayed = [receive(ana), receive(ana)]
        assert [(f["id"], f["data"]["body"]) for f in replayed] == [
            (acks[2]["event_id"], "m2"),
            (acks[3]["event_id"], "m3"),
        ]
        assert receive(ana)["type"] == "subscribed"
    newest = live.get(api, params={"limit": 3}).json()
    assert [m["body"] for m in newest["messages"]] == ["m1", "m2", "m3"]
    assert (newest["more"], newest["last_event_id"]) == (True, acks[3]["event_id"])
    older = live.get(api, params={"limit": 3, "before": newest["messages"][0]["message_id"]}).json()
    assert ([m["body"] for m in older["messages"]], older["more"]) == (["m0"], False)
    assert live.get(api, params={"limit": 101}).status_code == 422
    assert live.get(api, params={"before": 0}).status_code == 422


def test_the_page_shows_the_chat_only_during_a_slot(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = live_poster(live, presenter_id)
    quiet_id = make_poster(live, presenter_id=presenter_id)
    ana_id = signed_in(live, ANA)
    page = live.get(f"/posters/{poster_id}")
    assert page.status_code == 200
    html = page.text
    assert f'data-slot-chat data-poster-id="{poster_id}"' in html
    assert f'data-user-id="{ana_id}" data-presenter-id="{presenter_id}"' in html
    assert 'data-moderates="false"' in html
    assert (
        'aria-live="polite"\n          aria-relevant="additions" data-testid="slot-chat-log"'
        in html
    )
    assert '<label for="slot-chat-body">Your message</label>' in html
    assert 'maxlength="2000"' in html
    assert "js/poster-slot-chat.js" in html
    signed_in(live, PRESENTER)
    assert 'data-moderates="true"' in live.get(f"/posters/{poster_id}").text
    quiet = live.get(f"/posters/{quiet_id}").text
    assert "data-slot-chat" not in quiet
    assert "poster-slot-chat.js" not in quiet


def test_export_and_account_deletion_cover_the_slot_chat(live: TestClient) -> None:
    presenter_id = signed_in(live, PRESENTER)
    poster_id = live_poster(live, presenter_id)
    channel = f"poster:{poster_id}"
    api = f"/api/v1/posters/{poster_id}/chat"
    signed_in(live, ANA)
    sent = live.post(api, json={"body": "My question"}).json()
    exported = live.get("/api/v1/me/export").json()["realtime"]["chat_messages"]
    assert [(m["channel"], m["body"]) for m in exported] == [(channel, "My question")]
    deleted = live.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert deleted.status_code == 204, deleted.text
    signed_in(live, BO)
    page = live.get(api).json()
    assert [(m["message_id"], m["author"], m["body"]) for m in page["messages"]] == [
        (sent["message_id"], {"id": None, "name": "Deleted account"}, None)
    ]
    _, events = stored(live, channel)
    assert [e.type for e in events] == ["chat.message", "chat.deleted"]
    assert events[0].data["body"] is None
