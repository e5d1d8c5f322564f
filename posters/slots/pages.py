"""The live slots part of a poster's page, and the presenter's form to add or remove one.

The form takes wall-clock times in the presenter's own zone (``datetime-local`` fields);
the page lists the slots in each viewer's zone and says which zone that is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, PathId
from conference.errors import InvalidInput
from conference.extensions import VideoRooms
from conference.program.models import Meeting
from conference.timezones import display_zone
from conference.web.forms import read_form
from posters.models import Poster, PosterState
from posters.service import is_organizer
from posters.slots import chat
from posters.slots import service as slots

router = APIRouter(include_in_schema=False)


async def page_context(
    db: AsyncSession,
    *,
    poster: Poster,
    user: User,
    meeting: Meeting,
    now: datetime,
    rooms: VideoRooms | None = None,
) -> dict[str, Any]:
    """What ``templates/posters/_slots.html`` shows to ``user``; with ``rooms`` (the app's
    video rooms), the address of the poster's video room while a slot of a published
    poster is on, which the live region then offers."""
    zone = display_zone(user_zone=user.time_zone, meeting_zone=meeting.time_zone)
    found = await slots.poster_slots(db, poster_id=poster.id)
    views = [slots.slot_view(s, zone=zone, now=now) for s in found]
    live = next((v for v in views if v.live), None)
    return {
        "slots": views,
        "slot_zone": zone,
        "live_slot": live,
        "may_manage_slots": slots.may_manage(poster, user),
        "is_poster_presenter": poster.presenter_id == user.id,
        "may_moderate_chat": chat.may_moderate(poster, user),
        "may_mute_chat": is_organizer(user),
        "chat_max": chat.MAX_BODY,
        "video_room_url": (
            rooms.url("poster", poster.id)
            if rooms is not None and live is not None and poster.state == PosterState.published
            else None
        ),
    }


@router.post("/posters/{poster_id}/slots", response_class=HTMLResponse, name="poster_add_slot")
async def add_slot_form(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> Response:
    """Add a slot from the poster page's form; the form again with the reason if refused."""
    poster = await slots.managed_poster(db, meeting_id=meeting.id, poster_id=poster_id, actor=user)
    form = await read_form(request)
    zone = display_zone(user_zone=user.time_zone, meeting_zone=meeting.time_zone)
    try:
        data = slots.SlotIn(
            starts_at=slots.parse_local(form.get("starts_at", ""), zone, field="starts_at"),
            ends_at=slots.parse_local(form.get("ends_at", ""), zone, field="ends_at"),
        )
        await slots.add_slot(db, meeting=meeting, poster=poster, data=data, now=utcnow())
    except InvalidInput as exc:
        # Refused before anything was added; the request's session ends uncommitted.
        context = {"poster": poster, "slot_zone": zone, "error": exc.detail, "form": form}
        return ctx.pages.render(
            request, "posters/slot_form.html", context, user=user, status_code=422
        )
    await db.commit()
    return RedirectResponse(f"/posters/{poster.id}#slots", status_code=303)


@router.post(
    "/posters/{poster_id}/slots/{slot_id}/delete",
    response_class=HTMLResponse,
    name="poster_remove_slot",
)
async def remove_slot_form(
    poster_id: PathId, slot_id: PathId, db: DbSession, user: CurrentUser, meeting: CurrentMeeting
) -> Response:
    """Remove a slot from the poster page's form."""
    poster = await slots.managed_poster(db, meeting_id=meeting.id, poster_id=poster_id, actor=user)
    await slots.remove_slot(db, poster=poster, slot_id=slot_id, actor=user, now=utcnow())
    await db.commit()
    return RedirectResponse(f"/posters/{poster.id}#slots", status_code=303)
