"""Who may sit in a poster's small video room (registered as ``video_rooms["poster"]``).

The room belongs to the live slot: it is open only while one of the poster's slots is on,
and then anyone who sees the published poster may join (attendees need not wait for the
presenter: whoever comes first is in the room when the presenter arrives, and the page
says whether the presenter is in). The presenter and organizers are the room's hosts (they
may remove someone). Outside a slot nobody joins, hosts included, so the room cannot be
used as a private call behind a poster. Draft and withdrawn posters have no room (404 to
everyone, as withdrawn posters are to attendees). The streaming package seats at most
:data:`CAPACITY` people and never broadcasts the room.
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


def room_access(poster: Poster, user: User, *, live: bool) -> VideoRoomAccess:
    """The rights of ``user`` (who sees ``poster``) in its room; ``live``: a slot is on."""
    host = is_organizer(user) or is_presenter(poster, user)
    return VideoRoomAccess(join=live, host=host, capacity=CAPACITY, refusal="" if live else CLOSED)


async def slot_is_live(db: AsyncSession, *, poster_id: int, now: datetime) -> bool:
    """Whether one of the poster's slots is on at ``now``."""
    found = await db.scalar(
        select(PosterSlot.id)
        .where(
            PosterSlot.poster_id == poster_id,
            PosterSlot.starts_at <= now,
            PosterSlot.ends_at > now,
        )
        .limit(1)
    )
    return found is not None


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
    live = await slot_is_live(db, poster_id=poster.id, now=now or utcnow())
    return room_access(poster, user, live=live)
