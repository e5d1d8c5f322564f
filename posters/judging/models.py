"""Judging and awards: judges assigned to posters with their rubric scores, the meeting's
judging switch, and the awards organizers publish on posters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from conference.db.base import Base
from conference.db.types import UTCDateTime, utcnow

# The rubric: each criterion is scored 1-5.
CRITERIA = ("content", "clarity", "design", "presentation")
MIN_MARK = 1
MAX_MARK = 5
MAX_COMMENT = 2000


class JudgeAssignment(Base):
    """A judge asked to score one poster, and their score once given.

    The score lives on the assignment (one score per judge and poster). When a judge's
    account is deleted the row stays with ``judge_id`` NULL: the score is the meeting's
    record, the person is no longer named (``posters.judging.privacy``).
    """

    __tablename__ = "poster_judge_assignments"
    __table_args__ = (UniqueConstraint("poster_id", "judge_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The rubric, NULL until the judge scores.
    content: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clarity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    design: Mapped[int | None] = mapped_column(Integer, nullable=True)
    presentation: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def scored(self) -> bool:
        return self.scored_at is not None

    @property
    def total(self) -> int | None:
        """The sum of the four marks (4-20), or None before scoring."""
        if self.scored_at is None:
            return None
        return sum(getattr(self, name) or 0 for name in CRITERIA)


class JudgingSettings(Base):
    """Whether judges may score now; open unless the organizers closed it."""

    __tablename__ = "poster_judging_settings"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    judging_open: Mapped[bool] = mapped_column(Boolean, default=True)


class PosterAward(Base):
    """An award given to a poster ("Best poster: IFN signalling"); shown once published."""

    __tablename__ = "poster_awards"
    __table_args__ = (UniqueConstraint("poster_id", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
