"""The shapes of the JSON a published version stores: the program snapshot and its changelog.

Both are trees of :class:`~typing.TypedDict` rather than model objects: a TypedDict *is*
the JSON (plain dicts and lists of str, int, bool and None), so what is stored, compared
and loaded back is exactly what was stored before these types existed (no migration),
loading a published version costs nothing beyond the JSON decoding the column already does,
and mypy checks every key a reader uses. Instants are ISO 8601 strings with their offset,
dates ISO dates; :mod:`conference.program.published.program` turns them into ``datetime``
once per version and process. A field added after versions were published is
``NotRequired``, and its readers give it the meaning it had before it existed.

Built by :mod:`conference.program.snapshot`; kept apart from it because the models name
these types for their JSON columns and the snapshot builder reads the models.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class MeetingDoc(TypedDict):
    slug: str
    name: str
    short_name: str
    time_zone: str  # an IANA zone name
    starts_on: str  # ISO date, in the meeting's zone
    ends_on: str
    website: str
    description: str


class StageDoc(TypedDict):
    guid: str
    name: str
    slug: str
    room: str


class TrackDoc(TypedDict):
    slug: str
    name: str
    color: str


class PersonDoc(TypedDict):
    guid: str
    name: str
    affiliation: str
    country: str
    biography: str
    photo_url: str


class TalkDoc(TypedDict):
    guid: str
    title: str
    abstract: str
    starts_at: str  # ISO 8601 with offset
    duration_minutes: int
    # Versions published before talks had the flag lack it: such a talk may be recorded.
    may_be_recorded: NotRequired[bool]
    speakers: list[str]  # person GUIDs, in order


class SessionDoc(TypedDict):
    guid: str
    title: str
    description: str
    type: str  # a SessionType value
    track: str | None  # track slug
    stage: str | None  # stage GUID
    starts_at: str  # ISO 8601 with offset
    ends_at: str
    cme_accredited: bool
    cme_minutes: int
    may_be_recorded: bool
    chairs: list[str]  # person GUIDs, in order
    talks: list[TalkDoc]


class Snapshot(TypedDict):
    """A whole program: what ``ProgramVersion.snapshot`` holds."""

    format: int
    meeting: MeetingDoc
    stages: list[StageDoc]
    tracks: list[TrackDoc]
    people: dict[str, PersonDoc]  # by GUID
    sessions: list[SessionDoc]  # by start, then stage order


# The changelog ------------------------------------------------------------------------


class PlacementDoc(TypedDict):
    starts_at: str
    ends_at: str
    stage: str | None  # the stage's name as it was (names outlive a stage's deletion)


class PlacedDoc(PlacementDoc):
    """A session added or cancelled, where it is (or was)."""

    guid: str
    title: str


class MovedDoc(TypedDict):
    guid: str
    title: str
    old: PlacementDoc
    new: PlacementDoc


class ChangedDoc(TypedDict):
    guid: str
    title: str
    fields: list[ContentField]


class Changelog(TypedDict):
    """What a version changed since the one before: what ``ProgramVersion.changelog`` holds."""

    added: list[PlacedDoc]
    moved: list[MovedDoc]
    changed: list[ChangedDoc]
    cancelled: list[PlacedDoc]


ContentField = Literal[
    "title",
    "description",
    "type",
    "track",
    "chairs",
    "talks",
    "cme_accredited",
    "cme_minutes",
    "may_be_recorded",
]
