"""Personal agenda (stars, calendar feed) and iCalendar downloads.

- JSON: ``PUT``/``DELETE /api/v1/agenda/stars/{guid}`` and ``GET /api/v1/agenda``.
- Pages: ``/agenda`` ("My agenda"), the star/unstar form on program pages, feed reset.
- iCalendar: a session, the whole meeting, and the personal feed at a secret address
  (no cookie: calendar apps subscribe to it).

main.py includes this router before the public program API, so the fixed ``.ics`` paths
win over ``/program/sessions/{guid}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, OptionalUser
from conference.errors import NotFound
from conference.limits import MAX_SLUG_LENGTH
from conference.program.agenda import service as agenda
from conference.program.interop import ical
from conference.program.published.pages import program_page, render_not_found
from conference.program.published.router import published_session_out
from conference.program.published.views import by_day
from conference.program.schemas import PublishedSessionOut, slugify
from conference.web.errors import to_sign_in
from conference.web.forms import read_form, safe_next

router = APIRouter()
Guid = Annotated[str, Path(max_length=MAX_SLUG_LENGTH)]
NO_CONTENT = 204


class StarOut(BaseModel):
    session_guid: str
    starred: bool


class AgendaSessionOut(PublishedSessionOut):
    starred_at: datetime
    overlaps_with: list[str]


class GoneStarOut(BaseModel):
    session_guid: str
    title: str | None
    cancelled_in_version: int | None


class AgendaOut(BaseModel):
    version: int | None
    sessions: list[AgendaSessionOut]
    gone: list[GoneStarOut]
    overlap_count: int


# JSON API ----------------------------------------------------------------------------


@router.put("/api/v1/agenda/stars/{session_guid}", response_model=StarOut, tags=["agenda"])
async def put_star(
    session_guid: Guid, ctx: Context, db: DbSession, user: CurrentUser, meeting: CurrentMeeting
) -> StarOut:
    """Star a published session (idempotent; 404 for a GUID not in the published program)."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    await agenda.star(db, user_id=user.id, program=program, session_guid=session_guid)
    return StarOut(session_guid=session_guid, starred=True)


@router.delete("/api/v1/agenda/stars/{session_guid}", status_code=NO_CONTENT, tags=["agenda"])
async def delete_star(
    session_guid: Guid, ctx: Context, db: DbSession, user: CurrentUser, meeting: CurrentMeeting
) -> Response:
    """Unstar a session (idempotent; a star on a since-cancelled session can be removed)."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    await agenda.unstar(db, user_id=user.id, program=program, session_guid=session_guid)
    return Response(status_code=NO_CONTENT)


@router.get("/api/v1/agenda", response_model=AgendaOut, tags=["agenda"])
async def get_agenda(
    ctx: Context, db: DbSession, user: CurrentUser, meeting: CurrentMeeting
) -> AgendaOut:
    """My starred sessions in time order, each with the starred sessions it overlaps."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    stars = await agenda.starred(db, user_id=user.id)
    mine = await agenda.build_agenda(db, program=program, stars=stars, meeting_id=meeting.id)
    return AgendaOut(
        version=program.number if program else None,
        sessions=[
            AgendaSessionOut(
                **published_session_out(entry.session).model_dump(),
                starred_at=entry.starred_at,
                overlaps_with=[other.guid for other in entry.overlaps],
            )
            for entry in mine.entries
        ],
        gone=[
            GoneStarOut(session_guid=g.guid, title=g.title, cancelled_in_version=g.cancelled_in)
            for g in mine.gone
        ],
        overlap_count=len(mine.overlap_pairs),
    )


# Pages -------------------------------------------------------------------------------


@router.get("/agenda", response_class=HTMLResponse, name="agenda", include_in_schema=False)
async def agenda_page(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser, meeting: CurrentMeeting
) -> Response:
    """My agenda: starred sessions by day, overlaps spelled out, and my calendar feed."""
    if user is None:
        return to_sign_in("/agenda")
    page = await program_page(request, ctx, db, user, meeting, with_stars=False)
    stars = await agenda.starred(db, user_id=user.id)
    mine = await agenda.build_agenda(db, program=page.program, stars=stars, meeting_id=meeting.id)
    token = await agenda.current_feed_token(db, secret=ctx.settings.secret_key, user=user)
    sections = [
        await section(request, db, user, meeting.id) for section in ctx.extensions.agenda_sections
    ]
    feed_url = f"{ctx.settings.base_url}/agenda/feed/{token}.ics"
    context = page.context(
        agenda=mine,
        grouped=by_day(list(mine.sessions), page.zones.zone),
        entries={entry.session.guid: entry for entry in mine.entries},
        starred=frozenset(stars),
        feed_url=feed_url,
        webcal_url=feed_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        feed_reset=request.query_params.get("feed") == "reset",
        sections=sections,
    )
    status = 422 if page.errors else 200
    return ctx.pages.render(request, "program/agenda.html", context, user=user, status_code=status)


@router.post("/agenda/feed/reset", include_in_schema=False)
async def reset_feed(db: DbSession, user: OptionalUser) -> Response:
    """Give the personal feed a new address; the old one stops working at once."""
    if user is None:
        return to_sign_in("/agenda")
    await agenda.reset_feed(db, user_id=user.id)
    return RedirectResponse("/agenda?feed=reset", status_code=303)


@router.post("/program/sessions/{session_guid}/star", include_in_schema=False)
async def star_form(
    session_guid: Guid,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    meeting: CurrentMeeting,
) -> Response:
    """The star/unstar button of the program pages (``starred`` = 1 stars, 0 unstars)."""
    form = await read_form(request)
    session_path = f"/program/sessions/{quote(session_guid, safe='')}"
    back = safe_next(form.get("next"), session_path)
    if user is None:
        return to_sign_in(session_path)
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    try:
        if form.get("starred", "1") == "0":
            await agenda.unstar(db, user_id=user.id, program=program, session_guid=session_guid)
        else:
            await agenda.star(db, user_id=user.id, program=program, session_guid=session_guid)
    except NotFound as exc:
        return render_not_found(request, ctx, user, exc.detail)
    return RedirectResponse(back, status_code=303)


# iCalendar ---------------------------------------------------------------------------


@router.get("/program/meeting.ics", name="program_ics", include_in_schema=False)
async def meeting_ics(ctx: Context, db: DbSession, meeting: CurrentMeeting) -> Response:
    """The whole published program as one calendar."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    if program is None:
        raise NotFound("The program has not been published yet.")
    body = ical.calendar(
        program.sessions,
        program=program,
        base_url=ctx.settings.base_url,
        name=program.meeting_name,
        calendar_uid=f"program-{meeting.slug}",
    )
    return ical.ics_response(body, filename=f"{slugify(meeting.slug)}.ics")


@router.get("/program/sessions/{session_guid}.ics", include_in_schema=False)
async def session_ics(
    session_guid: Guid, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """One published session as a calendar file."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    found = program.by_guid.get(session_guid) if program else None
    if program is None or found is None:
        raise NotFound(f"No published session {session_guid}.")
    body = ical.calendar(
        [found],
        program=program,
        base_url=ctx.settings.base_url,
        name=found.title,
        calendar_uid=f"session-{found.guid}",
    )
    return ical.ics_response(body, filename=f"{slugify(found.title)}.ics")


@router.get("/agenda/feed/{token}.ics", include_in_schema=False)
async def agenda_feed(
    token: Annotated[str, Path(max_length=80)], ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """The personal feed: starred sessions, and cancellations of starred ones that went."""
    user_id = await agenda.feed_owner(db, secret=ctx.settings.secret_key, token=token)
    if user_id is None:
        raise NotFound("No calendar feed at this address (it may have been reset).")
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    if program is None:
        raise NotFound("The program has not been published yet.")
    stars = await agenda.starred(db, user_id=user_id)
    mine = await agenda.build_agenda(db, program=program, stars=stars, meeting_id=meeting.id)
    body = ical.calendar(
        mine.sessions,
        program=program,
        base_url=ctx.settings.base_url,
        name=f"My agenda · {program.meeting_name}",
        calendar_uid=f"agenda-{user_id}",
        gone=mine.gone,
        refresh=ical.FEED_REFRESH,
    )
    return ical.ics_response(body, filename="my-agenda.ics", attachment=False, private=True)
