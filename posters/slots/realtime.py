"""The live slot's chat over /ws: the ``poster.chat.send``, ``poster.chat.delete`` and
``poster.chat.mute`` actions on ``poster:<id>`` (registered from ``posters.channels``).

Their events are the core chat's (``chat.message``, ``chat.deleted``, ``chat.muted``),
declared here as travelling on poster channels too. The rules are in
:mod:`posters.slots.chat`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference.db.types import utcnow
from conference.realtime.chat import DeleteData, MuteData, SendData
from conference.realtime.chat_service import muted_frame, parse
from conference.realtime.durable import commit_and_publish
from conference.realtime.registry import ActionContext
from conference.realtime.schemas import ChatAck, ChatDeleted, ChatMessageEvent, MuteAck
from posters import service
from posters.models import Poster
from posters.slots import chat

if TYPE_CHECKING:
    from conference.realtime.registry import Realtime


async def _poster(action: ActionContext) -> Poster:
    return await service.channel_poster(
        action.db, channel=action.message.channel, viewer=action.user
    )


async def send_action(action: ActionContext) -> ChatAck:
    data = parse(SendData, action.message.data)
    poster = await _poster(action)
    event = await chat.send(
        action.db, poster=poster, user=action.user, body=data.body, now=utcnow(), limiter=None
    )
    await commit_and_publish(action.db, action.hub, [event])
    return ChatAck(message_id=event.data["message_id"], event_id=event.id)


async def delete_action(action: ActionContext) -> ChatAck:
    data = parse(DeleteData, action.message.data)
    poster = await _poster(action)
    event = await chat.delete(
        action.db, poster=poster, user=action.user, message_id=data.message_id
    )
    await commit_and_publish(action.db, action.hub, [event])
    return ChatAck(message_id=data.message_id, event_id=event.id)


async def mute_action(action: ActionContext) -> MuteAck:
    data = parse(MuteData, action.message.data)
    poster = await _poster(action)
    entry = await chat.mute(
        action.db, poster=poster, by=action.user, user_id=data.user_id, minutes=data.minutes
    )
    await action.db.commit()
    # As the session chat: the mute is durable in chat_mutes, its notice is not replayed.
    await action.hub.publish(f"user:{entry.user_id}", muted_frame(entry))
    return MuteAck(user_id=entry.user_id, until=entry.until)


def register(realtime: Realtime) -> None:
    """The slot chat's actions, and the core chat's events on poster channels."""
    realtime.action("poster.chat.send", send_action, limit="chat", ack=ChatAck)
    # Deleting is how the presenter clears a flood: not the tight chat bucket.
    realtime.action("poster.chat.delete", delete_action, limit="moderate", ack=ChatAck)
    realtime.action("poster.chat.mute", mute_action, limit="moderate", ack=MuteAck)
    realtime.event("chat.message", ChatMessageEvent, channel="poster", durable=True)
    realtime.event("chat.deleted", ChatDeleted, channel="poster", durable=True)
