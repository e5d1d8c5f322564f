"""Every frame of the poster channel is its registered model, field for field (as
tests/realtime/test_contracts.py checks the core's frames)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from conference.realtime.registry import Realtime
from tests.posters.slot_helpers import put_live_slot
from tests.posters.talk_helpers import make_poster
from tests.realtime.live_session import signed_in
from tests.realtime.sockets import act, connect

POSTER_FRAMES = {
    "poster.comment",
    "poster.comment_removed",
    "poster.votes",
    "presenter.here",
    "presenter.left",
    "chat.message",
    "chat.deleted",
}


def next_of(ws: WebSocketTestSession, type: str, seen: list[dict[str, Any]]) -> dict[str, Any]:
    """The next frame of ``type``, keeping every frame read on the way in ``seen``."""
    while True:
        frame: dict[str, Any] = ws.receive_json()
        seen.append(frame)
        if frame["type"] == type:
            return frame


def test_every_poster_frame_is_its_registered_model(live: TestClient, sockets: ExitStack) -> None:
    realtime: Realtime = live.app.state.ctx.realtime  # type: ignore[attr-defined]
    presenter_id = signed_in(live, "presenter@example.org")
    poster_id = make_poster(live, presenter_id=presenter_id)
    live.portal.call(put_live_slot, live.app.state.ctx, poster_id)  # type: ignore[union-attr,attr-defined,call-arg]
    channel = f"poster:{poster_id}"
    presenter = connect(sockets, live, channel)
    signed_in(live, "attendee@example.org")
    attendee = connect(sockets, live, channel)
    seen: list[dict[str, Any]] = []

    act(attendee, "poster.comment", channel, "c1", body="Which cell line?")
    comment_id = next_of(attendee, "poster.comment", seen)["data"]["comment_id"]
    act(attendee, "poster.comment.remove", channel, "c2", comment_id=comment_id)
    next_of(attendee, "poster.comment_removed", seen)
    voted = live.put(f"/api/v1/posters/{poster_id}/vote")
    assert voted.status_code == 200, voted.text
    next_of(attendee, "poster.votes", seen)
    act(presenter, "poster.presenter_here", channel, "h1")
    next_of(attendee, "presenter.here", seen)
    act(presenter, "poster.presenter_left", channel, "l1")
    next_of(attendee, "presenter.left", seen)
    act(attendee, "poster.chat.send", channel, "t1", body="Is the presenter here?")
    message_id = next_of(attendee, "chat.message", seen)["data"]["message_id"]
    act(presenter, "poster.chat.delete", channel, "t2", message_id=message_id)
    next_of(attendee, "chat.deleted", seen)

    events = [frame for frame in seen if frame["type"] in realtime.events]
    for frame in events:
        model = realtime.events[frame["type"]].model
        assert model.model_validate(frame["data"]).wire() == frame["data"], frame
    assert {frame["type"] for frame in events} >= POSTER_FRAMES
