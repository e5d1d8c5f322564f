"""Session chat: send, edit, delete, moderation (delete any, mute), paged history.

The /ws actions (``chat.send``, ``chat.edit``, ``chat.delete``, ``chat.mute``) and the
history route; the rules live in :mod:`conference.realtime.chat_service`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from conference.deps import Context, CurrentUser, DbSession
from conference.errors import Forbidden, NotFound
from conference.limits import MAX_ID, DbId
from conference.realtime import chat_service as service
from conference.realtime import events
from conference.realtime.channels import is_moderator, published_session
from conference.realtime.durable import commit_and_publish
from conference.realtime.protocol import MAX_CLIENT_FRAME
from conference.realtime.registry import ActionContext, Realtime
from conference.realtime.schemas import (
    ChatAck,
    ChatDeleted,
    ChatEdited,
    ChatHistory,
    ChatMessageEvent,
    ChatMuted,
    MuteAck,
)

router = APIRouter(prefix="/api/v1/realtime", tags=["realtime"])

# Ids are database integers: anything larger is refused as input, not a database error.
MessageId = DbId


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SendData(_Data):
    # The exact limit (after stripping) is checked by the service; the frame cap bounds it.
    body: Annotated[str, Field(max_length=MAX_CLIENT_FRAME)]


class EditData(SendData):
    message_id: MessageId


class DeleteData(_Data):
    message_id: MessageId


class MuteData(_Data):
    user_id: MessageId
    minutes: Annotated[int, Field(ge=1, le=service.MAX_MUTE_MINUTES)]


async def _moderates(action: ActionContext, guid: str) -> bool:
    session = await published_session(action.app, action.db, guid)
    # The gateway only lets subscribers of a published session's channel act on it, but
    # the program may have been republished without it since they subscribed.
    if session is None:
        raise NotFound("This session is no longer in the published program.")
    return await is_moderator(action.app, action.db, action.user, session)


async def send_action(action: ActionContext) -> ChatAck:
    service.session_guid(action.message.channel)
    data = service.parse(SendData, action.message.data)
    channel = str(action.message.channel)
    event = await service.send(action.db, channel=channel, user=action.user, body=data.body)
    await commit_and_publish(action.db, action.hub, [event])
    return ChatAck(message_id=event.data["message_id"], event_id=event.id)


async def edit_action(action: ActionContext) -> ChatAck:
    service.session_guid(action.message.channel)
    data = service.parse(EditData, action.message.data)
    event = await service.edit(
        action.db,
        channel=str(action.message.channel),
        user=action.user,
        message_id=data.message_id,
        body=data.body,
    )
    await commit_and_publish(action.db, action.hub, [event])
    return ChatAck(message_id=data.message_id, event_id=event.id)


async def delete_action(action: ActionContext) -> ChatAck:
    guid = service.session_guid(action.message.channel)
    data = service.parse(DeleteData, action.message.data)
    event = await service.delete(
        action.db,
        channel=str(action.message.channel),
        user=action.user,
        message_id=data.message_id,
        moderator=await _moderates(action, guid),
    )
    await commit_and_publish(action.db, action.hub, [event])
    return ChatAck(message_id=data.message_id, event_id=event.id)


async def mute_action(action: ActionContext) -> MuteAck:
    guid = service.session_guid(action.message.channel)
    data = service.parse(MuteData, action.message.data)
    if not await _moderates(action, guid):
        raise Forbidden("Only the session's moderators can mute someone.")
    entry = await service.mute(
        action.db,
        channel=str(action.message.channel),
        by=action.user,
        user_id=data.user_id,
        minutes=data.minutes,
    )
    await action.db.commit()
    # Ephemeral: the mute itself is durable in chat_mutes, the notice need not be replayed.
    await action.hub.publish(f"user:{entry.user_id}", service.muted_frame(entry))
    return MuteAck(user_id=entry.user_id, until=entry.until)


def register(realtime: Realtime) -> None:
    """Add this feature's client actions and the events they send to the gateway."""
    realtime.action("chat.send", send_action, limit="chat", ack=ChatAck)
    realtime.action("chat.edit", edit_action, limit="chat", ack=ChatAck)
    # Deleting is how moderators clear a flood, so it must not share the tight chat bucket.
    realtime.action("chat.delete", delete_action, limit="moderate", ack=ChatAck)
    realtime.action("chat.mute", mute_action, limit="moderate", ack=MuteAck)
    realtime.event("chat.message", ChatMessageEvent, channel="session", durable=True)
    realtime.event("chat.edited", ChatEdited, channel="session", durable=True)
    realtime.event("chat.deleted", ChatDeleted, channel="session", durable=True)
    realtime.event("chat.muted", ChatMuted, channel="user", durable=False)


@router.get("/sessions/{guid}/chat", response_model=ChatHistory)
async def chat_history(
    guid: str,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_HISTORY_PAGE)] = service.HISTORY_PAGE,
) -> ChatHistory:
    """A page of a session's chat, oldest first, and the event id to subscribe ``since``."""
    if await published_session(ctx, db, guid) is None:
        raise NotFound("There is no such session in the published program.")
    channel = f"session:{guid}"
    # Read the event id before the messages: anything written in between is then replayed
    # by the subscribe (the client de-duplicates by message_id), never lost.
    last_event_id = await events.last_id(db, channel=channel)
    messages, more = await service.history(db, channel=channel, before=before, limit=limit)
    return ChatHistory(
        messages=[service.message_history_data(m) for m in messages],
        last_event_id=last_event_id,
        more=more,
    )
