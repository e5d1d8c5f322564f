"""Session chat, the service layer: rules and storage, shared by /ws actions and HTTP.

Each write adds its row and its durable :class:`ChannelEvent` in the caller's transaction;
the caller then commits and publishes it (:func:`conference.realtime.durable.commit_and_publish`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference import limits
from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import Conflict, Forbidden, InvalidInput, Muted, NotFound, TooLong
from conference.realtime import events, privacy
from conference.realtime.models import ChannelEvent, ChatMessage, ChatMute
from conference.realtime.protocol import channel_kind, encode
from conference.realtime.schemas import (
    Author,
    ChatDeleted,
    ChatEdited,
    ChatHistoryMessage,
    ChatMessageEvent,
    ChatMuted,
)

MAX_BODY = 2_000
MAX_MUTE_MINUTES = 1_440
HISTORY_PAGE = 50
MAX_HISTORY_PAGE = 100


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: dict[str, Any]) -> M:
    """An action's ``data`` as ``model``; a bad field is an ``invalidinput`` refusal."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "data"
        raise InvalidInput(f"{where}: {first['msg']}", field=where) from exc


def clean_text(value: str, *, limit: int, what: str = "Message") -> str:
    """Plain text stripped of surrounding space, 1 to ``limit`` characters, no controls."""
    text = value.strip()
    if not text:
        raise InvalidInput(f"{what} is empty.", field="body")
    if len(text) > limit:
        raise TooLong(
            f"{what} is too long: {len(text)} characters, at most {limit:,}.", field="body"
        )
    if limits.CONTROL_CHARACTERS.search(text):
        raise InvalidInput(f"{what} contains control characters.", field="body")
    return text


def session_guid(channel: str | None) -> str:
    """The session guid of an action's channel, which must be ``session:<guid>``."""
    if channel is None:
        raise InvalidInput("Name the session channel, session:<guid>.", field="channel")
    kind, guid = channel_kind(channel)
    if kind != "session":
        raise InvalidInput("This action belongs on a session channel.", field="channel")
    return guid


def message_event_data(message: ChatMessage) -> ChatMessageEvent:
    """The ``chat.message`` data of a new message."""
    return ChatMessageEvent(
        message_id=message.id,
        author=Author(id=message.user_id, name=message.author_name),
        body=message.body,
        created_at=message.created_at,
    )


def message_history_data(message: ChatMessage) -> ChatHistoryMessage:
    """A message as history shows it: a deleted one keeps its place but not its body."""
    deleted = message.deleted_at is not None
    return ChatHistoryMessage(
        message_id=message.id,
        author=Author(id=message.user_id, name=message.author_name),
        body=None if deleted else message.body,
        created_at=message.created_at,
        edited_at=message.edited_at,
        deleted=deleted,
    )


async def active_mute(db: AsyncSession, *, channel: str, user_id: int) -> ChatMute | None:
    """The mute of ``user_id`` in ``channel`` that lasts longest, if one is still running."""
    mute: ChatMute | None = await db.scalar(
        select(ChatMute)
        .where(ChatMute.channel == channel, ChatMute.user_id == user_id, ChatMute.until > utcnow())
        .order_by(ChatMute.until.desc())
        .limit(1)
    )
    return mute


async def _refuse_if_muted(db: AsyncSession, *, channel: str, user: User) -> None:
    mute = await active_mute(db, channel=channel, user_id=user.id)
    if mute is not None:
        raise Muted(
            f"A moderator has muted you in this chat until {mute.until:%H:%M} UTC "
            f"({mute.until.isoformat()})."
        )


async def send(db: AsyncSession, *, channel: str, user: User, body: str) -> ChannelEvent:
    """Store a message from ``user``; refused while they are muted."""
    text = clean_text(body, limit=MAX_BODY)
    await _refuse_if_muted(db, channel=channel, user=user)
    message = ChatMessage(channel=channel, user_id=user.id, author_name=user.name, body=text)
    db.add(message)
    await db.flush()
    return await events.record(
        db, channel=channel, type="chat.message", data=message_event_data(message)
    )


async def _message(db: AsyncSession, *, channel: str, message_id: int) -> ChatMessage:
    message = await db.get(ChatMessage, message_id)
    # A message of another channel is as unknown here as one that never existed.
    if message is None or message.channel != channel:
        raise NotFound("There is no such message in this chat.")
    if message.deleted_at is not None:
        raise Conflict("This message has been deleted.")
    return message


async def edit(
    db: AsyncSession, *, channel: str, user: User, message_id: int, body: str
) -> ChannelEvent:
    """Change the text of one of ``user``'s own messages."""
    text = clean_text(body, limit=MAX_BODY)
    message = await _message(db, channel=channel, message_id=message_id)
    if message.user_id != user.id:
        raise Forbidden("You can only edit your own messages.")
    # Editing is speaking too: a muted user must not rewrite old lines instead.
    await _refuse_if_muted(db, channel=channel, user=user)
    message.body = text
    message.edited_at = utcnow()
    await db.flush()
    # Replay must not bring back the words the author replaced.
    await privacy.rewrite_chat_events(db, message=message)
    data = ChatEdited(message_id=message.id, body=text, edited_at=message.edited_at)
    return await events.record(db, channel=channel, type="chat.edited", data=data)


async def delete(
    db: AsyncSession, *, channel: str, user: User, message_id: int, moderator: bool
) -> ChannelEvent:
    """Soft-delete a message: its author may, and so may a moderator of the session."""
    message = await _message(db, channel=channel, message_id=message_id)
    own = message.user_id == user.id
    if not own and not moderator:
        raise Forbidden("You can only delete your own messages.")
    message.deleted_at = utcnow()
    message.deleted_by_id = user.id
    # Deleted means gone: neither the table nor the replayed log keeps the text.
    message.body = ""
    await db.flush()
    await privacy.rewrite_chat_events(db, message=message)
    data = ChatDeleted(message_id=message.id, by_moderator=not own)
    return await events.record(db, channel=channel, type="chat.deleted", data=data)


async def mute(db: AsyncSession, *, channel: str, by: User, user_id: int, minutes: int) -> ChatMute:
    """Mute ``user_id`` in ``channel`` for ``minutes`` (the caller checked ``by`` moderates)."""
    if not 1 <= minutes <= MAX_MUTE_MINUTES:
        raise InvalidInput(f"A mute lasts 1 to {MAX_MUTE_MINUTES} minutes.", field="minutes")
    if user_id == by.id:
        raise InvalidInput("You cannot mute yourself.", field="user_id")
    if await db.get(User, user_id) is None:
        raise NotFound("There is no such user.")
    entry = ChatMute(
        channel=channel,
        user_id=user_id,
        until=utcnow() + timedelta(minutes=minutes),
        muted_by_id=by.id,
    )
    db.add(entry)
    await db.flush()
    return entry


def muted_frame(entry: ChatMute) -> str:
    """The ephemeral notice sent to the muted user's private channel."""
    channel = f"user:{entry.user_id}"
    data = ChatMuted(channel=entry.channel, until=entry.until)
    return encode("chat.muted", channel=channel, data=data.wire())


async def history(
    db: AsyncSession, *, channel: str, before: int | None, limit: int
) -> tuple[Sequence[ChatMessage], bool]:
    """Up to ``limit`` messages older than ``before`` (newest page if None), oldest first."""
    query = select(ChatMessage).where(ChatMessage.channel == channel)
    if before is not None:
        query = query.where(ChatMessage.id < before)
    # One extra row says whether an older page exists without a second count query.
    rows = list((await db.scalars(query.order_by(ChatMessage.id.desc()).limit(limit + 1))).all())
    more = len(rows) > limit
    return list(reversed(rows[:limit])), more
