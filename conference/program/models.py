"""The meeting and the people in it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.db.base import Base
from conference.db.types import UTCDateTime, utcnow


class MeetingFormat(StrEnum):
    in_person = "in_person"
    hybrid = "hybrid"
    virtual = "virtual"


class Committee(StrEnum):
    local_organizing = "local_organizing"
    scientific_advisory = "scientific_advisory"


COMMITTEE_TITLES: dict[Committee, str] = {
    Committee.local_organizing: "Local Organizing Committee",
    Committee.scientific_advisory: "International Scientific Advisory Committee",
}


def new_guid() -> str:
    return str(uuid.uuid4())


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(100))
    society: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    format: Mapped[str] = mapped_column(String(16), default=MeetingFormat.virtual.value)
    # The meeting's own zone: days begin and end there, and the "meeting time" switch uses it.
    time_zone: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    website: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    committee_members: Mapped[list[CommitteeMember]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="(CommitteeMember.committee, CommitteeMember.position)",
    )


class Person(Base):
    """Someone who appears in the program: a speaker, chair or committee member.

    Kept apart from accounts: most people in a program never sign in, and one who does
    is linked through ``user_id``.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    biography: Mapped[str] = mapped_column(Text, default="")
    photo_url: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )


class CommitteeMember(Base):
    __tablename__ = "committee_members"
    __table_args__ = (UniqueConstraint("meeting_id", "committee", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    committee: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    meeting: Mapped[Meeting] = relationship(back_populates="committee_members")
    person: Mapped[Person] = relationship(lazy="joined")
