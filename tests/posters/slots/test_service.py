"""Live author slots: who sets them, the rules they keep, and how each viewer sees them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts.models import Role
from conference.context import AppContext
from conference.db.types import utcnow
from posters.models import PosterSlot, PosterState
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.slot_helpers import EVENING, put_live_slot, put_slot


def soon(hours: float = 2, minutes: int = 30) -> dict[str, str]:
    """A valid slot body ``hours`` from now, ``minutes`` long (whole minutes)."""
    start = utcnow().replace(second=0, microsecond=0) + timedelta(hours=hours)
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=minutes)).isoformat(),
    }


async def slot_rows(app: FastAPI, poster_id: int) -> list[tuple[datetime, datetime]]:
    ctx: AppContext = app.state.ctx
    async with ctx.db.session() as db:
        rows = await db.execute(
            select(PosterSlot.starts_at, PosterSlot.ends_at)
            .where(PosterSlot.poster_id == poster_id)
            .order_by(PosterSlot.starts_at)
        )
        return [(s, e) for s, e in rows]


async def test_a_presenter_adds_and_removes_slots(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create(time_zone="Asia/Tokyo")
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    body = soon()
    added = await client.post(f"/api/v1/posters/{poster.id}/slots", json=body)
    assert added.status_code == 201, added.text
    slot = added.json()
    assert datetime.fromisoformat(slot["starts_at"]) == datetime.fromisoformat(body["starts_at"])
    assert slot["live"] is False
    listed = await client.get(f"/api/v1/posters/{poster.id}/slots")
    assert listed.status_code == 200
    assert listed.json()["zone"] == "Asia/Tokyo"
    assert [s["id"] for s in listed.json()["slots"]] == [slot["id"]]
    assert listed.json()["slots"][0]["when"].endswith("JST")
    removed = await client.delete(f"/api/v1/posters/{poster.id}/slots/{slot['id']}")
    assert removed.status_code == 204
    assert await slot_rows(app, poster.id) == []


def overlapping(body: dict[str, str]) -> dict[str, str]:
    start = datetime.fromisoformat(body["starts_at"]) + timedelta(minutes=15)
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=30)).isoformat()}


def naive(body: dict[str, str]) -> dict[str, str]:
    return {key: value.removesuffix("+00:00") for key, value in body.items()}


BAD: dict[str, tuple[Any, str]] = {
    "overlap": (overlapping, "This slot overlaps another slot of the poster."),
    "too long": (lambda b: soon(hours=5, minutes=121), "A slot lasts at most 2 hours."),
    "too short": (lambda b: soon(hours=5, minutes=5), "A slot lasts at least 10 minutes."),
    "ends first": (lambda b: soon(hours=5, minutes=-30), "A slot must end after it starts."),
    "past": (lambda b: soon(hours=-24), "A slot cannot start in the past."),
    "after the meeting": (lambda b: soon(hours=24 * 5), "A slot must take place during"),
    "far away": (
        lambda b: {
            "starts_at": "9999-12-31T23:00:00+00:00",
            "ends_at": "9999-12-31T23:30:00+00:00",
        },
        "A slot must be near the meeting's dates.",
    ),
    "overflowing": (
        lambda b: {
            "starts_at": "9999-12-31T23:00:00-05:00",
            "ends_at": "9999-12-31T23:30:00-05:00",
        },
        "A slot must be near the meeting's dates.",
    ),
}


@pytest.mark.parametrize("case", BAD)
async def test_slots_keep_their_rules(
    case: str,
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    presenter = await users.create()
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    first = soon()
    assert (await client.post(f"/api/v1/posters/{poster.id}/slots", json=first)).status_code == 201
    before = await slot_rows(app, poster.id)
    make, message = BAD[case]
    refused = await client.post(f"/api/v1/posters/{poster.id}/slots", json=make(first))
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"].startswith(message)
    assert await slot_rows(app, poster.id) == before


async def test_naive_times_are_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    refused = await client.post(f"/api/v1/posters/{poster.id}/slots", json=naive(soon()))
    assert refused.status_code == 422
    assert await slot_rows(app, poster.id) == []


async def test_a_poster_has_at_most_ten_slots(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    for i in range(10):
        body = soon(hours=1 + i * 0.25, minutes=15)
        added = await client.post(f"/api/v1/posters/{poster.id}/slots", json=body)
        assert added.status_code == 201, (i, added.text)
    refused = await client.post(f"/api/v1/posters/{poster.id}/slots", json=soon(hours=5))
    assert refused.status_code == 422
    assert refused.json()["detail"] == "A poster has at most 10 slots."
    assert len(await slot_rows(app, poster.id)) == 10


async def test_who_may_set_slots(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    attendee = await users.create()
    organizer = await users.create(Role.organizer)
    poster = await posters.create(presenter=presenter)
    draft = await posters.create(presenter=presenter, state=PosterState.draft)
    live_id = await put_live_slot(app.state.ctx, poster.id)
    assert (await client.get(f"/api/v1/posters/{poster.id}/slots")).status_code == 401

    await sign_in(client, attendee.email)
    assert (await client.post(f"/api/v1/posters/{poster.id}/slots", json=soon())).status_code == 403
    assert (await client.delete(f"/api/v1/posters/{poster.id}/slots/{live_id}")).status_code == 403
    assert (await client.get(f"/api/v1/posters/{poster.id}/slots")).status_code == 200
    assert (await client.post(f"/api/v1/posters/{draft.id}/slots", json=soon())).status_code == 404
    assert (await client.get(f"/api/v1/posters/{draft.id}/slots")).status_code == 404
    assert (await client.post("/api/v1/posters/999999/slots", json=soon())).status_code == 404

    await sign_in(client, presenter.email)
    # A slot of one's draft is fine; a slot that has started stays.
    assert (await client.post(f"/api/v1/posters/{draft.id}/slots", json=soon())).status_code == 201
    started = await client.delete(f"/api/v1/posters/{poster.id}/slots/{live_id}")
    assert started.status_code == 403
    assert started.json()["detail"] == "A slot that has started stays; an organizer can remove it."
    assert (await client.delete(f"/api/v1/posters/{draft.id}/slots/{live_id}")).status_code == 404

    await sign_in(client, organizer.email)
    assert (await client.delete(f"/api/v1/posters/{poster.id}/slots/{live_id}")).status_code == 204
    assert await slot_rows(app, poster.id) == []


async def test_every_viewer_sees_slots_in_their_own_zone(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await posters.create()
    await put_slot(app.state.ctx, poster.id, EVENING, EVENING + timedelta(minutes=30))
    for zone, when in [
        ("Asia/Tokyo", "Wed 20 Oct 2021, 01:00\u201301:30 JST"),
        ("Europe/London", "Tue 19 Oct 2021, 17:00\u201317:30 BST"),
    ]:
        viewer = await users.create(time_zone=zone)
        await sign_in(client, viewer.email)
        listed = (await client.get(f"/api/v1/posters/{poster.id}/slots")).json()
        assert listed["zone"] == zone
        assert [s["when"] for s in listed["slots"]] == [when]
        page = await client.get(f"/posters/{poster.id}")
        assert f'Times are in <span data-testid="slots-zone">{zone}</span>' in page.text
        assert when in page.text
        assert "Live now" not in page.text
        assert "Add a live slot" not in page.text  # an attendee has no form


async def test_the_page_shows_a_live_slot(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    poster = await posters.create(presenter=presenter)
    await put_live_slot(app.state.ctx, poster.id)
    await sign_in(client, (await users.create()).email)
    page = await client.get(f"/posters/{poster.id}")
    assert "Live now: ask the presenter" in page.text
    assert 'data-presenter="false"' in page.text
    await sign_in(client, presenter.email)
    page = await client.get(f"/posters/{poster.id}")
    assert 'data-presenter="true"' in page.text
    assert "Add a live slot" in page.text


async def test_the_presenter_adds_a_slot_in_their_zone_with_the_form(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create(time_zone="Asia/Tokyo")
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    start = (utcnow() + timedelta(hours=3)).replace(second=0, microsecond=0)
    tokyo = start.astimezone(UTC) + timedelta(hours=9)  # Tokyo has no summer time
    form = {
        "starts_at": f"{tokyo:%Y-%m-%dT%H:%M}",
        "ends_at": f"{tokyo + timedelta(minutes=45):%Y-%m-%dT%H:%M}",
    }
    added = await client.post(f"/posters/{poster.id}/slots", data=form)
    assert added.status_code == 303
    assert added.headers["location"] == f"/posters/{poster.id}#slots"
    assert await slot_rows(app, poster.id) == [(start, start + timedelta(minutes=45))]
    again = await client.post(f"/posters/{poster.id}/slots", data=form)
    assert again.status_code == 422
    assert "This slot overlaps another slot of the poster." in again.text
    garbled = await client.post(f"/posters/{poster.id}/slots", data={"starts_at": "soon"})
    assert garbled.status_code == 422
    assert "Enter a date and time" in garbled.text
    slot_id = (await client.get(f"/api/v1/posters/{poster.id}/slots")).json()["slots"][0]["id"]
    removed = await client.post(f"/posters/{poster.id}/slots/{slot_id}/delete")
    assert removed.status_code == 303
    assert await slot_rows(app, poster.id) == []
    attendee = await users.create()
    await sign_in(client, attendee.email)
    assert (await client.post(f"/posters/{poster.id}/slots", data=form)).status_code == 403
