"""What attendees say and do on a poster: comments, people's-choice votes, messages relayed
to the presenter, and the presenter's view counts.

No table here can tell who viewed a poster: a view is counted under a keyed hash of the
viewer, the poster and the day (see ``posters.talk.stats``). A relayed message keeps no text
and no address, only who sent it when, so the per-sender limit can be counted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from conference.db.base import Base
from conference.db.types import UTCDateTime, utcnow


class PosterComment(Base):
    """A comment on a poster; removed ones keep their place but not their text."""

    __tablename__ = "poster_comments"
    __table_args__ = (Index("ix_poster_comments_poster_id_id", "poster_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"))
    # None once the author's account is deleted (the comment is then removed too).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class PosterVote(Base):
    """An attendee's one people's-choice vote in a meeting, and the poster it is for."""

    __tablename__ = "poster_votes"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"), index=True)
    # When the vote went to this poster (moving it sets it again).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PosterView(Base):
    """Views of a poster on one day (UTC) by one viewer, known only by a keyed hash."""

    __tablename__ = "poster_views"

    poster_id: Mapped[int] = mapped_column(
        ForeignKey("posters.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    viewer_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=1)


class PosterContact(Base):
    """That a message about a poster was relayed to its presenter (for the rate limits)."""

    __tablename__ = "poster_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
