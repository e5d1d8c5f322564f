"""JSON API of live author slots: ``/api/v1/posters/{id}/slots``.

Whoever sees the poster reads its slots (written in their own zone as well as UTC); its
presenter and organizers add and remove them (rules in ``posters.slots.service``).
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from conference.db.types import utcnow
from conference.deps import CurrentMeeting, CurrentUser, DbSession, PathId
from conference.timezones import display_zone
from posters.service import visible_poster
from posters.slots import service as slots
from posters.slots.service import SlotIn, SlotOut, SlotsOut

router = APIRouter(prefix="/api/v1/posters", tags=["posters"])


@router.get("/{poster_id}/slots", response_model=SlotsOut)
async def read_slots(
    poster_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> SlotsOut:
    """A poster's live slots, earliest first, with each span in the viewer's zone."""
    poster = await visible_poster(db, meeting_id=meeting.id, poster_id=poster_id, viewer=user)
    zone = display_zone(user_zone=user.time_zone, meeting_zone=meeting.time_zone)
    now = utcnow()
    found = await slots.poster_slots(db, poster_id=poster.id)
    return SlotsOut(zone=zone, slots=[slots.slot_out(s, zone=zone, now=now) for s in found])


@router.post("/{poster_id}/slots", response_model=SlotOut, status_code=status.HTTP_201_CREATED)
async def add_slot(
    poster_id: PathId, body: SlotIn, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> SlotOut:
    """Add a slot (the presenter or organizers); 422 when it breaks a slot rule."""
    poster = await slots.managed_poster(db, meeting_id=meeting.id, poster_id=poster_id, actor=user)
    now = utcnow()
    slot = await slots.add_slot(db, meeting=meeting, poster=poster, data=body, now=now)
    await db.commit()
    zone = display_zone(user_zone=user.time_zone, meeting_zone=meeting.time_zone)
    return slots.slot_out(slot, zone=zone, now=now)


@router.delete("/{poster_id}/slots/{slot_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_slot(
    poster_id: PathId, slot_id: PathId, db: DbSession, meeting: CurrentMeeting, user: CurrentUser
) -> Response:
    """Remove a slot: the presenter one that has not started, organizers any."""
    poster = await slots.managed_poster(db, meeting_id=meeting.id, poster_id=poster_id, actor=user)
    await slots.remove_slot(db, poster=poster, slot_id=slot_id, actor=user, now=utcnow())
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
