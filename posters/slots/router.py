"""JSON API of live author slots: ``/api/v1/posters/{id}/slots`` and ``.../chat``.

Whoever sees the poster reads its slots (written in their own zone as well as UTC); its
presenter and organizers add and remove them (rules in ``posters.slots.service``). The
slot chat's history is paged as the session chat's; messages written here are published
on ``poster:<id>`` exactly as the /ws action's are (rules in ``posters.slots.chat``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from conference.db.types import utcnow
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, PathId
from conference.limits import MAX_ID
from conference.realtime import chat_service
from conference.realtime.durable import commit_and_publish
from conference.realtime.schemas import ChatAck
from conference.timezones import display_zone
from posters.service import visible_poster
from posters.slots import chat
from posters.slots import service as slots
from posters.slots.schemas import SlotChatIn, SlotChatOut
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


@router.get("/{poster_id}/chat", response_model=SlotChatOut)
async def read_chat(
    poster_id: PathId,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[
        int, Query(ge=1, le=chat_service.MAX_HISTORY_PAGE)
    ] = chat_service.HISTORY_PAGE,
) -> SlotChatOut:
    """A page of the poster's slot chat, oldest first, and the event id to subscribe
    ``since``; readable at any time by whoever sees the poster."""
    poster = await visible_poster(db, meeting_id=meeting.id, poster_id=poster_id, viewer=user)
    return await chat.history(
        db, poster=poster, viewer=user, before=before, limit=limit, now=utcnow()
    )


@router.post("/{poster_id}/chat", response_model=ChatAck, status_code=status.HTTP_201_CREATED)
async def send_chat(
    poster_id: PathId,
    body: SlotChatIn,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
) -> ChatAck:
    """Write to the chat during a live slot (409 ``not_open`` outside one)."""
    poster = await visible_poster(db, meeting_id=meeting.id, poster_id=poster_id, viewer=user)
    event = await chat.send(
        db, poster=poster, user=user, body=body.body, now=utcnow(), limiter=ctx.realtime.limiter
    )
    await commit_and_publish(db, ctx.realtime.hub, [event])
    return ChatAck(message_id=event.data["message_id"], event_id=event.id)


@router.delete("/{poster_id}/chat/{message_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_chat(
    poster_id: PathId,
    message_id: PathId,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
) -> Response:
    """Delete a message: its author, the poster's presenter or an organizer."""
    poster = await visible_poster(db, meeting_id=meeting.id, poster_id=poster_id, viewer=user)
    event = await chat.delete(db, poster=poster, user=user, message_id=message_id)
    await commit_and_publish(db, ctx.realtime.hub, [event])
    return Response(status_code=status.HTTP_204_NO_CONTENT)
