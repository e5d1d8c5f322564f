"""Reading the console's session and talk forms into the program's input schemas.

Each reader returns the values to show again (strings, as typed), the validated input or
None, and the errors by form field. Field names follow the schemas, except the people
lists, typed as text: ``chairs`` (for ``chair_ids``) and ``speakers`` (``speaker_ids``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from conference.console.web import (
    LocalTimes,
    parse_int,
    parse_local,
    people_text,
    resolve_people,
    small_id,
)
from conference.errors import ServiceError
from conference.program.models import Meeting, ProgramSession, Talk
from conference.program.schemas import SessionIn, TalkIn
from conference.web.forms import checked, read_form, validate

_FIELD_OF = {"chair_ids": "chairs", "speaker_ids": "speakers"}
_LABEL_OF = {"chair_ids": "Chairs", "speaker_ids": "Speakers"}


def form_field(field: str | None) -> str:
    """The form field a schema or service field is typed in."""
    return _FIELD_OF.get(field or "form", field or "form")


def service_errors(exc: ServiceError) -> dict[str, str]:
    """A service's refusal as a form error, worded for people rather than programs."""
    detail = exc.detail
    for name, label in _LABEL_OF.items():
        detail = detail.replace(name, label)
    return {form_field(exc.field): detail}


def _merge(first: dict[str, str], later: dict[str, str]) -> dict[str, str]:
    merged = dict(first)
    for field, message in later.items():
        merged.setdefault(form_field(field), message)
    return merged


# Sessions ----------------------------------------------------------------------------

SESSION_TEXT_FIELDS = (
    "title",
    "description",
    "session_type",
    "track_id",
    "stage_id",
    "starts_at",
    "ends_at",
    "chairs",
    "cme_minutes",
)


def session_values(session: ProgramSession, times: LocalTimes) -> dict[str, Any]:
    """A stored session as its edit form shows it."""
    return {
        "title": session.title,
        "description": session.description,
        "session_type": session.session_type,
        "track_id": str(session.track_id or ""),
        "stage_id": str(session.stage_id or ""),
        "starts_at": times.input(session.starts_at),
        "ends_at": times.input(session.ends_at),
        "chairs": people_text([c.person for c in session.chairs]),
        "cme_accredited": session.cme_accredited,
        "cme_minutes": str(session.cme_minutes),
        "may_be_recorded": session.may_be_recorded,
    }


def blank_session_values() -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(SESSION_TEXT_FIELDS, "")
    values.update(session_type="symposium", cme_minutes="0", may_be_recorded=True)
    values["cme_accredited"] = False
    return values


async def read_session(
    request: Request, db: AsyncSession, meeting: Meeting
) -> tuple[dict[str, Any], SessionIn | None, dict[str, str]]:
    """The session form as submitted: (values, SessionIn or None, errors)."""
    form = await read_form(request)
    values: dict[str, Any] = {name: form.get(name, "") for name in SESSION_TEXT_FIELDS}
    values["cme_accredited"] = checked(form, "cme_accredited")
    values["may_be_recorded"] = checked(form, "may_be_recorded")
    errors: dict[str, str] = {}
    starts, problem = parse_local(values["starts_at"], meeting.time_zone, what="start")
    if problem:
        errors["starts_at"] = problem
    ends, problem = parse_local(values["ends_at"], meeting.time_zone, what="end")
    if problem:
        errors["ends_at"] = problem
    minutes, problem = parse_int(values["cme_minutes"], what="CME minutes", default=0)
    if problem:
        errors["cme_minutes"] = problem
    chair_ids, problem = await resolve_people(db, values["chairs"])
    if problem:
        errors["chairs"] = problem
    placement: dict[str, int | None] = {}
    for field, what in (("track_id", "track"), ("stage_id", "stage")):
        placement[field] = small_id(values[field])
        if values[field].strip() and placement[field] is None:
            errors[field] = f"Choose a {what} from the list."
    data, invalid = validate(
        SessionIn,
        {
            "title": values["title"],
            "description": values["description"],
            "session_type": values["session_type"],
            "track_id": placement["track_id"],
            "stage_id": placement["stage_id"],
            "starts_at": starts,
            "ends_at": ends,
            "chair_ids": chair_ids,
            "cme_accredited": values["cme_accredited"],
            "cme_minutes": minutes if minutes is not None else 0,
            "may_be_recorded": values["may_be_recorded"],
        },
    )
    errors = _merge(errors, invalid)
    return values, (data if not errors else None), errors


# Talks -------------------------------------------------------------------------------

TALK_FIELDS = ("title", "abstract", "starts_at", "duration_minutes", "speakers")


def talk_values(talk: Talk, times: LocalTimes) -> dict[str, Any]:
    return {
        "title": talk.title,
        "abstract": talk.abstract,
        "starts_at": times.input(talk.starts_at),
        "duration_minutes": str(talk.duration_minutes),
        "speakers": people_text([s.person for s in talk.speakers]),
        "may_be_recorded": talk.may_be_recorded,
    }


def new_talk_values(session: ProgramSession, times: LocalTimes) -> dict[str, Any]:
    """A new talk starts when the last one ends (or with the session), 20 minutes long."""
    last_end = session.starts_at
    for talk in session.talks:
        last_end = max(last_end, talk.starts_at + timedelta(minutes=talk.duration_minutes))
    return {
        "title": "",
        "abstract": "",
        "starts_at": times.input(last_end),
        "duration_minutes": "20",
        "speakers": "",
        "may_be_recorded": True,
    }


async def read_talk(
    request: Request, db: AsyncSession, meeting: Meeting
) -> tuple[dict[str, Any], TalkIn | None, dict[str, str]]:
    """The talk form as submitted: (values, TalkIn or None, errors)."""
    form = await read_form(request)
    values: dict[str, Any] = {name: form.get(name, "") for name in TALK_FIELDS}
    values["may_be_recorded"] = checked(form, "may_be_recorded")
    errors: dict[str, str] = {}
    starts, problem = parse_local(values["starts_at"], meeting.time_zone, what="start")
    if problem:
        errors["starts_at"] = problem
    minutes, problem = parse_int(values["duration_minutes"], what="duration")
    if problem:
        errors["duration_minutes"] = problem
    speaker_ids, problem = await resolve_people(db, values["speakers"])
    if problem:
        errors["speakers"] = problem
    data, invalid = validate(
        TalkIn,
        {
            "title": values["title"],
            "abstract": values["abstract"],
            "starts_at": starts,
            "duration_minutes": minutes,
            "speaker_ids": speaker_ids,
            "may_be_recorded": values["may_be_recorded"],
        },
    )
    errors = _merge(errors, invalid)
    return values, (data if not errors else None), errors
