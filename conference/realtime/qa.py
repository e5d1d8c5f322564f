"""Moderated Q&A: ask (optionally anonymous), upvote once, moderator queue.

The /ws actions (``qa.ask``, ``qa.vote``, ``qa.moderate``) and the question list route;
the rules live in :mod:`conference.realtime.qa_service`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from conference.deps import Context, CurrentUser, DbSession
from conference.errors import Forbidden, NotFound
from conference.limits import DbId
from conference.realtime import events
from conference.realtime import qa_service as service
from conference.realtime.channels import is_moderator, published_session
from conference.realtime.chat_service import parse, session_guid
from conference.realtime.durable import commit_and_publish
from conference.realtime.protocol import MAX_CLIENT_FRAME
from conference.realtime.registry import ActionContext, Realtime
from conference.realtime.schemas import QuestionEvent, QuestionList, QuestionRemoved, QuestionVotes

router = APIRouter(prefix="/api/v1/realtime", tags=["realtime"])

QuestionId = DbId


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskData(_Data):
    # The exact limit (after stripping) is checked by the service; the frame cap bounds it.
    body: Annotated[str, Field(max_length=MAX_CLIENT_FRAME)]
    anonymous: bool = False


class VoteData(_Data):
    question_id: QuestionId


class ModerateData(_Data):
    question_id: QuestionId
    action: service.ModerateAction


async def ask_action(action: ActionContext) -> QuestionEvent:
    guid = session_guid(action.message.channel)
    data = parse(AskData, action.message.data)
    question, event = await service.ask(
        action.db, guid=guid, user=action.user, body=data.body, anonymous=data.anonymous
    )
    await commit_and_publish(action.db, action.hub, [event])
    # The asker sees their own question (with their name) in the ack: it is not on the
    # session channel until a moderator approves it.
    return QuestionEvent(question=service.question_data(question, moderator=True))


async def vote_action(action: ActionContext) -> QuestionVotes:
    guid = session_guid(action.message.channel)
    data = parse(VoteData, action.message.data)
    votes, event = await service.vote(
        action.db, guid=guid, user=action.user, question_id=data.question_id
    )
    await commit_and_publish(action.db, action.hub, [event])
    return QuestionVotes(question_id=data.question_id, votes=votes)


async def moderate_action(action: ActionContext) -> QuestionEvent:
    guid = session_guid(action.message.channel)
    data = parse(ModerateData, action.message.data)
    session = await published_session(action.app, action.db, guid)
    if session is None:
        raise NotFound("This session is no longer in the published program.")
    if not await is_moderator(action.app, action.db, action.user, session):
        raise Forbidden("Only the session's moderators can moderate questions.")
    question, stored = await service.moderate(
        action.db, guid=guid, question_id=data.question_id, action=data.action
    )
    await commit_and_publish(action.db, action.hub, stored)
    return QuestionEvent(question=service.question_data(question, moderator=True))


def register(realtime: Realtime) -> None:
    """Add this feature's client actions and the events they send to the gateway."""
    realtime.action("qa.ask", ask_action, limit="question", ack=QuestionEvent)
    realtime.action("qa.vote", vote_action, limit="vote", ack=QuestionVotes)
    realtime.action("qa.moderate", moderate_action, limit="moderate", ack=QuestionEvent)
    realtime.event("qa.pending", QuestionEvent, channel="moderation", durable=True)
    realtime.event("qa.question", QuestionEvent, channel="session, moderation", durable=True)
    realtime.event("qa.removed", QuestionRemoved, channel="session, moderation", durable=True)
    realtime.event("qa.votes", QuestionVotes, channel="session", durable=True)


@router.get("/sessions/{guid}/questions", response_model=QuestionList)
async def question_list(
    guid: str,
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    queue: Annotated[bool, Query()] = False,
) -> QuestionList:
    """Approved and answered questions, pinned first then by votes; ``queue=1`` adds the
    pending ones for the session's moderators."""
    session = await published_session(ctx, db, guid)
    if session is None:
        raise NotFound("There is no such session in the published program.")
    moderator = await is_moderator(ctx, db, user, session)
    if queue and not moderator:
        raise Forbidden("Only the session's moderators can see the question queue.")
    # Event ids first: whatever changes while the questions are read is then replayed.
    last_event_id = await events.last_id(db, channel=service.session_channel(guid))
    moderation_last = (
        await events.last_id(db, channel=service.moderation_channel(guid)) if queue else None
    )
    questions = await service.listing(db, guid=guid, queue=queue)
    voted = await service.voted_ids(db, user=user, question_ids=[q.id for q in questions])
    return QuestionList(
        # Moderators see who asked only in the queue view, as on the moderation channel.
        questions=[service.question_data(q, moderator=queue) for q in questions],
        last_event_id=last_event_id,
        moderation_last_event_id=moderation_last,
        voted=sorted(voted),
    )
