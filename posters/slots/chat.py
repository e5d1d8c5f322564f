"""The chat with the presenter during a live slot: the core's session chat, on ``poster:<id>``.

Messages are the core's chat messages (``chat_messages``, the ``chat.message`` and
``chat.deleted`` events, mutes in ``chat_mutes``), kept under the poster's channel, so
storage, replay with ``since``, moderation, mutes, account erasure and personal data
export are the core's, written once (``conference.realtime.chat_service``). What this
module adds is the poster's rules:

- anyone who may see the poster writes, but only while one of its slots is live (the
  presenter and organizers too); a draft or withdrawn poster takes none;
- the author deletes their own message, the poster's presenter and organizers any; only
  organizers mute (the presenter is a guest host, not a moderator of people);
- anyone who may see the poster reads the whole chat, paged, at any time (the JSON
  history). The poster's page shows the chat only during a slot: outside one the live
  region is not there at all, and the transcript stays readable through the history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.errors import Forbidden, NotOpen
from conference.realtime import chat_service, events
from conference.realtime.models import ChannelEvent, ChatMute
from conference.realtime.ratelimit import RateLimiter
from posters.models import Poster, PosterSlot, PosterState
from posters.service import is_organizer, is_presenter
from posters.slots.schemas import SlotChatOut
from posters.slots.service import current_slot
from posters.talk.comments import channel_of

# The chat bucket of the core's limiter: the socket and the HTTP route share it.
RATE_BUCKET = "chat"
MAX_BODY = chat_service.MAX_BODY


def may_moderate(poster: Poster, user: User) -> bool:
    """The poster's presenter and organizers delete anyone's message in its chat."""
    return is_presenter(poster, user) or is_organizer(user)


async def open_slot(db: AsyncSession, *, poster: Poster, now: datetime) -> PosterSlot:
    """The live slot whose chat takes messages now; NotOpen (409) outside one."""
    if poster.state != PosterState.published:
        raise NotOpen("The chat opens during live slots of a published poster.")
    slot = await current_slot(db, poster_id=poster.id, now=now)
    if slot is None:
        raise NotOpen("The chat with the presenter is open only during a live slot.")
    return slot


async def send(
    db: AsyncSession,
    *,
    poster: Poster,
    user: User,
    body: str,
    now: datetime,
    limiter: RateLimiter | None,
) -> ChannelEvent:
    """Store a message of ``user`` (who may see the poster); its ``chat.message`` event.

    ``limiter``: the core's, for the HTTP route; None where the gateway already took the
    token (the /ws action's ``limit``).
    """
    await open_slot(db, poster=poster, now=now)
    if limiter is not None:
        limiter.enforce(user.id, RATE_BUCKET, doing="chatting")
    return await chat_service.send(db, channel=channel_of(poster.id), user=user, body=body)


async def delete(db: AsyncSession, *, poster: Poster, user: User, message_id: int) -> ChannelEvent:
    """Delete a message: its author, the presenter or an organizer (403 for others)."""
    return await chat_service.delete(
        db,
        channel=channel_of(poster.id),
        user=user,
        message_id=message_id,
        moderator=may_moderate(poster, user),
    )


async def mute(
    db: AsyncSession, *, poster: Poster, by: User, user_id: int, minutes: int
) -> ChatMute:
    """Mute ``user_id`` in the poster's chat for ``minutes`` (organizers only)."""
    if not is_organizer(by):
        raise Forbidden("Only organizers mute someone in a poster's chat.")
    return await chat_service.mute(
        db, channel=channel_of(poster.id), by=by, user_id=user_id, minutes=minutes
    )


async def history(
    db: AsyncSession,
    *,
    poster: Poster,
    viewer: User,
    before: int | None,
    limit: int,
    now: datetime,
) -> SlotChatOut:
    """A page of the chat (newest if ``before`` is None), oldest first, with the event id
    to subscribe ``since`` and whether the chat is open now."""
    channel = channel_of(poster.id)
    # The event id before the messages: one written in between is replayed (the page
    # de-duplicates by message_id), never lost.
    last_event_id = await events.last_id(db, channel=channel)
    messages, more = await chat_service.history(db, channel=channel, before=before, limit=limit)
    slot = None
    if poster.state == PosterState.published:
        slot = await current_slot(db, poster_id=poster.id, now=now)
    return SlotChatOut(
        messages=[chat_service.message_history_data(m) for m in messages],
        last_event_id=last_event_id,
        more=more,
        live=slot is not None,
        slot_ends_at=slot.ends_at if slot is not None else None,
        may_moderate=may_moderate(poster, viewer),
        may_mute=is_organizer(viewer),
    )
