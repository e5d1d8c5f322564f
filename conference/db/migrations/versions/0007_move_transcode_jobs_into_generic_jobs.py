"""move transcode jobs into a generic jobs table

One ``jobs`` table for every kind of background work (conference.jobs); each transcode job
becomes a ``transcode`` job with the same id, state and timings, its recording and upload
in ``payload`` and ``recording:<id>`` as its subject. Downgrading copies the transcode jobs
back (those whose recording still exists, as the old foreign key demands); jobs of other
kinds have no place in the old schema and are dropped.

Revision ID: 0007_generic_jobs
Revises: 0006_confirm_pending_regs
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import conference.db.types

revision: str = "0007_generic_jobs"
down_revision: str | None = "0006_confirm_pending_regs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns both tables share, copied as they are.
COMMON = (
    "id",
    "state",
    "attempts",
    "max_attempts",
    "progress",
    "worker",
    "error",
    "created_at",
    "started_at",
    "heartbeat_at",
    "finished_at",
)


def _timestamps() -> list[sa.Column[Any]]:
    instant = conference.db.types.UTCDateTime(timezone=True)
    return [
        sa.Column("created_at", instant, nullable=False),
        sa.Column("started_at", instant, nullable=True),
        sa.Column("heartbeat_at", instant, nullable=True),
        sa.Column("finished_at", instant, nullable=True),
    ]


def _progress_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("worker", sa.String(length=100), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
    ]


def _jobs_table() -> sa.TableClause:
    return sa.table(
        "jobs",
        sa.column("id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("subject", sa.String()),
        *(sa.column(name) for name in COMMON[1:]),
    )


def _transcode_jobs_table() -> sa.TableClause:
    return sa.table(
        "transcode_jobs",
        sa.column("id", sa.Integer()),
        sa.column("recording_id", sa.Integer()),
        sa.column("source_path", sa.String()),
        *(sa.column(name) for name in COMMON[1:]),
    )


# Rows are inserted with their ids: PostgreSQL's sequence must then continue after them
# (SQLite takes the largest id plus one by itself).
RESTART_SEQUENCE = {
    "jobs": "SELECT setval(pg_get_serial_sequence('jobs', 'id'), "
    "COALESCE((SELECT MAX(id) FROM jobs), 1), (SELECT MAX(id) FROM jobs) IS NOT NULL)",
    "transcode_jobs": "SELECT setval(pg_get_serial_sequence('transcode_jobs', 'id'), "
    "COALESCE((SELECT MAX(id) FROM transcode_jobs), 1), "
    "(SELECT MAX(id) FROM transcode_jobs) IS NOT NULL)",
}


def _restart_id_sequence(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(RESTART_SEQUENCE[table]))


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        *_progress_columns(),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_subject"), ["subject"], unique=False)

    old = _transcode_jobs_table()
    rows = op.get_bind().execute(sa.select(old).order_by(old.c.id)).mappings().all()
    if rows:
        op.bulk_insert(
            _jobs_table(),
            [
                {
                    **{name: row[name] for name in COMMON},
                    "kind": "transcode",
                    "payload": {
                        "recording_id": row["recording_id"],
                        "source_path": row["source_path"],
                    },
                    "subject": f"recording:{row['recording_id']}",
                }
                for row in rows
            ],
        )
    _restart_id_sequence("jobs")

    with op.batch_alter_table("transcode_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcode_jobs_state"))
        batch_op.drop_index(batch_op.f("ix_transcode_jobs_recording_id"))
    op.drop_table("transcode_jobs")


def downgrade() -> None:
    op.create_table(
        "transcode_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("source_path", sa.String(length=300), nullable=False),
        *_progress_columns(),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["recording_id"],
            ["recordings.id"],
            name=op.f("fk_transcode_jobs_recording_id_recordings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcode_jobs")),
    )
    with op.batch_alter_table("transcode_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transcode_jobs_recording_id"), ["recording_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_transcode_jobs_state"), ["state"], unique=False)

    bind = op.get_bind()
    jobs = _jobs_table()
    recordings = set(bind.execute(sa.text("SELECT id FROM recordings")).scalars())
    rows = (
        bind.execute(sa.select(jobs).where(jobs.c.kind == "transcode").order_by(jobs.c.id))
        .mappings()
        .all()
    )
    moved = []
    for row in rows:
        payload = row["payload"] or {}
        recording_id = payload.get("recording_id")
        if recording_id not in recordings:
            continue
        moved.append(
            {
                **{name: row[name] for name in COMMON},
                "recording_id": recording_id,
                "source_path": str(payload.get("source_path", ""))[:300],
            }
        )
    if moved:
        op.bulk_insert(_transcode_jobs_table(), moved)
    _restart_id_sequence("transcode_jobs")

    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_subject"))
        batch_op.drop_index(batch_op.f("ix_jobs_state"))
    op.drop_table("jobs")
