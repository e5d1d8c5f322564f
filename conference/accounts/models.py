"""Users, their roles, sign-in sessions, consents and failed sign-ins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.db.base import Base
from conference.db.types import UTCDateTime, utcnow


class Role(StrEnum):
    """What a user may do; a user can hold several."""

    attendee = "attendee"
    speaker = "speaker"
    exhibitor = "exhibitor"
    organizer = "organizer"
    admin = "admin"


class ConsentKind(StrEnum):
    """Choices an attendee makes at registration and can change at any time."""

    society_news = "society_news"
    attendee_directory = "attendee_directory"
    session_recording_notice = "session_recording_notice"


CONSENT_LABELS: dict[ConsentKind, str] = {
    ConsentKind.society_news: "Send me news from the International Cytokine & Interferon Society",
    ConsentKind.attendee_directory: "List my name and affiliation in the attendee directory",
    ConsentKind.session_recording_notice: (
        "I understand that questions I ask in recorded sessions may appear in the recording"
    ),
}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    time_zone: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    # The healthcare-professional self-declaration gates promotional industry content;
    # the time it was made is kept as evidence for the sponsor compliance rules.
    is_healthcare_professional: Mapped[bool] = mapped_column(Boolean, default=False)
    hcp_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.roles)

    def has_role(self, *roles: Role) -> bool:
        """True if the user holds any of ``roles``; admins hold every role implicitly."""
        held = self.role_set
        return Role.admin in held or any(role in held for role in roles)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")


class UserSession(Base):
    """A signed-in browser. The cookie carries a random token; only its hash is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship(lazy="joined")


class ConsentRecord(Base):
    """Every consent given or withdrawn, with its time; the newest per kind is in force."""

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_user_kind", "user_id", "kind", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignInFailure(Base):
    """A failed sign-in, kept for the throttling window (durable across processes)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_email_at", "email", "failed_at"),
        Index("ix_sign_in_failures_ip_at", "ip_address", "failed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip_address: Mapped[str] = mapped_column(String(45))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PendingRegistration(Base):
    """A registration waiting for its email link: no account exists until it is followed.

    The link carries a random token; only its SHA-256 is stored. One row per email at most
    (a newer registration replaces it), deleted when confirmed and purged once expired.
    """

    __tablename__ = "pending_registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    time_zone: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_healthcare_professional: Mapped[bool] = mapped_column(Boolean, default=False)
    # The consent choices as JSON ({"society_news": true, ...}); recorded at confirmation.
    consents: Mapped[str] = mapped_column(Text, default="{}")
    # Where the person was going when they registered (a local path).
    next_path: Mapped[str] = mapped_column(String(500), default="/")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
