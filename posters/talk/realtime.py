"""A poster's comments over /ws: the ``poster.comment`` and ``poster.comment.remove``
actions, and the events of the ``poster:<id>`` channel (registered from
``posters.channels``). The rules are in :mod:`posters.talk.comments` and :mod:`posters.talk.votes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference.realtime.chat_service import parse
from conference.realtime.durable import commit_and_publish
from conference.realtime.registry import ActionContext
from posters import service
from posters.models import Poster
from posters.talk import comments
from posters.talk.schemas import (
    CommentAck,
    CommentData,
    PosterCommentEvent,
    PosterCommentRemoved,
    PosterVotes,
    RemoveData,
)

if TYPE_CHECKING:
    from conference.realtime.registry import Realtime


async def _poster(action: ActionContext) -> Poster:
    return await service.channel_poster(
        action.db, channel=action.message.channel, viewer=action.user
    )


async def comment_action(action: ActionContext) -> CommentAck:
    data = parse(CommentData, action.message.data)
    poster = await _poster(action)
    comment, event = await comments.add(
        action.db, poster=poster, user=action.user, body=data.body, limiter=None
    )
    await commit_and_publish(action.db, action.hub, [event])
    return CommentAck(comment_id=comment.id, event_id=event.id)


async def remove_action(action: ActionContext) -> CommentAck:
    data = parse(RemoveData, action.message.data)
    poster = await _poster(action)
    event = await comments.remove(
        action.db, poster=poster, comment_id=data.comment_id, user=action.user
    )
    await commit_and_publish(action.db, action.hub, [event])
    return CommentAck(comment_id=data.comment_id, event_id=event.id)


def register(realtime: Realtime) -> None:
    """The poster channel's actions and events."""
    realtime.action("poster.comment", comment_action, limit="chat", ack=CommentAck)
    # Removing is how a presenter or organizer clears a flood: not the tight chat bucket.
    realtime.action("poster.comment.remove", remove_action, limit="moderate", ack=CommentAck)
    realtime.event("poster.comment", PosterCommentEvent, channel="poster", durable=True)
    realtime.event("poster.comment_removed", PosterCommentRemoved, channel="poster", durable=True)
    realtime.event("poster.votes", PosterVotes, channel="poster", durable=False)
