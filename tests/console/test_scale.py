"""The console with a program of 400 sessions and 1,500 talks: every page answers, the
list shows them all, and no page sends a query per session."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.program.demo.meeting import DEMO_SLUG
from conference.program.models import Meeting, ProgramSession
from tests.bench.measure import counting
from tests.bench.synthetic import generate_program
from tests.console.pages import Console, page_text

# Statements per page, whatever the size: the draft is read with selectinload, which adds
# one statement per 500 talks or people, so a few more than a small program needs.
BOUND = 30


@pytest.fixture
async def large(app: FastAPI, console: Console) -> int:
    async with app.state.ctx.db.session() as db:
        meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
        assert meeting is not None
        await generate_program(db, meeting=meeting, sessions=400, talks=1500, publish=False)
        first: int | None = await db.scalar(select(func.min(ProgramSession.id)))
        assert first is not None
        return first


async def test_pages_of_a_large_program(app: FastAPI, console: Console, large: int) -> None:
    engine = app.state.ctx.db.engine
    for path in (
        "/console",
        "/console/sessions",
        f"/console/sessions/{large}",
        "/console/publish",
        "/console/people",
        "/console/stages",
    ):
        with counting(engine) as statements:
            response = await console.get(path)
        assert response.status_code == 200, path
        assert len(statements) <= BOUND, (path, len(statements))
    listing = await console.get("/console/sessions")
    assert "Sessions (400)" in page_text(listing.text)
    assert listing.text.count('name="session_ids"') == 400
