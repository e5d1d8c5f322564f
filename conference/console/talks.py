"""Console pages for the talks of a session: add (on the session page), edit, delete."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from conference.console import service
from conference.console.checks import warning_views
from conference.console.forms import read_talk, service_errors, talk_values
from conference.console.sessions import session_page
from conference.console.web import ConsoleRoute, ConsoleUser, Id, LocalTimes, render, see_other
from conference.deps import CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.program.draft import publishing, sessions
from conference.program.models import Meeting, ProgramSession, Talk
from conference.program.schemas import TalkUpdate

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


async def _talk(db: AsyncSession, meeting: Meeting, talk_id: int) -> tuple[Talk, ProgramSession]:
    """The talk with its speakers, and its session; 404 if it is not in this meeting."""
    talk = await service.get_talk(db, meeting=meeting, talk_id=talk_id)
    session = await sessions.get_session(db, meeting=meeting, session_id=talk.session_id)
    return talk, session


@router.post("/console/sessions/{session_id}/talks", name="console_talk_new")
async def add_talk(
    request: Request, session_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Add a talk to the session; with errors, the session page shows the talk form again."""
    session = await sessions.get_session(db, meeting=meeting, session_id=session_id)
    values, data, errors = await read_talk(request, db, meeting)
    if data is not None:
        try:
            await sessions.create_talk(db, meeting=meeting, session_id=session_id, data=data)
        except ServiceError as exc:
            errors = service_errors(exc)
        else:
            return see_other(f"/console/sessions/{session_id}?done=talk_added#talks")
    return await session_page(
        request,
        db,
        meeting,
        user,
        session,
        talk_form=values,
        talk_errors=errors,
        status_code=422,
    )


async def _talk_page(
    request: Request,
    db: DbSession,
    meeting: Meeting,
    user: ConsoleUser,
    talk: Talk,
    session: ProgramSession,
    *,
    form: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    warnings = await publishing.draft_warnings(db, meeting=meeting)
    context = {
        "talk": talk,
        "session": session,
        "form": form or talk_values(talk, LocalTimes(meeting.time_zone)),
        "errors": errors or {},
        "warnings": await warning_views(db, meeting=meeting, warnings=warnings, guid=session.guid),
    }
    return render(
        request,
        "console/talk_edit.html",
        context,
        user=user,
        meeting=meeting,
        section="sessions",
        status_code=status_code,
    )


@router.get("/console/talks/{talk_id}", name="console_talk")
async def edit_talk_page(
    request: Request, talk_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    talk, session = await _talk(db, meeting, talk_id)
    return await _talk_page(request, db, meeting, user, talk, session)


@router.post("/console/talks/{talk_id}")
async def save_talk(
    request: Request, talk_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    talk, session = await _talk(db, meeting, talk_id)
    values, data, errors = await read_talk(request, db, meeting)
    if data is not None:
        try:
            await sessions.update_talk(
                db, meeting=meeting, talk_id=talk_id, data=TalkUpdate(**data.model_dump())
            )
        except ServiceError as exc:
            errors = service_errors(exc)
        else:
            return see_other(f"/console/sessions/{session.id}?done=talk_saved#talks")
        talk, session = await _talk(db, meeting, talk_id)
    return await _talk_page(
        request, db, meeting, user, talk, session, form=values, errors=errors, status_code=422
    )


@router.get("/console/talks/{talk_id}/delete", name="console_talk_delete")
async def delete_talk_page(
    request: Request, talk_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    talk, session = await _talk(db, meeting, talk_id)
    times = LocalTimes(meeting.time_zone)
    context = {
        "what": "talk",
        "name": talk.title,
        "details": f"{times.full(talk.starts_at)}, {talk.duration_minutes} min, "
        f'in "{session.title}"',
        "consequence": "Its speakers stay in the list of people.",
        "action": f"/console/talks/{talk.id}/delete",
        "cancel": f"/console/talks/{talk.id}",
    }
    return render(
        request,
        "console/confirm_delete.html",
        context,
        user=user,
        meeting=meeting,
        section="sessions",
    )


@router.post("/console/talks/{talk_id}/delete")
async def delete_talk(
    talk_id: Id, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    session = await sessions.delete_talk(db, meeting=meeting, talk_id=talk_id)
    return see_other(f"/console/sessions/{session.id}?done=talk_deleted#talks")
