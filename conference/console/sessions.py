"""Console pages for one session: create, edit (with its talks), duplicate, delete.

The edit page shows the warnings that concern its session after every save; saving is
never refused because of them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from conference.console.checks import warning_views
from conference.console.forms import (
    blank_session_values,
    new_talk_values,
    read_session,
    service_errors,
    session_values,
)
from conference.console.web import (
    ConsoleRoute,
    ConsoleUser,
    Id,
    LocalTimes,
    parse_local,
    render,
    see_other,
    small_id,
)
from conference.deps import CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.program.draft import publishing, sessions, stages
from conference.program.models import SESSION_TYPE_LABELS, Meeting, ProgramSession
from conference.program.schemas import DuplicateIn, SessionUpdate

router = APIRouter(prefix="/console/sessions", route_class=ConsoleRoute, include_in_schema=False)

NOTICES = {
    "created": "Session created.",
    "saved": "Session saved.",
    "duplicated": "This is the new copy of the session; edit it as you need.",
    "deleted": "Session deleted.",
    "talk_added": "Talk added.",
    "talk_saved": "Talk saved.",
    "talk_deleted": "Talk deleted.",
}


async def choices(db: DbSession, meeting: Meeting) -> dict[str, Any]:
    """What the session forms offer: stages, tracks and session types."""
    return {
        "stages": await stages.list_stages(db, meeting=meeting),
        "tracks": await stages.list_tracks(db, meeting=meeting),
        "types": SESSION_TYPE_LABELS,
    }


# Create ------------------------------------------------------------------------------


@router.get("/new", name="console_session_new")
async def new_page(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    context = {"form": blank_session_values(), "errors": {}, **await choices(db, meeting)}
    return render(
        request,
        "console/session_new.html",
        context,
        user=user,
        meeting=meeting,
        section="sessions",
    )


@router.post("/new")
async def create(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    values, data, errors = await read_session(request, db, meeting)
    if data is not None:
        try:
            created = await sessions.create_session(db, meeting=meeting, data=data)
        except ServiceError as exc:
            errors = service_errors(exc)
        else:
            return see_other(f"/console/sessions/{created.id}?done=created")
    context = {"form": values, "errors": errors, **await choices(db, meeting)}
    return render(
        request,
        "console/session_new.html",
        context,
        user=user,
        meeting=meeting,
        section="sessions",
        status_code=422,
    )


# Edit (with talks, duplicate and the session's warnings) -----------------------------


async def session_page(
    request: Request,
    db: DbSession,
    meeting: Meeting,
    user: ConsoleUser,
    session: ProgramSession,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    talk_form: dict[str, Any] | None = None,
    talk_errors: dict[str, str] | None = None,
    duplicate: dict[str, Any] | None = None,
    duplicate_errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    """The edit page of ``session``; the forms show ``form`` etc. when re-shown with errors."""
    times = LocalTimes(meeting.time_zone)
    warnings = await publishing.draft_warnings(db, meeting=meeting)
    context = {
        "session": session,
        "form": form or session_values(session, times),
        "errors": errors or {},
        "talk_form": talk_form or new_talk_values(session, times),
        "talk_errors": talk_errors or {},
        "duplicate": duplicate
        or {"starts_at": times.input(session.starts_at), "stage_id": str(session.stage_id or "")},
        "duplicate_errors": duplicate_errors or {},
        "warnings": await warning_views(db, meeting=meeting, warnings=warnings, guid=session.guid),
        "notice": notice,
        "saved": notice is not None,
        **await choices(db, meeting),
    }
    return render(
        request,
        "console/session_edit.html",
        context,
        user=user,
        meeting=meeting,
        section="sessions",
        status_code=status_code,
    )


@router.get("/{session_id}", name="console_session")
async def edit_page(
    request: Request,
    session_id: Id,
    user: ConsoleUser,
    db: DbSession,
    meeting: CurrentMeeting,
    done: str = "",
) -> Response:
    session = await sessions.get_session(db, meeting=meeting, session_id=session_id)
    return await session_page(request, db, meeting, user, session, notice=NOTICES.get(done))


@router.post("/{session_id}")
async def save(
    request: Request, session_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    session = await sessions.get_session(db, meeting=meeting, session_id=session_id)
    values, data, errors = await read_session(request, db, meeting)
    if data is not None:
        try:
            await sessions.update_session(
                db,
                meeting=meeting,
                session_id=session_id,
                data=SessionUpdate(**data.model_dump()),
            )
        except ServiceError as exc:
            errors = service_errors(exc)
        else:
            return see_other(f"/console/sessions/{session_id}?done=saved")
        session = await sessions.get_session(db, meeting=meeting, session_id=session_id)
    return await session_page(
        request, db, meeting, user, session, form=values, errors=errors, status_code=422
    )


@router.post("/{session_id}/duplicate", name="console_session_duplicate")
async def duplicate(
    request: Request, session_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Copy the session (chairs and talks too) to the time and stage given."""
    session = await sessions.get_session(db, meeting=meeting, session_id=session_id)
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("starts_at", "stage_id")}
    errors: dict[str, str] = {}
    starts, problem = parse_local(values["starts_at"], meeting.time_zone, what="new start")
    if problem:
        errors["starts_at"] = problem
    else:
        try:
            copy = await sessions.duplicate_session(
                db,
                meeting=meeting,
                session_id=session_id,
                data=DuplicateIn(starts_at=starts, stage_id=small_id(values["stage_id"])),
            )
        except ServiceError as exc:
            errors[exc.field or "starts_at"] = exc.detail
        else:
            return see_other(f"/console/sessions/{copy.id}?done=duplicated")
    return await session_page(
        request,
        db,
        meeting,
        user,
        session,
        duplicate=values,
        duplicate_errors=errors,
        status_code=422,
    )


# Delete ------------------------------------------------------------------------------


@router.get("/{session_id}/delete", name="console_session_delete")
async def delete_page(
    request: Request, session_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    session = await sessions.get_session(db, meeting=meeting, session_id=session_id)
    times = LocalTimes(meeting.time_zone)
    talks = len(session.talks)
    context = {
        "what": "session",
        "name": session.title,
        "details": times.span(session.starts_at, session.ends_at),
        "consequence": (
            f"Its {talks} talk{'s' if talks != 1 else ''} will be deleted with it. "
            if talks
            else ""
        )
        + "If it has been published, attendees see it until the next publication, "
        "whose changelog lists it as cancelled.",
        "action": f"/console/sessions/{session.id}/delete",
        "cancel": f"/console/sessions/{session.id}",
    }
    return render(
        request,
        "console/confirm_delete.html",
        context,
        user=user,
        meeting=meeting,
        section="sessions",
    )


@router.post("/{session_id}/delete")
async def delete(
    session_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    await sessions.delete_session(db, meeting=meeting, session_id=session_id)
    return see_other("/console/sessions?done=deleted")
