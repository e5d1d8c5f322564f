"""Who chairs and who speaks (conference/program/participation.py), once per role.

Every rule built on it (moderation, uploads, the panel, the studio and going live) has its
own refusal tests in its package; this checks the rule itself on each database: a chair, a
speaker, an attendee, an organizer, and the chair of another session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role, User
from conference.program import participation
from conference.program.participation import Participation
from conference.program.published.program import PublishedProgram
from conference.program.service import current_meeting
from tests.bench.measure import counting
from tests.factories import UserFactory
from tests.program.factories import ProgramBuilder, organizer_client

pytestmark = pytest.mark.usefixtures("demo_meeting")


@dataclass(frozen=True)
class Expected:
    """What one role is and may do, with session A (main stage, today) and its talk."""

    chairs_a: bool
    speaks_in_a: bool
    moderates_a: bool
    uploads_for_a: bool  # no talk named
    uploads_for_talk: bool
    presents_on_main: bool
    presents_on_main_today: bool
    presents_on_side: bool
    directs_main: bool
    directs_side: bool
    main_sessions: tuple[str, ...]  # titles, in program order
    main_sessions_today: tuple[str, ...]


Y, N = True, False
# Columns as in Expected: chairs A, speaks in A, moderates A, uploads for A, for its talk;
# presents on main, on main today, on side; directs main, side; main's sessions, today's.
EXPECTED = {
    "chair": Expected(Y, N, Y, Y, Y, Y, Y, N, Y, N, ("A",), ("A",)),
    "speaker": Expected(N, Y, N, N, Y, Y, Y, N, N, N, ("A",), ("A",)),
    "attendee": Expected(N, N, N, N, N, N, N, N, N, N, (), ()),
    "organizer": Expected(N, N, Y, Y, Y, Y, Y, Y, Y, Y, ("A", "C"), ("A",)),
    # Chairs B (side stage, today) and C (main stage, two days later): nothing of A, the
    # main stage only on C's day, and the side stage's panel.
    "other chair": Expected(N, N, N, N, N, Y, N, Y, Y, Y, ("C",), ()),
}


@dataclass(frozen=True)
class Published:
    program: PublishedProgram
    users: dict[str, User]
    main: str  # stage GUIDs
    side: str
    today: datetime


@pytest.fixture
async def published(client: httpx.AsyncClient, users: UserFactory, app: FastAPI) -> Published:
    builder = ProgramBuilder(await organizer_client(client, users))
    accounts = {
        "chair": await users.create(Role.attendee, email="chair@example.org"),
        "speaker": await users.create(Role.speaker, email="speaker@example.org"),
        "attendee": await users.create(Role.attendee, email="attendee@example.org"),
        "organizer": await users.create(Role.organizer, email="organizer2@example.org"),
        "other chair": await users.create(Role.attendee, email="other@example.org"),
    }
    people: dict[str, dict[str, Any]] = {}
    for role in ("chair", "speaker", "other chair"):
        people[role] = await builder.person(f"The {role}", user_id=accounts[role].id)
    main, side = await builder.stage("Main Stage"), await builder.stage("Side Stage")
    today = datetime.now(UTC).replace(microsecond=0)
    later = today + timedelta(days=2)

    def hour(start: datetime) -> tuple[str, str]:
        return start.isoformat(), (start + timedelta(hours=1)).isoformat()

    a = await builder.session(
        "A", *hour(today), stage_id=main["id"], chair_ids=[people["chair"]["id"]]
    )
    await builder.talk(
        a["id"], "A's talk", today.isoformat(), 20, speaker_ids=[people["speaker"]["id"]]
    )
    await builder.session(
        "B", *hour(today), stage_id=side["id"], chair_ids=[people["other chair"]["id"]]
    )
    await builder.session(
        "C", *hour(later), stage_id=main["id"], chair_ids=[people["other chair"]["id"]]
    )
    assert (await builder.publish(confirm=True)).status_code == 201
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        meeting = await current_meeting(db)
        assert meeting is not None
        program = await ctx.programs.latest(db, meeting_id=meeting.id)
    assert program is not None
    return Published(program, accounts, main["guid"], side["guid"], today)


def observed(part: Participation, published: Published) -> Expected:
    program, today = published.program, published.today
    (session_a,) = [s for s in program.sessions if s.title == "A"]
    (talk,) = session_a.talks
    return Expected(
        chairs_a=part.is_chair_of(session_a),
        speaks_in_a=part.speaks_in(session_a),
        moderates_a=part.may_moderate(session_a),
        uploads_for_a=part.may_upload_for(session_a, None),
        uploads_for_talk=part.may_upload_for(session_a, talk),
        presents_on_main=part.may_present_on(program, published.main),
        presents_on_main_today=part.may_present_on(program, published.main, day_of=today),
        presents_on_side=part.may_present_on(program, published.side),
        directs_main=part.may_direct_on(program, published.main),
        directs_side=part.may_direct_on(program, published.side),
        main_sessions=tuple(s.title for s in part.sessions_on(program, published.main)),
        main_sessions_today=tuple(
            s.title for s in part.sessions_on(program, published.main, day_of=today)
        ),
    )


@pytest.mark.parametrize("role", list(EXPECTED))
async def test_each_role_is_and_may_do_exactly_its_part(
    role: str, published: Published, app: FastAPI
) -> None:
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        with counting(ctx.db.engine) as statements:
            part = await participation.of_user(db, user=published.users[role])
    assert len(statements) == 1  # the one query; everything else is read from the program
    assert part.organizer is (role == "organizer")
    assert observed(part, published) == EXPECTED[role]


def test_without_a_published_program_only_organizers_present() -> None:
    organizer = Participation(organizer=True, people=frozenset())
    chair = Participation(organizer=False, people=frozenset({"a-person-guid"}))
    assert organizer.may_present_on(None, "a-stage-guid")
    assert organizer.may_direct_on(None, "a-stage-guid")
    assert organizer.sessions_on(None, "a-stage-guid") == []
    assert not chair.may_present_on(None, "a-stage-guid")
    assert not chair.may_direct_on(None, "a-stage-guid")
