"""The meeting and the people in it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.db.base import Base
from conference.db.types import UTCDateTime, utcnow
from conference.program.documents import Changelog, Snapshot


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


# The schedule ------------------------------------------------------------------------


class SessionType(StrEnum):
    plenary = "plenary"
    symposium = "symposium"
    workshop = "workshop"
    poster_session = "poster_session"
    award_ceremony = "award_ceremony"
    industry_symposium = "industry_symposium"
    networking = "networking"
    break_ = "break"


SESSION_TYPE_LABELS: dict[SessionType, str] = {
    SessionType.plenary: "Plenary",
    SessionType.symposium: "Symposium",
    SessionType.workshop: "Workshop",
    SessionType.poster_session: "Poster session",
    SessionType.award_ceremony: "Award ceremony",
    SessionType.industry_symposium: "Industry symposium",
    SessionType.networking: "Networking",
    SessionType.break_: "Break",
}


class Stage(Base):
    """A virtual stage: one stream channel. In a hybrid meeting it can name a room."""

    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("meeting_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(64))
    room: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Track(Base):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("meeting_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(64))
    color: Mapped[str] = mapped_column(String(7), default="#566172")
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProgramSession(Base):
    """A session: content (title, type, chairs, talks) placed on a stage at a time.

    Its GUID never changes, across edits, publications and re-imports.
    """

    __tablename__ = "program_sessions"
    __table_args__ = (Index("ix_program_sessions_meeting_start", "meeting_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    session_type: Mapped[str] = mapped_column(String(32), default=SessionType.symposium.value)
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("tracks.id", ondelete="SET NULL"), nullable=True
    )
    stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("stages.id", ondelete="SET NULL"), nullable=True, index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cme_accredited: Mapped[bool] = mapped_column(Boolean, default=False)
    cme_minutes: Mapped[int] = mapped_column(Integer, default=0)
    may_be_recorded: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    stage: Mapped[Stage | None] = relationship(lazy="raise")
    track: Mapped[Track | None] = relationship(lazy="raise")
    chairs: Mapped[list[SessionChair]] = relationship(
        cascade="all, delete-orphan", order_by="SessionChair.position", lazy="raise"
    )
    talks: Mapped[list[Talk]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="(Talk.starts_at, Talk.id)",
        lazy="raise",
    )


class SessionChair(Base):
    __tablename__ = "session_chairs"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("program_sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(lazy="raise")


class Talk(Base):
    __tablename__ = "talks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("program_sessions.id", ondelete="CASCADE"), index=True
    )
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    title: Mapped[str] = mapped_column(String(300))
    abstract: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # False: the live broadcast still shows the talk, but its recording leaves it out.
    may_be_recorded: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Filled by the streaming package when a pre-recorded video is attached to the talk.
    prerecorded_media: Mapped[str | None] = mapped_column(String(64), nullable=True)

    session: Mapped[ProgramSession] = relationship(back_populates="talks", lazy="raise")
    speakers: Mapped[list[TalkSpeaker]] = relationship(
        cascade="all, delete-orphan", order_by="TalkSpeaker.position", lazy="raise"
    )


class TalkSpeaker(Base):
    __tablename__ = "talk_speakers"
    __table_args__ = (UniqueConstraint("talk_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(lazy="raise")


class ProgramVersion(Base):
    """A published program: an immutable snapshot and what changed since the previous one."""

    __tablename__ = "program_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    # The JSON is written by publishing only, in these shapes (see conference.program.snapshot).
    snapshot: Mapped[Snapshot] = mapped_column(JSON)
    changelog: Mapped[Changelog] = mapped_column(JSON)


class AgendaStar(Base):
    """A session an attendee starred; keyed by GUID so it survives republishing."""

    __tablename__ = "agenda_stars"
    __table_args__ = (UniqueConstraint("user_id", "session_guid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_guid: Mapped[str] = mapped_column(String(36))
    starred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AgendaFeed(Base):
    """The secret address of a personal calendar feed; bumping ``generation`` revokes it."""

    __tablename__ = "agenda_feeds"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
