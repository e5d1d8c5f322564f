"""A poster's narration: the rules the streaming domain asks through the core's registry.

The narration (audio or video) is a recording owned by ``poster:<id>``
(``Extensions.recording_owners["poster"]``, filled by main.py); streaming uploads,
transcodes and plays it and asks these hooks who may do what, never importing posters.

Who manages it: whoever may edit the poster (its presenter until the edit deadline, and
organizers); a poster they may not see is a 404 (a withdrawn one, for its presenter), one
they see but may not edit a 403. Who watches it: whoever may see the poster (so a draft's
or a withdrawn poster's narration is a 404 to attendees).

A presenter's narration is shown once it is ready, without an organizer publishing it
(unlike a speaker's pre-recorded talk): it is part of the poster, which the presenter edits
without review until the deadline, and which only organizers publish.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import NotFound
from conference.extensions import OwnerGrant, RecordingOwner, owner_key
from conference.program.service import current_meeting
from posters import service
from posters.models import Poster

KIND = "poster"


def narration_key(poster_id: int) -> str:
    """The owner key of a poster's narration ("poster:17")."""
    return owner_key(KIND, poster_id)


async def may_manage(db: AsyncSession, user: User, poster_id: int) -> OwnerGrant:
    """``user`` may attach, replace or remove the narration (else NotFound or Forbidden)."""
    meeting = await current_meeting(db)
    if meeting is None:
        raise NotFound("There is no poster at this address.")
    poster = await service.editable_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, actor=user, now=utcnow()
    )
    return OwnerGrant(title=f"Narration of board {poster.board}: {poster.title}", published=True)


async def may_watch(db: AsyncSession, viewer: User | None, poster_id: int) -> bool:
    """Whether ``viewer`` may play the narration: they may see the poster."""
    # The poster page has loaded it into the session already: no second query there.
    poster = await db.get(Poster, poster_id)
    return poster is not None and service.may_see(poster, viewer)


def recording_owner() -> RecordingOwner:
    """What main.py registers as ``recording_owners[KIND]``."""
    return RecordingOwner(manage=may_manage, watch=may_watch, audio_only=True)
