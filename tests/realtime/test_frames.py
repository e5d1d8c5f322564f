"""No client frame breaks a websocket: every one gets an error envelope or a valid reply,
and the connection keeps working after it.

The fuzz test sends frames from a seeded generator (so a failure replays exactly): random
JSON shapes, wrong types, huge numbers, deep nesting, unknown types and channels, binary.
"""

from __future__ import annotations

import json
import random
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from conference.realtime.protocol import MAX_CLIENT_FRAME
from tests.realtime.live_session import (
    connect,
    publish_session,
    receive,
    refill,
    signed_in,
    subscribe,
    welcome,
)

SEED = 20211017
FRAMES = 400
# What the server may answer a client frame with (replies and the events it causes).
REPLIES = {"ack", "error", "pong", "subscribed"}
EVENTS = {
    "chat.message",
    "chat.edited",
    "chat.deleted",
    "chat.muted",
    "qa.pending",
    "qa.question",
    "qa.removed",
    "qa.votes",
    "poll.draft",
    "poll.opened",
    "poll.closed",
    "poll.results",
    "reactions",
    "presence",
}
TYPES = [
    "ping",
    "subscribe",
    "unsubscribe",
    "chat.send",
    "chat.edit",
    "chat.delete",
    "chat.mute",
    "qa.ask",
    "qa.vote",
    "qa.moderate",
    "poll.create",
    "poll.open",
    "poll.close",
    "poll.vote",
    "reaction",
    "no.such_type",
    "Bad Type",
    "",
]
FIELDS = [
    "body",
    "message_id",
    "question_id",
    "poll_id",
    "option_ids",
    "user_id",
    "minutes",
    "action",
    "anonymous",
    "question",
    "options",
    "kind",
    "emoji",
    "reaction",
]
HUGE = [2**31 - 1, 2**31, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**300]


def answers_to(ws: WebSocketTestSession, ref: str) -> list[dict[str, Any]]:
    """Every frame up to the pong for ``ref``; the connection must still answer."""
    ws.send_json({"type": "ping", "ref": ref})
    frames: list[dict[str, Any]] = []
    while True:
        frame = receive(ws)
        if frame["type"] == "pong" and frame.get("ref") == ref:
            return frames
        frames.append(frame)


def assert_well_formed(frames: list[dict[str, Any]], sent: object) -> None:
    for frame in frames:
        assert frame["v"] == 1
        assert frame["type"] in REPLIES | EVENTS, (sent, frame)
        if frame["type"] == "error":
            assert frame["data"]["code"] != "internal_error", (sent, frame)
            assert isinstance(frame["data"]["message"], str)


class Frames:
    """A seeded generator of hostile client frames."""

    def __init__(self, seed: int, channels: list[str]) -> None:
        self.random = random.Random(seed)
        self.channels = channels

    def scalar(self) -> Any:
        r = self.random
        return r.choice(
            [
                None,
                True,
                False,
                0,
                -1,
                r.randint(-5, 50),
                r.choice(HUGE),
                r.random() * 1e6,
                float("1e308"),
                "",
                " ",
                "\x00",
                "é☃𝄞",
                "x" * r.randint(0, 3000),
                "<script>alert(1)</script>",
                "1" * 30,
            ]
        )

    def value(self, depth: int = 0) -> Any:
        r = self.random
        kind = r.random()
        if depth > 4 or kind < 0.6:
            return self.scalar()
        if kind < 0.8:
            return [self.value(depth + 1) for _ in range(r.randint(0, 4))]
        return {r.choice(FIELDS): self.value(depth + 1) for _ in range(r.randint(0, 4))}

    def channel(self) -> Any:
        r = self.random
        return r.choice(
            [
                *self.channels,
                "meeting",
                "session:00000000-0000-0000-0000-000000000000",
                "moderation:00000000-0000-0000-0000-000000000000",
                f"user:{r.choice([1, 2**31, 9_999_999_999])}",
                "poster:99999",
                "booth:1",
                "trivia:final",
                "stage:main-stage",
                "nowhere",
                self.scalar(),
            ]
        )

    def message(self) -> Any:
        r = self.random
        message: dict[str, Any] = {"type": r.choice(TYPES)}
        if r.random() < 0.9:
            message["channel"] = self.channel()
        if r.random() < 0.5:
            message["ref"] = r.choice(["r", "x" * 80, 7, None])
        if r.random() < 0.3:
            message["since"] = r.choice([0, 1, -1, *HUGE, "5", 1.5])
        if r.random() < 0.9:
            data = {f: self.value() for f in r.sample(FIELDS, r.randint(0, 4))}
            message["data"] = r.choice([data, data, data, self.value()])
        if r.random() < 0.1:
            message[r.choice(["extra", "v", "id"])] = self.value()
        return message

    def frame(self) -> str | bytes:
        """One frame's payload: mostly JSON messages, sometimes anything at all."""
        r = self.random
        roll = r.random()
        if roll < 0.75:
            return json.dumps(self.message())
        if roll < 0.80:
            depth = r.choice([17, 100, 5_000, MAX_CLIENT_FRAME // 2 - 1])
            return "[" * depth + "]" * depth
        if roll < 0.85:
            return '{"type":"ping","data":' + '{"a":' * 600 + "1" + "}" * 601
        if roll < 0.90:
            return r.choice(["", "{", "null", "[]", "42", '"text"', "1e999999", "9" * 5000, "NaN"])
        if roll < 0.95:
            return bytes(r.randrange(256) for _ in range(r.randint(0, 64)))
        return json.dumps(self.value())


def test_since_beyond_the_integer_range_is_an_error_not_a_close(live: TestClient) -> None:
    signed_in(live, "a@example.org")
    with connect(live) as ws:
        welcome(ws)
        for since in (2**31, 2**63, 2**64, 10**40):
            ws.send_json({"type": "subscribe", "channel": "meeting", "since": since, "ref": "s"})
            refused = receive(ws)
            assert refused["type"] == "error", since
            assert refused["data"]["code"] == "bad_message"
            assert refused["data"]["message"].startswith("since:")
        # Still connected, and the largest real id is accepted.
        assert subscribe(ws, "meeting", since=2**31 - 1)["data"]["replayed_up_to"] == 2**31 - 1


def test_deeply_nested_frames_get_an_error_and_the_connection_stays(live: TestClient) -> None:
    signed_in(live, "a@example.org")
    with connect(live) as ws:
        welcome(ws)
        half = MAX_CLIENT_FRAME // 2 - 1  # as deep as fits under the size cap
        for text in (
            "[" * half + "]" * half,
            '{"type":"ping","data":{"a":' + "[" * 5000 + "]" * 5000 + "}}",
            '{"type":"ping","data":' + '{"a":' * 17 + "1" + "}" * 18,
        ):
            assert len(text) <= MAX_CLIENT_FRAME
            ws.send_text(text)
            refused = receive(ws)
            assert refused["type"] == "error"
            assert refused["data"]["code"] == "bad_message"
            assert "nest" in refused["data"]["message"]
        # Ordinary nesting still works.
        ws.send_json({"type": "ping", "ref": "p", "data": {"a": {"b": [1, [2, [3]]]}}})
        assert receive(ws) == {"v": 1, "type": "pong", "ref": "p", "data": {}}


def test_fuzzed_frames_always_get_an_answer_and_never_break_the_socket(
    live: TestClient,
) -> None:
    guid = publish_session(live)  # signed in as the organizer: every action is reachable
    channels = [f"session:{guid}", f"moderation:{guid}"]
    frames = Frames(SEED, channels)
    with connect(live) as ws:
        welcome(ws)
        for channel in channels:
            subscribe(ws, channel)
        for n in range(FRAMES):
            # Full buckets: the rate limit would otherwise answer most of the frames.
            refill(live)
            payload = frames.frame()
            if isinstance(payload, bytes):
                ws.send_bytes(payload)
            else:
                ws.send_text(payload)
            answered = answers_to(ws, f"fuzz-{n}")
            assert_well_formed(answered, payload)
            if not isinstance(payload, bytes) and len(payload) <= MAX_CLIENT_FRAME:
                # Each frame is answered (an ack, error or pong of its own) or is a ping
                # answered by its pong, which ``answers_to`` may already have read.
                assert answered or '"ping"' in payload, payload
        # After it all, the socket still works as it should.
        refill(live)
        ws.send_json(
            {"type": "chat.send", "channel": channels[0], "ref": "ok", "data": {"body": "still"}}
        )
        replies = answers_to(ws, "last")
        assert [f["type"] for f in replies if f.get("ref") == "ok"] == ["ack"]
