"""Industry zone pages; for now the sponsor block of the home page."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from conference.accounts.models import User
from conference.program.service import current_meeting
from exhibitors import service
from exhibitors.models import TIER_TITLES


async def sponsors_home_section(request: Request, db: AsyncSession, user: User | None) -> Markup:
    """The sponsors, by tier, for the home page."""
    meeting = await current_meeting(db)
    if meeting is None:
        return Markup("")
    tiers = await service.sponsors_by_tier(db, meeting_id=meeting.id)
    template = request.app.state.ctx.pages.templates.get_template("exhibitors/_sponsors.html")
    # The template autoescapes everything it inserts, so its output is safe markup.
    return Markup(template.render(tiers=tiers, tier_titles=TIER_TITLES))  # noqa: S704
