"""The presenter's heartbeat during a live slot, and the presenter.here / presenter.left
events every follower of the poster's channel receives."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from conference.accounts.models import User
from conference.program.demo.meeting import seed_meeting
from posters.models import Poster, PosterState
from tests.posters.factories import PosterFactory
from tests.posters.slot_helpers import put_live_slot
from tests.realtime.live_session import signed_in
from tests.realtime.sockets import act, connect, refused

PRESENTER = "presenter@example.org"
ATTENDEE = "attendee@example.org"


def frame_of(ws: WebSocketTestSession, type: str, ref: str | None = None) -> dict[str, Any]:
    """The next frame of ``type`` (answering ``ref`` if given), passing over the others
    (an action's ack and the event it published come in either order)."""
    while True:
        frame: dict[str, Any] = ws.receive_json()
        if frame["type"] == type and (ref is None or frame.get("ref") == ref):
            return frame


def make_posters(live: TestClient, presenter_id: int) -> tuple[Poster, Poster]:
    """A published poster of the presenter with a live slot, and one without a slot."""
    ctx = live.app.state.ctx  # type: ignore[attr-defined]

    async def make() -> tuple[Poster, Poster]:
        async with ctx.db.session() as db:
            await seed_meeting(db)
            presenter = await db.get(User, presenter_id)
            assert presenter is not None
        factory = PosterFactory(live.app)  # type: ignore[arg-type]
        slotted = await factory.create(presenter=presenter)
        quiet = await factory.create(presenter=presenter, state=PosterState.published)
        await put_live_slot(ctx, slotted.id)
        return slotted, quiet

    made: tuple[Poster, Poster] = live.portal.call(make)  # type: ignore[union-attr]
    return made


def test_the_presenter_is_shown_here_during_a_slot(live: TestClient, sockets: ExitStack) -> None:
    presenter_id = signed_in(live, PRESENTER)
    slotted, quiet = make_posters(live, presenter_id)
    channel, quiet_channel = f"poster:{slotted.id}", f"poster:{quiet.id}"
    presenter = connect(sockets, live, channel, quiet_channel)
    signed_in(live, ATTENDEE)
    attendee = connect(sockets, live, channel)

    act(presenter, "poster.presenter_here", channel, "h1")
    ack = frame_of(presenter, "ack", "h1")["data"]
    assert ack["poster_id"] == slotted.id
    assert ack["until"] <= ack["slot_ends_at"]
    seen = frame_of(attendee, "presenter.here")
    assert seen["channel"] == channel
    assert seen["data"] == ack

    act(presenter, "poster.presenter_left", channel, "l1")
    assert frame_of(presenter, "ack", "l1")["data"] == {"poster_id": slotted.id}
    assert frame_of(attendee, "presenter.left")["data"] == {"poster_id": slotted.id}


def test_only_the_presenter_during_a_slot_says_they_are_here(
    live: TestClient, sockets: ExitStack
) -> None:
    presenter_id = signed_in(live, PRESENTER)
    slotted, quiet = make_posters(live, presenter_id)
    channel, quiet_channel = f"poster:{slotted.id}", f"poster:{quiet.id}"
    presenter = connect(sockets, live, quiet_channel, "meeting")
    # Outside a slot: refused.
    act(presenter, "poster.presenter_here", quiet_channel, "q1")
    assert refused(presenter, "q1") == "forbidden"
    # Not on a poster channel, or on one not followed.
    act(presenter, "poster.presenter_here", "meeting", "m1")
    assert refused(presenter, "m1") == "invalidinput"
    act(presenter, "poster.presenter_here", channel, "n1")
    assert refused(presenter, "n1") == "not_subscribed"
    # Anyone else: refused, on either action.
    signed_in(live, ATTENDEE)
    attendee = connect(sockets, live, channel)
    act(attendee, "poster.presenter_here", channel, "a1")
    assert refused(attendee, "a1") == "forbidden"
    act(attendee, "poster.presenter_left", channel, "a2")
    assert refused(attendee, "a2") == "forbidden"
