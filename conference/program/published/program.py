"""The published program as attendees see it: an indexed, read-only view of a snapshot.

A published version never changes, so each process builds its view once per version and
keeps it (:class:`ProgramCache`); pages then cost one small query to learn the newest
version number, whatever the size of the program.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.bounds import MAX_DURATION_MINUTES, renderable, representable
from conference.program.documents import MeetingDoc, Snapshot, TalkDoc
from conference.program.models import SESSION_TYPE_LABELS, ProgramVersion, SessionType
from conference.program.service import current_meeting

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PersonView:
    guid: str
    name: str
    affiliation: str
    country: str
    biography: str
    photo_url: str


@dataclass(frozen=True)
class StageView:
    guid: str
    name: str
    slug: str
    room: str


@dataclass(frozen=True)
class TrackView:
    slug: str
    name: str
    color: str


@dataclass(frozen=True)
class TalkView:
    guid: str
    title: str
    abstract: str
    starts_at: datetime
    ends_at: datetime
    speakers: tuple[PersonView, ...]
    may_be_recorded: bool = True


@dataclass(frozen=True)
class SessionView:
    guid: str
    title: str
    description: str
    type: SessionType
    track: TrackView | None
    stage: StageView | None
    starts_at: datetime
    ends_at: datetime
    cme_accredited: bool
    cme_minutes: int
    may_be_recorded: bool
    chairs: tuple[PersonView, ...]
    talks: tuple[TalkView, ...]
    search_text: str = field(repr=False)

    @property
    def type_label(self) -> str:
        return SESSION_TYPE_LABELS[self.type]

    def overlaps(self, other: SessionView) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def is_on_at(self, instant: datetime) -> bool:
        return self.starts_at <= instant < self.ends_at

    @property
    def people(self) -> tuple[PersonView, ...]:
        seen: dict[str, PersonView] = {p.guid: p for p in self.chairs}
        for talk in self.talks:
            for speaker in talk.speakers:
                seen.setdefault(speaker.guid, speaker)
        return tuple(seen.values())


@dataclass(frozen=True)
class ProgramFilter:
    day: date | None = None
    track: str | None = None
    type: SessionType | None = None
    stage: str | None = None
    starred_only: bool = False
    happening_at: datetime | None = None
    query: str = ""


class PublishedProgram:
    """One published version, indexed for the attendee pages."""

    def __init__(self, *, number: int, published_at: datetime, snapshot: Snapshot) -> None:
        self.number = number
        self.published_at = published_at
        self.snapshot = snapshot
        self.meeting: MeetingDoc = snapshot["meeting"]
        meeting = self.meeting
        self.meeting_name = meeting["name"]
        self.time_zone = meeting["time_zone"]
        self.zone = ZoneInfo(self.time_zone)
        self.first_day = date.fromisoformat(meeting["starts_on"])
        self.last_day = date.fromisoformat(meeting["ends_on"])
        self.people = {
            guid: PersonView(
                guid=guid,
                name=p["name"],
                affiliation=p["affiliation"],
                country=p["country"],
                biography=p["biography"],
                photo_url=p["photo_url"],
            )
            for guid, p in snapshot["people"].items()
        }
        self.stages = tuple(
            StageView(guid=s["guid"], name=s["name"], slug=s["slug"], room=s["room"])
            for s in snapshot["stages"]
        )
        self.tracks = tuple(
            TrackView(slug=t["slug"], name=t["name"], color=t["color"]) for t in snapshot["tracks"]
        )
        stages = {s.guid: s for s in self.stages}
        tracks = {t.slug: t for t in self.tracks}
        sessions = []
        for doc in snapshot["sessions"]:
            starts_at = datetime.fromisoformat(doc["starts_at"])
            ends_at = datetime.fromisoformat(doc["ends_at"])
            if not renderable(starts_at, ends_at):
                # Published before the program's bounds were checked: leave it out rather
                # than fail every page (a year-9999 slot cannot be shown in any zone).
                logger.warning("published session %s is out of range: left out", doc["guid"])
                continue
            talks = tuple(t for t in map(self._talk, doc["talks"]) if t is not None)
            chairs = tuple(self.people[g] for g in doc["chairs"] if g in self.people)
            search = " ".join(
                [doc["title"], doc["description"]]
                + [p.name for p in chairs]
                + [part for t in talks for part in (t.title, t.abstract)]
                + [s.name for t in talks for s in t.speakers]
            ).casefold()
            sessions.append(
                SessionView(
                    guid=doc["guid"],
                    title=doc["title"],
                    description=doc["description"],
                    type=SessionType(doc["type"]),
                    track=tracks.get(doc["track"]) if doc["track"] else None,
                    stage=stages.get(doc["stage"]) if doc["stage"] else None,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    cme_accredited=doc["cme_accredited"],
                    cme_minutes=doc["cme_minutes"],
                    may_be_recorded=doc["may_be_recorded"],
                    chairs=chairs,
                    talks=talks,
                    search_text=search,
                )
            )
        self.sessions = tuple(sorted(sessions, key=lambda s: (s.starts_at, s.title)))
        self.by_guid = {s.guid: s for s in self.sessions}
        self.talk_session = {t.guid: s for s in self.sessions for t in s.talks}
        by_person: defaultdict[str, list[SessionView]] = defaultdict(list)
        for session in self.sessions:
            for person in session.people:
                by_person[person.guid].append(session)
        self.sessions_of_person = dict(by_person)
        # Exports of this version, encoded on first request (a version never changes);
        # they go with the view when the app's ProgramCache lets it go.
        self.encoded: dict[str, bytes] = {}

    def _talk(self, doc: TalkDoc) -> TalkView | None:
        start = datetime.fromisoformat(doc["starts_at"])
        minutes = doc["duration_minutes"]
        if not (representable(start) and 0 < minutes <= MAX_DURATION_MINUTES):
            logger.warning("published talk %s is out of range: left out", doc["guid"])
            return None
        return TalkView(
            guid=doc["guid"],
            title=doc["title"],
            abstract=doc["abstract"],
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            speakers=tuple(self.people[g] for g in doc["speakers"] if g in self.people),
            # Snapshots published before talks had the flag: the talk may be recorded.
            may_be_recorded=doc.get("may_be_recorded", True),
        )

    def days(self) -> list[date]:
        """The meeting's days, in the meeting's zone."""
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(max(count, 0))]

    def select(
        self, criteria: ProgramFilter, *, zone: str, starred: frozenset[str]
    ) -> list[SessionView]:
        """Sessions matching ``criteria``; ``day`` is a date in ``zone`` (the viewer's)."""
        viewer_zone = ZoneInfo(zone)
        words = criteria.query.casefold().split()
        chosen = []
        for session in self.sessions:
            if criteria.day and session.starts_at.astimezone(viewer_zone).date() != criteria.day:
                continue
            if criteria.track and (session.track is None or session.track.slug != criteria.track):
                continue
            if criteria.type and session.type != criteria.type:
                continue
            if criteria.stage and (session.stage is None or session.stage.slug != criteria.stage):
                continue
            if criteria.starred_only and session.guid not in starred:
                continue
            if criteria.happening_at and not session.is_on_at(criteria.happening_at):
                continue
            if words and not all(word in session.search_text for word in words):
                continue
            chosen.append(session)
        return chosen

    def days_in_zone(self, zone: str) -> list[date]:
        """The dates on which sessions start, seen in ``zone`` (may differ from the meeting's)."""
        viewer_zone = ZoneInfo(zone)
        dates = {s.starts_at.astimezone(viewer_zone).date() for s in self.sessions}
        return sorted(dates) or self.days()

    def now_and_next(
        self, instant: datetime
    ) -> list[tuple[StageView, SessionView | None, SessionView | None]]:
        """Per stage: the session on now and the next one to start."""
        rows = []
        for stage in self.stages:
            on_stage = [
                s for s in self.sessions if s.stage is not None and s.stage.guid == stage.guid
            ]
            current = next((s for s in on_stage if s.is_on_at(instant)), None)
            upcoming = next((s for s in on_stage if s.starts_at > instant), None)
            rows.append((stage, current, upcoming))
        return rows


class ProgramCache:
    """Per-process cache of built views, keyed by version id (versions never change)."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._views: OrderedDict[int, PublishedProgram] = OrderedDict()

    async def current(self, db: AsyncSession) -> PublishedProgram | None:
        """The newest published version of the meeting this site is running (see
        ``current_meeting``), or None before a meeting exists or anything is published."""
        meeting = await current_meeting(db)
        return await self.latest(db, meeting_id=meeting.id) if meeting else None

    async def latest(self, db: AsyncSession, *, meeting_id: int) -> PublishedProgram | None:
        """The newest published version of the meeting, or None if nothing is published."""
        row = (
            await db.execute(
                select(ProgramVersion.id)
                .where(ProgramVersion.meeting_id == meeting_id)
                .order_by(ProgramVersion.number.desc())
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        version_id = row[0]
        view = self._views.get(version_id)
        if view is None:
            version = await db.get(ProgramVersion, version_id)
            assert version is not None
            view = PublishedProgram(
                number=version.number, published_at=version.published_at, snapshot=version.snapshot
            )
            self._views[version_id] = view
            while len(self._views) > self._size:
                self._views.popitem(last=False)
        self._views.move_to_end(version_id)
        return view
