"""Announcements: banners for everyone, now or scheduled, with an end time.

- Organizer JSON API: ``POST /api/v1/announcements``, ``GET /api/v1/announcements``,
  ``POST /api/v1/announcements/{id}/end``; public ``GET /api/v1/announcements/active``.
- Organizer console page: ``/console/announcements`` (times typed in the meeting's zone).
- Pages: :func:`page_banners` gives ``templates/realtime/_banner.html`` its
  ``announcements``; the lifespan runs the scheduler (a part, see :func:`register`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.requests import HTTPConnection

from conference.accounts.models import User
from conference.console.web import ConsoleRoute, ConsoleUser, Id, parse_local, render
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, DbSession, Organizer, PathId
from conference.errors import ServiceError
from conference.extensions import ConsoleSection
from conference.program.models import Meeting
from conference.realtime import announcements_service as service
from conference.realtime.durable import commit_and_publish
from conference.realtime.models import ChannelEvent
from conference.realtime.registry import Realtime
from conference.realtime.schemas import (
    AnnouncementEnded,
    AnnouncementEvent,
    AnnouncementList,
    AnnouncementView,
)
from conference.web import flash
from conference.web.forms import read_form, validate

api = APIRouter(prefix="/api/v1/announcements", tags=["announcements"])
console = APIRouter(
    prefix="/console/announcements", route_class=ConsoleRoute, include_in_schema=False
)
router = APIRouter()
# The console's menu entry for the page (main.py adds it).
CONSOLE_SECTION = ConsoleSection(
    "announcements", "Announcements", "/console/announcements", order=500
)


async def _commit_and_publish(ctx: Context, db: DbSession, event: ChannelEvent | None) -> None:
    """Commit, send the event, and show the change on this process's pages now."""
    await commit_and_publish(db, ctx.realtime.hub, [event] if event is not None else [])
    await service.board(ctx).refresh(db)


# JSON API ----------------------------------------------------------------------------


@api.post("", status_code=201, response_model=AnnouncementView)
async def create(
    body: service.AnnouncementIn, ctx: Context, db: DbSession, user: Organizer
) -> AnnouncementView:
    """Send an announcement now (no ``starts_at``, or one already past) or schedule it."""
    item, event = await service.create(db, user=user, data=body)
    await _commit_and_publish(ctx, db, event)
    return service.view(item)


@api.get("", response_model=AnnouncementList)
async def list_all(db: DbSession, user: Organizer) -> AnnouncementList:
    """Every announcement, scheduled, active and ended, newest start first."""
    return AnnouncementList(announcements=service.views(await service.all_announcements(db)))


@api.get("/active", response_model=AnnouncementList)
async def list_active(db: DbSession) -> AnnouncementList:
    """The announcements showing now, for everyone (signed in or not)."""
    return AnnouncementList(announcements=await service.active_views(db))


@api.post("/{announcement_id}/end", response_model=AnnouncementView)
async def end(
    announcement_id: PathId, ctx: Context, db: DbSession, user: Organizer
) -> AnnouncementView:
    """End an announcement now (a scheduled one is cancelled)."""
    item, event = await service.end(db, announcement_id)
    await _commit_and_publish(ctx, db, event)
    return service.view(item)


# Console page ------------------------------------------------------------------------


SENT = flash.message("announcements.sent", "Announcement sent.")
SCHEDULED = flash.message("announcements.scheduled", "Announcement scheduled.")
ENDED = flash.message("announcements.ended", "Announcement ended.")


def _done(ctx: AppContext, key: str) -> Response:
    """Back to the console page, which confirms the action once (conference.web.flash)."""
    return flash.redirect(
        "/console/announcements",
        secret_key=ctx.settings.secret_key,
        key=key,
        secure=ctx.settings.is_production,
    )


def _page(
    request: Request,
    user: User,
    meeting: Meeting,
    items: list[Any],
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    context = {
        "announcements": service.statuses(items),
        "form": form,
        "errors": errors,
    }
    return render(
        request,
        "realtime/announcements.html",
        context,
        user=user,
        meeting=meeting,
        section="announcements",
        status_code=status_code,
    )


@console.get("", name="console_announcements")
async def console_page(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    form = {"message": "", "level": "info", "when": "now", "starts_at": "", "ends_at": ""}
    return _page(request, user, meeting, await service.all_announcements(db), form, {})


def _read(form: dict[str, str], zone: str) -> tuple[service.AnnouncementIn | None, dict[str, str]]:
    """The form as API input (local times placed in the meeting's zone), or its errors."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {"message": form.get("message", ""), "level": form.get("level", "")}
    if form.get("when") == "later":
        data["starts_at"], problem = parse_local(form.get("starts_at", ""), zone, what="start")
        if problem:
            errors["starts_at"] = problem
    data["ends_at"], problem = parse_local(form.get("ends_at", ""), zone, what="end")
    if problem:
        errors["ends_at"] = problem
    if errors:
        return None, errors
    parsed, problems = validate(service.AnnouncementIn, data)
    return parsed, {("ends_at" if k in ("form", "") else k): v for k, v in problems.items()}


@console.post("")
async def console_create(
    request: Request, ctx: Context, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    form = await read_form(request)
    values = {k: form.get(k, "") for k in ("message", "level", "when", "starts_at", "ends_at")}
    parsed, errors = _read(values, meeting.time_zone)
    if parsed is None:
        items = await service.all_announcements(db)
        return _page(request, user, meeting, items, values, errors, status_code=422)
    _, event = await service.create(db, user=user, data=parsed)
    await _commit_and_publish(ctx, db, event)
    return _done(ctx, SENT if event else SCHEDULED)


@console.post("/{announcement_id}/end")
async def console_end(
    request: Request,
    announcement_id: Id,
    ctx: Context,
    user: ConsoleUser,
    db: DbSession,
    meeting: CurrentMeeting,
) -> Response:
    try:
        _, event = await service.end(db, announcement_id)
    except ServiceError as exc:
        await db.rollback()
        return _page(
            request=request,
            user=user,
            meeting=meeting,
            items=await service.all_announcements(db),
            form={},
            errors={"form": exc.detail},
            status_code=exc.status_code,
        )
    await _commit_and_publish(ctx, db, event)
    return _done(ctx, ENDED)


router.include_router(api)
router.include_router(console)


# Hooks for the app ---------------------------------------------------------------------


def page_banners(conn: HTTPConnection) -> list[dict[str, Any]]:
    """The active announcements for ``templates/realtime/_banner.html`` (sync, from memory:
    pages render without awaiting the database)."""
    return service.board(conn.app.state.ctx).banners()


def register(realtime: Realtime) -> None:
    """No client actions: announcements are made over HTTP and heard on ``meeting``; the
    app's scheduler (and its board) is a part of the registry, run by the lifespan."""
    realtime.add_part(service.Scheduler())
    realtime.event(service.SENT, AnnouncementEvent, channel="meeting", durable=True)
    realtime.event(service.ENDED, AnnouncementEnded, channel="meeting", durable=True)
