"""Who may sit on a stage's panel, and who directs it (layout, going live); who may sit in
a video room (the owning domain's policy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.errors import Forbidden, NotFound
from conference.extensions import VideoRoomAccess
from conference.program import participation
from conference.program.models import Stage

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
    program = await ctx.programs.current(db)
    part = await participation.of_user(db, user=user)
    return PanelRights(
        join=part.may_present_on(program, stage.guid),
        direct=part.may_direct_on(program, stage.guid),
    )


async def require_panelist(ctx: AppContext, db: AsyncSession, *, user: User, stage: Stage) -> None:
    if not (await panel_rights(ctx, db, user=user, stage=stage)).join:
        raise Forbidden("Only organizers and this stage's chairs and speakers join its panel.")


async def require_director(ctx: AppContext, db: AsyncSession, *, user: User, stage: Stage) -> None:
    if not (await panel_rights(ctx, db, user=user, stage=stage)).direct:
        raise Forbidden("Only organizers and this stage's chairs direct its panel.")


async def video_room_access(
    ctx: AppContext, db: AsyncSession, *, user: User, kind: str, object_id: int
) -> VideoRoomAccess:
    """The rights of ``user`` in the video room of ``kind`` object ``object_id``, as the
    domain owning that kind says (``Extensions.video_rooms``); NotFound for a kind no
    domain registered, or an object the user may not see or that has no room."""
    policy = ctx.extensions.video_rooms.policies.get(kind)
    if policy is None:
        raise NotFound("There is no such video room.")
    return await policy(db, user, object_id)
