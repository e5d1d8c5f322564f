"""Page-shaped views of the published program: now and next, the changelog, a speaker's part.

Pure functions over :class:`PublishedProgram` and stored changelogs, so the pages stay thin
and the tests can check them without HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from conference.program.documents import (
    ChangedDoc,
    ContentField,
    MovedDoc,
    PlacedDoc,
    PlacementDoc,
)
from conference.program.models import ProgramVersion
from conference.program.published.program import (
    PublishedProgram,
    SessionView,
    StageView,
    TalkView,
)

Phase = Literal["before", "during", "after"]

CHANGED_FIELD_LABELS: dict[ContentField, str] = {
    "title": "title",
    "description": "description",
    "type": "session type",
    "track": "track",
    "chairs": "chairs",
    "talks": "talks",
    "cme_accredited": "CME accreditation",
    "cme_minutes": "CME minutes",
    "may_be_recorded": "recording",
}


# Now and next ------------------------------------------------------------------------


@dataclass(frozen=True)
class NowAndNext:
    phase: Phase
    instant: datetime
    rows: tuple[tuple[StageView, SessionView | None, SessionView | None], ...]
    first_start: datetime
    last_end: datetime

    @property
    def anything_on(self) -> bool:
        """True when some stage has a session on at the instant."""
        return any(current is not None for _, current, _ in self.rows)


def now_and_next(program: PublishedProgram, instant: datetime) -> NowAndNext | None:
    """Per stage, what is on at ``instant`` and what comes next; None for an empty program."""
    if not program.sessions:
        return None
    first = min(s.starts_at for s in program.sessions)
    last = max(s.ends_at for s in program.sessions)
    phase: Phase = "before" if instant < first else "after" if instant >= last else "during"
    rows = tuple(
        row for row in program.now_and_next(instant) if row[1] is not None or row[2] is not None
    )
    return NowAndNext(phase=phase, instant=instant, rows=rows, first_start=first, last_end=last)


# Grouping ----------------------------------------------------------------------------


def by_day(sessions: Sequence[SessionView], zone: str) -> list[tuple[date, list[SessionView]]]:
    """Sessions grouped by the day they start on in ``zone``, in time order."""
    tz = ZoneInfo(zone)
    groups: dict[date, list[SessionView]] = {}
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.title)):
        groups.setdefault(session.starts_at.astimezone(tz).date(), []).append(session)
    return list(groups.items())


def default_day(days: Sequence[date], *, today: date) -> date | None:
    """The grid's day when none is chosen: today if the meeting runs today, else its first."""
    if not days:
        return None
    return today if today in days else days[0]


# Speakers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerPart:
    """What one person does in one session: chairs it, and/or speaks in some of its talks."""

    session: SessionView
    chairs: bool
    talks: tuple[TalkView, ...]


def speaker_parts(program: PublishedProgram, person_guid: str) -> list[SpeakerPart]:
    """What ``person_guid`` does in each session they are in, in time order."""
    parts = []
    for session in program.sessions_of_person.get(person_guid, []):
        talks = tuple(t for t in session.talks if any(p.guid == person_guid for p in t.speakers))
        chairs = any(p.guid == person_guid for p in session.chairs)
        parts.append(SpeakerPart(session=session, chairs=chairs, talks=talks))
    return parts


# The changelog -----------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    starts_at: datetime
    ends_at: datetime
    stage: str | None


@dataclass(frozen=True)
class Change:
    guid: str
    title: str
    placement: Placement | None = None
    old: Placement | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class VersionChanges:
    number: int
    published_at: datetime
    note: str
    added: tuple[Change, ...]
    moved: tuple[Change, ...]
    changed: tuple[Change, ...]
    cancelled: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        """True for a version that changed no session (a republish)."""
        return not (self.added or self.moved or self.changed or self.cancelled)


def _placement(doc: PlacementDoc) -> Placement:
    return Placement(
        starts_at=datetime.fromisoformat(doc["starts_at"]),
        ends_at=datetime.fromisoformat(doc["ends_at"]),
        stage=doc["stage"],
    )


def _placed(doc: PlacedDoc) -> Change:
    return Change(guid=doc["guid"], title=doc["title"], placement=_placement(doc))


def _moved(doc: MovedDoc) -> Change:
    return Change(
        guid=doc["guid"],
        title=doc["title"],
        old=_placement(doc["old"]),
        placement=_placement(doc["new"]),
    )


def _changed(doc: ChangedDoc) -> Change:
    fields = tuple(CHANGED_FIELD_LABELS.get(f, f) for f in doc["fields"])
    return Change(guid=doc["guid"], title=doc["title"], fields=fields)


def version_changes(versions: Sequence[ProgramVersion]) -> list[VersionChanges]:
    """Each version's changelog, ready for the page (newest first, as given)."""
    return [
        VersionChanges(
            number=version.number,
            published_at=version.published_at,
            note=version.note,
            added=tuple(map(_placed, version.changelog["added"])),
            moved=tuple(map(_moved, version.changelog["moved"])),
            changed=tuple(map(_changed, version.changelog["changed"])),
            cancelled=tuple(map(_placed, version.changelog["cancelled"])),
        )
        for version in versions
    ]
