"""A poster session's page in the program lists its published posters and their live
slots, in the viewer's zone (posters.slots.program, through Extensions.session_sections)."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from posters.models import PosterState
from tests.bench.measure import counting
from tests.factories import UserFactory
from tests.posters.factories import PosterFactory
from tests.posters.slot_helpers import EVENING, put_slot
from tests.program.sample_program import become, publish_sample

HTML = {"Accept": "text/html"}
SECTION = "Posters and live author slots"


async def test_a_poster_session_lists_its_posters_and_slots(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    sample = await publish_sample(client, users)
    shown = await posters.create(board="P2", title="Shown poster", session_guid=sample.posters)
    await posters.create(board="P1", title="Unslotted poster", session_guid=sample.posters)
    await posters.create(
        board="P3", title="Draft poster", session_guid=sample.posters, state=PosterState.draft
    )
    await posters.create(board="P4", title="Elsewhere poster")
    await put_slot(app.state.ctx, shown.id, EVENING, EVENING + timedelta(minutes=30))
    await become(client, users, time_zone="Asia/Tokyo")

    page = await client.get(f"/program/sessions/{sample.posters}", headers=HTML)
    assert page.status_code == 200
    assert SECTION in page.text
    assert page.text.index("Board P1: Unslotted poster") < page.text.index("Board P2: Shown poster")
    assert "Draft poster" not in page.text
    assert "Elsewhere poster" not in page.text
    assert '<span data-testid="session-slots-zone">Asia/Tokyo</span>' in page.text
    assert "Wed 20 Oct 2021, 01:00\u201301:30 JST" in page.text

    meeting = await client.get(f"/program/sessions/{sample.posters}?zone=meeting", headers=HTML)
    assert '<span data-testid="session-slots-zone">Europe/London</span>' in meeting.text
    assert "Tue 19 Oct 2021, 17:00\u201317:30 BST" in meeting.text

    other = await client.get(f"/program/sessions/{sample.keynote}", headers=HTML)
    assert other.status_code == 200
    assert SECTION not in other.text

    await client.post("/api/v1/auth/logout")
    client.cookies.clear()
    visitor = await client.get(f"/program/sessions/{sample.posters}", headers=HTML)
    assert visitor.status_code == 200
    assert SECTION not in visitor.text


async def session_page_statements(
    app: FastAPI, client: httpx.AsyncClient, guid: str, posters: PosterFactory, count: int
) -> int:
    """Add ``count`` published posters with two slots each to session ``guid``; the SQL
    statements one view of its page then costs."""
    for _ in range(count):
        poster = await posters.create(session_guid=guid)
        for hours in (0, 1):
            start = EVENING + timedelta(hours=hours)
            await put_slot(app.state.ctx, poster.id, start, start + timedelta(minutes=30))
    await client.get(f"/program/sessions/{guid}", headers=HTML)  # the program cache warm
    with counting(app.state.ctx.db.engine) as statements:
        page = await client.get(f"/program/sessions/{guid}", headers=HTML)
    assert page.status_code == 200
    return len(statements)


async def test_the_section_costs_the_same_statements_for_2_or_40_posters(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    sample = await publish_sample(client, users)
    await become(client, users, time_zone="Asia/Tokyo")
    few = await session_page_statements(app, client, sample.posters, posters, 2)
    many = await session_page_statements(app, client, sample.posters, posters, 38)
    assert few == many
