"""A judge's data: their own scores in "export my data", and what account deletion does.

A judge's scores are the meeting's records (the ranking and the awards rest on them), so
deleting a judge's account anonymises rather than deletes them: the scored assignments
stay, without the person (``judge_id`` NULL, shown as "Deleted account"); assignments not
scored yet are dropped, since nobody is left to score them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.realtime.models import ChannelEvent
from posters.judging.models import CRITERIA, JudgeAssignment
from posters.models import Poster


async def export_user(db: AsyncSession, user: User) -> dict[str, Any]:
    """The posters this user judges (any meeting) and the scores they gave."""
    rows = await db.execute(
        select(JudgeAssignment, Poster)
        .join(Poster, Poster.id == JudgeAssignment.poster_id)
        .where(JudgeAssignment.judge_id == user.id)
        .order_by(JudgeAssignment.id)
    )
    return {
        "assignments": [
            {
                "poster_board": poster.board,
                "poster_title": poster.title,
                "assigned_at": a.assigned_at.isoformat(),
                "score": (
                    {
                        **{name: getattr(a, name) for name in CRITERIA},
                        "comment": a.comment,
                        "scored_at": a.scored_at.isoformat(),
                    }
                    if a.scored_at is not None
                    else None
                ),
            }
            for a, poster in rows
        ]
    }


async def erase_user(db: AsyncSession, user: User) -> Sequence[ChannelEvent]:
    """Anonymise the user's scores and drop their unscored assignments (in the account
    deletion's transaction); nothing to publish."""
    await db.execute(
        delete(JudgeAssignment).where(
            JudgeAssignment.judge_id == user.id, JudgeAssignment.scored_at.is_(None)
        )
    )
    await db.execute(
        update(JudgeAssignment).where(JudgeAssignment.judge_id == user.id).values(judge_id=None)
    )
    return []
