"""What a program import reads and reports, whatever the file's format.

The readers (:mod:`conference.program.interop.frab_import` for frab/pretalx JSON,
:mod:`conference.program.interop.csv_import` for CSV) turn a file into a :class:`ProgramSpec`
with the shared helpers below, or refuse it with :class:`ImportRefused` naming each
:class:`Problem`. :func:`conference.program.interop.service.apply_import` applies the plan and
reports an :class:`ImportDiff`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, SerializerFunctionWrapHandler, model_serializer

from conference import limits
from conference.errors import InvalidInput
from conference.program import bounds
from conference.program.models import SessionType

# Derived GUIDs (events without one, CSV rows) are uuid5 names in this namespace, so the
# same file always yields the same GUIDs and importing it again changes nothing.
GUID_NAMESPACE = uuid.UUID("6f1f6a2e-3c55-5b8e-9d43-1c2f0e7a9b10")
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")

# Column sizes of the program tables (PostgreSQL enforces them; SQLite would not).
MAX_TITLE = 300
MAX_NAME = 120
MAX_PERSON_NAME = 200
MAX_AFFILIATION = 300
MAX_URL = 500
MAX_TEXT = 20_000


# Problems ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file: where (a JSON path or a CSV row) and what."""

    where: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None:
            column = f", {self.column}" if self.column else ""
            return f"row {self.row}{column}: {self.message}"
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ImportRefused(InvalidInput):
    """The file cannot be imported (422); nothing has been changed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        if len(problems) == 1:
            detail = str(first)
        else:
            shown = "; ".join(str(p) for p in problems[:20])
            more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
            detail = f"{len(problems)} problems, nothing imported: {shown}{more}"
        super().__init__(detail, field=first.where)


def refuse(where: str, message: str) -> ImportRefused:
    return ImportRefused([Problem(where, message)])


# What a file says ----------------------------------------------------------------------


@dataclass
class StageSpec:
    name: str
    guid: str | None = None
    slug: str | None = None
    room: str | None = None  # None: leave an existing stage's room as it is


@dataclass
class TrackSpec:
    name: str
    slug: str | None = None
    color: str | None = None


@dataclass
class PersonSpec:
    """A person; fields left None are not in the file and never overwrite what we have."""

    name: str
    guid: str | None = None
    affiliation: str | None = None
    country: str | None = None
    biography: str | None = None
    photo_url: str | None = None


@dataclass
class TalkSpec:
    guid: str
    title: str
    abstract: str
    starts_at: datetime
    duration_minutes: int
    speakers: list[str] = field(default_factory=list)  # keys of ProgramSpec.people
    # None: the file does not say (CSV, plain frab); a talk keeps its flag, a new one is True.
    may_be_recorded: bool | None = None


@dataclass
class SessionSpec:
    guid: str
    title: str
    where: str  # the path or row it came from, for messages
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    session_type: SessionType = SessionType.symposium
    track: str | None = None  # key of ProgramSpec.tracks
    stage: str | None = None  # key of ProgramSpec.stages
    may_be_recorded: bool = True
    cme_accredited: bool = False
    cme_minutes: int = 0
    chairs: list[str] = field(default_factory=list)  # keys of ProgramSpec.people
    talks: list[TalkSpec] = field(default_factory=list)


@dataclass
class ProgramSpec:
    stages: dict[str, StageSpec] = field(default_factory=dict)
    tracks: dict[str, TrackSpec] = field(default_factory=dict)
    people: dict[str, PersonSpec] = field(default_factory=dict)
    sessions: list[SessionSpec] = field(default_factory=list)
    # What the reader did about something odd in the file (rooms sharing a GUID).
    warnings: list[Problem] = field(default_factory=list)


def separate_shared_stage_guids(spec: ProgramSpec, where: str) -> list[str]:
    """Keep apart the rooms that a file gives one GUID (pretalx has exported such files).

    Matched by that GUID they would all become one stage, and their sessions would move
    into it; so for them the GUID is ignored and each is matched by its name (then slug),
    and a warning says so in the dry run and the result. Returns the GUIDs set aside.
    """
    names: dict[str, list[str]] = {}
    for key, stage in spec.stages.items():
        if stage.guid:
            names.setdefault(stage.guid, []).append(key)
    shared = [guid for guid, keys in names.items() if len(keys) > 1]
    for guid in shared:
        for key in names[guid]:
            spec.stages[key].guid = None
        spec.warnings.append(
            Problem(
                where,
                f"the rooms {', '.join(names[guid])} share the GUID {guid}: they are imported "
                "as separate stages, each matched by its name (the GUID is not used for them)",
            )
        )
    return shared


# The difference ----------------------------------------------------------------------


class SessionRef(BaseModel):
    guid: str
    title: str


class SessionUpdated(SessionRef):
    fields: list[str]


class SessionChanges(BaseModel):
    added: list[SessionRef] = []
    updated: list[SessionUpdated] = []
    unchanged: int = 0


class NameChanges(BaseModel):
    added: list[str] = []
    updated: list[str] = []


class ImportDiff(BaseModel):
    """What an import adds and changes (a dry run: what it would)."""

    dry_run: bool
    sessions: SessionChanges = SessionChanges()
    stages: NameChanges = NameChanges()
    tracks: NameChanges = NameChanges()
    people: NameChanges = NameChanges()
    # How the import read something odd in the file (rooms sharing a GUID), in the dry run
    # and the result alike; left out of the JSON when there is nothing to say.
    warnings: list[str] = []

    @model_serializer(mode="wrap")
    def _without_empty_warnings(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("warnings"):
            data.pop("warnings", None)
        return data

    @property
    def change_count(self) -> int:
        return (
            len(self.sessions.added)
            + len(self.sessions.updated)
            + sum(len(c.added) + len(c.updated) for c in (self.stages, self.tracks, self.people))
        )

    def lines(self) -> list[str]:
        """The difference in words, for the command line."""
        verb = "Would import" if self.dry_run else "Imported"
        out = [
            f"{verb}: {len(self.sessions.added)} session(s) added, "
            f"{len(self.sessions.updated)} updated, {self.sessions.unchanged} unchanged."
        ]
        out += [f"  + session {s.title} ({s.guid})" for s in self.sessions.added]
        out += [
            f"  ~ session {s.title} ({s.guid}): {', '.join(s.fields)}"
            for s in self.sessions.updated
        ]
        for label, changes in (("stage", self.stages), ("track", self.tracks)):
            out += [f"  + {label} {name}" for name in changes.added]
            out += [f"  ~ {label} {name}" for name in changes.updated]
        out += [f"  + person {name}" for name in self.people.added]
        out += [f"  ~ person {name}" for name in self.people.updated]
        out += [f"  ! {warning}" for warning in self.warnings]
        if not self.change_count:
            out.append("Nothing to change: the draft already matches the file.")
        return out


# Small shared helpers for the readers --------------------------------------------------


def clean_text(
    value: str | None, where: str, limit: int, *, required: bool = False, strip: bool = True
) -> str:
    """``value`` (stripped unless told), refused when required and empty or over ``limit``.

    Free text (abstracts, biographies) is kept as written, so that our own export comes
    back identical.
    """
    text = (value or "").strip() if strip else (value or "")
    if required and not text:
        raise refuse(where, "must not be empty")
    if len(text) > limit:
        raise refuse(where, f"is longer than {limit} characters")
    if limits.CONTROL_CHARACTERS.search(text):
        raise refuse(where, "contains control characters")
    return text


def instant(text: str, where: str) -> datetime:
    """An ISO 8601 date and time with its UTC offset; a local time without one is refused."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or len(text.strip()) <= 10:
        raise refuse(where, f"'{text}' is not an ISO 8601 date and time")
    if value.tzinfo is None:
        raise refuse(
            where,
            f"'{text}' has no time zone: write it with its UTC offset, "
            f"as in '{text}+01:00' or '{text}Z'",
        )
    return in_range(value, where, text)


def in_range(value: datetime, where: str, text: str) -> datetime:
    """``value`` if date arithmetic on it cannot overflow; the meeting's own window is
    checked when the plan is applied."""
    if not bounds.representable(value):
        raise refuse(where, f"'{text}' is out of range: keep it near the meeting's dates")
    return value


def normal_guid(value: str) -> str:
    """A GUID in canonical form; any other identifier becomes a stable uuid5 of itself."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return derived_guid(value.strip())


def derived_guid(*parts: object) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def session_type_for(text: str | None) -> SessionType:
    """Our session type for a type named by another system (symposium when unknown)."""
    key = re.sub(r"[\s-]+", "_", (text or "").strip().casefold())
    try:
        return SessionType(key)
    except ValueError:
        pass
    for words, kind in _TYPE_WORDS:
        if any(word in key for word in words):
            return kind
    return SessionType.symposium


_TYPE_WORDS: tuple[tuple[tuple[str, ...], SessionType], ...] = (
    (("industry", "sponsor"), SessionType.industry_symposium),
    (("keynote", "plenary"), SessionType.plenary),
    (("poster",), SessionType.poster_session),
    (("award", "ceremony", "prize"), SessionType.award_ceremony),
    (("workshop", "hands_on", "tutorial", "masterclass"), SessionType.workshop),
    (("break", "lunch", "coffee", "pause", "recess"), SessionType.break_),
    (("networking", "meet", "social", "reception", "get_together"), SessionType.networking),
)


def exact_session_type(text: str) -> SessionType | None:
    """A session type named exactly (value or label, any case), or None."""
    key = re.sub(r"[\s-]+", "_", text.strip().casefold())
    try:
        return SessionType(key)
    except ValueError:
        return None


def normal_color(value: str | None) -> str | None:
    """``#rrggbb`` from ``#rgb``/``#rrggbb`` (any case); None for anything else."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", text):
        text = "#" + "".join(c * 2 for c in text[1:])
    return text.lower() if COLOR_PATTERN.match(text) else None
