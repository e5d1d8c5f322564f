"""add poster gallery indexes

The gallery's counts and its page's order read only a poster's meeting, state, topic,
session, board, votes and activity: ``ix_posters_gallery`` holds them, so SQLite answers
from the index instead of reading each poster's row (whose topic and state sit after the
long abstract). The keyword counts read ``ix_poster_keywords_facet`` alone, which replaces
the index on the poster id it starts with.

Revision ID: 0014_poster_gallery_indexes
Revises: 0013_job_priority
Create Date: 2026-12-07 17:25:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_poster_gallery_indexes"
down_revision: str | None = "0013_job_priority"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_posters_gallery",
        "posters",
        [
            "meeting_id",
            "state",
            "topic",
            "session_guid",
            "board_order",
            "board",
            "vote_count",
            "active_at",
        ],
    )
    op.create_index(
        "ix_poster_keywords_facet", "poster_keywords", ["poster_id", "keyword", "label"]
    )
    op.drop_index("ix_poster_keywords_poster_id", table_name="poster_keywords")


def downgrade() -> None:
    op.create_index("ix_poster_keywords_poster_id", "poster_keywords", ["poster_id"])
    op.drop_index("ix_poster_keywords_facet", table_name="poster_keywords")
    op.drop_index("ix_posters_gallery", table_name="posters")
