"""Polls over /ws: create, open, vote, live results, close, and every refusal."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from conference.accounts import service as accounts
from conference.accounts.models import Role, User
from conference.errors import Conflict
from conference.main import create_app
from conference.program.demo.meeting import seed_meeting
from conference.realtime import polls_service as service
from conference.settings import Settings
from tests.factories import PASSWORD

ORIGIN = {"origin": "http://testserver"}
ORGANIZER = "organizer@example.org"
ATTENDEE = "attendee@example.org"


@pytest.fixture
def live(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


def sign_in(client: TestClient, email: str, *roles: Role) -> int:
    """Create the user if needed and sign the client in as them; their id."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def make() -> int:
        async with ctx.db.session() as db:
            user, _ = await accounts.ensure_user(
                db,
                email=email,
                name=email.split("@")[0],
                password=PASSWORD,
                roles=roles or (Role.attendee,),
                passwords=ctx.passwords,
            )
            return user.id

    user_id: int = client.portal.call(make)  # type: ignore[union-attr]
    # As another browser: signing in from this one would end (and close) the sockets of
    # the session it already has.
    client.cookies.delete("cytokines_session")
    client.headers["X-CSRF-Token"] = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return user_id


def publish_session(client: TestClient) -> str:
    """Seed the demo meeting and publish one session as the organizer; its guid."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def seed() -> None:
        async with ctx.db.session() as db:
            await seed_meeting(db)
            await db.commit()

    client.portal.call(seed)  # type: ignore[union-attr]
    sign_in(client, ORGANIZER, Role.organizer)
    created = client.post(
        "/api/v1/program/draft/sessions",
        json={
            "title": "Interferon keynote",
            "starts_at": "2021-10-18T09:00:00+01:00",
            "ends_at": "2021-10-18T10:00:00+01:00",
        },
    )
    assert created.status_code == 201, created.text
    published = client.post("/api/v1/program/publish", json={"confirm_warnings": True, "note": ""})
    assert published.status_code in (200, 201), published.text
    guid: str = created.json()["guid"]
    return guid


@pytest.fixture
def sockets(live: TestClient) -> Iterator[ExitStack]:
    """Closes the test's websockets before the app stops, even when the test fails."""
    with ExitStack() as stack:
        yield stack


def connect(stack: ExitStack, client: TestClient, *channels: str) -> WebSocketTestSession:
    """A websocket as the client's current user, subscribed to ``channels``."""
    ws = stack.enter_context(client.websocket_connect("/ws", headers=ORIGIN))
    assert receive(ws)["type"] == "welcome"
    for channel in channels:
        ws.send_json({"type": "subscribe", "channel": channel})
        assert receive(ws)["type"] == "subscribed"
    return ws


def receive(ws: WebSocketTestSession) -> dict[str, Any]:
    """The next frame, passing over presence counts (the hub's ticker sends them)."""
    while True:
        frame: dict[str, Any] = ws.receive_json()
        if frame["type"] != "presence":
            return frame


def act(ws: WebSocketTestSession, type: str, channel: str, ref: str, **data: Any) -> None:
    ws.send_json({"type": type, "channel": channel, "ref": ref, "data": data})


def refused(ws: WebSocketTestSession, ref: str) -> str:
    """The error code answering ``ref``."""
    frame = receive(ws)
    assert (frame["type"], frame.get("ref")) == ("error", ref), frame
    code: str = frame["data"]["code"]
    return code


def acked(ws: WebSocketTestSession, ref: str) -> dict[str, Any]:
    frame = receive(ws)
    assert (frame["type"], frame.get("ref")) == ("ack", ref), frame
    data: dict[str, Any] = frame["data"]
    return data


def test_poll_lifecycle_with_live_results(live: TestClient, sockets: ExitStack) -> None:
    guid = publish_session(live)
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    moderator = connect(sockets, live, session, moderation)
    sign_in(live, ATTENDEE)
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

    sign_in(live, ATTENDEE)
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
    user_id = sign_in(live, ORGANIZER, Role.organizer)
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
