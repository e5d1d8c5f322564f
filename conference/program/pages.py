"""Program pages for attendees: the home page, program, sessions, speakers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from conference.deps import Context, DbSession, OptionalUser
from conference.program import service
from conference.program.models import COMMITTEE_TITLES

router = APIRouter(include_in_schema=False)

ZoneChoice = Literal["mine", "meeting"]


def display_zone(*, user_zone: str | None, meeting_zone: str, choice: ZoneChoice | None) -> str:
    """The zone a page shows times in: the viewer's own unless they ask for the meeting's.

    Visitors who are not signed in have no zone of their own and see the meeting's.
    """
    if choice == "meeting" or user_zone is None:
        return meeting_zone
    return user_zone


@router.get("/", response_class=HTMLResponse, name="home")
async def home(
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    zone: Annotated[ZoneChoice | None, Query()] = None,
) -> HTMLResponse:
    """The meeting at a glance, with its times in the viewer's zone."""
    meeting = await service.current_meeting(db, with_committees=True)
    sections: list[Markup] = []
    if meeting is not None:
        for section in ctx.extensions.home_sections:
            sections.append(await section(request, db, user))
    shown_zone = (
        display_zone(
            user_zone=user.time_zone if user else None,
            meeting_zone=meeting.time_zone,
            choice=zone,
        )
        if meeting
        else None
    )
    context = {
        "meeting": meeting,
        "committees": service.committees(meeting) if meeting else {},
        "committee_titles": COMMITTEE_TITLES,
        "zone": shown_zone,
        "zone_choice": zone or "mine",
        "sections": sections,
        "deleted": request.query_params.get("deleted") == "1",
    }
    return ctx.pages.render(request, "program/home.html", context, user=user)
