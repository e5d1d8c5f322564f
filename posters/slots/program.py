"""A poster session's posters and their live slots on the session's program page.

Filled into ``Extensions.session_sections`` by main.py (the program cannot import
posters). Signed-in viewers only, as the gallery; published posters only; three bounded
statements whatever the number of posters.
"""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from starlette.requests import Request

from conference.accounts.models import User
from conference.context import AppContext
from conference.db.types import utcnow
from conference.program.models import SessionType
from conference.program.published.display import parse_zone_choice
from conference.program.published.program import SessionView
from conference.program.service import current_meeting
from conference.timezones import display_zone
from posters.models import Poster, PosterSlot, PosterState
from posters.slots import service as slots


async def session_section(
    request: Request, db: AsyncSession, session: SessionView, user: User | None
) -> Markup | None:
    """The posters of a poster session with their slots in the viewer's zone (the page's
    ``?zone=`` choice kept); None for other sessions and for visitors."""
    if user is None or session.type != SessionType.poster_session:
        return None
    meeting = await current_meeting(db)
    if meeting is None:
        return None
    shown = await db.scalars(
        select(Poster)
        .where(
            Poster.meeting_id == meeting.id,
            Poster.session_guid == session.guid,
            Poster.state == PosterState.published,
        )
        .order_by(Poster.board_order, Poster.board)
        .options(selectinload(Poster.authors))
    )
    posters = list(shown)
    by_poster: dict[int, list[slots.SlotView]] = defaultdict(list)
    choice, _ = parse_zone_choice(request.query_params.get("zone"))
    zone = display_zone(user_zone=user.time_zone, meeting_zone=meeting.time_zone, choice=choice)
    now = utcnow()
    if posters:
        found = await db.scalars(
            select(PosterSlot)
            .where(PosterSlot.poster_id.in_([p.id for p in posters]))
            .order_by(PosterSlot.starts_at, PosterSlot.id)
        )
        for slot in found:
            by_poster[slot.poster_id].append(slots.slot_view(slot, zone=zone, now=now))
    ctx: AppContext = request.app.state.ctx
    context = {"session_posters": posters, "poster_slots": by_poster, "slot_zone": zone}
    html = ctx.pages.fragment(request, "posters/_session_slots.html", context, user=user)
    return Markup(html)  # noqa: S704 - rendered by our autoescaping template
