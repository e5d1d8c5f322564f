"""Attendee pages: the stages, one stage's player, and the player on a session's page.

The pages only decide what to show first; ``static/js/player.js`` asks the status and play
APIs (which set the media token cookie) and follows the stage's state over ``/ws``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from conference.console.web import ConsoleRoute
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, DbSession, OptionalUser
from conference.errors import NotFound
from conference.program.published.pages import current_time
from conference.program.published.program import PublishedProgram, SessionView
from conference.program.service import current_meeting
from conference.timezones import display_zone
from streaming import studio, watch
from streaming.broadcasts import live_broadcast
from streaming.models import premiere_is_on

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
router.include_router(studio.router)


def viewer_zone(user: User | None, program: PublishedProgram) -> str:
    """The zone times are shown in: the viewer's own, else the meeting's."""
    return display_zone(user_zone=user.time_zone if user else None, meeting_zone=program.time_zone)


async def _program(ctx: AppContext, db: DbSession, meeting_id: int) -> PublishedProgram:
    program = await ctx.programs.latest(db, meeting_id=meeting_id)
    if program is None:
        raise NotFound("The program has not been published yet.")
    return program


@router.get("/stages", response_class=HTMLResponse, name="stages")
async def stages(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser, meeting: CurrentMeeting
) -> HTMLResponse:
    """Every stage with its state (live, premiere, off air) and what is on now and next."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    states: list[watch.StageState] = []
    zone = meeting.time_zone
    if program is not None:
        zone = viewer_zone(user, program)
        states = await watch.stage_states(
            db, program=program, meeting_id=meeting.id, now=current_time()
        )
    context = {"states": states, "zone": zone, "published": program is not None}
    return ctx.pages.render(request, "streaming/stages.html", context, user=user)


@router.get("/stages/{slug}", response_class=HTMLResponse, name="stage")
async def stage_page(
    slug: str,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    meeting: CurrentMeeting,
) -> HTMLResponse:
    """One stage: its player (live, premiere, slate or replay) and the live panel of the
    session on now."""
    program = await _program(ctx, db, meeting.id)
    found = next((s for s in program.stages if s.slug == slug), None)
    if found is None:
        raise NotFound("There is no stage at this address.")
    row = next(r for r in program.now_and_next(current_time()) if r[0].slug == slug)
    may_publish = False
    if user is not None:
        may_publish = (
            await watch.studio_sessions(db, user=user, program=program, stage=found)
        ) is not None
    context: dict[str, Any] = {
        "stage": found,
        "on_now": row[1],
        "up_next": row[2],
        "session": row[1],
        "zone": viewer_zone(user, program),
        "may_publish": may_publish,
    }
    return ctx.pages.render(request, "streaming/stage.html", context, user=user)


async def session_watch_link(
    request: Request, db: AsyncSession, session: SessionView, user: User | None
) -> Markup | None:
    """The player on a session's page: the stage while the session is on (or premieres),
    else its recordings, and a scheduled premiere's time. None without any of them.

    Reads through the request's own session ``db`` (a second one per request is what made
    the page fall over with 15 viewers on a pool of 5 + 10)."""
    ctx: AppContext = request.app.state.ctx
    now = current_time()
    meeting = await current_meeting(db)
    program = await ctx.programs.latest(db, meeting_id=meeting.id) if meeting else None
    if meeting is None or program is None:
        return None
    recordings = await watch.session_recordings(db, session_guid=session.guid)
    premiere = next(
        (r for r in recordings if r.premiere_at is not None and r.premiere_at > now), None
    )
    premiering = any(premiere_is_on(r, now) for r in recordings)
    live_here = False
    if session.stage is not None:
        ids = await watch.stage_ids(db, meeting_id=meeting.id)
        live = await live_broadcast(db, stage_id=ids.get(session.stage.slug, 0), now=now)
        live_here = live is not None and live.session_guid == session.guid
    on_stage = session.stage is not None and (live_here or premiering or session.is_on_at(now))
    # A recording still waiting for its premiere is not on demand yet.
    on_demand = [r for r in recordings if r.premiere_at is None or r.premiere_at <= now]
    if not on_stage and not on_demand and premiere is None:
        return None  # the page says where to watch will appear once streaming starts
    template = ctx.pages.templates.env.get_template("streaming/_watch.html")
    html = template.render(
        request=request,
        user=user,
        session=session,
        stage=session.stage,
        on_stage=on_stage,
        recordings=on_demand,
        premiere=premiere,
        zone=viewer_zone(user, program),
        is_organizer=user is not None and user.has_role(Role.organizer),
    )
    return Markup(html)  # noqa: S704 - rendered by our autoescaping template
