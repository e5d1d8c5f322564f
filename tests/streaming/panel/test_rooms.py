"""Video rooms of other domains' objects (a poster's live slot) on the panel's machinery:
the signaling routes' refusals, the seventh person refused, hosts removing people, and two
people in a poster's room seeing and hearing each other (netns)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role, User
from conference.db.types import utcnow
from conference.settings import Settings
from posters.models import Poster, PosterState
from posters.slots.videoroom import CAPACITY, CLOSED
from streaming.panel.compositor import grid_rects
from streaming.panel.rooms import PanelManager
from tests.factories import UserFactory, csrf, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.slot_helpers import put_live_slot, put_slot
from tests.streaming.panel_client import OUT_H, OUT_W, SDP, Panelist, http_for, shows
from tests.waiting import wait_until

GARBAGE_OFFER = "v=0\r\nthis is not a session description\r\nm=video\r\n"
# Parses, but has no audio: a room offer sends and receives both.
VIDEO_ONLY_OFFER = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
)
RED, GREEN = (81, 90, 240), (145, 54, 34)


def room(poster_id: int, tail: str = "") -> str:
    return f"/api/v1/streaming/rooms/poster/{poster_id}{tail}"


async def presented_poster(
    users: UserFactory, posters: PosterFactory, state: PosterState = PosterState.published
) -> tuple[User, Poster]:
    presenter = await users.create(name="Pat Presenter")
    return presenter, await posters.create(presenter=presenter, state=state)


# Refusals without media (both databases) ------------------------------------------------


@pytest.fixture
def posters(app: FastAPI, demo_meeting: None) -> PosterFactory:
    return PosterFactory(app)


async def test_signed_out_gets_401(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    _, poster = await presented_poster(users, posters)
    await put_live_slot(app.state.ctx, poster.id)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 50002))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as anon:
        await csrf(anon)
        assert (await anon.get(room(poster.id))).status_code == 401
        response = await anon.post(room(poster.id), content=GARBAGE_OFFER, headers=SDP)
        assert response.status_code == 401
        assert (await anon.delete(room(poster.id, "/abc"))).status_code == 401


async def test_outside_a_live_slot_joining_is_forbidden_and_the_room_says_why(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter, poster = await presented_poster(users, posters)
    for person in (presenter, await users.create()):
        await sign_in(client, person.email)
        response = await client.post(room(poster.id), content=GARBAGE_OFFER, headers=SDP)
        assert response.status_code == 403
        assert response.json() == {"detail": CLOSED, "code": "forbidden"}
        state = await client.get(room(poster.id))
        assert state.status_code == 200
        assert state.json() == {
            "capacity": CAPACITY,
            "count": 0,
            "may_join": False,
            "may_host": person.id == presenter.id,
            "refusal": CLOSED,
            "people": [],
        }
    assert app.state.streaming.panels.rooms == {}


@pytest.mark.parametrize("state", [PosterState.draft, PosterState.withdrawn])
async def test_unpublished_unknown_posters_and_kinds_are_404(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
    state: PosterState,
) -> None:
    presenter, poster = await presented_poster(users, posters, state)
    await put_live_slot(app.state.ctx, poster.id)
    organizer = await users.create(Role.organizer)
    for person in (presenter, organizer, await users.create()):
        await sign_in(client, person.email)
        for address in (room(poster.id), room(999_999), "/api/v1/streaming/rooms/booth/1"):
            assert (await client.get(address)).status_code == 404, (address, person.email)
            response = await client.post(address, content=GARBAGE_OFFER, headers=SDP)
            assert response.status_code == 404
            assert response.json()["code"] == "notfound"
    assert (await client.get("/api/v1/streaming/rooms/poster/0")).status_code == 422


async def test_bad_offers_are_refused_and_leave_no_room(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    _, poster = await presented_poster(users, posters)
    await put_live_slot(app.state.ctx, poster.id)
    await sign_in(client, (await users.create()).email)
    assert (await client.post(room(poster.id), content="v=0")).status_code == 415
    for offer in (GARBAGE_OFFER, VIDEO_ONLY_OFFER, "v=0\r\n" + "a=x\r\n" * 20_000):
        response = await client.post(room(poster.id), content=offer, headers=SDP)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "invalidinput"
    bad_utf8 = b"v=0\r\n\xff\xfe"
    assert (await client.post(room(poster.id), content=bad_utf8, headers=SDP)).status_code == 422
    assert app.state.streaming.panels.rooms == {}
    assert (await client.delete(room(poster.id, "/nobody"))).status_code == 404


async def test_a_poster_room_is_not_a_stage_and_never_goes_live(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    _, poster = await presented_poster(users, posters)
    await put_live_slot(app.state.ctx, poster.id)
    await sign_in(client, (await users.create(Role.organizer)).email)
    stage_panel = f"/api/v1/streaming/stages/poster:{poster.id}/panel"
    assert (await client.post(stage_panel + "/live")).status_code == 404
    assert (await client.get(stage_panel)).status_code == 404


async def test_a_users_new_seat_replaces_the_expiry_of_their_old_one(settings: Settings) -> None:
    panels = PanelManager(settings)
    panels.expire(slug="poster:1", user_id=7, panelist_id="old", after=3600)
    first = panels._expiries[("poster:1", 7)]
    panels.expire(slug="poster:1", user_id=7, panelist_id="new", after=3600)
    panels.expire(slug="poster:1", user_id=8, panelist_id="other", after=0)
    await wait_until(lambda: first.cancelled(), "the old expiry to be cancelled")
    # The one due now found no such seat (NotFound, swallowed) and is forgotten.
    await wait_until(lambda: ("poster:1", 8) not in panels._expiries, "the due expiry")
    assert list(panels._expiries) == [("poster:1", 7)]
    await panels.stop()
    assert panels._expiries == {}


# Real people in a poster's room (netns) ----------------------------------------------------


async def signed_in_client(app: FastAPI, port: int, email: str) -> httpx.AsyncClient:
    http = http_for(app, port)
    await sign_in(http, email)
    return http


@pytest.mark.netns
async def test_the_seventh_person_is_refused_and_hosts_remove_people(live_app: FastAPI) -> None:
    users = UserFactory(live_app)
    posters = PosterFactory(live_app)
    presenter, poster = await presented_poster(users, posters)
    await put_live_slot(live_app.state.ctx, poster.id)
    attendees = [await users.create(name=f"Attendee {i}") for i in range(CAPACITY)]
    # Offers that never connect still hold seats until ICE gives up, which is enough here.
    source = Panelist(RED)
    offer = await source.offer()
    clients: dict[str, httpx.AsyncClient] = {}
    try:
        for index, person in enumerate([presenter, *attendees]):
            clients[person.email] = await signed_in_client(live_app, 50100 + index, person.email)
        seats: dict[str, str] = {}
        for person in [presenter, *attendees[:-1]]:
            http = clients[person.email]
            response = await http.post(room(poster.id), content=offer, headers=SDP)
            assert response.status_code == 201, response.text
            assert response.headers["content-type"].startswith("application/sdp")
            seats[person.email] = response.headers["location"]
            assert seats[person.email].startswith(room(poster.id, "/"))
        last = clients[attendees[-1].email]
        refused = await last.post(room(poster.id), content=offer, headers=SDP)
        assert refused.status_code == 409
        assert refused.json() == {
            "detail": "The video room is full (6 people).",
            "code": "conflict",
            "reason": "room_full",
        }
        # The presenter reloading the page takes their seat again, not a seventh.
        again = await clients[presenter.email].post(room(poster.id), content=offer, headers=SDP)
        assert again.status_code == 201
        seats[presenter.email] = again.headers["location"]

        state: dict[str, Any] = (await last.get(room(poster.id))).json()
        assert (state["count"], state["may_join"], state["may_host"]) == (6, True, False)
        assert sorted(p["name"] for p in state["people"]) == sorted(
            [f"Attendee {i}" for i in range(CAPACITY - 1)] + ["Pat Presenter"]
        )
        assert all(p["seat"] is None and not p["you"] for p in state["people"])
        host_view = (await clients[presenter.email].get(room(poster.id))).json()
        assert host_view["may_host"] is True
        assert sorted(p["seat"] for p in host_view["people"]) == sorted(seats.values())

        # An attendee may not remove someone else; the presenter (a host) may.
        victim = seats[attendees[0].email]
        assert (await clients[attendees[1].email].delete(victim)).status_code == 403
        assert (await clients[presenter.email].delete(victim)).status_code == 204
        assert (await last.post(room(poster.id), content=offer, headers=SDP)).status_code == 201
        # Leaving one's own seat.
        assert (
            await clients[attendees[1].email].delete(seats[attendees[1].email])
        ).status_code == 204
        assert (await last.get(room(poster.id))).json()["count"] == 5
        key = f"poster:{poster.id}"
        held = live_app.state.streaming.panels.room(key)
        assert (held.width, held.height) == (OUT_W, OUT_H)
        assert held.broadcast_resource is None
    finally:
        await source.close()
        for http in clients.values():
            await http.aclose()


@pytest.mark.netns
async def test_everyone_is_let_go_when_the_slot_ends(live_app: FastAPI) -> None:
    users = UserFactory(live_app)
    presenter, poster = await presented_poster(users, PosterFactory(live_app))
    now = utcnow()
    # A slot (written as is) that ends in two seconds.
    await put_slot(
        live_app.state.ctx, poster.id, now - timedelta(minutes=30), now + timedelta(seconds=2)
    )
    source = Panelist(RED)
    http = await signed_in_client(live_app, 50300, presenter.email)
    try:
        response = await http.post(room(poster.id), content=await source.offer(), headers=SDP)
        assert response.status_code == 201, response.text
        panels = live_app.state.streaming.panels
        await wait_until(lambda: panels.room(f"poster:{poster.id}") is None, "the room to close")
        state = (await http.get(room(poster.id))).json()
        assert (state["count"], state["may_join"], state["refusal"]) == (0, False, CLOSED)
        assert (await http.delete(response.headers["location"])).status_code == 404
    finally:
        await source.close()
        await http.aclose()


@pytest.mark.netns
async def test_the_presenter_and_an_attendee_see_and_hear_each_other(live_app: FastAPI) -> None:
    users = UserFactory(live_app)
    presenter, poster = await presented_poster(users, PosterFactory(live_app))
    await put_live_slot(live_app.state.ctx, poster.id)
    attendee = await users.create(name="Avery Attendee")
    people = [Panelist(RED, amplitude=8000), Panelist(GREEN, amplitude=0)]
    clients = [
        await signed_in_client(live_app, 50200, presenter.email),
        await signed_in_client(live_app, 50201, attendee.email),
    ]
    try:
        for http, person in zip(clients, people, strict=True):
            response = await person.join_at(http, room(poster.id))
            assert response.status_code == 201, response.text
        tiles = grid_rects(2, OUT_W, OUT_H)
        await wait_until(
            lambda: all(
                shows(p.picture, RED, tiles[0]) and shows(p.picture, GREEN, tiles[1])
                for p in people
            ),
            "both to see the grid of the two of them",
        )
        await wait_until(lambda: len(people[1].audio_levels) >= 80, "audio at the attendee")
        assert people[1].recent_level() > 1500  # hears the presenter
        assert people[0].recent_level() < 300  # mix-minus: not their own voice
    finally:
        for person in people:
            await person.close()
        for http in clients:
            await http.aclose()
