"""A generated program of any size (400 sessions and 1,500 talks by default).

Test-only, so it lives under tests/: the benchmarks and the query-count test need a large
program, production code never does, and keeping it out of the ``conference`` package keeps
it out of the wheel. Rows go in with bulk ``INSERT ... RETURNING`` statements (one per table,
batched by SQLAlchemy's insertmanyvalues), so 1,500 talks take a second, not a minute of
ORM unit-of-work flushes.

The layout is conflict-free, as a real program should be: sessions run in hourly slots
(50 minutes, then a 10-minute change-over) with one session per stage per slot, and the
people of one slot are consecutive entries of a pool larger than a slot needs, so nobody
is in two places at once and the published program has no warnings.
"""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.draft import publishing
from conference.program.models import (
    Meeting,
    Person,
    ProgramSession,
    ProgramVersion,
    SessionChair,
    SessionType,
    Stage,
    Talk,
    TalkSpeaker,
    Track,
)
from conference.program.schemas import PublishIn


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Ada Amir Anna Ben Carla Chen Dara Elif Emma Femi Gita Hana Ivan Jana Kofi Lena Luis Maya "
    "Nadia Omar Pia Quinn Rosa Sami Tara Umar Vera Wen Yara Zoltan"
)
LAST = _words(
    "Abbott Bauer Costa Dahl Evans Ferreira Garcia Haas Ito Jensen Kaur Larsen Mbeki Novak "
    "Okafor Petrov Quist Rossi Sato Tanaka Ueda Varga Weber Xu Yilmaz Zhou Brandt Lindqvist "
    "Moreau Nakamura"
)
PLACES = (
    ("Cardiff University", "GB"),
    ("Karolinska Institutet", "SE"),
    ("Osaka University", "JP"),
    ("University of Toronto", "CA"),
    ("Institut Pasteur", "FR"),
    ("Monash University", "AU"),
    ("University of São Paulo", "BR"),
    ("Stanford University", "US"),
)
TOPICS = (
    "interferon signalling",
    "chemokine gradients",
    "tumour immunology",
    "IL-6 family cytokines",
    "innate antiviral sensing",
    "IL-17 and mucosal defence",
    "JAK-STAT inhibition",
    "macrophage metabolism",
    "T cell exhaustion",
    "inflammasome activation",
    "type III interferons",
    "cytokine engineering",
)
WORDS = _words(
    "cytokine receptor signalling macrophage interferon chemokine tissue inflammation response "
    "T cell dendritic regulation expression pathway infection tumour model patients cohort "
    "mechanism transcription single-cell analysis barrier epithelial resolution therapy"
)
TRACK_COLOURS = ("#1f6fb2", "#2a9d8f", "#c0392b", "#8e44ad", "#d35400", "#4d7c0f", "#566172")
# Per stage in a slot: mostly symposia, with the other kinds the program pages must draw.
KINDS = (
    SessionType.plenary,
    SessionType.symposium,
    SessionType.symposium,
    SessionType.symposium,
    SessionType.workshop,
    SessionType.symposium,
    SessionType.poster_session,
    SessionType.symposium,
    SessionType.industry_symposium,
    SessionType.symposium,
)
SLOT_MINUTES, SESSION_MINUTES, FIRST_SLOT = 60, 50, time(9, 0)


@dataclass(frozen=True)
class Generated:
    sessions: int
    talks: int
    people: int
    stages: int
    version: int


def _guid() -> str:
    # Random, unlike the content: generating twice into one database must not collide.
    return str(uuid.uuid4())


def _abstract(rng: random.Random, topic: str) -> str:
    """About 600 characters: the size of a short real abstract, which the exports carry."""
    sentences = [
        f"We studied {topic} in " + " ".join(rng.choices(WORDS, k=14)) + "." for _ in range(4)
    ]
    return " ".join(sentences)


async def _stages_and_tracks(
    db: AsyncSession, meeting: Meeting, stages: int
) -> tuple[list[int], list[int]]:
    """The generated stages and tracks, made once per meeting and reused afterwards."""
    for n in range(1, stages + 1):
        slug = f"gen-stage-{n}"
        if (
            await db.scalar(
                select(Stage.id).where(Stage.meeting_id == meeting.id, Stage.slug == slug)
            )
            is None
        ):
            db.add(Stage(meeting_id=meeting.id, slug=slug, name=f"Stage {n}", position=n))
    for n, colour in enumerate(TRACK_COLOURS, start=1):
        slug = f"gen-track-{n}"
        if (
            await db.scalar(
                select(Track.id).where(Track.meeting_id == meeting.id, Track.slug == slug)
            )
            is None
        ):
            db.add(Track(meeting_id=meeting.id, slug=slug, name=TOPICS[n].title(), color=colour))
    await db.flush()
    stage_ids = (
        await db.scalars(
            select(Stage.id)
            .where(Stage.meeting_id == meeting.id, Stage.slug.like("gen-stage-%"))
            .order_by(Stage.position)
        )
    ).all()
    track_ids = (
        await db.scalars(
            select(Track.id).where(Track.meeting_id == meeting.id, Track.slug.like("gen-track-%"))
        )
    ).all()
    return list(stage_ids[:stages]), list(track_ids)


async def clear_program(db: AsyncSession, *, meeting: Meeting) -> None:
    """Delete the meeting's sessions (talks, chairs and speakers go with them) and versions."""
    await db.execute(delete(ProgramSession).where(ProgramSession.meeting_id == meeting.id))
    await db.execute(delete(ProgramVersion).where(ProgramVersion.meeting_id == meeting.id))
    await db.commit()


async def generate_program(
    db: AsyncSession,
    *,
    meeting: Meeting,
    sessions: int = 400,
    talks: int = 1500,
    stages: int = 10,
    seed: int = 2021,
    publish: bool = True,
) -> Generated:
    """Add ``sessions`` sessions holding ``talks`` talks to ``meeting`` and publish them."""
    rng = random.Random(seed)
    stage_ids, track_ids = await _stages_and_tracks(db, meeting, stages)
    zone = ZoneInfo(meeting.time_zone)
    days = (meeting.ends_on - meeting.starts_on).days + 1
    slots = -(-sessions // stages)
    slots_per_day = -(-slots // days)

    # A slot draws at most stages x (1 chair + 2 speakers x talks per session) people; a
    # pool larger than that never repeats anyone within a slot (see the module docstring),
    # and 1.5 people per session keeps the people index realistically large.
    base, extra = divmod(talks, sessions)
    pool = max(sessions * 3 // 2, stages * (1 + 2 * (base + 1)) + 1)
    people_rows = [
        {
            "guid": _guid(),
            "name": f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}",
            "affiliation": PLACES[n % len(PLACES)][0],
            "country": PLACES[n % len(PLACES)][1],
            "biography": "Investigator in cytokine biology.",
        }
        for n in range(pool)
    ]
    person_ids = await _insert_returning(db, Person, people_rows)
    drawn = itertools.cycle(person_ids)  # in program order: a slot's people are consecutive

    session_rows: list[dict[str, Any]] = []
    chairs_of: list[int] = []
    talks_of: list[list[dict[str, Any]]] = []
    speakers_of: list[list[int]] = []
    for index in range(sessions):
        slot, stage_index = divmod(index, stages)
        day, slot_of_day = divmod(slot, slots_per_day)
        local_start = datetime.combine(
            meeting.starts_on + timedelta(days=day), FIRST_SLOT, tzinfo=zone
        ) + timedelta(minutes=SLOT_MINUTES * slot_of_day)
        starts_at = local_start.astimezone(UTC)
        topic = TOPICS[index % len(TOPICS)]
        kind = KINDS[stage_index % len(KINDS)]
        accredited = kind is not SessionType.industry_symposium
        session_rows.append(
            {
                "guid": _guid(),
                "meeting_id": meeting.id,
                "title": f"{topic.capitalize()}: session {index + 1}",
                "description": _abstract(rng, topic),
                "session_type": kind.value,
                "track_id": track_ids[index % len(track_ids)],
                "stage_id": stage_ids[stage_index],
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(minutes=SESSION_MINUTES),
                "cme_accredited": accredited,
                "cme_minutes": SESSION_MINUTES if accredited else 0,
            }
        )
        chairs_of.append(next(drawn))
        count = base + (1 if index < extra else 0)
        minutes = SESSION_MINUTES // max(count, 1)
        session_talks = []
        for n in range(count):
            number = len(speakers_of) + 1
            talk_topic = TOPICS[number % len(TOPICS)]
            session_talks.append(
                {
                    "guid": _guid(),
                    "title": f"New insights into {talk_topic} ({number})",
                    "abstract": _abstract(rng, talk_topic),
                    "starts_at": starts_at + timedelta(minutes=minutes * n),
                    "duration_minutes": minutes,
                }
            )
            # Every fifth talk has two speakers, as joint talks do.
            speakers_of.append([next(drawn) for _ in range(2 if number % 5 == 0 else 1)])
        talks_of.append(session_talks)

    session_ids = await _insert_returning(db, ProgramSession, session_rows)
    chair_rows = [
        {"session_id": session_id, "person_id": person_id, "position": 0}
        for session_id, person_id in zip(session_ids, chairs_of, strict=True)
    ]
    await db.execute(insert(SessionChair), chair_rows)
    talk_rows = [
        {**talk, "session_id": session_id}
        for session_id, session_talks in zip(session_ids, talks_of, strict=True)
        for talk in session_talks
    ]
    talk_ids = await _insert_returning(db, Talk, talk_rows)
    speaker_rows = [
        {"talk_id": talk_id, "person_id": person_id, "position": position}
        for talk_id, speakers in zip(talk_ids, speakers_of, strict=True)
        for position, person_id in enumerate(speakers)
    ]
    await db.execute(insert(TalkSpeaker), speaker_rows)
    await db.commit()

    version = 0
    if publish:
        published, _ = await publishing.publish(
            db, meeting=meeting, user=None, request=PublishIn(confirm_warnings=True)
        )
        version = published.number
    return Generated(
        sessions=len(session_ids),
        talks=len(talk_ids),
        people=pool,
        stages=len(stage_ids),
        version=version,
    )


async def _insert_returning(
    db: AsyncSession, model: type[Person | ProgramSession | Talk], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert ``rows`` in bulk; their new ids, in the order of ``rows``."""
    result = await db.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return list(result.scalars().all())
