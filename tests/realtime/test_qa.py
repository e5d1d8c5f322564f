"""Moderated Q&A over /ws: ask, the moderation queue, approve, vote once, anonymity, dismiss."""

from __future__ import annotations

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
    signed_in,
    subscribe,
    welcome,
)

ANA = "ana@example.org"
BO = "bo@example.org"
CHAIR = "chair@example.org"


def test_question_lifecycle_between_attendee_and_moderator(live: TestClient) -> None:
    guid = publish_session(live)
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    signed_in(live, ANA)
    with connect(live) as ana:
        ana_id = welcome(ana)
        subscribe(ana, session)
        # Attendees may not see the queue.
        ana.send_json({"type": "subscribe", "channel": moderation, "ref": "m"})
        refused = receive(ana)
        assert refused["type"] == "error"
        assert refused["data"]["code"] == "forbidden"
        signed_in(live, ORGANIZER)
        with connect(live) as organizer:
            welcome(organizer)
            subscribe(organizer, session)
            subscribe(organizer, moderation)

            ack = act(ana, "qa.ask", session, {"body": " Does STAT1 matter? ", "anonymous": False})
            assert ack["type"] == "ack"
            question = ack["data"]["question"]
            question_id = question["question_id"]
            assert question == {
                "question_id": question_id,
                "body": "Does STAT1 matter?",
                "author": {"id": ana_id, "name": "ana"},
                "status": "pending",
                "pinned": False,
                "votes": 0,
                "created_at": question["created_at"],
            }
            # Pending: only on the moderation channel.
            [pending] = drain(organizer)
            assert pending["type"] == "qa.pending"
            assert pending["channel"] == moderation
            assert pending["data"] == {"question": question}
            assert drain(ana) == []
            # Not approved yet: no votes.
            assert act(ana, "qa.vote", session, {"question_id": question_id})["data"]["code"] == (
                "conflict"
            )
            # Attendees may not moderate.
            refused = act(
                ana, "qa.moderate", session, {"question_id": question_id, "action": "approve"}
            )
            assert refused["data"]["code"] == "forbidden"

            frames = act_frames(
                organizer, "qa.moderate", session, {"question_id": question_id, "action": "approve"}
            )
            assert frames[-1]["type"] == "ack"
            approved = {**question, "status": "approved"}
            assert [(f["type"], f["channel"], f["data"]) for f in frames[:-1]] == [
                ("qa.question", session, {"question": approved}),
                ("qa.question", moderation, {"question": approved}),
            ]
            [seen] = drain(ana)
            assert (seen["type"], seen["data"]) == ("qa.question", {"question": approved})

            voted = act(ana, "qa.vote", session, {"question_id": question_id})
            assert voted["data"] == {"question_id": question_id, "votes": 1}
            [tally] = drain(organizer)
            assert (tally["type"], tally["channel"], tally["data"]) == (
                "qa.votes",
                session,
                {"question_id": question_id, "votes": 1},
            )
            again = act(ana, "qa.vote", session, {"question_id": question_id})
            assert again["type"] == "error"
            assert again["data"]["code"] == "conflict"
            assert act(organizer, "qa.vote", session, {"question_id": question_id})["data"] == {
                "question_id": question_id,
                "votes": 2,
            }

            act(organizer, "qa.moderate", session, {"question_id": question_id, "action": "pin"})
            [pinned] = drain(ana)[-1:]
            assert pinned["data"]["question"]["pinned"] is True
            assert pinned["data"]["question"]["votes"] == 2

            frames = act_frames(
                organizer, "qa.moderate", session, {"question_id": question_id, "action": "dismiss"}
            )
            assert [(f["type"], f["channel"], f["data"]) for f in frames[:-1]] == [
                ("qa.removed", session, {"question_id": question_id}),
                ("qa.removed", moderation, {"question_id": question_id}),
            ]
            assert drain(ana)[-1]["type"] == "qa.removed"
            bad = act(
                organizer, "qa.moderate", session, {"question_id": question_id, "action": "x"}
            )
            assert bad["data"]["code"] == "invalidinput"
            gone = act(
                organizer, "qa.moderate", session, {"question_id": question_id, "action": "answer"}
            )
            assert gone["data"]["code"] == "conflict"
            missing = act(organizer, "qa.vote", session, {"question_id": 999_999})
            assert missing["data"]["code"] == "notfound"
    listing = live.get(f"/api/v1/realtime/sessions/{guid}/questions").json()
    assert listing["questions"] == []


def test_anonymous_question_hides_the_name_from_attendees(live: TestClient) -> None:
    guid = publish_session(live, chair_email=CHAIR)
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    signed_in(live, ANA)
    with connect(live) as ana:
        ana_id = welcome(ana)
        subscribe(ana, session)
        signed_in(live, BO)
        with connect(live) as bo:
            welcome(bo)
            subscribe(bo, session)
            signed_in(live, CHAIR)
            # The session's chair moderates it without being an organizer.
            with connect(live) as chair:
                welcome(chair)
                subscribe(chair, session)
                subscribe(chair, moderation)
                ack = act(ana, "qa.ask", session, {"body": "Shy question", "anonymous": True})
                question_id = ack["data"]["question"]["question_id"]
                [pending] = drain(chair)
                assert pending["data"]["question"]["author"] == {"id": ana_id, "name": "ana"}
                frames = act_frames(
                    chair, "qa.moderate", session, {"question_id": question_id, "action": "approve"}
                )
                by_channel = {f["channel"]: f["data"]["question"] for f in frames[:-1]}
                assert by_channel[session]["author"] is None
                assert by_channel[moderation]["author"] == {"id": ana_id, "name": "ana"}
                [seen] = drain(bo)
                assert seen["data"]["question"]["author"] is None
                assert seen["data"]["question"]["body"] == "Shy question"
        # The HTTP list hides the name from attendees; the chair's queue shows it.
        attendee = live.get(f"/api/v1/realtime/sessions/{guid}/questions").json()
        assert [q["author"] for q in attendee["questions"]] == [None]
        queue = live.get(f"/api/v1/realtime/sessions/{guid}/questions", params={"queue": 1})
        assert queue.status_code == 200
        assert queue.json()["questions"][0]["author"] == {"id": ana_id, "name": "ana"}
        signed_in(live, BO)
        refused = live.get(f"/api/v1/realtime/sessions/{guid}/questions", params={"queue": 1})
        assert refused.status_code == 403


def test_question_list_orders_pinned_then_votes_and_shows_queue(live: TestClient) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, session)
        ids = [
            act(ana, "qa.ask", session, {"body": f"Q{i}"}, ref=f"q{i}")["data"]["question"][
                "question_id"
            ]
            for i in range(3)
        ]
        signed_in(live, ORGANIZER)
        with connect(live) as organizer:
            welcome(organizer)
            subscribe(organizer, session)
            for question_id in ids[:2]:
                act(
                    organizer,
                    "qa.moderate",
                    session,
                    {"question_id": question_id, "action": "approve"},
                )
            act(organizer, "qa.vote", session, {"question_id": ids[1]})
            act(organizer, "qa.moderate", session, {"question_id": ids[0], "action": "pin"})
    listing = live.get(f"/api/v1/realtime/sessions/{guid}/questions")
    assert listing.status_code == 200
    body = listing.json()
    assert [(q["question_id"], q["pinned"], q["votes"]) for q in body["questions"]] == [
        (ids[0], True, 0),
        (ids[1], False, 1),
    ]
    assert body["voted"] == [ids[1]]
    assert body["last_event_id"] > 0
    queue = live.get(f"/api/v1/realtime/sessions/{guid}/questions?queue=1").json()
    assert [q["question_id"] for q in queue["questions"]] == [ids[0], ids[1], ids[2]]
    assert queue["questions"][2]["status"] == "pending"
    assert queue["moderation_last_event_id"] > 0
    unknown = live.get("/api/v1/realtime/sessions/00000000-0000-0000-0000-000000000000/questions")
    assert unknown.status_code == 404


def test_question_limits(live: TestClient) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, session)
        too_long = act(ana, "qa.ask", session, {"body": "x" * 1001})
        assert too_long["data"]["code"] == "invalidinput"
        assert act(ana, "qa.ask", session, {"body": "ok", "extra": 1})["data"]["code"] == (
            "invalidinput"
        )
        # Three questions in a burst, then one per five seconds: the third attempt above
        # (this one) is the last allowed.
        assert act(ana, "qa.ask", session, {"body": "fine"})["type"] == "ack"
        assert act(ana, "qa.ask", session, {"body": "one more"})["data"]["code"] == "rate_limited"


def test_questions_survive_a_restart(settings: Settings) -> None:
    with live_client(settings) as first:
        guid = publish_session(first)
        session = f"session:{guid}"
        with connect(first) as organizer:
            welcome(organizer)
            subscribe(organizer, session)
            ack = act(organizer, "qa.ask", session, {"body": "Kept?"})
            question_id = ack["data"]["question"]["question_id"]
            act(
                organizer, "qa.moderate", session, {"question_id": question_id, "action": "approve"}
            )
            act(organizer, "qa.vote", session, {"question_id": question_id})
        # Stored before the app goes away (and the websocket handler is done with it).
        assert (
            len(first.get(f"/api/v1/realtime/sessions/{guid}/questions").json()["questions"]) == 1
        )
    with live_client(settings) as second:
        signed_in(second, BO)
        listing = second.get(f"/api/v1/realtime/sessions/{guid}/questions").json()
        assert [(q["body"], q["status"], q["votes"]) for q in listing["questions"]] == [
            ("Kept?", "approved", 1)
        ]
