"""Program pages for attendees: the home page, program, sessions, speakers, changes.

Every page reads the published program through ``ctx.programs`` (one small query for the
newest version number; the indexed view is cached per process), so the number of queries
does not grow with the number of sessions.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, DbSession, OptionalUser
from conference.program import service
from conference.program.agenda import service as agenda
from conference.program.draft import publishing
from conference.program.models import COMMITTEE_TITLES, SESSION_TYPE_LABELS, Meeting
from conference.program.published import views
from conference.program.published.display import Links, Zones, parse_zone_choice, template_helpers
from conference.program.published.filters import KNOWN_PARAMS, ProgramQuery, parse_program_query
from conference.program.published.grid import build_grid
from conference.program.published.page_cache import PersonalParts
from conference.program.published.program import PublishedProgram
from conference.timezones import ZoneChoice, display_zone, local
from conference.web.errors import render_error_page

router = APIRouter(include_in_schema=False)

__all__ = ["ZoneChoice", "current_time", "display_zone", "router"]

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def current_time() -> datetime:
    """Now, in UTC: what "now and next" and "happening now" compare against.

    The one place pages read the clock, so tests can replace it and look at the program
    as it stands at a chosen moment of the meeting.
    """
    return datetime.now(UTC)


@dataclass(frozen=True)
class ProgramPage:
    """What every program page starts from: the published program and the display zone."""

    program: PublishedProgram | None
    zones: Zones
    links: Links
    starred: frozenset[str]
    errors: list[str]

    def context(self, **extra: Any) -> dict[str, Any]:
        """The template context: the program, stars, errors and the time helpers."""
        return {
            "program": self.program,
            "starred": self.starred,
            "errors": self.errors,
            "track_class": self.track_class,
            **template_helpers(self.links, self.zones),
            **extra,
        }

    def track_class(self, slug: str | None) -> str:
        """The CSS class that carries a track's colour (see :func:`tracks_css`)."""
        if self.program is None or slug is None:
            return ""
        index = next((i for i, t in enumerate(self.program.tracks) if t.slug == slug), None)
        return f"track-{index}" if index is not None else ""


async def program_page(
    request: Request,
    ctx: AppContext,
    db: AsyncSession,
    user: User | None,
    meeting: Meeting,
    *,
    with_stars: bool = True,
) -> ProgramPage:
    """Load what every program page needs: the published program (through the cache),
    the display zone from ``?zone=``, and the viewer's stars (one query, if signed in)."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    choice, zone_error = parse_zone_choice(request.query_params.get("zone"))
    zones = Zones.for_viewer(
        user_zone=user.time_zone if user else None,
        meeting_zone=program.time_zone if program else meeting.time_zone,
        choice=choice,
    )
    kept = {k: v for k, v in request.query_params.items() if k in KNOWN_PARAMS and k != "zone"}
    links = Links(request.url.path, {**kept, **zones.param}, zones)
    stars: frozenset[str] = frozenset()
    if user is not None and with_stars and program is not None:
        stars = frozenset(await agenda.starred(db, user_id=user.id))
    return ProgramPage(program, zones, links, stars, [zone_error] if zone_error else [])


def render_not_found(
    request: Request, ctx: AppContext, user: User | None, detail: str
) -> HTMLResponse:
    """The 404 page, for a signed-in viewer too (the generic handler knows no user)."""
    return render_error_page(request, 404, detail, user=user)


# Home --------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse, name="home")
async def home(
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    zone: Annotated[ZoneChoice | None, Query()] = None,
) -> HTMLResponse:
    """The meeting at a glance, with its times in the viewer's zone, and what is on now."""
    meeting = await service.current_meeting(db, with_committees=True)
    sections: list[Markup] = []
    if meeting is not None:
        for section in ctx.extensions.home_sections:
            sections.append(await section(request, db, user))
    on_now = None
    helpers: dict[str, Any] = {"zone": None}
    if meeting is not None:
        zones = Zones.for_viewer(
            user_zone=user.time_zone if user else None,
            meeting_zone=meeting.time_zone,
            choice=zone,
        )
        helpers = template_helpers(Links("/", zones.param, zones), zones)
        program = await ctx.programs.latest(db, meeting_id=meeting.id)
        if program is not None:
            on_now = views.now_and_next(program, current_time())
    context = {
        **helpers,
        "meeting": meeting,
        "committees": service.committees(meeting) if meeting else {},
        "committee_titles": COMMITTEE_TITLES,
        "zone_choice": zone or "mine",
        "sections": sections,
        "on_now": on_now,
        "deleted": request.query_params.get("deleted") == "1",
    }
    return ctx.pages.render(request, "program/home.html", context, user=user)


# The program -------------------------------------------------------------------------


@router.get("/program", response_class=HTMLResponse, name="program")
async def program(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser, meeting: CurrentMeeting
) -> HTMLResponse:
    """The program by day: a grid with stages as columns, or a list; filtered and searched."""
    page = await program_page(request, ctx, db, user, meeting)
    published = page.program
    query = parse_program_query(request.query_params, program=published, signed_in=user is not None)
    errors = page.errors + query.errors
    status = 422 if errors else 200
    if published is None:
        parts = PersonalParts()
        context = page.context(query=query, errors=errors)
        body = parts.freeze(
            ctx.pages.fragment(request, "program/_program_body.html", context, user=user)
        ).personal(starred=page.starred, csrf_input=ctx.pages.csrf_input(request))
        return ctx.pages.render(
            request,
            "program/program.html",
            {**context, "body": body},
            user=user,
            status_code=status,
        )
    now = current_time()
    zone = page.zones.zone
    days = published.days_in_zone(zone)
    today = local(now, zone).date()
    every_day = query.view == "list" and (query.all_days or query.is_filtered)
    # What is on now, whatever day was picked; else one day at a time by default, in both
    # views (the whole meeting in one list is hundreds of sessions). A search or filter in
    # the list looks across every day.
    day = (
        today
        if query.happening_now
        else query.day or (None if every_day else views.default_day(days, today=today))
    )
    values = {"query": query, "errors": errors, "days": days, "day": day}
    # The page is the same for every viewer of this version, day, zone and address but for
    # their stars and CSRF token; only "happening now" (the clock) and "starred only" (the
    # viewer's stars) are rendered for each request.
    shared = not (query.happening_now or query.starred_only)
    key = (
        dataclasses.astuple(page.zones),
        user is not None,
        tuple(sorted(request.query_params.multi_items())),
        day,
    )
    version = (published.number, published.published_at)
    render = ctx.program_pages.get(version, key) if shared else None
    if render is None:
        parts = PersonalParts()
        context = page.context(**values, **_program_body(published, page, query, now, day))
        if shared:
            context.update(personal_parts=parts, csrf_input=parts.csrf_marker)
        html = ctx.pages.fragment(request, "program/_program_body.html", context, user=user)
        render = parts.freeze(html)
        if shared:
            ctx.program_pages.put(version, key, render)
    body = render.personal(starred=page.starred, csrf_input=ctx.pages.csrf_input(request))
    context = page.context(**values, body=body)
    return ctx.pages.render(request, "program/program.html", context, user=user, status_code=status)


def _program_body(
    published: PublishedProgram,
    page: ProgramPage,
    query: ProgramQuery,
    now: datetime,
    day: date | None,
) -> dict[str, Any]:
    """The sessions the program page lists for ``query`` on ``day``: the grid or the list,
    the count and the matches per day (the costly part, done once per shared render)."""
    zone = page.zones.zone
    chosen = query.criteria(now=now, day=None if query.happening_now else day)
    sessions = published.select(chosen, zone=zone, starred=page.starred)
    day_counts: dict[date, int] = {}
    if query.is_filtered and not query.happening_now:
        # With a search or filter on, the day tabs say where the matches are.
        everywhere = published.select(
            query.criteria(now=now, day=None), zone=zone, starred=page.starred
        )
        for found_day, found in views.by_day(everywhere, zone):
            day_counts[found_day] = len(found)
    grid = (
        build_grid(sessions, stages=published.stages, zone=zone) if query.view == "grid" else None
    )
    return {
        "day_counts": day_counts,
        "grid": grid,
        "grouped": views.by_day(sessions, zone) if query.view == "list" else [],
        "count": len(sessions),
        "session_types": SESSION_TYPE_LABELS,
        "now": now,
    }


@router.get("/program/tracks.css", name="program_tracks_css")
async def tracks_css(ctx: Context, db: DbSession, meeting: CurrentMeeting) -> Response:
    """Track colours as classes: the CSP forbids inline styles, so colours come from here.

    The link carries the version number, so browsers may keep each version's sheet.
    """
    published = await ctx.programs.latest(db, meeting_id=meeting.id)
    rules = []
    for index, track in enumerate(published.tracks if published else ()):
        color = track.color if _COLOR.match(track.color) else "#566172"
        rules.append(f".track-{index} {{ --track: {color}; }}")
    return Response(
        "\n".join(rules) + "\n",
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/program/changes", response_class=HTMLResponse, name="program_changes")
async def changes(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser, meeting: CurrentMeeting
) -> HTMLResponse:
    """The public changelog: what each published version added, moved, changed, cancelled."""
    page = await program_page(request, ctx, db, user, meeting, with_stars=False)
    versions = views.version_changes(await publishing.list_versions(db, meeting=meeting))
    context = page.context(versions=versions)
    status = 422 if page.errors else 200
    return ctx.pages.render(request, "program/changes.html", context, user=user, status_code=status)


@router.get("/program/sessions/{guid}", response_class=HTMLResponse, name="program_session")
async def session_page(
    guid: str,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    meeting: CurrentMeeting,
) -> HTMLResponse:
    """One session: details, chairs, talks and speakers, where to watch, star, calendar."""
    page = await program_page(request, ctx, db, user, meeting)
    if page.program is None:
        return render_not_found(request, ctx, user, "The program has not been published yet.")
    found = page.program.by_guid.get(guid)
    if found is None:
        return render_not_found(
            request,
            ctx,
            user,
            "There is no session at this address in the published program. It may have "
            "been cancelled: the list of changes says what changed.",
        )
    watch: list[Markup] = []
    for hook in ctx.extensions.session_watch_links:
        link = await hook(request, db, found, user)
        if link is not None:
            watch.append(link)
    extra_sections: list[Markup] = []
    for section_hook in ctx.extensions.session_sections:
        section = await section_hook(request, db, found, user)
        if section is not None:
            extra_sections.append(section)
    context = page.context(
        session=found,
        watch_links=watch,
        session_sections=extra_sections,
        next_path=page.links.session(found.guid),
        cme_credits=found.cme_minutes / 60,
    )
    status = 422 if page.errors else 200
    return ctx.pages.render(request, "program/session.html", context, user=user, status_code=status)


@router.get("/program/speakers/{guid}", response_class=HTMLResponse, name="program_speaker")
async def speaker_page(
    guid: str,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    meeting: CurrentMeeting,
) -> HTMLResponse:
    """A speaker or chair: affiliation, biography, and their sessions and talks."""
    page = await program_page(request, ctx, db, user, meeting)
    person = page.program.people.get(guid) if page.program else None
    if page.program is None or person is None:
        return render_not_found(
            request, ctx, user, "There is no speaker at this address in the published program."
        )
    context = page.context(person=person, parts=views.speaker_parts(page.program, guid))
    status = 422 if page.errors else 200
    return ctx.pages.render(request, "program/speaker.html", context, user=user, status_code=status)
