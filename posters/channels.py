"""The ``poster:<id>`` realtime channel: a poster's comments, votes, live slot and its chat.

Whoever may see the poster may follow it (published posters: every signed-in attendee;
drafts: their presenter and organizers). Its viewers are counted (presence), which is how
a poster's page knows the presenter is there during a live slot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from conference import limits
from conference.accounts.models import User
from conference.program.service import current_meeting
from posters import service
from posters.slots import realtime as slot_chat
from posters.talk import realtime as talk
from posters.tiles import grants as tile_grants

if TYPE_CHECKING:
    from conference.context import AppContext
    from conference.realtime.registry import Realtime


async def poster_policy(ctx: AppContext, db: AsyncSession, user: User, argument: str) -> bool:
    """May ``user`` follow poster ``argument``? Exactly when they may see it."""
    meeting = await current_meeting(db)
    if meeting is None:
        return False
    poster = await service.load_poster(db, meeting_id=meeting.id, poster_id=int(argument))
    return poster is not None and service.may_see(poster, user)


def register(realtime: Realtime) -> None:
    """The ``poster:<id>`` channel kind (its viewers are counted), its comments, its live
    slot's chat, and the app's grants to posters' rendered files."""
    realtime.channel("poster", argument=limits.ID_PATTERN, policy=poster_policy, presence=True)
    talk.register(realtime)
    slot_chat.register(realtime)
    tile_grants.register(realtime)
