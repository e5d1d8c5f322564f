"""The demo program: Cytokines 2021 as ``conference demo`` seeds and publishes it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.accounts.models import User
from conference.demo import seed_demo
from conference.program.demo.meeting import DEMO_SLUG, LOCAL_ORGANIZING, SCIENTIFIC_ADVISORY
from conference.program.demo.program import parse_listing
from conference.program.documents import SessionDoc, Snapshot
from conference.program.draft.conflicts import find_conflicts
from conference.program.models import (
    Meeting,
    Person,
    ProgramSession,
    ProgramVersion,
    SessionType,
    Talk,
    TalkSpeaker,
)
from conference.program.snapshot import draft_snapshot

LONDON = ZoneInfo("Europe/London")


async def seed(app: FastAPI) -> None:
    ctx = app.state.ctx
    await seed_demo(ctx.db, ctx.passwords, ctx.extensions, base_url=ctx.settings.base_url)


async def snapshot_of(app: FastAPI) -> tuple[Meeting, Snapshot]:
    async with app.state.ctx.db.session() as db:
        meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
        assert meeting is not None
        return meeting, await draft_snapshot(db, meeting=meeting)


def span(session: SessionDoc) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(session["starts_at"]), datetime.fromisoformat(session["ends_at"])


def most_parallel_stages(sessions: list[SessionDoc]) -> int:
    """The most distinct stages with a session running at one instant."""
    best = 0
    for session in sessions:
        start, _ = span(session)
        stages = {s["stage"] for s in sessions if s["stage"] and span(s)[0] <= start < span(s)[1]}
        best = max(best, len(stages))
    return best


async def test_the_demo_program_is_a_realistic_published_meeting(app: FastAPI) -> None:
    await seed(app)
    meeting, snapshot = await snapshot_of(app)
    sessions = snapshot["sessions"]

    days = {span(s)[0].astimezone(LONDON).date() for s in sessions}
    assert days == {date(2021, 10, day) for day in (17, 18, 19, 20)}
    assert all(meeting.opens_at <= span(s)[0] and span(s)[1] <= meeting.closes_at for s in sessions)
    assert most_parallel_stages(sessions) >= 3
    assert {s["type"] for s in sessions} == {t.value for t in SessionType}
    assert {t["slug"] for t in snapshot["tracks"]} >= {
        "interferons",
        "chemokines",
        "cancer",
        "autoimmunity",
        "infection",
        "translational",
    }
    assert find_conflicts(snapshot) == []

    awards = [s for s in sessions if s["type"] == SessionType.award_ceremony.value]
    industry = [s for s in sessions if s["type"] == SessionType.industry_symposium.value]
    assert [s["title"] for s in awards] == ["ICIS Awards Ceremony"]
    assert industry
    assert all(not s["cme_accredited"] and s["cme_minutes"] == 0 for s in industry)
    accredited = [s for s in sessions if s["cme_accredited"]]
    assert accredited
    assert all(s["cme_minutes"] > 0 for s in accredited)

    # Chairs and speakers are drawn from the committees, every member taking part.
    names = {guid: p["name"] for guid, p in snapshot["people"].items()}
    involved = {names[g] for s in sessions for g in s["chairs"]} | {
        names[g] for s in sessions for t in s["talks"] for g in t["speakers"]
    }
    committee = {name for name, *_ in LOCAL_ORGANIZING + SCIENTIFIC_ADVISORY}
    assert committee <= involved

    async with app.state.ctx.db.session() as db:
        versions = (
            await db.scalars(select(ProgramVersion).where(ProgramVersion.meeting_id == meeting.id))
        ).all()
    assert [v.number for v in versions] == [1]
    assert versions[0].snapshot == snapshot


async def test_the_published_demo_program_is_public(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await seed(app)
    response = await client.get("/api/v1/program/sessions")
    assert response.status_code == 200
    sessions = response.json()
    assert len(sessions) == len(parse_listing())
    # Every attendee view of it renders.
    pages = [
        "/program",
        "/program?view=list",
        f"/program/sessions/{sessions[0]['guid']}",
        "/api/v1/program/schedule.json",
    ]
    for url in pages:
        assert (await client.get(url)).status_code == 200, url


async def test_seeding_twice_changes_nothing(app: FastAPI) -> None:
    await seed(app)
    _, first = await snapshot_of(app)
    rows = await program_rows(app)
    await seed(app)
    _, second = await snapshot_of(app)
    assert second == first
    assert await program_rows(app) == rows


async def program_rows(app: FastAPI) -> dict[str, Any]:
    """Ids, GUIDs and update times: a re-seed that rewrote rows would change these."""
    async with app.state.ctx.db.session() as db:
        sessions = (
            await db.execute(
                select(ProgramSession.id, ProgramSession.guid, ProgramSession.updated_at).order_by(
                    ProgramSession.id
                )
            )
        ).all()
        talks = (await db.execute(select(Talk.id, Talk.guid).order_by(Talk.id))).all()
        people = await db.scalar(select(func.count()).select_from(Person))
        versions = await db.scalar(select(func.count()).select_from(ProgramVersion))
    return {"sessions": sessions, "talks": talks, "people": people, "versions": versions}


async def test_the_speaker_account_gives_a_talk(app: FastAPI) -> None:
    await seed(app)
    async with app.state.ctx.db.session() as db:
        user = await db.scalar(select(User).where(User.email == "speaker@demo.test"))
        assert user is not None
        person = await db.scalar(select(Person).where(Person.user_id == user.id))
        assert person is not None
        assert person.name == "Sam Speaker"
        talks = (
            await db.scalars(
                select(Talk.title).join(TalkSpeaker).where(TalkSpeaker.person_id == person.id)
            )
        ).all()
    assert talks == ["IL-27 and the regulation of T cell responses during parasitic infection"]


@pytest.mark.parametrize("day", [17, 18, 19, 20])
def test_each_day_runs_three_stages_at_once(day: int) -> None:
    """Checked on the listing itself, so a bad edit fails without a database."""
    sessions = [s for s in parse_listing() if s.day == day and s.stage]
    starts = {s.start for s in sessions}
    assert any(
        len({s.stage for s in sessions if s.start <= start < s.end}) >= 3 for start in starts
    )
