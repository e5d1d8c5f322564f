"""The ``stage:<slug>`` realtime channel: stage state changes (``stage.state``) and
``stage.publish_failed``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from conference import limits
from conference.accounts.models import User
from conference.errors import NotFound
from streaming.ingest import keys
from streaming.status import PublishFailed, StageState

if TYPE_CHECKING:
    from conference.context import AppContext
    from conference.realtime.registry import Realtime


async def stage_policy(ctx: AppContext, db: AsyncSession, user: User, argument: str) -> bool:
    """Every signed-in user may follow a stage of the current meeting."""
    try:
        await keys.find_stage(db, slug=argument)
    except NotFound:
        return False
    return True


def register(realtime: Realtime) -> None:
    """The ``stage:<slug>`` channel kind (its viewers are counted) and the events sent on it."""
    realtime.channel(
        "stage", argument=limits.CHANNEL_SLUG_PATTERN, policy=stage_policy, presence=True
    )
    realtime.event("stage.state", StageState, channel="stage", durable=False)
    realtime.event("stage.publish_failed", PublishFailed, channel="stage", durable=False)
