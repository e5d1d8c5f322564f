"""Replay never shows what current state hides; a deleted account leaves no name or text;
the data export holds a user's chat, questions, votes and poll answers."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.testclient import WebSocketTestSession

from conference.realtime.models import ChannelEvent, ChatMessage, PollVote, Question, QuestionVote
from conference.realtime.privacy import DELETED_AUTHOR
from tests.factories import PASSWORD
from tests.realtime.live_session import (
    ORGANIZER,
    act,
    connect,
    drain,
    publish_session,
    receive,
    refill,
    signed_in,
    subscribe,
    welcome,
)

ANA = "ana@example.org"
BO = "bo@example.org"
API = "/api/v1/realtime/sessions"


def replay(ws: WebSocketTestSession, channel: str) -> list[dict[str, Any]]:
    """Every event a subscribe with ``since=0`` replays, in order."""
    ws.send_json({"type": "subscribe", "channel": channel, "since": 0, "ref": "replay"})
    frames = []
    while (frame := receive(ws))["type"] != "subscribed":
        frames.append(frame)
    assert frame["data"]["more"] is False
    return frames


def replayed_chat(frames: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The chat as a client that applies the replayed events sees it."""
    seen: dict[int, dict[str, Any]] = {}
    for frame in frames:
        data = frame["data"]
        if frame["type"] in ("chat.message", "chat.edited"):
            seen.setdefault(data["message_id"], {}).update(data)
        elif frame["type"] == "chat.deleted":
            seen[data["message_id"]]["deleted"] = True
    return seen


def texts(frames: list[dict[str, Any]]) -> str:
    return json.dumps(frames, ensure_ascii=False)


def test_replay_shows_only_what_history_shows_after_edit_delete_dismiss(
    live: TestClient,
) -> None:
    guid = publish_session(live)
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    signed_in(live, ANA)
    with connect(live) as ana:
        welcome(ana)
        subscribe(ana, session)
        edited = act(ana, "chat.send", session, {"body": "first draft"})["data"]["message_id"]
        act(ana, "chat.edit", session, {"message_id": edited, "body": "second draft"})
        act(ana, "chat.edit", session, {"message_id": edited, "body": "final words"})
        refill(live)
        gone = act(ana, "chat.send", session, {"body": "my secret"})["data"]["message_id"]
        act(ana, "chat.delete", session, {"message_id": gone})
        kept = act(ana, "chat.send", session, {"body": "plain line"})["data"]["message_id"]
        refill(live)
        dismissed = act(ana, "qa.ask", session, {"body": "embarrassing?", "anonymous": False})
        approved = act(ana, "qa.ask", session, {"body": "good question", "anonymous": True})
        signed_in(live, ORGANIZER)
        with connect(live) as organizer:
            welcome(organizer)
            subscribe(organizer, session)
            for question, action in ((dismissed, "dismiss"), (approved, "approve")):
                data = {"question_id": question["data"]["question"]["question_id"]}
                answer = act(organizer, "qa.moderate", session, {**data, "action": action})
                assert answer["type"] == "ack", answer
            history = live.get(f"{API}/{guid}/chat").json()["messages"]
            queue = live.get(f"{API}/{guid}/questions?queue=1").json()["questions"]
            on_session = replay(organizer, session)
            on_moderation = replay(organizer, moderation)
        drain(ana)

    # What history shows, replay shows: the current body of the edited message, none of
    # the deleted one, and only the approved question.
    assert {m["message_id"]: (m["body"], m["deleted"]) for m in history} == {
        edited: ("final words", False),
        gone: (None, True),
        kept: ("plain line", False),
    }
    chat = replayed_chat(on_session)
    assert {i: (m["body"], m.get("deleted", False)) for i, m in chat.items()} == {
        edited: ("final words", False),
        gone: (None, True),
        kept: ("plain line", False),
    }
    assert [q["body"] for q in queue] == ["good question"]
    for frames in (on_session, on_moderation):
        shown = texts(frames)
        for hidden in ("first draft", "second draft", "my secret", "embarrassing?"):
            assert hidden not in shown
    assert "good question" in texts(on_session)
    # The event log keeps its ids and types; the rows hold no deleted text either.
    types = [f["type"] for f in on_session]
    assert types.count("chat.edited") == 2
    assert types.count("chat.deleted") == 1

    async def stored() -> tuple[str, str]:
        async with live.app.state.ctx.db.session() as db:  # type: ignore[attr-defined]
            log = json.dumps(list((await db.scalars(select(ChannelEvent.data))).all()))
            message = await db.get(ChatMessage, gone)
            assert message is not None
            return log, message.body

    log, body = live.portal.call(stored)  # type: ignore[union-attr]
    assert body == ""
    for hidden in ("first draft", "second draft", "my secret", "embarrassing?"):
        assert hidden not in log


def test_deleted_account_leaves_no_name_or_text_and_export_lists_it_first(
    live: TestClient,
) -> None:
    guid = publish_session(live)
    session, moderation = f"session:{guid}", f"moderation:{guid}"
    signed_in(live, BO)
    with connect(live) as bo:
        welcome(bo)
        subscribe(bo, session)
        bo_question = act(bo, "qa.ask", session, {"body": "Bo asks", "anonymous": False})
        bo_question_id = bo_question["data"]["question"]["question_id"]
    signed_in(live, ANA)
    ana_sock = connect(live)
    ana = ana_sock.__enter__()
    welcome(ana)
    subscribe(ana, session)
    message_id = act(ana, "chat.send", session, {"body": "Ana was here"})["data"]["message_id"]
    asked = act(ana, "qa.ask", session, {"body": "Ana asks", "anonymous": True})
    asked_id = asked["data"]["question"]["question_id"]
    act(ana, "qa.ask", session, {"body": "Ana pending", "anonymous": False})
    signed_in(live, ORGANIZER)
    with connect(live) as organizer:
        welcome(organizer)
        subscribe(organizer, session)
        subscribe(organizer, moderation)
        for question_id in (asked_id, bo_question_id):
            moderated = act(
                organizer,
                "qa.moderate",
                session,
                {"question_id": question_id, "action": "approve"},
            )
            assert moderated["type"] == "ack"
        poll = act(
            organizer, "poll.create", session, {"question": "Which?", "options": ["IL-6", "TNF"]}
        )["data"]["poll"]
        act(organizer, "poll.open", session, {"poll_id": poll["poll_id"]})
        il6 = poll["options"][0]["option_id"]
        refill(live)
        vote = act(ana, "qa.vote", session, {"question_id": bo_question_id})
        assert vote["type"] == "ack", vote
        ballot = act(ana, "poll.vote", session, {"poll_id": poll["poll_id"], "option_ids": [il6]})
        assert ballot["type"] == "ack", ballot
        ana_sock.__exit__(None, None, None)
        drain(organizer)

        # Export first: everything Ana wrote or chose is in it.
        signed_in(live, ANA)
        export = live.get("/api/v1/me/export").json()["realtime"]
        assert [(m["message_id"], m["body"]) for m in export["chat_messages"]] == [
            (message_id, "Ana was here")
        ]
        assert [(q["body"], q["anonymous"]) for q in export["questions"]] == [
            ("Ana asks", True),
            ("Ana pending", False),
        ]
        assert [v["question_id"] for v in export["question_votes"]] == [bo_question_id]
        assert [(a["question"], a["option"]) for a in export["poll_answers"]] == [
            ("Which?", "IL-6")
        ]

        deleted = live.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
        assert deleted.status_code == 204
        # Open pages drop the texts at once.
        live_frames = drain(organizer)
        assert {"type": "chat.deleted", "message_id": message_id} in [
            {"type": f["type"], "message_id": f["data"].get("message_id")} for f in live_frames
        ]
        assert asked_id in [
            f["data"]["question_id"] for f in live_frames if f["type"] == "qa.removed"
        ]

        signed_in(live, ORGANIZER)
        [shown] = live.get(f"{API}/{guid}/chat").json()["messages"]
        assert shown["author"] == {"id": None, "name": DELETED_AUTHOR}
        assert (shown["body"], shown["deleted"]) == (None, True)
        queue = live.get(f"{API}/{guid}/questions?queue=1").json()["questions"]
        # Bo's question keeps Ana's upvote in its count (an aggregate), not her name.
        assert [(q["body"], q["author"]["name"], q["votes"]) for q in queue] == [
            ("Bo asks", "bo", 1)
        ]
        polls = live.get(f"{API}/{guid}/polls").json()["polls"]
        assert [o["votes"] for o in polls[0]["options"]] == [1, 0]
        frames = replay(organizer, session) + replay(organizer, moderation)

    shown_text = texts(frames)
    for gone in ("Ana was here", "Ana asks", "Ana pending", '"name": "ana"'):
        assert gone not in shown_text

    async def rows() -> tuple[int, int, int, str]:
        async with live.app.state.ctx.db.session() as db:  # type: ignore[attr-defined]
            votes = await db.scalar(select(func.count()).select_from(PollVote)) or 0
            upvotes = await db.scalar(select(func.count()).select_from(QuestionVote)) or 0
            named = (
                await db.scalar(
                    select(func.count()).select_from(Question).where(Question.author_name == "ana")
                )
                or 0
            )
            log = json.dumps(list((await db.scalars(select(ChannelEvent.data))).all()))
            return votes, upvotes, named, log

    votes, upvotes, named, log = live.portal.call(rows)  # type: ignore[union-attr]
    assert (votes, upvotes, named) == (0, 0, 0)
    for gone in ("Ana was here", "Ana asks", "Ana pending", '"name": "ana"'):
        assert gone not in log
