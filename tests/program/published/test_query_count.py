"""SQL statements per page: bounded, and the same for a program of 10 or 200 sessions.

Counting statements (SQLAlchemy's ``before_cursor_execute``) catches the per-session query
that timing alone would hide on a small test program. Each page is asked for once before
counting, so the per-process published-program cache is warm, as it is in production after
the first visitor.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from conference.accounts.models import Role
from conference.program.demo.meeting import DEMO_SLUG
from conference.program.models import Meeting
from tests.bench.measure import counting
from tests.bench.synthetic import clear_program, generate_program
from tests.factories import UserFactory, sign_in

pytestmark = pytest.mark.usefixtures("demo_meeting")

# (sessions, talks): the large one is past SQLAlchemy's 500-key IN batches for talks.
SMALL, LARGE = (10, 37), (200, 750)
# Generous for a page that reads the user, the meeting and the newest version; a page that
# queries per session or per talk blows far past it with 200 sessions.
BOUND = 12
PAGES = {
    "program grid": "/program",
    "program list": "/program?view=list",
    "session page": "/program/sessions/{guid}",
    "speaker page": "/program/speakers/{person}",
    "public sessions JSON": "/api/v1/program/sessions",
    "schedule.json export": "/api/v1/program/schedule.json",
    "draft sessions (organizer)": "/api/v1/program/draft/sessions",
    "draft warnings (organizer)": "/api/v1/program/draft/warnings",
    "home page": "/",
    "my agenda": "/agenda",
    "public changelog": "/program/changes",
    "session .ics": "/program/sessions/{guid}.ics",
    "meeting .ics": "/program/meeting.ics",
}


async def statements_for(
    app: FastAPI, client: httpx.AsyncClient, path: str, *, sessions: int, talks: int
) -> list[str]:
    """Generate and publish a program of the given size; the statements one view of
    ``path`` then costs."""
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
        assert meeting is not None
        await clear_program(db, meeting=meeting)
        await generate_program(db, meeting=meeting, sessions=sessions, talks=talks)
    listing = (await client.get("/api/v1/program/sessions")).json()
    first = listing[len(listing) // 2]
    url = path.format(guid=first["guid"], person=first["talks"][0]["speakers"][0]["guid"])
    warm = await client.get(url)
    assert warm.status_code == 200, (url, warm.status_code, warm.text[:300])
    with counting(ctx.db.engine) as statements:
        response = await client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return statements


def shown(statements: list[str]) -> str:
    return "\n".join(" ".join(statement.split())[:110] for statement in statements)


@pytest.mark.parametrize("page", list(PAGES))
async def test_query_count_is_bounded_and_independent_of_program_size(
    page: str, app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    path = PAGES[page]
    # A signed-in organizer who is also an attendee: the costliest viewer (user, stars).
    await users.create(Role.organizer, Role.attendee, email="counts@example.org")
    await sign_in(client, "counts@example.org")

    small = await statements_for(app, client, path, sessions=SMALL[0], talks=SMALL[1])
    large = await statements_for(app, client, path, sessions=LARGE[0], talks=LARGE[1])

    assert len(large) <= BOUND, shown(large)
    assert len(large) == len(small), (
        f"{page}: {len(small)} statements for {SMALL[0]} sessions, {len(large)} for "
        f"{LARGE[0]}:\n{shown(large)}"
    )


async def test_statements_of_background_loops_are_not_counted(app: FastAPI) -> None:
    """A loop polling the database while a page is measured (the transcode worker, the
    announcement scheduler) is not the page's: only the measured code's statements count."""
    engine = app.state.ctx.db.engine
    polled = asyncio.Event()
    stop = asyncio.Event()

    async def poll() -> None:
        while not stop.is_set():
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 2"))
            polled.set()
            await asyncio.sleep(0)

    loop = asyncio.create_task(poll())
    try:
        with counting(engine) as statements:
            polled.clear()
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            # The loop polls at least once inside the measured window.
            await asyncio.wait_for(polled.wait(), timeout=60)
    finally:
        stop.set()
        await loop
    assert [" ".join(s.split()) for s in statements] == ["SELECT 1"]
