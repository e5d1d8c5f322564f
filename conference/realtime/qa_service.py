"""Moderated Q&A, the service layer: shared by the /ws actions and the phone page's forms.

A question starts ``pending`` and is seen only on ``moderation:<guid>``; once approved it
goes to ``session:<guid>`` too. An anonymous question carries no author on the session
channel, while moderators keep seeing who asked (on the moderation channel).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.errors import AlreadyVoted, Conflict, NotFound, NotOpen
from conference.realtime import events, privacy
from conference.realtime.chat_service import clean_text
from conference.realtime.models import ChannelEvent, Question, QuestionStatus, QuestionVote
from conference.realtime.schemas import (
    Author,
    QuestionEvent,
    QuestionRemoved,
    QuestionView,
    QuestionVotes,
)

MAX_BODY = 1_000
# What attendees see; pending and dismissed questions stay with the moderators.
VISIBLE = (QuestionStatus.approved.value, QuestionStatus.answered.value)

ModerateAction = Literal["approve", "pin", "unpin", "answer", "dismiss"]


def session_channel(guid: str) -> str:
    return f"session:{guid}"


def moderation_channel(guid: str) -> str:
    return f"moderation:{guid}"


def question_data(question: Question, *, moderator: bool) -> QuestionView:
    """A question for attendees or for moderators (who see who asked an anonymous one)."""
    hidden = question.anonymous and not moderator
    author = None if hidden else Author(id=question.user_id, name=question.author_name)
    return QuestionView(
        question_id=question.id,
        body=question.body,
        author=author,
        status=question.status,
        pinned=question.pinned,
        votes=question.votes,
        created_at=question.created_at,
    )


async def ask(
    db: AsyncSession, *, guid: str, user: User, body: str, anonymous: bool
) -> tuple[Question, ChannelEvent]:
    """Store a pending question; its event goes to the moderators only."""
    text = clean_text(body, limit=MAX_BODY, what="Question")
    question = Question(
        channel=session_channel(guid),
        user_id=user.id,
        author_name=user.name,
        anonymous=anonymous,
        body=text,
        status=QuestionStatus.pending.value,
        pinned=False,
        votes=0,
    )
    db.add(question)
    await db.flush()
    event = await events.record(
        db,
        channel=moderation_channel(guid),
        type="qa.pending",
        data=QuestionEvent(question=question_data(question, moderator=True)),
    )
    return question, event


async def _question(db: AsyncSession, *, guid: str, question_id: int) -> Question:
    question = await db.get(Question, question_id)
    # A question of another session is as unknown here as one that never existed.
    if question is None or question.channel != session_channel(guid):
        raise NotFound("There is no such question in this session.")
    return question


async def vote(
    db: AsyncSession, *, guid: str, user: User, question_id: int
) -> tuple[int, ChannelEvent]:
    """One upvote per user on an approved question; returns the new count and its event."""
    question = await _question(db, guid=guid, question_id=question_id)
    if question.status != QuestionStatus.approved.value:
        raise NotOpen("Only approved, unanswered questions can be upvoted.")
    existing = await db.scalar(
        select(QuestionVote.id).where(
            QuestionVote.question_id == question.id, QuestionVote.user_id == user.id
        )
    )
    if existing is not None:
        raise AlreadyVoted("You have already upvoted this question.")
    try:
        # The savepoint keeps the transaction usable if a concurrent vote of the same user
        # wins the race to the unique constraint.
        async with db.begin_nested():
            db.add(QuestionVote(question_id=question.id, user_id=user.id))
            await db.flush()
    except IntegrityError as exc:
        raise AlreadyVoted("You have already upvoted this question.") from exc
    # An atomic increment in the database: concurrent voters never overwrite each other's
    # count (a read-modify-write in Python would lose votes).
    await db.execute(
        update(Question)
        .where(Question.id == question.id)
        .values(votes=Question.votes + 1)
        .execution_options(synchronize_session=False)
    )
    votes = int(await db.scalar(select(Question.votes).where(Question.id == question.id)) or 0)
    event = await events.record(
        db,
        channel=session_channel(guid),
        type="qa.votes",
        data=QuestionVotes(question_id=question.id, votes=votes),
    )
    return votes, event


async def moderate(
    db: AsyncSession, *, guid: str, question_id: int, action: ModerateAction
) -> tuple[Question, list[ChannelEvent]]:
    """Apply a moderator's decision (the caller checked they moderate the session)."""
    question = await _question(db, guid=guid, question_id=question_id)
    status = question.status
    if status == QuestionStatus.dismissed.value:
        raise Conflict("This question has been dismissed.")
    if action == "approve":
        if status != QuestionStatus.pending.value:
            raise Conflict("This question is already approved.")
        question.status = QuestionStatus.approved.value
    elif action in ("pin", "unpin"):
        if status == QuestionStatus.pending.value:
            raise Conflict("Approve the question before pinning it.")
        question.pinned = action == "pin"
    elif action == "answer":
        if status == QuestionStatus.answered.value:
            raise Conflict("This question is already marked answered.")
        question.status = QuestionStatus.answered.value
        # A pin marks the question being taken now; once answered it makes way.
        question.pinned = False
    else:
        question.status = QuestionStatus.dismissed.value
        question.pinned = False
    await db.flush()
    stored: list[ChannelEvent] = []
    if action == "dismiss":
        # Dismissed questions leave every list, so replay must not show them either.
        await privacy.remove_question_events(db, question=question)
        for channel in (session_channel(guid), moderation_channel(guid)):
            stored.append(
                await events.record(
                    db,
                    channel=channel,
                    type="qa.removed",
                    data=QuestionRemoved(question_id=question.id),
                )
            )
    else:
        for channel, moderator in (
            (session_channel(guid), False),
            (moderation_channel(guid), True),
        ):
            data = QuestionEvent(question=question_data(question, moderator=moderator))
            stored.append(await events.record(db, channel=channel, type="qa.question", data=data))
    return question, stored


async def listing(db: AsyncSession, *, guid: str, queue: bool) -> Sequence[Question]:
    """Visible questions (with the pending queue for moderators): pinned, then by votes."""
    statuses = (*VISIBLE, QuestionStatus.pending.value) if queue else VISIBLE
    return (
        await db.scalars(
            select(Question)
            .where(Question.channel == session_channel(guid), Question.status.in_(statuses))
            .order_by(Question.pinned.desc(), Question.votes.desc(), Question.id)
        )
    ).all()


async def voted_ids(db: AsyncSession, *, user: User, question_ids: Sequence[int]) -> set[int]:
    """Which of ``question_ids`` ``user`` has upvoted (for the vote buttons)."""
    if not question_ids:
        return set()
    return set(
        (
            await db.scalars(
                select(QuestionVote.question_id).where(
                    QuestionVote.user_id == user.id, QuestionVote.question_id.in_(question_ids)
                )
            )
        ).all()
    )
