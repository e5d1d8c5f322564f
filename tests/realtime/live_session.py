"""Helpers for the realtime tests: signed-in websocket clients on a published session.

One TestClient (one event loop, one hub) serves every user of a test: signing in as
another user swaps the client's cookie, and a websocket opened earlier keeps its user.
The ``live`` fixture (tests/realtime/conftest.py) is such a client.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from conference.accounts import service as accounts
from conference.accounts.models import Role
from conference.main import create_app
from conference.program.demo.meeting import seed_meeting
from conference.settings import Settings
from tests.factories import PASSWORD

API = "/api/v1/program"
# The hub's once-a-second tick may slip these in anywhere: the tests here are not about them.
EPHEMERAL = frozenset({"presence", "reactions"})
ORGANIZER = "organizer@example.org"
ORIGIN = {"origin": "http://testserver"}


@contextmanager
def live_client(settings: Settings) -> Iterator[TestClient]:
    """The app in a TestClient, its lifespan running for the block."""
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client
        # One more request before shutdown lets the websocket handlers that the test just
        # closed finish on the event loop: shutting the app down under a handler still
        # unwinding can hang the portal (seen intermittently; reported to the hub's owner).
        client.get("/api/v1/auth/csrf")


def signed_in(client: TestClient, email: str, *roles: Role) -> int:
    """Create the user if needed (``roles``, attendee by default) and sign the client in
    as them; their id."""
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
    # Another user signs in as if in another browser: signing in from this one would end
    # the session of the websockets it already opened (and close them).
    client.cookies.delete("cytokines_session")
    client.headers["X-CSRF-Token"] = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return user_id


def refill(client: TestClient) -> None:
    """Full token buckets again, for a test about something other than the rate limit."""
    limiter = client.app.state.ctx.realtime.limiter  # type: ignore[attr-defined]
    # On the app's loop, between two of its frames, as the limiter is used.
    client.portal.call(limiter.reset)  # type: ignore[union-attr]


def publish_session(client: TestClient, *, chair_email: str | None = None) -> str:
    """Publish a one-session program as an organizer; its guid. The client stays signed
    in as the organizer. ``chair_email`` makes that user (created first) the chair."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def seed() -> None:
        async with ctx.db.session() as db:
            await seed_meeting(db)

    client.portal.call(seed)  # type: ignore[union-attr]
    chair_ids: list[int] = []
    if chair_email is not None:
        signed_in(client, chair_email)
        chair_user = client.get("/api/v1/me").json()["id"]
        signed_in(client, ORGANIZER, Role.organizer)
        person = client.post(f"{API}/people", json={"name": "Chiara Chair", "user_id": chair_user})
        assert person.status_code == 201, person.text
        chair_ids.append(person.json()["id"])
    else:
        signed_in(client, ORGANIZER, Role.organizer)
    stage = client.post(f"{API}/stages", json={"name": "Main Stage"})
    assert stage.status_code == 201, stage.text
    session = client.post(
        f"{API}/draft/sessions",
        json={
            "title": "Interferon keynote",
            "starts_at": "2021-10-18T09:00:00+01:00",
            "ends_at": "2021-10-18T10:00:00+01:00",
            "stage_id": stage.json()["id"],
            "chair_ids": chair_ids,
        },
    )
    assert session.status_code == 201, session.text
    published = client.post(f"{API}/publish", json={"confirm_warnings": True, "note": ""})
    assert published.status_code == 201, published.text
    guid: str = session.json()["guid"]
    return guid


def connect(client: TestClient) -> WebSocketTestSession:
    """Open /ws as the client's current user (the caller enters the returned session)."""
    return client.websocket_connect("/ws", headers=ORIGIN)


def receive(ws: WebSocketTestSession) -> dict[str, Any]:
    """The next frame that is not a presence or reactions tally."""
    while True:
        frame: dict[str, Any] = ws.receive_json()
        if frame["type"] not in EPHEMERAL:
            return frame


def welcome(ws: WebSocketTestSession) -> int:
    """Read the welcome frame; the user's id."""
    frame = receive(ws)
    assert frame["type"] == "welcome"
    user_id: int = frame["data"]["user"]["id"]
    return user_id


def subscribe(ws: WebSocketTestSession, channel: str, since: int | None = None) -> dict[str, Any]:
    ws.send_json({"type": "subscribe", "channel": channel, "since": since, "ref": "s"})
    frame = receive(ws)
    assert frame["type"] == "subscribed", frame
    return frame


def act_frames(
    ws: WebSocketTestSession, type: str, channel: str | None, data: dict[str, Any], ref: str = "r"
) -> list[dict[str, Any]]:
    """Send an action; every frame up to and including the ack or error answering it
    (the actor's own events are published before the ack)."""
    message: dict[str, Any] = {"type": type, "ref": ref, "data": data}
    if channel is not None:
        message["channel"] = channel
    ws.send_json(message)
    return until_ref(ws, ref)


def act(
    ws: WebSocketTestSession, type: str, channel: str | None, data: dict[str, Any], ref: str = "r"
) -> dict[str, Any]:
    """Send an action; the ack or error answering it (earlier frames are skipped)."""
    return act_frames(ws, type, channel, data, ref)[-1]


def until_ref(ws: WebSocketTestSession, ref: str) -> list[dict[str, Any]]:
    """Frames up to and including the one answering ``ref``."""
    frames: list[dict[str, Any]] = []
    while True:
        frame = receive(ws)
        frames.append(frame)
        if frame.get("ref") == ref and frame["type"] in ("ack", "error", "pong"):
            return frames


def drain(ws: WebSocketTestSession) -> list[dict[str, Any]]:
    """Every frame already queued for ``ws``: a ping's pong comes after them all."""
    ws.send_json({"type": "ping", "ref": "drain"})
    return until_ref(ws, "drain")[:-1]
