"""Polls over /ws: create, open, vote, live results, close, and every refusal."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from typing import Any

from fastapi.testclient import TestClient

from conference.accounts.models import Role, User
from conference.errors import Conflict
from conference.realtime import polls_service as service
from tests.realtime.live_session import ORGANIZER, publish_session, signed_in
from tests.realtime.sockets import acked, act, connect, receive, refused

ATTENDEE = "attendee@example.org"


def test_poll_lifecycle_with_live_results(live: TestClient, sockets: ExitStack) -> None:
    guid = publish_session(live)
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    moderator = connect(sockets, live, session, moderation)
    signed_in(live, ATTENDEE)
    attendee = connect(sockets, live, session)
    # An attendee may not run polls, nor listen to the moderation channel.
    act(attendee, "poll.create", session, "a1", question="Q?", options=["Yes", "No"])
    assert refused(attendee, "a1") == "forbidden"
    attendee.send_json({"type": "subscribe", "channel": moderation, "ref": "a2"})
    assert refused(attendee, "a2") == "forbidden"

    act(
        moderator,
        "poll.create",
        session,
        "m1",
        question=" Which cytokine? ",
        options=["IL-6", "TNF"],
    )
    draft = receive(moderator)
    assert draft["type"] == "poll.draft"
    assert draft["channel"] == moderation
    poll = draft["data"]["poll"]
    assert isinstance(draft["id"], int)
    poll_id = poll["poll_id"]
    il6, tnf = (o["option_id"] for o in poll["options"])
    assert poll == {
        "poll_id": poll_id,
        "question": "Which cytokine?",
        "kind": "single",
        "status": "draft",
        "options": [
            {"option_id": il6, "label": "IL-6", "votes": 0},
            {"option_id": tnf, "label": "TNF", "votes": 0},
        ],
    }
    assert acked(moderator, "m1") == {"poll": poll}

    act(attendee, "poll.vote", session, "a3", poll_id=poll_id, option_ids=[il6])
    assert refused(attendee, "a3") == "conflict"  # a draft takes no votes
    act(attendee, "poll.open", session, "a4", poll_id=poll_id)
    assert refused(attendee, "a4") == "forbidden"

    act(moderator, "poll.open", session, "m2", poll_id=poll_id)
    opened = {**poll, "status": "open"}
    for ws in (moderator, attendee):
        frame = receive(ws)
        assert (frame["type"], frame["channel"], frame["data"]) == (
            "poll.opened",
            session,
            {"poll": opened},
        )
    assert acked(moderator, "m2") == {"poll": opened}
    act(moderator, "poll.open", session, "m3", poll_id=poll_id)
    assert refused(moderator, "m3") == "conflict"

    act(attendee, "poll.vote", session, "a5", poll_id=poll_id, option_ids=[il6, tnf])
    assert refused(attendee, "a5") == "invalidinput"
    act(attendee, "poll.vote", session, "a6", poll_id=poll_id, option_ids=[999_999])
    assert refused(attendee, "a6") == "invalidinput"
    act(attendee, "poll.vote", session, "a7", poll_id=poll_id, option_ids=[tnf])
    assert acked(attendee, "a7") == {"poll_id": poll_id, "option_ids": [tnf]}
    results = {"poll_id": poll_id, "counts": {str(il6): 0, str(tnf): 1}, "total": 1}
    for ws in (attendee, moderator):
        frame = receive(ws)
        assert frame == {"v": 1, "type": "poll.results", "channel": session, "data": results}
    act(attendee, "poll.vote", session, "a8", poll_id=poll_id, option_ids=[il6])
    assert refused(attendee, "a8") == "conflict"  # one vote per user

    # A second vote within the second is coalesced into the next results frame.
    act(moderator, "poll.vote", session, "m4", poll_id=poll_id, option_ids=[tnf])
    assert acked(moderator, "m4")["option_ids"] == [tnf]
    results = {"poll_id": poll_id, "counts": {str(il6): 0, str(tnf): 2}, "total": 2}
    assert receive(moderator)["data"] == results
    assert receive(attendee)["data"] == results

    act(moderator, "poll.close", session, "m5", poll_id=poll_id)
    closed = {
        **poll,
        "status": "closed",
        "options": [
            {"option_id": il6, "label": "IL-6", "votes": 0},
            {"option_id": tnf, "label": "TNF", "votes": 2},
        ],
    }
    assert receive(attendee)["data"] == {"poll": closed}
    assert receive(moderator)["type"] == "poll.closed"
    assert acked(moderator, "m5") == {"poll": closed}
    act(attendee, "poll.vote", session, "a9", poll_id=poll_id, option_ids=[il6])
    assert refused(attendee, "a9") == "conflict"


def test_multiple_choice_and_bad_input(live: TestClient, sockets: ExitStack) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    ws = connect(sockets, live, session)
    bad: list[tuple[str, dict[str, Any]]] = [
        ("b1", {"question": "Q", "options": ["only one"]}),
        ("b2", {"question": "Q", "options": [str(i) for i in range(11)]}),
        ("b3", {"question": "", "options": ["a", "b"]}),
        ("b4", {"question": "x" * 501, "options": ["a", "b"]}),
        ("b5", {"question": "Q", "options": ["a", "y" * 201]}),
        ("b6", {"question": "Q", "kind": "ranked", "options": ["a", "b"]}),
        ("b7", {"question": "Q", "options": ["a", "b"], "extra": 1}),
    ]
    for ref, data in bad:
        act(ws, "poll.create", session, ref, **data)
        assert refused(ws, ref) == "invalidinput"
    act(
        ws,
        "poll.create",
        session,
        "c1",
        question="Which?",
        kind="multiple",
        options=["A", "B", "C"],
    )
    poll = acked(ws, "c1")["poll"]
    a, b, c = (o["option_id"] for o in poll["options"])
    act(ws, "poll.open", session, "c2", poll_id=poll["poll_id"])
    assert receive(ws)["type"] == "poll.opened"
    acked(ws, "c2")
    for ref, choice in [("c3", []), ("c4", [a, a])]:
        act(ws, "poll.vote", session, ref, poll_id=poll["poll_id"], option_ids=choice)
        assert refused(ws, ref) == "invalidinput"
    act(ws, "poll.vote", session, "c5", poll_id=poll["poll_id"], option_ids=[c, a])
    assert acked(ws, "c5") == {"poll_id": poll["poll_id"], "option_ids": [a, c]}
    assert receive(ws)["data"] == {
        "poll_id": poll["poll_id"],
        "counts": {str(a): 1, str(b): 0, str(c): 1},
        "total": 1,
    }
    act(ws, "poll.close", session, "c6", poll_id=999_999)
    assert refused(ws, "c6") == "notfound"


def test_http_list_hides_drafts_from_attendees(live: TestClient, sockets: ExitStack) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    ws = connect(sockets, live, session)
    for ref, question in [("d1", "Draft?"), ("d2", "Open?")]:
        act(ws, "poll.create", session, ref, question=question, options=["Yes", "No"])
        acked(ws, ref)
    listed = live.get(f"/api/v1/realtime/sessions/{guid}/polls").json()["polls"]
    assert [(p["question"], p["status"]) for p in listed] == [
        ("Draft?", "draft"),
        ("Open?", "draft"),
    ]
    act(ws, "poll.open", session, "d3", poll_id=listed[1]["poll_id"])
    assert receive(ws)["type"] == "poll.opened"
    acked(ws, "d3")

    signed_in(live, ATTENDEE)
    attendee = connect(sockets, live, session)
    yes = listed[1]["options"][0]["option_id"]
    act(attendee, "poll.vote", session, "v1", poll_id=listed[1]["poll_id"], option_ids=[yes])
    acked(attendee, "v1")
    response = live.get(f"/api/v1/realtime/sessions/{guid}/polls")
    assert response.status_code == 200
    assert response.json() == {
        "polls": [
            {
                "poll_id": listed[1]["poll_id"],
                "question": "Open?",
                "kind": "single",
                "status": "open",
                "options": [
                    {"option_id": yes, "label": "Yes", "votes": 1},
                    {"option_id": listed[1]["options"][1]["option_id"], "label": "No", "votes": 0},
                ],
                "my_option_ids": [yes],
            }
        ]
    }
    missing = live.get("/api/v1/realtime/sessions/00000000-0000-0000-0000-000000000000/polls")
    assert missing.status_code == 404
    live.post("/api/v1/auth/logout")
    live.cookies.clear()
    assert live.get(f"/api/v1/realtime/sessions/{guid}/polls").status_code == 401


def test_racing_votes_of_one_user_count_once(live: TestClient, sockets: ExitStack) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    ws = connect(sockets, live, session)
    act(ws, "poll.create", session, "p1", question="Which?", kind="multiple", options=["A", "B"])
    poll = acked(ws, "p1")["poll"]
    act(ws, "poll.open", session, "p2", poll_id=poll["poll_id"])
    assert receive(ws)["type"] == "poll.opened"
    acked(ws, "p2")
    user_id = signed_in(live, ORGANIZER, Role.organizer)
    ctx = live.app.state.ctx  # type: ignore[attr-defined]
    a, b = (o["option_id"] for o in poll["options"])

    async def one(option_id: int) -> str:
        async with ctx.db.session() as db:
            user = await db.get(User, user_id)
            assert user is not None
            try:
                await service.vote(
                    db, channel=session, poll_id=poll["poll_id"], user=user, option_ids=[option_id]
                )
            except Conflict:
                return "conflict"
            await db.commit()
            return "counted"

    async def race() -> list[str]:
        return sorted(await asyncio.gather(one(a), one(b)))

    assert live.portal.call(race) == ["conflict", "counted"]  # type: ignore[union-attr]
    listed = live.get(f"/api/v1/realtime/sessions/{guid}/polls").json()["polls"][0]
    assert sum(o["votes"] for o in listed["options"]) == 1
    assert len(listed["my_option_ids"]) == 1
