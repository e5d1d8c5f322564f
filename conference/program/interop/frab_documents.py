"""The frab/c3voc schedule JSON as it arrives: decoded within bounds, then validated
against loose shapes (other systems add fields of their own, which are ignored) before
:mod:`conference.program.interop.frab_import` reads it into an import plan.
"""

from __future__ import annotations

import json
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from conference.jsonlimits import TooDeep, loads_bounded
from conference.program.interop.frab_export import META_KEY
from conference.program.interop.plan import (
    MAX_AFFILIATION,
    MAX_NAME,
    MAX_URL,
    ImportRefused,
    Problem,
)

# No schedule nests deeper than about ten levels (schedule.conference.days[].rooms{}[]
# .persons[]...); extras of other systems get room to spare.
MAX_DEPTH = 64


class _Loose(BaseModel):
    # Other systems add fields of their own (pretalx: answers, feedback_url, ...).
    model_config = ConfigDict(extra="ignore")


class PersonDoc(_Loose):
    guid: str | None = None
    id: int | None = None
    code: str | None = None
    name: str | None = None
    public_name: str | None = None
    biography: str | None = None
    avatar: str | None = None


class EventDoc(_Loose):
    guid: str | None = None
    id: int | None = None
    date: str | None = None
    start: str | None = None
    end: str | None = None
    duration: str | None = None
    title: str
    track: str | None = None
    type: str | None = None
    abstract: str | None = None
    description: str | None = None
    do_not_record: bool | None = None
    persons: list[PersonDoc] = []


class DayDoc(_Loose):
    on: date | None = Field(None, alias="date")
    rooms: dict[str, list[EventDoc]] = {}


class RoomDoc(_Loose):
    name: str
    guid: str | None = None
    slug: str | None = None


class TrackDoc(_Loose):
    name: str
    slug: str | None = None
    color: str | None = None
    colors: dict[str, str | None] | None = None  # schedule2: {"light": …, "dark": …}


class MetaTalk(_Loose):
    guid: str
    title: str
    abstract: str = ""
    starts_at: str
    duration_minutes: int = Field(ge=1, le=24 * 60)
    speakers: list[str] = []
    may_be_recorded: bool | None = None


class MetaSession(_Loose):
    stage: str | None = None
    cme_accredited: bool = False
    cme_minutes: int = Field(0, ge=0, le=24 * 60)
    chairs: list[str] = []
    talks: list[MetaTalk] = []


class MetaPerson(_Loose):
    affiliation: str = Field("", max_length=MAX_AFFILIATION)
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    photo_url: str = Field("", max_length=MAX_URL)


class MetaStage(_Loose):
    room: str = Field("", max_length=MAX_NAME)


class Ours(_Loose):
    stages: dict[str, MetaStage] = {}
    people: dict[str, MetaPerson] = {}
    sessions: dict[str, MetaSession] = {}


class MetaDoc(_Loose):
    ours: Ours | None = Field(None, alias=META_KEY)


class ConferenceDoc(_Loose):
    acronym: str | None = None
    url: str | None = None
    time_zone_name: str | None = None
    rooms: list[RoomDoc] = []
    tracks: list[TrackDoc] = []
    days: list[DayDoc]
    meta: MetaDoc | None = None


class ScheduleDoc(_Loose):
    url: str | None = None
    base_url: str | None = None
    conference: ConferenceDoc


class Document(_Loose):
    schedule: ScheduleDoc


def json_path(location: tuple[int | str, ...]) -> str:
    """``("schedule", "days", 0, "rooms", "Hall A", 2)`` → ``schedule.days[0].rooms.Hall A[2]``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def load_json(content: bytes) -> object:
    """A file's bytes as JSON, or a refusal naming where it stops being JSON."""
    try:
        return loads_bounded(content, limit=MAX_DEPTH)
    except UnicodeDecodeError:
        raise ImportRefused([Problem("file", "the file is not UTF-8 text")]) from None
    except TooDeep:
        message = f"the JSON nests more than {MAX_DEPTH} levels deep; no schedule does"
        raise ImportRefused([Problem("file", message)]) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ImportRefused([Problem(where, f"malformed JSON: {exc.msg}")]) from None
