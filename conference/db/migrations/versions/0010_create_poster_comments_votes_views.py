"""create poster comments, votes, views and relayed-message records

Revision ID: 0010_poster_talk
Revises: 0009_poster_search
Create Date: 2026-12-07 14:19:08.733468
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import conference.db.types

revision: str = "0010_poster_talk"
down_revision: str | None = "0009_poster_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poster_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", conference.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_comments_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["users.id"],
            name=op.f("fk_poster_comments_removed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_poster_comments_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_comments")),
    )
    with op.batch_alter_table("poster_comments", schema=None) as batch_op:
        batch_op.create_index("ix_poster_comments_poster_id_id", ["poster_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poster_comments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "poster_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("created_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_contacts_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["users.id"],
            name=op.f("fk_poster_contacts_sender_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_contacts")),
    )
    with op.batch_alter_table("poster_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_poster_contacts_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_poster_contacts_poster_id"), ["poster_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_poster_contacts_sender_id"), ["sender_id"], unique=False
        )

    op.create_table(
        "poster_views",
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("viewer_hash", sa.String(length=64), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_views_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poster_id", "day", "viewer_hash", name=op.f("pk_poster_views")),
    )
    op.create_table(
        "poster_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("created_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_poster_votes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_votes_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_poster_votes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_votes")),
        sa.UniqueConstraint("meeting_id", "user_id", name=op.f("uq_poster_votes_meeting_id")),
    )
    with op.batch_alter_table("poster_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poster_votes_poster_id"), ["poster_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poster_votes_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("poster_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_votes_user_id"))
        batch_op.drop_index(batch_op.f("ix_poster_votes_poster_id"))

    op.drop_table("poster_votes")
    op.drop_table("poster_views")
    with op.batch_alter_table("poster_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_contacts_sender_id"))
        batch_op.drop_index(batch_op.f("ix_poster_contacts_poster_id"))
        batch_op.drop_index(batch_op.f("ix_poster_contacts_created_at"))

    op.drop_table("poster_contacts")
    with op.batch_alter_table("poster_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_comments_user_id"))
        batch_op.drop_index("ix_poster_comments_poster_id_id")

    op.drop_table("poster_comments")
