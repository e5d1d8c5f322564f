"""What the durable event log may keep, and what a user's realtime data is.

The event log is replayed to any subscriber with ``since``: it must never hand back text
that current state hides. So every change that hides text rewrites the stored events
that carried it (they keep their ids and types, not the text):

- an edited chat message: its earlier events carry the current body only;
- a deleted chat message: its events carry no body;
- a dismissed question: its events (pending, approved, pinned...) are removed;
- a deleted account: its chat messages are deleted and shown as by "Deleted account",
  its questions are dismissed and emptied, its question and poll votes go (cascade) while
  the tallies stay, and every event naming the user is rewritten the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.realtime import events
from conference.realtime.models import (
    ChannelEvent,
    ChatMessage,
    Poll,
    PollOption,
    PollVote,
    Question,
    QuestionStatus,
    QuestionVote,
)
from conference.realtime.schemas import (
    Author,
    ChatDeleted,
    ChatEdited,
    ChatMessageEvent,
    Payload,
    QuestionRemoved,
)

# Who a deleted account's chat messages and questions are shown as.
DELETED_AUTHOR = "Deleted account"

_CHAT_TYPES = ("chat.message", "chat.edited")
_QUESTION_TYPES = ("qa.pending", "qa.question")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def _chat_events(db: AsyncSession, *, channel: str, message_id: int) -> list[ChannelEvent]:
    return list(
        (
            await db.scalars(
                select(ChannelEvent).where(
                    ChannelEvent.channel == channel,
                    ChannelEvent.type.in_(_CHAT_TYPES),
                    ChannelEvent.data["message_id"].as_integer() == message_id,
                )
            )
        ).all()
    )


async def rewrite_chat_events(db: AsyncSession, *, message: ChatMessage) -> None:
    """Make the stored events of ``message`` say only what its history entry says."""
    deleted = message.deleted_at is not None
    change: dict[str, Any] = {"body": None if deleted else message.body}
    for event in await _chat_events(db, channel=message.channel, message_id=message.id):
        stored: Payload
        if event.type == "chat.message":
            stored = ChatMessageEvent.model_validate(event.data)
            author = Author(id=message.user_id, name=message.author_name)
            extra: dict[str, Any] = {"deleted": True} if deleted else {}
            stored = stored.model_copy(update={**change, "author": author, **extra})
        else:
            stored = ChatEdited.model_validate(event.data).model_copy(update=change)
        # A new dict, so the ORM sees the change (JSON columns are not mutation-tracked).
        event.data = stored.wire()
    await db.flush()


async def remove_question_events(db: AsyncSession, *, question: Question) -> None:
    """Drop the events that showed ``question`` (its ``qa.removed`` and vote counts stay)."""
    guid = question.channel.partition(":")[2]
    stored = await db.scalars(
        select(ChannelEvent).where(
            ChannelEvent.channel.in_((f"session:{guid}", f"moderation:{guid}")),
            ChannelEvent.type.in_(_QUESTION_TYPES),
            ChannelEvent.data[("question", "question_id")].as_integer() == question.id,
        )
    )
    for event in stored.all():
        await db.delete(event)
    await db.flush()


async def erase_user(db: AsyncSession, user: User) -> list[ChannelEvent]:
    """Anonymise ``user``'s chat and questions before the account row goes.

    Returns the events to publish once committed (``chat.deleted``, ``qa.removed``), so
    open pages drop the texts at once.
    """
    now = utcnow()
    published: list[ChannelEvent] = []
    messages = await db.scalars(select(ChatMessage).where(ChatMessage.user_id == user.id))
    for message in messages.all():
        was_visible = message.deleted_at is None
        message.body = ""
        message.author_name = DELETED_AUTHOR
        message.user_id = None
        if was_visible:
            message.deleted_at = now
            message.deleted_by_id = None
        await db.flush()
        await rewrite_chat_events(db, message=message)
        if was_visible:
            published.append(
                await events.record(
                    db,
                    channel=message.channel,
                    type="chat.deleted",
                    data=ChatDeleted(message_id=message.id, by_moderator=False),
                )
            )
    questions = await db.scalars(select(Question).where(Question.user_id == user.id))
    for question in questions.all():
        was_dismissed = question.status == QuestionStatus.dismissed.value
        question.body = ""
        question.author_name = DELETED_AUTHOR
        question.user_id = None
        question.status = QuestionStatus.dismissed.value
        question.pinned = False
        await db.flush()
        await remove_question_events(db, question=question)
        if not was_dismissed:
            guid = question.channel.partition(":")[2]
            for channel in (f"session:{guid}", f"moderation:{guid}"):
                published.append(
                    await events.record(
                        db,
                        channel=channel,
                        type="qa.removed",
                        data=QuestionRemoved(question_id=question.id),
                    )
                )
    return published


async def export_user(db: AsyncSession, user: User) -> dict[str, Any]:
    """Everything realtime holds about ``user``: chat, questions, votes, poll answers."""
    messages = await db.scalars(
        select(ChatMessage).where(ChatMessage.user_id == user.id).order_by(ChatMessage.id)
    )
    questions = await db.scalars(
        select(Question).where(Question.user_id == user.id).order_by(Question.id)
    )
    question_votes = await db.execute(
        select(QuestionVote.question_id, Question.channel, QuestionVote.created_at)
        .join(Question, Question.id == QuestionVote.question_id)
        .where(QuestionVote.user_id == user.id)
        .order_by(QuestionVote.id)
    )
    poll_votes = await db.execute(
        select(Poll.id, Poll.channel, Poll.question, PollOption.label, PollVote.created_at)
        .join(Poll, Poll.id == PollVote.poll_id)
        .join(PollOption, PollOption.id == PollVote.option_id)
        .where(PollVote.user_id == user.id)
        .order_by(PollVote.id)
    )
    return {
        "chat_messages": [
            {
                "message_id": m.id,
                "channel": m.channel,
                "author_name": m.author_name,
                "body": None if m.deleted_at is not None else m.body,
                "created_at": _iso(m.created_at),
                "edited_at": _iso(m.edited_at),
                "deleted_at": _iso(m.deleted_at),
            }
            for m in messages
        ],
        "questions": [
            {
                "question_id": q.id,
                "channel": q.channel,
                "author_name": q.author_name,
                "anonymous": q.anonymous,
                "body": q.body,
                "status": q.status,
                "created_at": _iso(q.created_at),
            }
            for q in questions
        ],
        "question_votes": [
            {"question_id": qid, "channel": channel, "created_at": _iso(at)}
            for qid, channel, at in question_votes
        ],
        "poll_answers": [
            {
                "poll_id": pid,
                "channel": channel,
                "question": text,
                "option": label,
                "created_at": _iso(at),
            }
            for pid, channel, text, label, at in poll_votes
        ],
    }
