"""What the program API accepts and returns."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from conference.limits import SLUG_PATTERN, DbId, NoControlCharacters
from conference.program.models import ProgramVersion, SessionType
from conference.program.snapshot import change_counts

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), NoControlCharacters
]
ShortName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), NoControlCharacters
]
LongText = Annotated[str, StringConstraints(max_length=20_000), NoControlCharacters]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=rf"^{SLUG_PATTERN}$")]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
# Instants must carry their zone: "2021-10-17T09:00:00+01:00" or "...Z". A naive time is
# refused (422) because it cannot be placed without guessing.
Instant = AwareDatetime
Position = Annotated[int, Field(ge=0, le=100_000)]


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:62] or "item"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StageIn(Strict):
    name: ShortName
    slug: Slug | None = None
    room: Annotated[str, StringConstraints(max_length=120), NoControlCharacters] = ""
    position: Position = 0


class StageUpdate(Strict):
    name: ShortName | None = None
    slug: Slug | None = None
    room: Annotated[str, StringConstraints(max_length=120), NoControlCharacters] | None = None
    position: Position | None = None


class StageOut(BaseModel):
    id: int
    guid: str
    name: str
    slug: str
    room: str
    position: int


class TrackIn(Strict):
    name: ShortName
    slug: Slug | None = None
    color: Color = "#566172"
    position: Position = 0


class TrackUpdate(Strict):
    name: ShortName | None = None
    slug: Slug | None = None
    color: Color | None = None
    position: Position | None = None


class TrackOut(BaseModel):
    id: int
    name: str
    slug: str
    color: str
    position: int


class PersonIn(Strict):
    name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
        NoControlCharacters,
    ]
    affiliation: Annotated[str, StringConstraints(max_length=300), NoControlCharacters] = ""
    country: Annotated[str, StringConstraints(max_length=2), NoControlCharacters] = ""
    biography: LongText = ""
    photo_url: Annotated[str, StringConstraints(max_length=500), NoControlCharacters] = ""
    user_id: DbId | None = None


class PersonUpdate(Strict):
    name: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
            NoControlCharacters,
        ]
        | None
    ) = None
    affiliation: Annotated[str, StringConstraints(max_length=300), NoControlCharacters] | None = (
        None
    )
    country: Annotated[str, StringConstraints(max_length=2), NoControlCharacters] | None = None
    biography: LongText | None = None
    photo_url: Annotated[str, StringConstraints(max_length=500), NoControlCharacters] | None = None
    user_id: DbId | None = None


class PersonOut(BaseModel):
    id: int
    guid: str
    name: str
    affiliation: str
    country: str
    biography: str
    photo_url: str
    user_id: int | None


class TalkIn(Strict):
    title: Title
    abstract: LongText = ""
    starts_at: Instant
    duration_minutes: Annotated[int, Field(ge=1, le=24 * 60)]
    speaker_ids: Annotated[list[DbId], Field(max_length=30)] = []
    may_be_recorded: bool = True


class TalkUpdate(Strict):
    title: Title | None = None
    abstract: LongText | None = None
    starts_at: Instant | None = None
    duration_minutes: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    speaker_ids: Annotated[list[DbId], Field(max_length=30)] | None = None
    may_be_recorded: bool | None = None


class SpeakerOut(BaseModel):
    person_id: int
    name: str
    affiliation: str


class TalkOut(BaseModel):
    id: int
    guid: str
    session_id: int
    title: str
    abstract: str
    starts_at: datetime
    duration_minutes: int
    may_be_recorded: bool
    speakers: list[SpeakerOut]


class SessionIn(Strict):
    title: Title
    description: LongText = ""
    session_type: SessionType = SessionType.symposium
    track_id: DbId | None = None
    stage_id: DbId | None = None
    starts_at: Instant
    ends_at: Instant
    chair_ids: Annotated[list[DbId], Field(max_length=20)] = []
    cme_accredited: bool = False
    cme_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 0
    may_be_recorded: bool = True

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, value: datetime, info: object) -> datetime:
        data = getattr(info, "data", {})
        start = data.get("starts_at")
        if start is not None and value <= start:
            raise ValueError("a session must end after it starts")
        return value


class SessionUpdate(Strict):
    title: Title | None = None
    description: LongText | None = None
    session_type: SessionType | None = None
    track_id: DbId | None = None
    stage_id: DbId | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    chair_ids: Annotated[list[DbId], Field(max_length=20)] | None = None
    cme_accredited: bool | None = None
    cme_minutes: Annotated[int, Field(ge=0, le=24 * 60)] | None = None
    may_be_recorded: bool | None = None


class SessionOut(BaseModel):
    id: int
    guid: str
    title: str
    description: str
    session_type: SessionType
    track_id: int | None
    stage_id: int | None
    starts_at: datetime
    ends_at: datetime
    chairs: list[SpeakerOut]
    cme_accredited: bool
    cme_minutes: int
    may_be_recorded: bool
    talks: list[TalkOut]


class BulkShift(Strict):
    """Move many sessions at once: by a number of minutes, and/or onto a stage."""

    session_ids: Annotated[list[DbId], Field(min_length=1, max_length=500)]
    shift_minutes: Annotated[int, Field(ge=-7 * 24 * 60, le=7 * 24 * 60)] = 0
    stage_id: DbId | None = None


class DuplicateIn(Strict):
    starts_at: Instant | None = None
    stage_id: DbId | None = None


class Warning(BaseModel):
    """A conflict in the draft program; never blocks saving."""

    code: str
    message: str
    session_guids: list[str]


class PublishIn(Strict):
    note: Annotated[str, StringConstraints(max_length=500), NoControlCharacters] = ""
    confirm_warnings: bool = False


class VersionOut(BaseModel):
    number: int
    published_at: datetime
    note: str
    changes: dict[str, int]

    @classmethod
    def from_version(cls, version: ProgramVersion) -> VersionOut:
        return cls(
            number=version.number,
            published_at=version.published_at,
            note=version.note,
            changes=change_counts(version.changelog),
        )


class ChangelogEntry(BaseModel):
    number: int
    published_at: datetime
    note: str
    added: list[dict[str, Any]]
    moved: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    cancelled: list[dict[str, Any]]


class PersonRef(BaseModel):
    guid: str
    name: str
    affiliation: str


class PublishedTalkOut(BaseModel):
    guid: str
    title: str
    abstract: str
    starts_at: datetime
    ends_at: datetime
    speakers: list[PersonRef]


class PublishedSessionOut(BaseModel):
    guid: str
    title: str
    description: str
    session_type: SessionType
    track: str | None
    stage: str | None
    starts_at: datetime
    ends_at: datetime
    cme_accredited: bool
    cme_minutes: int
    chairs: list[PersonRef]
    talks: list[PublishedTalkOut]
