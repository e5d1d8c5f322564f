"""iPosters: the poster, its authors and keywords, and the meeting's poster settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.db.base import Base, unmanaged_names
from conference.db.types import UTCDateTime, utcnow


class PosterState(StrEnum):
    draft = "draft"  # being written; only its presenter and organizers see it
    submitted = "submitted"  # handed in for the organizers to publish
    published = "published"  # in the gallery
    withdrawn = "withdrawn"  # taken back: 404 for attendees, kept for the record


POSTER_STATE_LABELS: dict[PosterState, str] = {
    PosterState.draft: "Draft",
    PosterState.submitted: "Submitted",
    PosterState.published: "Published",
    PosterState.withdrawn: "Withdrawn",
}


class RenderState(StrEnum):
    """Where the poster's PDF is on its way to deep-zoom tiles and a thumbnail."""

    none = "none"  # no PDF yet
    queued = "queued"
    rendering = "rendering"
    ready = "ready"
    failed = "failed"  # ``render_error`` says why (a broken or encrypted PDF)


class Poster(Base):
    """One board of the poster gallery.

    The abstract is kept as the Markdown its presenter wrote and as the sanitized HTML
    rendered from it once on write (``posters.content``), so every page shows the same HTML.
    ``search_text`` is the normalised text the full-text index reads (see
    ``posters.gallery.search``): title, abstract, authors, affiliations and keywords.
    """

    __tablename__ = "posters"
    __table_args__ = (
        UniqueConstraint("meeting_id", "board"),
        # The gallery's counts (posters.gallery.service) read only these: on SQLite, whose
        # rows keep topic and state after the long abstract, the index answers them without
        # reading a row (5x faster for 1,000 posters).
        Index(
            "ix_posters_gallery",
            "meeting_id",
            "state",
            "topic",
            "session_guid",
            "board_order",
            "board",
            "vote_count",
            "active_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    board: Mapped[str] = mapped_column(String(16))
    # Numeric part of the board for sorting "P2" before "P10"; boards without digits sort last.
    board_order: Mapped[int] = mapped_column(Integer, default=0, index=True)
    title: Mapped[str] = mapped_column(String(300))
    abstract: Mapped[str] = mapped_column(Text, default="")
    abstract_html: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(100), default="", index=True)
    # The published poster session it is shown in (a session of the program, by GUID).
    session_guid: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    doi: Mapped[str] = mapped_column(String(200), default="")
    # [{"label": ..., "url": ...}] in the presenter's order; https/http URLs only.
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default=PosterState.draft, index=True)
    # The account that edits it (the presenting author's, where one exists).
    presenter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The PDF as uploaded, under VAR_DIR/posters/<id>/; empty when there is none.
    pdf_path: Mapped[str] = mapped_column(String(300), default="")
    pdf_bytes: Mapped[int] = mapped_column(Integer, default=0)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    render_state: Mapped[str] = mapped_column(String(16), default=RenderState.none)
    render_progress: Mapped[float] = mapped_column(Float, default=0.0)
    render_error: Mapped[str] = mapped_column(String(500), default="")
    # Bumped on each successful render: tile URLs carry it, so a new PDF is never mixed
    # with cached tiles of the old one.
    render_version: Mapped[int] = mapped_column(Integer, default=0)
    # Size of the full-resolution image the tiles are cut from (the DZI's Size).
    image_width: Mapped[int] = mapped_column(Integer, default=0)
    image_height: Mapped[int] = mapped_column(Integer, default=0)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Counted as votes and comments are written, so the gallery sorts and shows them
    # without counting rows per poster.
    vote_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Comments, votes, bookmarks and slots touch it, for "recent activity" sorting.
    active_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    authors: Mapped[list[PosterAuthor]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="PosterAuthor.position",
        back_populates="poster",
    )
    keywords: Mapped[list[PosterKeyword]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PosterKeyword.position"
    )

    @property
    def presenting_author(self) -> PosterAuthor | None:
        """The author marked as presenting, else the first."""
        return next((a for a in self.authors if a.presenting), None) or (
            self.authors[0] if self.authors else None
        )


class PosterAuthor(Base):
    """An author of a poster, in the poster's order."""

    __tablename__ = "poster_authors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(300), default="")
    presenting: Mapped[bool] = mapped_column(Boolean, default=False)
    # The author's account, where one exists (matched by email on import or set by hand).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )

    poster: Mapped[Poster] = relationship(lazy="raise", back_populates="authors")


class PosterKeyword(Base):
    """A keyword of a poster, lower-cased for filtering (as written in ``label``)."""

    __tablename__ = "poster_keywords"
    # The gallery's keyword counts read the keyword and its label by poster from this index
    # alone (it also serves looking up a poster's keywords).
    __table_args__ = (
        UniqueConstraint("poster_id", "keyword"),
        Index("ix_poster_keywords_facet", "poster_id", "keyword", "label"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    keyword: Mapped[str] = mapped_column(String(80), index=True)
    label: Mapped[str] = mapped_column(String(80))


class PosterSettings(Base):
    """The meeting's poster rules: until when presenters may edit their own poster."""

    __tablename__ = "poster_settings"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    # After this instant only organizers edit posters; None: presenters edit any time.
    edit_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PosterSlot(Base):
    """A time its presenter will be at the poster (a live author slot), stored in UTC.

    ``posters.slots.service`` keeps a poster's slots apart (no overlap), within the meeting and of
    a bounded length and number.
    """

    __tablename__ = "poster_slots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PosterBookmark(Base):
    """A poster an attendee keeps for later (shown in their agenda)."""

    __tablename__ = "poster_bookmarks"
    __table_args__ = (UniqueConstraint("user_id", "poster_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    poster_id: Mapped[int] = mapped_column(ForeignKey("posters.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The full-text index of ``Poster.search_text`` is made by migration 0009 with each
# database's own DDL (posters.gallery.search): SQLite's FTS5 table; PostgreSQL's generated
# ``posters.search_vector`` column and its GIN index.
SEARCH_TABLE = "poster_search"
SEARCH_VECTOR = "search_vector"
SEARCH_INDEX = "ix_posters_search_vector"
unmanaged_names().update({SEARCH_TABLE, SEARCH_VECTOR, SEARCH_INDEX})
