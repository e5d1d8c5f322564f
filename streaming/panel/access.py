"""Who may sit on a stage's panel, and who directs it (layout, going live)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from conference.errors import Forbidden
from conference.program.models import Person, Stage
from conference.program.service import current_meeting

if TYPE_CHECKING:
    from conference.context import AppContext


@dataclass(frozen=True)
class PanelRights:
    join: bool
    direct: bool


async def panel_rights(
    ctx: AppContext, db: AsyncSession, *, user: User, stage: Stage
) -> PanelRights:
    """Organizers join and direct every panel; the chairs and speakers of the published
    sessions on ``stage`` (through the person linked to their account) join it, and the
    chairs direct it."""
    if user.has_role(Role.organizer):
        return PanelRights(join=True, direct=True)
    meeting = await current_meeting(db)
    program = await ctx.programs.latest(db, meeting_id=meeting.id) if meeting else None
    sessions = [
        s
        for s in (program.sessions if program else ())
        if s.stage is not None and s.stage.guid == stage.guid
    ]
    people = {person.guid for s in sessions for person in s.people}
    if not people:
        return PanelRights(join=False, direct=False)
    chairs = {person.guid for s in sessions for person in s.chairs}
    linked = set(
        await db.scalars(
            select(Person.guid).where(Person.guid.in_(people), Person.user_id == user.id)
        )
    )
    return PanelRights(join=bool(linked), direct=bool(linked & chairs))


async def require_panelist(ctx: AppContext, db: AsyncSession, *, user: User, stage: Stage) -> None:
    if not (await panel_rights(ctx, db, user=user, stage=stage)).join:
        raise Forbidden("Only organizers and this stage's chairs and speakers join its panel.")


async def require_director(ctx: AppContext, db: AsyncSession, *, user: User, stage: Stage) -> None:
    if not (await panel_rights(ctx, db, user=user, stage=stage)).direct:
        raise Forbidden("Only organizers and this stage's chairs direct its panel.")
