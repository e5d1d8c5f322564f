"""Reading the program page's query string into a filter, with a message for each bad value.

A bad value (an unknown track, a malformed day) is dropped rather than guessed at; the page
then says what it ignored and answers 422, so a mistyped link is visible, not silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from conference.program.models import SESSION_TYPE_LABELS, SessionType
from conference.program.published.program import ProgramFilter, PublishedProgram

View = Literal["grid", "list"]
MAX_QUERY_LENGTH = 200
_TRUE = frozenset({"1", "on", "true", "yes"})
# The parameters a program page keeps in its links; anything else is dropped.
KNOWN_PARAMS = ("view", "day", "track", "type", "stage", "starred", "now", "q", "zone")


@dataclass
class ProgramQuery:
    """What the visitor asked the program page for, once checked against the program."""

    view: View = "grid"
    day: date | None = None
    # "day=all": every day at once (the list view); otherwise one day is shown by default.
    all_days: bool = False
    track: str | None = None
    type: SessionType | None = None
    stage: str | None = None
    starred_only: bool = False
    happening_now: bool = False
    query: str = ""
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def criteria(self, *, now: datetime, day: date | None = None) -> ProgramFilter:
        """The filter for :meth:`PublishedProgram.select` on ``day`` (None: every day)."""
        return ProgramFilter(
            day=day,
            track=self.track,
            type=self.type,
            stage=self.stage,
            starred_only=self.starred_only,
            happening_at=now if self.happening_now else None,
            query=self.query,
        )

    @property
    def is_filtered(self) -> bool:
        """True when something narrows the program beyond the day."""
        return bool(
            self.track
            or self.type
            or self.stage
            or self.starred_only
            or self.happening_now
            or self.query
        )


def _flag(params: Mapping[str, str], name: str) -> bool:
    return params.get(name, "").strip().lower() in _TRUE


def parse_program_query(
    params: Mapping[str, str], *, program: PublishedProgram | None, signed_in: bool
) -> ProgramQuery:
    """Check each parameter; keep the good ones, and describe each bad one in ``errors``."""
    result = ProgramQuery()
    view = params.get("view", "")
    if view in ("grid", "list"):
        result.view = "list" if view == "list" else "grid"
    elif view:
        result.errors.append(f'Unknown view "{view[:40]}": showing the grid.')

    raw_day = params.get("day", "").strip()
    if raw_day == "all":
        result.all_days = True
    elif raw_day:
        try:
            result.day = date.fromisoformat(raw_day)
        except ValueError:
            if result.view == "list":
                result.all_days = True
                shown = "Showing every day."
            else:
                shown = "Showing the first day."
            result.errors.append(f'"{raw_day[:40]}" is not a day: use YYYY-MM-DD. {shown}')

    tracks = {t.slug for t in program.tracks} if program else set()
    raw_track = params.get("track", "").strip()
    if raw_track:
        if raw_track in tracks:
            result.track = raw_track
        else:
            result.errors.append(f'There is no track "{raw_track[:64]}": showing all tracks.')

    raw_type = params.get("type", "").strip()
    if raw_type:
        try:
            result.type = SessionType(raw_type)
        except ValueError:
            known = ", ".join(t.value for t in SESSION_TYPE_LABELS)
            result.errors.append(
                f'There is no session type "{raw_type[:40]}" (known: {known}): showing all types.'
            )

    stages = {s.slug for s in program.stages} if program else set()
    raw_stage = params.get("stage", "").strip()
    if raw_stage:
        if raw_stage in stages:
            result.stage = raw_stage
        else:
            result.errors.append(f'There is no stage "{raw_stage[:64]}": showing all stages.')

    query = " ".join(params.get("q", "").split())
    if len(query) > MAX_QUERY_LENGTH:
        result.errors.append(
            f"The search is longer than {MAX_QUERY_LENGTH} characters: showing everything."
        )
    else:
        result.query = query

    if _flag(params, "starred"):
        if signed_in:
            result.starred_only = True
        else:
            result.notices.append("Sign in to see only the sessions you starred.")
    result.happening_now = _flag(params, "now")
    return result
