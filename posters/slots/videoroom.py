"""Who may sit in a poster's small video room (registered as ``video_rooms["poster"]``).

The room belongs to the live slot: it is open only while one of the poster's slots is on,
and then anyone who sees the published poster may join. Attendees need not wait for the
presenter: whoever comes first is in the room when the presenter arrives, and the page
lists who is in. The presenter and organizers are the room's hosts (they may remove
someone). Outside a slot nobody joins, hosts included, so the room cannot serve as a
private call behind a poster, and at the slot's end everyone in it is let go
(``closes_at``). Draft and withdrawn posters have no room (404 to everyone, as withdrawn
posters are to attendees). The streaming package seats at most :data:`CAPACITY` people
and never broadcasts the room.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import NotFound
from conference.extensions import VideoRoomAccess
from conference.program.service import current_meeting
from posters.models import Poster, PosterSlot, PosterState
from posters.service import is_organizer, is_presenter, visible_poster

CAPACITY = 6
CLOSED = "The video room is open only during one of the poster's live slots."


def room_access(poster: Poster, user: User, *, slot_ends: datetime | None) -> VideoRoomAccess:
    """The rights of ``user`` (who sees ``poster``) in its room; ``slot_ends``: the end of
    the slot on now, None when none is."""
    host = is_organizer(user) or is_presenter(poster, user)
    if slot_ends is None:
        return VideoRoomAccess(join=False, host=host, capacity=CAPACITY, refusal=CLOSED)
    return VideoRoomAccess(join=True, host=host, capacity=CAPACITY, closes_at=slot_ends)


async def live_slot_end(db: AsyncSession, *, poster_id: int, now: datetime) -> datetime | None:
    """The end of the poster's slot on at ``now``, if one is (slots never overlap)."""
    return await db.scalar(
        select(PosterSlot.ends_at)
        .where(
            PosterSlot.poster_id == poster_id,
            PosterSlot.starts_at <= now,
            PosterSlot.ends_at > now,
        )
        .limit(1)
    )


async def video_room_access(
    db: AsyncSession, user: User, poster_id: int, *, now: datetime | None = None
) -> VideoRoomAccess:
    """The policy of poster rooms: NotFound unless ``user`` sees the poster and it is
    published; otherwise :func:`room_access` at ``now`` (the current time by default)."""
    meeting = await current_meeting(db)
    if meeting is None:
        raise NotFound("There is no poster at this address.")
    poster = await visible_poster(db, meeting_id=meeting.id, poster_id=poster_id, viewer=user)
    if poster.state != PosterState.published:
        raise NotFound("Only a published poster has a video room.")
    ends = await live_slot_end(db, poster_id=poster.id, now=now or utcnow())
    return room_access(poster, user, slot_ends=ends)
