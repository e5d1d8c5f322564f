"""The presenter's statistics: views, unique viewers, votes and comments per day (UTC).

Counts only, never who. Opening a poster's page is one small write: the row of (poster,
day, viewer hash) is added or its view count raised. The viewer hash is an HMAC, under
the server's secret key, of the poster, the day and the user id: the same viewer counts
once a day, but the table cannot be read back into names, nor joined across posters or
days. The presenter's own views are not counted.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.db.types import utcnow
from conference.errors import Forbidden
from posters import service
from posters.models import Poster
from posters.talk.models import PosterComment, PosterView, PosterVote
from posters.talk.schemas import DayStats, PosterStatsOut


def viewer_hash(secret_key: str, *, poster_id: int, day: date, user_id: int) -> str:
    """The keyed hash a view is counted under (64 hex characters)."""
    message = f"{poster_id}:{day.isoformat()}:{user_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


async def record_view(db: AsyncSession, *, poster: Poster, viewer: User, secret_key: str) -> None:
    """Count a view of ``poster`` by ``viewer`` today (not the presenter's own)."""
    if service.is_presenter(poster, viewer):
        return
    day = utcnow().date()
    values = {
        "poster_id": poster.id,
        "day": day,
        "viewer_hash": viewer_hash(secret_key, poster_id=poster.id, day=day, user_id=viewer.id),
        "views": 1,
    }
    maker = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = maker(PosterView).values(**values)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["poster_id", "day", "viewer_hash"],
            set_={"views": PosterView.views + 1},
        )
    )


def check_may_see_stats(poster: Poster, user: User) -> None:
    """The presenter and organizers only (the caller checked the poster is visible)."""
    if not (service.is_presenter(poster, user) or service.is_organizer(user)):
        raise Forbidden("Only the poster's presenter and organizers see its statistics.")


async def poster_stats(db: AsyncSession, *, poster: Poster) -> PosterStatsOut:
    """Views, unique viewers, votes and comments per day, and the totals."""
    views = (
        await db.execute(
            select(PosterView.day, func.sum(PosterView.views), func.count())
            .where(PosterView.poster_id == poster.id)
            .group_by(PosterView.day)
        )
    ).all()
    # Votes as they stand (a moved vote counts on the day it came to this poster) and
    # visible comments: few per poster, so grouped here rather than by dialect SQL.
    vote_times = await db.scalars(
        select(PosterVote.created_at).where(PosterVote.poster_id == poster.id)
    )
    comment_times = await db.scalars(
        select(PosterComment.created_at).where(
            PosterComment.poster_id == poster.id, PosterComment.removed_at.is_(None)
        )
    )
    votes = Counter(moment.date() for moment in vote_times)
    comments = Counter(moment.date() for moment in comment_times)
    by_day = {day: (int(total), int(unique)) for day, total, unique in views}
    days = sorted(set(by_day) | set(votes) | set(comments))
    rows = [
        DayStats(
            day=day,
            views=by_day.get(day, (0, 0))[0],
            unique_viewers=by_day.get(day, (0, 0))[1],
            votes=votes[day],
            comments=comments[day],
        )
        for day in days
    ]
    return PosterStatsOut(
        poster_id=poster.id,
        views=sum(row.views for row in rows),
        unique_viewers=sum(row.unique_viewers for row in rows),
        vote_count=sum(votes.values()),
        comment_count=sum(comments.values()),
        days=rows,
    )
