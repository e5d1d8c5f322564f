"""Every page and API route family holds at most one pooled connection per request.

A request that opened a second session while holding its first (the session page's watch
hook once did) needs two connections: with as many such requests as the pool holds, none
gets its second and every one fails after the pool timeout (500s for everybody). Here the
pool is 2 connections without overflow and 4x as many requests run at once against each
route family; all must answer as they do alone. The timeout is short so a regression fails
in seconds, yet generous next to one request's hold on a busy machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.demo import DEMO_PASSWORD, seed_demo
from conference.main import create_app
from conference.program.models import Stage
from tests.app_settings import app_settings
from tests.factories import sign_in

POOL = 2
CONCURRENT = 4 * POOL


@pytest.fixture
async def small_pool_app(database_url: str, tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = app_settings(
        database_url,
        tmp_path / "var",
        db_pool_size=POOL,
        db_max_overflow=0,
        db_pool_timeout=15,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        ctx = application.state.ctx
        await seed_demo(ctx.db, ctx.passwords, ctx.extensions, base_url=ctx.settings.base_url)
        yield application


async def _client(app: FastAPI, email: str | None) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    if email is not None:
        await sign_in(client, email, DEMO_PASSWORD)
    return client


async def test_four_times_the_pool_at_once_on_every_route_family(
    small_pool_app: FastAPI,
) -> None:
    app = small_pool_app
    async with app.state.ctx.db.session() as db:
        stage = await db.scalar(select(Stage).order_by(Stage.position, Stage.id).limit(1))
    assert stage is not None
    organizer = await _client(app, "organizer@demo.test")
    attendee = await _client(app, "attendee@demo.test")
    anonymous = await _client(app, None)
    listing = (await anonymous.get("/api/v1/program/sessions")).json()
    session = next(s for s in listing if s["talks"] and s["talks"][0]["speakers"])
    guid, speaker = session["guid"], session["talks"][0]["speakers"][0]["guid"]
    html = {"accept": "text/html"}
    # (client, path, expected status): each family as the viewer it is meant for.
    routes = [
        (anonymous, "/", 200),
        (attendee, "/", 200),
        (anonymous, "/program", 200),
        (attendee, "/program?view=list", 200),
        (anonymous, f"/program/sessions/{guid}", 200),
        (attendee, f"/program/sessions/{guid}", 200),
        (attendee, f"/program/speakers/{speaker}", 200),
        (anonymous, "/program/changes", 200),
        (anonymous, "/stages", 200),
        (attendee, f"/stages/{stage.slug}", 200),
        (attendee, "/agenda", 200),
        (attendee, "/account", 200),
        (organizer, "/console", 200),
        (organizer, "/console/sessions", 200),
        (organizer, "/console/announcements", 200),
        (anonymous, "/api/v1/program/sessions", 200),
        (anonymous, f"/api/v1/program/sessions/{guid}", 200),
        (anonymous, "/api/v1/program/schedule.json", 200),
        (organizer, "/api/v1/program/draft/sessions", 200),
        (organizer, "/api/v1/program/draft/warnings", 200),
        (organizer, "/api/v1/users", 200),
        (attendee, "/api/v1/me", 200),
        (attendee, "/api/v1/agenda", 200),
        (attendee, f"/api/v1/realtime/sessions/{guid}/chat", 200),
        (attendee, f"/api/v1/realtime/sessions/{guid}/questions", 200),
        (attendee, f"/api/v1/realtime/sessions/{guid}/polls", 200),
        (attendee, f"/api/v1/streaming/stages/{stage.slug}/status", 200),
        (attendee, f"/api/v1/streaming/sessions/{guid}/recordings", 200),
        (anonymous, "/healthz", 200),
        (anonymous, "/readyz", 200),
        # Error pages read the viewer too: they must not take a second connection.
        (attendee, "/program/sessions/not-a-session", 404),
        (attendee, "/no/such/page", 404),
        (anonymous, "/agenda", 303),
    ]
    try:
        for client, path, expected in routes:
            answers = await asyncio.gather(
                *(client.get(path, headers=html) for _ in range(CONCURRENT))
            )
            statuses = [answer.status_code for answer in answers]
            assert statuses == [expected] * CONCURRENT, (path, statuses)
    finally:
        for client in (organizer, attendee, anonymous):
            await client.aclose()
