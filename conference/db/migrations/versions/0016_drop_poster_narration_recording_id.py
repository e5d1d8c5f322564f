"""drop poster narration recording id

A poster's narration is the recording it owns (``recordings.owner = 'poster:<id>'``,
migration 0015); the column that was to point at it by id was never written.

Revision ID: 0016_drop_narration_id
Revises: 0015_recording_owner
Create Date: 2026-12-07 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_drop_narration_id"
down_revision: str | None = "0015_recording_owner"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not a batch operation: on SQLite that copies the table and drops the old one, and
    # dropping ``posters`` would cascade to every row that points at a poster. Both
    # databases drop a column in place (SQLite since 3.35).
    op.execute("ALTER TABLE posters DROP COLUMN narration_recording_id")


def downgrade() -> None:
    op.add_column("posters", sa.Column("narration_recording_id", sa.Integer(), nullable=True))
