"""Polls: chairs and organizers create, open and close them; results live.

Client actions on ``session:<guid>`` (docs/PROTOCOL.md): ``poll.create`` (a draft, told to
the moderation channel), ``poll.open`` / ``poll.close`` (durable ``poll.opened`` /
``poll.closed`` with results), ``poll.vote`` (once per user; ``poll.results`` at most once
a second). ``GET /api/v1/realtime/sessions/{guid}/polls`` lists them for a page load.
"""

from __future__ import annotations

from fastapi import APIRouter

from conference.deps import Context, CurrentUser, DbSession
from conference.errors import Forbidden, InvalidInput, NotFound
from conference.program.published.program import SessionView
from conference.realtime import events
from conference.realtime import polls_service as service
from conference.realtime.channels import is_moderator, published_session
from conference.realtime.durable import commit_and_publish
from conference.realtime.models import PollStatus
from conference.realtime.protocol import channel_kind
from conference.realtime.registry import ActionContext, Realtime
from conference.realtime.schemas import PollEvent, PollList, PollResults, PollVoteAck

router = APIRouter(tags=["realtime"])


async def _session(action: ActionContext) -> tuple[str, SessionView]:
    """The action's ``session:<guid>`` channel and its published session."""
    channel = action.message.channel
    kind, guid = channel_kind(channel or "")
    if channel is None or kind != "session":
        raise InvalidInput("Polls live on a session channel (session:<guid>).")
    session = await published_session(action.app, action.db, guid)
    if session is None:
        raise NotFound("There is no such session in the published program.")
    return channel, session


async def _moderated(action: ActionContext) -> tuple[str, str]:
    """The channel and session guid, if the user moderates the session."""
    channel, session = await _session(action)
    if not await is_moderator(action.app, action.db, action.user, session):
        raise Forbidden("Only the session's chairs and the organizers run polls.")
    return channel, session.guid


async def create(action: ActionContext) -> PollEvent:
    data = service.parse(service.PollCreate, action.message.data)
    channel, guid = await _moderated(action)
    poll = await service.create_poll(action.db, channel=channel, user=action.user, data=data)
    payload = PollEvent(poll=service.poll_view(poll))
    event = await events.record(
        action.db, channel=f"moderation:{guid}", type="poll.draft", data=payload
    )
    await commit_and_publish(action.db, action.hub, [event])
    return payload


async def _transition(action: ActionContext, status: PollStatus) -> PollEvent:
    ref = service.parse(service.PollRef, action.message.data)
    channel, _ = await _moderated(action)
    poll = await service.set_status(action.db, channel=channel, poll_id=ref.poll_id, status=status)
    payload = PollEvent(poll=service.poll_view(poll))
    kind = "poll.opened" if status is PollStatus.open else "poll.closed"
    event = await events.record(action.db, channel=channel, type=kind, data=payload)
    await commit_and_publish(action.db, action.hub, [event])
    return payload


async def open_poll(action: ActionContext) -> PollEvent:
    return await _transition(action, PollStatus.open)


async def close_poll(action: ActionContext) -> PollEvent:
    return await _transition(action, PollStatus.closed)


async def vote(action: ActionContext) -> PollVoteAck:
    ballot = service.parse(service.PollBallot, action.message.data)
    channel, _ = await _session(action)
    await service.vote(
        action.db,
        channel=channel,
        poll_id=ballot.poll_id,
        user=action.user,
        option_ids=ballot.option_ids,
    )
    await action.db.commit()
    service.publisher(action.app).touch(ballot.poll_id, channel)
    return PollVoteAck(poll_id=ballot.poll_id, option_ids=sorted(set(ballot.option_ids)))


@router.get("/api/v1/realtime/sessions/{guid}/polls", response_model=PollList)
async def list_polls(guid: str, ctx: Context, db: DbSession, user: CurrentUser) -> PollList:
    """The session's open and closed polls with results (drafts too, for moderators);
    ``my_option_ids`` is what the caller chose."""
    session = await published_session(ctx, db, guid)
    if session is None:
        raise NotFound("There is no such session in the published program.")
    moderator = await is_moderator(ctx, db, user, session)
    polls = await service.session_polls(
        db, channel=f"session:{session.guid}", user=user, moderator=moderator
    )
    return PollList(polls=polls)


def register(realtime: Realtime) -> None:
    """Add this feature's client actions, the events they send and its results publisher."""
    realtime.add_part(service.ResultsPublisher())
    realtime.action("poll.create", create, limit="moderate", ack=PollEvent)
    realtime.action("poll.open", open_poll, limit="moderate", ack=PollEvent)
    realtime.action("poll.close", close_poll, limit="moderate", ack=PollEvent)
    realtime.action("poll.vote", vote, limit="vote", ack=PollVoteAck)
    realtime.event("poll.draft", PollEvent, channel="moderation", durable=True)
    realtime.event("poll.opened", PollEvent, channel="session", durable=True)
    realtime.event("poll.closed", PollEvent, channel="session", durable=True)
    realtime.event("poll.results", PollResults, channel="session", durable=False)
