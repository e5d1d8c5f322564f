"""Who may sit in a poster's video room: the policy posters registers for the streaming
package's rooms (``Extensions.video_rooms["poster"]``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role, User
from conference.context import AppContext
from conference.db.types import utcnow
from conference.errors import NotFound
from conference.extensions import VideoRoomAccess
from posters.models import PosterState
from posters.slots.videoroom import CAPACITY, CLOSED, video_room_access
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.slot_helpers import EVENING, put_live_slot, put_slot


async def access(
    app: FastAPI, user: User, poster_id: int, *, now: datetime | None = None
) -> VideoRoomAccess:
    ctx: AppContext = app.state.ctx
    async with ctx.db.session() as db:
        return await video_room_access(db, user, poster_id, now=now)


async def test_during_a_live_slot_everyone_who_sees_the_poster_joins_and_hosts_are_marked(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    organizer = await users.create(Role.organizer)
    attendee = await users.create()
    poster = await posters.create(presenter=presenter)
    now = utcnow()
    ends = now + timedelta(minutes=55)
    await put_slot(app.state.ctx, poster.id, now - timedelta(minutes=5), ends)
    # The room closes (everyone in it is let go) at the slot's end.
    assert await access(app, presenter, poster.id) == VideoRoomAccess(
        join=True, host=True, capacity=CAPACITY, closes_at=ends
    )
    assert await access(app, organizer, poster.id) == VideoRoomAccess(
        join=True, host=True, capacity=CAPACITY, closes_at=ends
    )
    assert await access(app, attendee, poster.id) == VideoRoomAccess(
        join=True, host=False, capacity=CAPACITY, closes_at=ends
    )
    assert CAPACITY == 6


async def test_outside_a_slot_nobody_joins_not_even_the_presenter(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    organizer = await users.create(Role.organizer)
    attendee = await users.create()
    poster = await posters.create(presenter=presenter)
    closed = VideoRoomAccess(join=False, host=False, capacity=CAPACITY, refusal=CLOSED)
    # No slot at all.
    assert await access(app, attendee, poster.id) == closed
    # A slot later today and one in 2021: still closed.
    now = utcnow()
    await put_slot(app.state.ctx, poster.id, now + timedelta(hours=1), now + timedelta(hours=2))
    await put_slot(app.state.ctx, poster.id, EVENING, EVENING + timedelta(minutes=30))
    assert await access(app, attendee, poster.id) == closed
    for host in (presenter, organizer):
        found = await access(app, host, poster.id)
        assert (found.join, found.host, found.refusal) == (False, True, CLOSED)


async def test_a_slot_is_live_from_its_start_until_just_before_its_end(
    app: FastAPI, users: UserFactory, posters: PosterFactory
) -> None:
    attendee = await users.create()
    poster = await posters.create()
    await put_slot(app.state.ctx, poster.id, EVENING, EVENING + timedelta(minutes=30))
    before = EVENING - timedelta(microseconds=1)
    end = EVENING + timedelta(minutes=30)
    assert (await access(app, attendee, poster.id, now=before)).join is False
    assert (await access(app, attendee, poster.id, now=EVENING)).join is True
    assert (await access(app, attendee, poster.id, now=end - timedelta(seconds=1))).join is True
    assert (await access(app, attendee, poster.id, now=end)).join is False


@pytest.mark.parametrize("state", [PosterState.draft, PosterState.submitted, PosterState.withdrawn])
async def test_an_unpublished_poster_has_no_room_for_anyone(
    app: FastAPI, users: UserFactory, posters: PosterFactory, state: PosterState
) -> None:
    presenter = await users.create()
    organizer = await users.create(Role.organizer)
    attendee = await users.create()
    poster = await posters.create(presenter=presenter, state=state)
    await put_live_slot(app.state.ctx, poster.id)
    for user in (presenter, organizer, attendee):
        with pytest.raises(NotFound):
            await access(app, user, poster.id)


async def test_an_unknown_poster_is_not_found(app: FastAPI, users: UserFactory) -> None:
    attendee = await users.create()
    with pytest.raises(NotFound):
        await access(app, attendee, 999_999)


async def test_main_registers_the_policy_and_the_rooms_address(app: FastAPI) -> None:
    rooms = app.state.ctx.extensions.video_rooms
    assert rooms.policies["poster"] is video_room_access
    assert rooms.url("poster", 17) == "/api/v1/streaming/rooms/poster/17"
    # A kind nobody registered has no room.
    assert rooms.url("booth", 17) is None


async def test_the_poster_page_offers_the_room_only_during_a_live_slot_of_a_published_poster(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create()
    published = await posters.create(presenter=presenter)
    draft = await posters.create(presenter=presenter, state=PosterState.draft)
    await sign_in(client, presenter.email)
    for poster in (published, draft):
        page = await client.get(f"/posters/{poster.id}")
        assert page.status_code == 200
        assert "data-poster-room" not in page.text
        assert "Join the video room" not in page.text
        await put_live_slot(app.state.ctx, poster.id)
    page = await client.get(f"/posters/{published.id}")
    assert f'data-poster-room="/api/v1/streaming/rooms/poster/{published.id}"' in page.text
    assert '<button type="button" data-room-join>Join the video room</button>' in page.text
    assert "js/poster-room.js" in page.text
    # The draft's presenter sees its live slot, but a draft has no room.
    page = await client.get(f"/posters/{draft.id}")
    assert "Live now: ask the presenter" in page.text
    assert "data-poster-room" not in page.text
