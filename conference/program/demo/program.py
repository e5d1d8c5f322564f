"""The demo meeting's program: seeded by ``conference demo``, published as version 1.

The program itself is the listing in :mod:`conference.program.demo.data`; this
module reads it and writes it to the tables. Every stage, person, session and talk the demo
creates has a GUID derived from its name (uuid5), so seeding again finds the same rows and
changes nothing; the demo publishes only when no version exists yet, so an organizer's
later versions are never replaced.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.accounts.service import get_user_by_email
from conference.program.demo import data
from conference.program.demo.meeting import DEMO_SLUG, LONDON
from conference.program.draft import publishing
from conference.program.models import (
    Meeting,
    Person,
    ProgramSession,
    SessionChair,
    SessionType,
    Stage,
    Talk,
    TalkSpeaker,
    Track,
)
from conference.program.schemas import PublishIn

DEMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://cardiff.cytokinesociety.org/#demo")
ORGANIZER_EMAIL = "organizer@demo.test"


def demo_guid(kind: str, key: str) -> str:
    """The fixed GUID of a demo row: the same on every machine and every run."""
    return str(uuid.uuid5(DEMO_NAMESPACE, f"{kind}/{key}"))


def instant(day: int, clock: str) -> datetime:
    """A meeting-time "HH:MM" on ``day`` October 2021, as a UTC instant.

    Stored values come back in UTC; giving UTC here too keeps the objects in the session
    identical to what a fresh read returns, so the published snapshot's times read the same.
    """
    local = datetime(2021, 10, day, int(clock[:2]), int(clock[3:]), tzinfo=LONDON)
    return local.astimezone(UTC)


# Reading the listing -------------------------------------------------------------------

DEFAULT_DESCRIPTIONS = {
    SessionType.symposium: "Four invited talks with questions, then a panel discussion.",
    SessionType.plenary: "A plenary lecture, with ten minutes for questions.",
    SessionType.poster_session: "Authors present live at their iPosters; browse the gallery.",
    SessionType.industry_symposium: (
        "Organised and funded by an industry sponsor. Industry content: not part of the "
        "CME-accredited program."
    ),
    SessionType.break_: "",
}
ACCREDITED_TYPES = {SessionType.plenary, SessionType.symposium, SessionType.workshop}
UNRECORDED_TYPES = {SessionType.break_, SessionType.networking, SessionType.poster_session}


@dataclass(frozen=True)
class TalkSpec:
    title: str
    starts: str  # "HH:MM", meeting time
    minutes: int
    speakers: tuple[str, ...]  # names


@dataclass(frozen=True)
class SessionSpec:
    key: str  # stable: the session's GUID derives from it
    day: int  # of October 2021
    start: str  # "HH:MM", meeting time
    end: str
    kind: SessionType
    title: str
    stage: str | None
    track: str | None
    chairs: tuple[str, ...]
    talks: tuple[TalkSpec, ...]
    description: str
    cme: bool
    recorded: bool


_SESSION = re.compile(
    r"^(\d\d:\d\d)-(\d\d:\d\d) (\w+) (\S+) (\S+)((?: \w+)*) \| ([^|]+?)(?: \| (.+))?$"
)
_TALK = re.compile(r"^  (?:(\d+) )?([^|]+?)(?: \| (.+))?$")


def _names(field: str | None) -> tuple[str, ...]:
    if not field or field == "-":
        return ()
    return tuple(data.COMMITTEE_CODES.get(name, name) for name in field.split(", "))


def _clock(start: str, minutes: int) -> str:
    total = int(start[:2]) * 60 + int(start[3:]) + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class _Block:
    day: int
    header: str
    body: list[str]


def parse_listing(listing: str = data.LISTING) -> list[SessionSpec]:
    """The sessions of ``listing``, in its order; talks run back to back from the start."""
    blocks: list[_Block] = []
    day = 0
    for line in listing.splitlines():
        if not line.strip():
            continue
        if line.startswith("= "):
            day = int(line[2:])
        elif line.startswith("  "):
            blocks[-1].body.append(line)
        else:
            blocks.append(_Block(day, line, []))
    pools = {track: [entry.split("|")[0] for entry in pool] for track, pool in data.POOLS.items()}
    used = dict.fromkeys(pools, 0)
    sessions = []
    for block in blocks:
        header = _SESSION.match(block.header)
        if header is None:
            raise ValueError(f"Unreadable session line: {block.header!r}")
        start, end, kind_name, stage, track, flags, title, chairs = header.groups()
        kind = SessionType(kind_name)
        track_slug = data.TRACK_CODES[track] if track != "-" else None
        description = DEFAULT_DESCRIPTIONS.get(kind, "")
        talks, clock = [], start
        for line in block.body:
            if line.startswith("  > "):
                description = line[4:]
                continue
            talk = _TALK.match(line)
            if talk is None:
                raise ValueError(f"Unreadable talk line: {line!r}")
            minutes, talk_title, speakers = talk.groups()
            names = _names(speakers)
            if speakers is None:  # the next speaker of the track's pool
                if track_slug is None:
                    raise ValueError(f"{talk_title!r} needs a speaker or a track")
                pool = pools[track_slug]
                names = (pool[used[track_slug] % len(pool)],)
                used[track_slug] += 1
            talks.append(TalkSpec(talk_title, clock, int(minutes or 20), names))
            clock = _clock(clock, int(minutes or 20))
        sessions.append(
            SessionSpec(
                key=f"break-{block.day}-{start}" if kind is SessionType.break_ else slug(title),
                day=block.day,
                start=start,
                end=end,
                kind=kind,
                title=title,
                stage=data.STAGE_CODES[stage] if stage != "-" else None,
                track=track_slug,
                chairs=_names(chairs),
                talks=tuple(talks),
                description=description,
                cme=kind in ACCREDITED_TYPES and "nocme" not in flags.split(),
                recorded=kind not in UNRECORDED_TYPES,
            )
        )
    return sessions


# Writing it ----------------------------------------------------------------------------

Row = TypeVar("Row", SessionChair, TalkSpeaker)


async def seed_program(db: AsyncSession) -> list[str]:
    """Create or refresh the demo program; publish it if nothing is published yet.

    Runs after the meeting, its committees and the demo accounts exist. Rows the demo did
    not create (an organizer's own sessions, talks added to a demo session) are left alone.
    """
    meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
    if meeting is None:
        return []
    program = parse_listing()
    stages = await _stages(db, meeting)
    tracks = await _tracks(db, meeting)
    people = await _people(db)
    await _sessions(db, meeting, program, stages=stages, tracks=tracks, people=people)
    await db.commit()

    version = await publishing.latest_version(db, meeting=meeting)
    published = "latest published version"
    if version is None:
        organizer = await get_user_by_email(db, email=ORGANIZER_EMAIL)
        # The demo is conflict-free (a test holds it to that); confirming only keeps a
        # demo run from failing on a database an organizer has already edited.
        request = PublishIn(confirm_warnings=True, note="The program as announced.")
        version, _ = await publishing.publish(db, meeting=meeting, user=organizer, request=request)
        published = "published as version"
    talks = sum(len(spec.talks) for spec in program)
    return [
        f"Program: {len(program)} sessions, {talks} talks on {len(data.STAGES)} stages "
        f"({published} {version.number})"
    ]


async def _stages(db: AsyncSession, meeting: Meeting) -> dict[str, Stage]:
    existing = {
        s.slug: s for s in await db.scalars(select(Stage).where(Stage.meeting_id == meeting.id))
    }
    for position, (slug_, name, room) in enumerate(data.STAGES):
        stage = existing.get(slug_)
        if stage is None:
            stage = Stage(meeting_id=meeting.id, slug=slug_, guid=demo_guid("stage", slug_))
            db.add(stage)
            existing[slug_] = stage
        stage.name, stage.room, stage.position = name, room, position
    await db.flush()
    return existing


async def _tracks(db: AsyncSession, meeting: Meeting) -> dict[str, Track]:
    existing = {
        t.slug: t for t in await db.scalars(select(Track).where(Track.meeting_id == meeting.id))
    }
    for position, (slug_, name, color) in enumerate(data.TRACKS):
        track = existing.get(slug_)
        if track is None:
            track = Track(meeting_id=meeting.id, slug=slug_)
            db.add(track)
            existing[slug_] = track
        track.name, track.color, track.position = name, color, position
    await db.flush()
    return existing


async def _people(db: AsyncSession) -> dict[str, Person]:
    """Everyone the listing names, by name: committee members as seeded, invited speakers."""
    committee = set(data.COMMITTEE_CODES.values())
    people = {p.name: p for p in await db.scalars(select(Person).where(Person.name.in_(committee)))}
    missing = sorted(committee - people.keys())
    if missing:
        raise RuntimeError(f"Seed the meeting first: no committee member named {missing[0]}.")
    entries = [*data.INVITED, *(entry for pool in data.POOLS.values() for entry in pool)]
    invited = {
        name: (affiliation, country)
        for name, affiliation, country in (entry.split("|") for entry in entries)
    }
    invited[data.SAM] = data.SAM_PERSON[1:]
    guids = {demo_guid("person", name): name for name in invited}
    found = {p.guid: p for p in await db.scalars(select(Person).where(Person.guid.in_(guids)))}
    for guid, name in guids.items():
        person = found.get(guid)
        if person is None:
            person = Person(guid=guid)
            db.add(person)
        person.name = name
        person.affiliation, person.country = invited[name]
        people[name] = person
    account = await get_user_by_email(db, email=data.SPEAKER_EMAIL)
    if account is not None:
        people[data.SAM].user_id = account.id
    await db.flush()
    return people


async def _sessions(
    db: AsyncSession,
    meeting: Meeting,
    program: Sequence[SessionSpec],
    *,
    stages: dict[str, Stage],
    tracks: dict[str, Track],
    people: dict[str, Person],
) -> None:
    guids = {demo_guid("session", spec.key): spec for spec in program}
    if len(guids) != len(program):
        raise ValueError("Two demo sessions share a key; give them distinct titles.")
    found = {
        s.guid: s
        for s in await db.scalars(
            select(ProgramSession)
            .where(ProgramSession.guid.in_(guids))
            .options(
                selectinload(ProgramSession.chairs),
                selectinload(ProgramSession.talks).selectinload(Talk.speakers),
            )
        )
    }
    for guid, spec in guids.items():
        session = found.get(guid)
        if session is None:
            session = ProgramSession(guid=guid, meeting_id=meeting.id, chairs=[], talks=[])
            db.add(session)
        session.title = spec.title
        session.description = spec.description
        session.session_type = spec.kind.value
        session.stage_id = stages[spec.stage].id if spec.stage else None
        session.track_id = tracks[spec.track].id if spec.track else None
        session.starts_at = instant(spec.day, spec.start)
        session.ends_at = instant(spec.day, spec.end)
        session.cme_accredited = spec.cme
        session.cme_minutes = _minutes(spec) if spec.cme else 0
        session.may_be_recorded = spec.recorded
        await _set_people(db, session.chairs, SessionChair, [people[n].id for n in spec.chairs])
        talks = {t.guid: t for t in session.talks}
        for talk_spec in spec.talks:
            talk_guid = demo_guid("talk", f"{spec.key}/{slug(talk_spec.title)}")
            talk = talks.get(talk_guid)
            if talk is None:
                talk = Talk(guid=talk_guid, speakers=[])
                session.talks.append(talk)
            talk.title = talk_spec.title
            talk.starts_at = instant(spec.day, talk_spec.starts)
            talk.duration_minutes = talk_spec.minutes
            ids = [people[n].id for n in talk_spec.speakers]
            await _set_people(db, talk.speakers, TalkSpeaker, ids)


async def _set_people(
    db: AsyncSession, rows: list[Row], row_type: type[Row], person_ids: list[int]
) -> None:
    """Make ``rows`` name ``person_ids`` in order; untouched when they already do."""
    if [row.person_id for row in rows] == person_ids:
        return
    if rows:
        rows.clear()
        # The old rows go first: a person kept at a new position would otherwise collide
        # with their own old row on the (session, person) unique constraint.
        await db.flush()
    rows.extend(row_type(person_id=pid, position=i) for i, pid in enumerate(person_ids))


def _minutes(spec: SessionSpec) -> int:
    start, end = instant(spec.day, spec.start), instant(spec.day, spec.end)
    return int((end - start).total_seconds() // 60)
