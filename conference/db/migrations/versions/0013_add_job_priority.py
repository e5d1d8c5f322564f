"""add job priority

Revision ID: 0013_job_priority
Revises: 0012_poster_judging
Create Date: 2026-12-07 15:02:12.820289
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_job_priority"
down_revision: str | None = "0012_poster_judging"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        # Jobs queued before priorities existed are normal ones (0).
        batch_op.add_column(
            sa.Column("priority", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("priority")
