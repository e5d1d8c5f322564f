"""Every frame the server sends is its registered model, field for field; refusals carry
their ``code`` (and ``reason``) on the socket and over HTTP alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from conference.realtime.registry import Realtime
from conference.realtime.schemas import Payload
from conference.settings import Settings
from tests.realtime.live_session import (
    act,
    connect,
    live_client,
    publish_session,
    receive,
    subscribe,
)

# Sent only where other tests drive them: a mute needs a second user, an unsubscribe a
# role change, the stage frames a broadcast (tests/streaming).
ELSEWHERE = frozenset(
    {"chat.muted", "unsubscribed", "stage.state", "stage.publish_failed"}
    # The poster channel's frames: tests/posters/test_contracts.py.
    | {"poster.comment", "poster.comment_removed", "poster.votes"}
    | {"presenter.here", "presenter.left"}
)


@pytest.fixture
def live(settings: Settings) -> Iterator[TestClient]:
    with live_client(settings) as client:
        yield client


def _exactly(model: type[Payload], data: dict[str, Any]) -> None:
    """``data`` is ``model`` with nothing missing, nothing extra and nothing coerced."""
    assert model.model_validate(data).wire() == data, (model.__name__, data)


class Recorder:
    """Sends actions and keeps every frame the socket receives, tallies included."""

    def __init__(self, ws: WebSocketTestSession) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []
        self.actions: dict[str, str] = {}

    def _next(self) -> dict[str, Any]:
        frame: dict[str, Any] = self.ws.receive_json()
        self.frames.append(frame)
        return frame

    def _answer(self, ref: str, types: tuple[str, ...]) -> dict[str, Any]:
        while True:
            frame = self._next()
            if frame.get("ref") == ref and frame["type"] in types:
                return frame

    def send(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a frame with a ``ref``; the frame answering it."""
        self.ws.send_json(message)
        return self._answer(message["ref"], ("ack", "error", "pong", "subscribed"))

    def act(self, type: str, channel: str, data: dict[str, Any], ref: str) -> dict[str, Any]:
        self.actions[ref] = type
        return self.send({"type": type, "channel": channel, "data": data, "ref": ref})

    def until(self, *types: str) -> None:
        """Read on until a frame of each of ``types`` has arrived."""
        wanted = set(types) - {frame["type"] for frame in self.frames}
        while wanted:
            wanted.discard(self._next()["type"])

    def check(self, realtime: Realtime) -> set[str]:
        """Every frame against its model; the frame types seen."""
        for frame in self.frames:
            if frame["type"] == "ack":
                _exactly(realtime.actions[self.actions[frame["ref"]]].ack, frame["data"])
            else:
                _exactly(realtime.events[frame["type"]].model, frame["data"])
        return {frame["type"] for frame in self.frames}


def test_every_frame_is_its_registered_model(live: TestClient) -> None:
    guid = publish_session(live)  # signed in as the organizer, who moderates it
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    realtime: Realtime = live.app.state.ctx.realtime  # type: ignore[attr-defined]
    with connect(live) as ws:
        run = Recorder(ws)
        run.until("welcome")
        for channel in (session, moderation, "meeting"):
            run.send({"type": "subscribe", "channel": channel, "ref": channel})
        run.send({"type": "ping", "ref": "ping"})

        message = run.act("chat.send", session, {"body": "Hello"}, "c1")["data"]["message_id"]
        run.act("chat.edit", session, {"message_id": message, "body": "Hello again"}, "c2")
        run.act("chat.delete", session, {"message_id": message}, "c3")
        asked = run.act("qa.ask", session, {"body": "Why?", "anonymous": True}, "q1")
        question = asked["data"]["question"]["question_id"]
        run.act("qa.moderate", session, {"question_id": question, "action": "approve"}, "q2")
        run.act("qa.vote", session, {"question_id": question}, "q3")
        run.act("qa.moderate", session, {"question_id": question, "action": "dismiss"}, "q4")
        created = run.act(
            "poll.create", session, {"question": "Which?", "options": ["A", "B"]}, "p1"
        )
        poll = created["data"]["poll"]
        choice = {"poll_id": poll["poll_id"], "option_ids": [poll["options"][0]["option_id"]]}
        run.act("poll.open", session, {"poll_id": poll["poll_id"]}, "p2")
        run.act("poll.vote", session, choice, "p3")
        run.act("reaction", session, {"emoji": "👏"}, "r1")
        run.until("poll.results", "reactions", "presence")
        run.act("poll.close", session, {"poll_id": poll["poll_id"]}, "p4")
        refused = run.act("poll.vote", session, choice, "p5")
        assert refused["type"] == "error"

        announced = live.post(
            "/api/v1/announcements",
            json={"message": "Coffee", "ends_at": "2999-01-01T00:00:00+00:00"},
        )
        assert announced.status_code == 201, announced.text
        ended = live.post(f"/api/v1/announcements/{announced.json()['announcement_id']}/end")
        assert ended.status_code == 200, ended.text
        run.until("announcement", "announcement.ended")

        # Replayed events are what history shows now (a deleted message, its body gone).
        for channel in (session, moderation):
            run.send({"type": "subscribe", "channel": channel, "since": 0, "ref": channel})
        replayed = [f for f in run.frames if f["type"] == "chat.message"][-1]
        assert replayed["data"]["deleted"] is True
        assert replayed["data"]["body"] is None

    seen = run.check(realtime)
    assert set(realtime.events) - ELSEWHERE <= seen


def test_refusals_carry_their_code_and_reason_on_the_socket(live: TestClient) -> None:
    guid = publish_session(live)
    session = f"session:{guid}"
    with connect(live) as ws:
        receive(ws)
        subscribe(ws, session)
        too_long = act(ws, "chat.send", session, {"body": "x" * 2_001}, "c1")
        assert too_long["data"] == {
            "code": "invalidinput",
            "message": "Message is too long: 2001 characters, at most 2,000.",
            "reason": "too_long",
        }
        empty = act(ws, "chat.send", session, {"body": "  "}, "c2")
        # A refusal without a specific reason has none.
        assert empty["data"] == {"code": "invalidinput", "message": "Message is empty."}
        poll = act(ws, "poll.create", session, {"question": "Q?", "options": ["A", "B"]}, "p1")
        ballot = {
            "poll_id": poll["data"]["poll"]["poll_id"],
            "option_ids": [poll["data"]["poll"]["options"][0]["option_id"]],
        }
        draft = act(ws, "poll.vote", session, ballot, "p2")
        assert (draft["data"]["code"], draft["data"]["reason"]) == ("conflict", "not_open")
        act(ws, "poll.open", session, {"poll_id": ballot["poll_id"]}, "p3")
        assert act(ws, "poll.vote", session, ballot, "p4")["type"] == "ack"
        again = act(ws, "poll.vote", session, ballot, "p5")
        assert (again["data"]["code"], again["data"]["reason"]) == ("conflict", "already_voted")
        unknown = act(ws, "poll.open", session, {"poll_id": 999_999}, "p6")
        assert unknown["data"] == {
            "code": "notfound",
            "message": "There is no such poll in this session.",
        }


def test_refusals_carry_their_code_over_http(live: TestClient) -> None:
    publish_session(live)
    missing = live.get("/api/v1/realtime/sessions/no-such-session/chat")
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": "There is no such session in the published program.",
        "code": "notfound",
    }
    gone = live.post("/api/v1/announcements/999999/end")
    assert gone.status_code == 404
    assert gone.json()["code"] == "notfound"
    announced = live.post(
        "/api/v1/announcements", json={"message": "Hi", "ends_at": "2999-01-01T00:00:00Z"}
    )
    path = f"/api/v1/announcements/{announced.json()['announcement_id']}/end"
    assert live.post(path).status_code == 200
    twice = live.post(path)
    assert twice.status_code == 409
    assert twice.json() == {"detail": "The announcement has already ended.", "code": "conflict"}
    invalid = live.post("/api/v1/announcements", json={"message": "", "ends_at": "soon"})
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalidinput"
