"""A user's comments, vote and relayed messages in "export my data", and what deleting
their account does to them.

On deletion their visible comments are removed (text erased, events dropped from the
replay log, a ``poster.comment_removed`` published so open pages drop them) and shown as
by "Deleted account"; their vote is withdrawn with the poster's count lowered; the record
of messages they had relayed goes with the account (cascade). Views were never linked to
them (``posters.talk.stats``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.realtime.models import ChannelEvent
from conference.realtime.privacy import DELETED_AUTHOR
from posters.models import Poster
from posters.talk import comments, votes
from posters.talk.models import PosterComment, PosterContact, PosterVote


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def export_user(db: AsyncSession, user: User) -> dict[str, Any]:
    """Everything the poster gallery's talk holds about ``user``."""
    written = await db.scalars(
        select(PosterComment).where(PosterComment.user_id == user.id).order_by(PosterComment.id)
    )
    vote_rows = await db.execute(
        select(PosterVote.meeting_id, PosterVote.poster_id, PosterVote.created_at)
        .where(PosterVote.user_id == user.id)
        .order_by(PosterVote.id)
    )
    contacts = await db.execute(
        select(PosterContact.poster_id, PosterContact.created_at)
        .where(PosterContact.sender_id == user.id)
        .order_by(PosterContact.id)
    )
    return {
        "poster_comments": [
            {
                "comment_id": c.id,
                "poster_id": c.poster_id,
                "author_name": c.author_name,
                "body": None if c.removed_at is not None else c.body,
                "created_at": _iso(c.created_at),
                "removed_at": _iso(c.removed_at),
            }
            for c in written
        ],
        "poster_votes": [
            {"meeting_id": meeting_id, "poster_id": poster_id, "created_at": _iso(at)}
            for meeting_id, poster_id, at in vote_rows
        ],
        "poster_messages_relayed": [
            {"poster_id": poster_id, "created_at": _iso(at)} for poster_id, at in contacts
        ],
    }


async def erase_user(db: AsyncSession, user: User) -> Sequence[ChannelEvent]:
    """Remove ``user``'s comments and withdraw their votes (in the deletion's transaction);
    the events to publish once it commits."""
    published: list[ChannelEvent] = []
    written = await db.scalars(select(PosterComment).where(PosterComment.user_id == user.id))
    for comment in written.all():
        comment.author_name = DELETED_AUTHOR
        comment.user_id = None
        if comment.removed_at is None:
            poster = await db.get(Poster, comment.poster_id)
            assert poster is not None  # the comment's row cascades with the poster's
            published.append(await comments.erase(db, poster=poster, comment=comment, by=None))
        await db.flush()
    meetings = await db.scalars(select(PosterVote.meeting_id).where(PosterVote.user_id == user.id))
    for meeting_id in meetings.all():
        await votes.withdraw(db, meeting_id=meeting_id, user=user)
    return published
