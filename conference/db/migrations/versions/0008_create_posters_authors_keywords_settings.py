"""create posters authors keywords settings

Revision ID: 0008_create_posters
Revises: 0007_generic_jobs
Create Date: 2026-12-07 14:12:49.457650
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import conference.db.types

revision: str = "0008_create_posters"
down_revision: str | None = "0007_generic_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poster_settings",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("edit_deadline", conference.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_poster_settings_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_poster_settings")),
    )
    op.create_table(
        "posters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("board", sa.String(length=16), nullable=False),
        sa.Column("board_order", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("abstract_html", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("session_guid", sa.String(length=36), nullable=True),
        sa.Column("doi", sa.String(length=200), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("presenter_id", sa.Integer(), nullable=True),
        sa.Column("pdf_path", sa.String(length=300), nullable=False),
        sa.Column("pdf_bytes", sa.Integer(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("render_state", sa.String(length=16), nullable=False),
        sa.Column("render_progress", sa.Float(), nullable=False),
        sa.Column("render_error", sa.String(length=500), nullable=False),
        sa.Column("render_version", sa.Integer(), nullable=False),
        sa.Column("image_width", sa.Integer(), nullable=False),
        sa.Column("image_height", sa.Integer(), nullable=False),
        sa.Column("narration_recording_id", sa.Integer(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("vote_count", sa.Integer(), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        sa.Column("created_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_posters_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["presenter_id"],
            ["users.id"],
            name=op.f("fk_posters_presenter_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posters")),
        sa.UniqueConstraint("meeting_id", "board", name=op.f("uq_posters_meeting_id")),
    )
    with op.batch_alter_table("posters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posters_active_at"), ["active_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_posters_board_order"), ["board_order"], unique=False)
        batch_op.create_index(batch_op.f("ix_posters_presenter_id"), ["presenter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_posters_session_guid"), ["session_guid"], unique=False)
        batch_op.create_index(batch_op.f("ix_posters_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_posters_topic"), ["topic"], unique=False)
        batch_op.create_index(batch_op.f("ix_posters_vote_count"), ["vote_count"], unique=False)

    op.create_table(
        "poster_authors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("affiliation", sa.String(length=300), nullable=False),
        sa.Column("presenting", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_authors_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_poster_authors_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_authors")),
    )
    with op.batch_alter_table("poster_authors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_poster_authors_poster_id"), ["poster_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_poster_authors_user_id"), ["user_id"], unique=False)

    op.create_table(
        "poster_keywords",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(length=80), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_keywords_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_keywords")),
        sa.UniqueConstraint("poster_id", "keyword", name=op.f("uq_poster_keywords_poster_id")),
    )
    with op.batch_alter_table("poster_keywords", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poster_keywords_keyword"), ["keyword"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_poster_keywords_poster_id"), ["poster_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("poster_keywords", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_keywords_poster_id"))
        batch_op.drop_index(batch_op.f("ix_poster_keywords_keyword"))

    op.drop_table("poster_keywords")
    with op.batch_alter_table("poster_authors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_authors_user_id"))
        batch_op.drop_index(batch_op.f("ix_poster_authors_poster_id"))

    op.drop_table("poster_authors")
    with op.batch_alter_table("posters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posters_vote_count"))
        batch_op.drop_index(batch_op.f("ix_posters_topic"))
        batch_op.drop_index(batch_op.f("ix_posters_state"))
        batch_op.drop_index(batch_op.f("ix_posters_session_guid"))
        batch_op.drop_index(batch_op.f("ix_posters_presenter_id"))
        batch_op.drop_index(batch_op.f("ix_posters_board_order"))
        batch_op.drop_index(batch_op.f("ix_posters_active_at"))

    op.drop_table("posters")
    op.drop_table("poster_settings")
