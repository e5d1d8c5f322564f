"""Websockets held open in the test's ExitStack (the ``sockets`` fixture), read frame by frame.

The polls, announcements and reactions tests read every frame but presence counts (the
hub's ticker sends those whenever it likes), so a reactions tally is a frame they see.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.realtime.live_session import ORIGIN


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
    """Send an action (its answer is read with :func:`acked` or :func:`refused`)."""
    ws.send_json({"type": type, "channel": channel, "ref": ref, "data": data})


def refused(ws: WebSocketTestSession, ref: str) -> str:
    """The error code answering ``ref``."""
    frame = receive(ws)
    assert (frame["type"], frame.get("ref")) == ("error", ref), frame
    code: str = frame["data"]["code"]
    return code


def acked(ws: WebSocketTestSession, ref: str) -> dict[str, Any]:
    """The data of the ack answering ``ref``."""
    frame = receive(ws)
    assert (frame["type"], frame.get("ref")) == ("ack", ref), frame
    data: dict[str, Any] = frame["data"]
    return data
