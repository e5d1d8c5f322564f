"""Comments on a poster: written, listed, removed; each change a durable ``poster:<id>``
event, stored with it and published once committed (``commit_and_publish``).

Rules: comments are plain text (1 to :data:`MAX_BODY` characters, no control
characters) on published posters, by anyone who may see the poster, rate limited like
chat. A comment is removed by its author, the poster's presenter (who looks after their
own board) or an organizer; removing erases its text, and the stored events that showed
it are dropped, so a client replaying with ``since`` never gets it back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import Forbidden, NotFound, NotOpen
from conference.realtime import events
from conference.realtime.chat_service import clean_text
from conference.realtime.models import ChannelEvent
from conference.realtime.ratelimit import RateLimiter
from conference.realtime.schemas import Author
from posters import service
from posters.models import Poster, PosterState
from posters.talk.models import PosterComment
from posters.talk.schemas import (
    MAX_COMMENT,
    CommentOut,
    CommentsOut,
    PosterCommentEvent,
    PosterCommentRemoved,
)

MAX_BODY = MAX_COMMENT
# The chat bucket of the core's limiter (5 at once, then 1 a second): a comment is a chat
# line that stays, and the socket and the form share one bucket per user.
RATE_BUCKET = "chat"
# Shown on the page at first load; older ones are few on a poster, and a page that
# needs them has the JSON API's full list.
PAGE = 200


def channel_of(poster_id: int) -> str:
    return f"poster:{poster_id}"


def may_remove(poster: Poster, comment: PosterComment, user: User) -> bool:
    """The author, the poster's presenter and organizers may remove a comment."""
    return (
        comment.user_id == user.id
        or service.is_presenter(poster, user)
        or service.is_organizer(user)
    )


async def _bump(db: AsyncSession, poster: Poster, by: int) -> int:
    """Change the poster's comment count in this transaction; the new count."""
    await db.execute(
        update(Poster)
        .where(Poster.id == poster.id)
        .values(
            comment_count=Poster.comment_count + by,
            active_at=utcnow(),
            # Kept: its onupdate would say the poster was edited.
            updated_at=Poster.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    count = await db.scalar(select(Poster.comment_count).where(Poster.id == poster.id))
    # Not a change to flush: the row already holds it (and updated_at must not move).
    set_committed_value(poster, "comment_count", int(count or 0))
    return poster.comment_count


async def add(
    db: AsyncSession, *, poster: Poster, user: User, body: str, limiter: RateLimiter | None
) -> tuple[PosterComment, ChannelEvent]:
    """Store a comment by ``user`` on a poster they may see; its ``poster.comment`` event.

    ``limiter``: the core's, for the HTTP routes; None where the gateway already took the
    token (a /ws action's ``limit``).
    """
    text = clean_text(body, limit=MAX_BODY, what="Comment")
    if poster.state != PosterState.published:
        raise NotOpen("Comments open when the poster is published.")
    if limiter is not None:
        limiter.enforce(user.id, RATE_BUCKET, doing="commenting")
    comment = PosterComment(poster_id=poster.id, user_id=user.id, author_name=user.name, body=text)
    db.add(comment)
    await db.flush()
    count = await _bump(db, poster, 1)
    data = PosterCommentEvent(
        comment_id=comment.id,
        author=Author(id=user.id, name=comment.author_name),
        body=text,
        created_at=comment.created_at,
        comment_count=count,
    )
    event = await events.record(db, channel=channel_of(poster.id), type="poster.comment", data=data)
    return comment, event


async def _drop_events(db: AsyncSession, comment: PosterComment) -> None:
    """Replay must never bring a removed comment back: delete the events that showed it."""
    await db.execute(
        delete(ChannelEvent)
        .where(
            ChannelEvent.channel == channel_of(comment.poster_id),
            ChannelEvent.type == "poster.comment",
            ChannelEvent.data["comment_id"].as_integer() == comment.id,
        )
        .execution_options(synchronize_session=False)
    )


async def erase(
    db: AsyncSession, *, poster: Poster, comment: PosterComment, by: User | None
) -> ChannelEvent:
    """Remove a visible comment (the caller checked who may): text and events go."""
    comment.removed_at = utcnow()
    comment.removed_by_id = by.id if by is not None else None
    comment.body = ""
    await db.flush()
    await _drop_events(db, comment)
    count = await _bump(db, poster, -1)
    data = PosterCommentRemoved(comment_id=comment.id, comment_count=count)
    return await events.record(
        db, channel=channel_of(poster.id), type="poster.comment_removed", data=data
    )


async def remove(db: AsyncSession, *, poster: Poster, comment_id: int, user: User) -> ChannelEvent:
    """Remove a comment of ``poster`` if ``user`` may (403 otherwise, 404 if unknown)."""
    comment = await db.get(PosterComment, comment_id)
    # One of another poster, or already removed, is as unknown here as one never written.
    if comment is None or comment.poster_id != poster.id or comment.removed_at is not None:
        raise NotFound("There is no such comment on this poster.")
    if not may_remove(poster, comment, user):
        raise Forbidden("Only the comment's author, the presenter and organizers remove it.")
    return await erase(db, poster=poster, comment=comment, by=user)


async def visible(db: AsyncSession, *, poster_id: int) -> Sequence[PosterComment]:
    """The poster's newest :data:`PAGE` visible comments, oldest first."""
    rows = await db.scalars(
        select(PosterComment)
        .where(PosterComment.poster_id == poster_id, PosterComment.removed_at.is_(None))
        .order_by(PosterComment.id.desc())
        .limit(PAGE)
    )
    return list(reversed(rows.all()))


async def snapshot(db: AsyncSession, *, poster: Poster, viewer: User) -> CommentsOut:
    """What a page shows first: the comments and the id to subscribe ``since``."""
    # The event id first: a comment written in between is replayed (the page
    # de-duplicates by comment_id), never lost.
    last_event_id = await events.last_id(db, channel=channel_of(poster.id))
    found = await visible(db, poster_id=poster.id)
    return CommentsOut(
        comments=[
            CommentOut(
                comment_id=c.id,
                author=Author(id=c.user_id, name=c.author_name),
                body=c.body,
                created_at=c.created_at,
                may_remove=may_remove(poster, c, viewer),
            )
            for c in found
        ],
        comment_count=poster.comment_count,
        last_event_id=last_event_id,
    )
