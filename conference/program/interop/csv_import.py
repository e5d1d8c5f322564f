"""CSV import of sessions and talks: one row per talk, or per session without talks.

The columns are documented in docs/CSV_IMPORT.md. Every row is checked and every problem
reported (the row number as a spreadsheet shows it, the column, what is wrong); a single
bad row refuses the whole file, so nothing is half imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from conference.program.interop.plan import (
    MAX_AFFILIATION,
    MAX_NAME,
    MAX_PERSON_NAME,
    MAX_TEXT,
    MAX_TITLE,
    ImportRefused,
    PersonSpec,
    Problem,
    ProgramSpec,
    SessionSpec,
    StageSpec,
    TalkSpec,
    TrackSpec,
    derived_guid,
    exact_session_type,
    instant,
    normal_guid,
)
from conference.program.models import SessionType

T = TypeVar("T")

SESSION_COLUMNS = (
    "session_guid",
    "session_title",
    "session_type",
    "session_description",
    "track",
    "stage",
    "session_start",
    "session_end",
    "chairs",
    "cme_accredited",
    "cme_minutes",
    "may_be_recorded",
)
TALK_COLUMNS = (
    "talk_guid",
    "talk_title",
    "talk_start",
    "talk_duration_minutes",
    "speakers",
    "abstract",
)
COLUMNS = SESSION_COLUMNS + TALK_COLUMNS
REQUIRED = ("session_title", "session_start", "session_end")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_PERSON = re.compile(r"(?P<name>[^()]*?)\s*(?:\((?P<affiliation>.*)\))?")


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message


@dataclass
class _Group:
    """The rows of one session: its columns (from the first row that fills each) and talks."""

    first_row: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    talk_rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_csv(content: bytes, *, source: str) -> ProgramSpec:
    """The CSV file ``content`` as an import plan, or :class:`ImportRefused` listing every
    bad row. ``source`` keys the GUIDs derived for rows that do not give one."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem("file", "the file is not UTF-8 text")]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportRefused(
            [_problem(reader.line_num, None, f"not readable as CSV: {exc}")]
        ) from None
    header = [name.strip().lower() for name in rows[0]] if rows else []
    problems = _header_problems(header)
    if problems:
        raise ImportRefused(problems)
    groups: dict[str, _Group] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(
                _problem(number, None, f"has {len(cells)} cells, the header {len(header)}")
            )
            continue
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        _group(groups, number, row, problems)
    if not groups and not problems:
        problems.append(_problem(1, None, "the file has a header but no rows"))
    spec = ProgramSpec()
    for group in groups.values():
        _session(group, spec, source, problems)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row or 0))
    return spec


def _problem(row: int, column: str | None, message: str) -> Problem:
    return Problem(f"row {row}", message, row=row, column=column)


def _header_problems(header: list[str]) -> list[Problem]:
    if not header:
        return [_problem(1, None, "the file is empty: the first row must name the columns")]
    problems = [
        _problem(1, name or None, f"unknown column {name!r}; the columns are: {', '.join(COLUMNS)}")
        for name in header
        if name not in COLUMNS
    ]
    problems += [
        _problem(1, n, "the column appears twice") for n in set(header) if header.count(n) > 1
    ]
    problems += [_problem(1, n, "this column is required") for n in REQUIRED if n not in header]
    return problems


def _group(
    groups: dict[str, _Group], number: int, row: dict[str, str], problems: list[Problem]
) -> None:
    """Put ``row`` with its session: same session_guid, or same title and start."""
    if row.get("session_guid"):
        key = "guid:" + normal_guid(row["session_guid"])
    elif row.get("session_title") and row.get("session_start"):
        key = f"title:{row['session_title']}\x1f{row['session_start']}"
    else:
        column = "session_title" if not row.get("session_title") else "session_start"
        problems.append(_problem(number, column, "this column is required"))
        return
    group = groups.setdefault(key, _Group(first_row=number))
    for column in SESSION_COLUMNS:
        value = row.get(column, "")
        if not value:
            continue
        known = group.values.setdefault(column, (value, number))
        if known[0] != value:
            problems.append(
                _problem(
                    number,
                    column,
                    f"differs from row {known[1]} of the same session ({known[0]!r})",
                )
            )
    if any(row.get(column) for column in TALK_COLUMNS):
        group.talk_rows.append((number, row))


def _people(text: str, column: str, spec: ProgramSpec) -> list[str]:
    """``Name (Affiliation); Name`` as person keys (their names), adding them to ``spec``."""
    keys = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _PERSON.fullmatch(part)
        name = match.group("name").strip() if match else ""
        if not match or not name:
            raise _RowError(column, f"{part!r} is not a name, or a name and (affiliation)")
        affiliation = match.group("affiliation")
        if len(name) > MAX_PERSON_NAME or len(affiliation or "") > MAX_AFFILIATION:
            raise _RowError(column, f"{part!r} is too long")
        person = spec.people.setdefault(name, PersonSpec(name=name))
        if affiliation is not None and person.affiliation is None:
            person.affiliation = affiliation.strip()
        keys.append(name)
    return keys


def _flag(text: str, column: str, default: bool) -> bool:
    if not text:
        return default
    if text.lower() in _YES | _NO:
        return text.lower() in _YES
    raise _RowError(column, f"{text!r} is not yes or no")


def _minutes(text: str, column: str, *, low: int) -> int:
    if not re.fullmatch(r"\d{1,4}", text) or not low <= int(text) <= 24 * 60:
        raise _RowError(column, f"{text!r} is not a whole number of minutes from {low} to 1440")
    return int(text)


def _field(text: str, column: str, limit: int = MAX_TEXT) -> str:
    if len(text) > limit:
        raise _RowError(column, f"is longer than {limit} characters")
    return text


def _required(text: str, column: str) -> str:
    if not text:
        raise _RowError(column, "this column is required")
    return text


def _when(text: str, column: str) -> datetime:
    _required(text, column)
    try:
        return instant(text, column)
    except ImportRefused as exc:
        raise _RowError(column, exc.problems[0].message) from None


def _type(text: str) -> SessionType:
    found = exact_session_type(text) if text else SessionType.symposium
    if found is None:
        choices = ", ".join(t.value for t in SessionType)
        raise _RowError("session_type", f"{text!r} is not one of {choices}")
    return found


def _session(group: _Group, spec: ProgramSpec, source: str, problems: list[Problem]) -> None:
    """Add the group's session to ``spec``, or its problems (all of them) to ``problems``."""
    failed: list[_RowError] = []

    def check(parse: Callable[[str, str], T], column: str, default: T, fallback: str = "") -> T:
        try:
            return parse(group.values.get(column, (fallback, 0))[0], column)
        except _RowError as exc:
            failed.append(exc)
            return default

    never = datetime.min.replace(tzinfo=UTC)
    title = check(lambda t, c: _field(_required(t, c), c, MAX_TITLE), "session_title", "")
    kind = check(lambda t, _: _type(t), "session_type", SessionType.symposium)
    starts = check(_when, "session_start", never)
    ends = check(_when, "session_end", never)
    if never not in (starts, ends) and ends <= starts:
        failed.append(_RowError("session_end", "a session must end after it starts"))
    track = check(lambda t, c: _field(t, c, MAX_NAME), "track", "")
    stage = check(lambda t, c: _field(t, c, MAX_NAME), "stage", "")
    minutes = check(lambda t, c: _minutes(t, c, low=0), "cme_minutes", 0, "0")
    session = SessionSpec(
        guid=normal_guid(group.values["session_guid"][0])
        if "session_guid" in group.values
        else derived_guid(source, "csv-session", title, starts.astimezone(UTC).isoformat()),
        title=title,
        where=f"row {group.first_row}",
        starts_at=starts,
        ends_at=ends,
        description=check(_field, "session_description", ""),
        session_type=kind,
        track=track or None,
        stage=stage or None,
        may_be_recorded=check(lambda t, c: _flag(t, c, True), "may_be_recorded", True),
        cme_accredited=check(lambda t, c: _flag(t, c, minutes > 0), "cme_accredited", False),
        cme_minutes=minutes,
        chairs=check(lambda t, c: _people(t, c, spec), "chairs", []),
    )
    for exc in failed:
        number = group.values.get(exc.column, ("", group.first_row))[1] or group.first_row
        problems.append(_problem(number, exc.column, exc.message))
    if track:
        spec.tracks.setdefault(track, TrackSpec(name=track))
    if stage:
        spec.stages.setdefault(stage, StageSpec(name=stage))
    next_start = starts
    seen: dict[str, int] = {}
    for number, row in group.talk_rows:
        try:
            talk = _talk(row, session, next_start, seen, spec)
        except _RowError as exc:
            problems.append(_problem(number, exc.column, exc.message))
            continue
        session.talks.append(talk)
        next_start = talk.starts_at + timedelta(minutes=talk.duration_minutes)
    spec.sessions.append(session)


def _talk(
    row: dict[str, str],
    session: SessionSpec,
    next_start: datetime,
    seen: dict[str, int],
    spec: ProgramSpec,
) -> TalkSpec:
    if not row.get("talk_title"):
        raise _RowError("talk_title", "a row with talk columns needs the talk's title")
    title = _field(row["talk_title"], "talk_title", MAX_TITLE)
    if not row.get("talk_duration_minutes"):
        raise _RowError("talk_duration_minutes", "a talk needs its length in minutes")
    duration = _minutes(row["talk_duration_minutes"], "talk_duration_minutes", low=1)
    # Without a start, a talk follows the one before it (the first opens the session).
    starts = _when(row["talk_start"], "talk_start") if row.get("talk_start") else next_start
    seen[title] = seen.get(title, 0) + 1
    guid = (
        normal_guid(row["talk_guid"])
        if row.get("talk_guid")
        else derived_guid(session.guid, "csv-talk", title, seen[title])
    )
    return TalkSpec(
        guid=guid,
        title=title,
        abstract=_field(row.get("abstract", ""), "abstract"),
        starts_at=starts,
        duration_minutes=duration,
        speakers=_people(row.get("speakers", ""), "speakers", spec),
    )
