"""Migration 0007 moves transcode jobs into the generic jobs table and back, on SQLite and
PostgreSQL: same ids, states and timings; new jobs continue after the moved ids."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from conference.db import migrate
from conference.db.engine import create_engine
from conference.db.types import UTCDateTime

BEFORE = "0006_confirm_pending_regs"
AFTER = "0007_generic_jobs"
STARTED = datetime(2021, 10, 18, 8, 0, tzinfo=UTC)
BEAT = datetime(2021, 10, 18, 8, 1, tzinfo=UTC)

RECORDINGS = sa.table(
    "recordings",
    sa.column("id", sa.Integer()),
    sa.column("title", sa.String()),
    sa.column("source", sa.String()),
    sa.column("status", sa.String()),
    sa.column("published", sa.Boolean()),
    sa.column("allow_download", sa.Boolean()),
    sa.column("media_path", sa.String()),
    sa.column("has_mp4", sa.Boolean()),
    sa.column("has_thumbnail", sa.Boolean()),
    sa.column("error", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


def progress_columns() -> list[sa.ColumnClause[Any]]:
    """The columns both tables share (fresh ones: a column belongs to one table)."""
    return [
        sa.column("state", sa.String()),
        sa.column("attempts", sa.Integer()),
        sa.column("max_attempts", sa.Integer()),
        sa.column("progress", sa.Float()),
        sa.column("worker", sa.String()),
        sa.column("error", sa.Text()),
        sa.column("created_at", UTCDateTime()),
        sa.column("started_at", UTCDateTime()),
        sa.column("heartbeat_at", UTCDateTime()),
        sa.column("finished_at", UTCDateTime()),
    ]


def transcode_jobs() -> sa.TableClause:
    return sa.table(
        "transcode_jobs",
        sa.column("id", sa.Integer()),
        sa.column("recording_id", sa.Integer()),
        sa.column("source_path", sa.String()),
        *progress_columns(),
    )


def jobs() -> sa.TableClause:
    return sa.table(
        "jobs",
        sa.column("id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("subject", sa.String()),
        *progress_columns(),
    )


def _progress(state: str, **values: Any) -> dict[str, Any]:
    return {
        "state": state,
        "attempts": 0,
        "max_attempts": 3,
        "progress": 0.0,
        "worker": "",
        "error": "",
        "created_at": STARTED,
        "started_at": None,
        "heartbeat_at": None,
        "finished_at": None,
        **values,
    }


async def _execute(url: str, *statements: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            results = []
            for statement in statements:
                result = await connection.execute(statement)
                results.append(result.mappings().all() if result.returns_rows else None)
            return results
    finally:
        await engine.dispose()


async def test_transcode_jobs_move_into_jobs_and_back(empty_database_url: str) -> None:
    url = empty_database_url
    await migrate.upgrade(url, BEFORE)
    recording = {
        "title": "Talk",
        "source": "upload",
        "status": "processing",
        "published": True,
        "allow_download": False,
        "media_path": "recordings/7",
        "has_mp4": False,
        "has_thumbnail": False,
        "error": "",
        "created_at": STARTED,
        "updated_at": STARTED,
    }
    old = transcode_jobs()
    await _execute(
        url,
        sa.insert(RECORDINGS).values(id=7, **recording),
        sa.insert(old).values(
            id=3,
            recording_id=7,
            source_path="uploads/a.mp4",
            **_progress(
                "running",
                attempts=1,
                progress=41.5,
                worker="h:1:a",
                started_at=STARTED,
                heartbeat_at=BEAT,
            ),
        ),
        sa.insert(old).values(
            id=5,
            recording_id=7,
            source_path="uploads/b.mp4",
            **_progress("failed", attempts=3, error="The transcoder was killed by signal 9."),
        ),
    )

    await migrate.upgrade(url, AFTER)
    new = jobs()
    [rows] = await _execute(url, sa.select(new).order_by(new.c.id))
    assert [dict(r) for r in rows] == [
        {
            "id": 3,
            "kind": "transcode",
            "payload": {"recording_id": 7, "source_path": "uploads/a.mp4"},
            "subject": "recording:7",
            **_progress(
                "running",
                attempts=1,
                progress=41.5,
                worker="h:1:a",
                started_at=STARTED,
                heartbeat_at=BEAT,
            ),
        },
        {
            "id": 5,
            "kind": "transcode",
            "payload": {"recording_id": 7, "source_path": "uploads/b.mp4"},
            "subject": "recording:7",
            **_progress("failed", attempts=3, error="The transcoder was killed by signal 9."),
        },
    ]
    # New jobs continue after the moved ids (PostgreSQL's sequence was moved on).
    [_, _, _, added] = await _execute(
        url,
        sa.insert(new).values(
            kind="transcode",
            payload={"recording_id": 7, "source_path": "uploads/c.mp4"},
            subject="recording:7",
            **_progress("queued"),
        ),
        sa.insert(new).values(
            kind="poster_tiles", payload={}, subject="poster:1", **_progress("queued")
        ),
        sa.insert(new).values(
            kind="transcode",
            payload={"recording_id": 99, "source_path": "uploads/gone.mp4"},
            subject="recording:99",
            **_progress("failed"),
        ),
        sa.select(new.c.id, new.c.kind, new.c.subject).order_by(new.c.id),
    )
    assert [tuple(r.values()) for r in added] == [
        (3, "transcode", "recording:7"),
        (5, "transcode", "recording:7"),
        (6, "transcode", "recording:7"),
        (7, "poster_tiles", "poster:1"),
        (8, "transcode", "recording:99"),
    ]

    # Back: the transcode jobs of existing recordings return; the rest has no place there.
    await migrate.downgrade(url, BEFORE)
    [rows] = await _execute(url, sa.select(old).order_by(old.c.id))
    assert [(r["id"], r["source_path"], r["state"], r["attempts"]) for r in rows] == [
        (3, "uploads/a.mp4", "running", 1),
        (5, "uploads/b.mp4", "failed", 3),
        (6, "uploads/c.mp4", "queued", 0),
    ]
    assert (rows[0]["progress"], rows[0]["heartbeat_at"]) == (41.5, BEAT)
    [_, [after]] = await _execute(
        url,
        sa.insert(old).values(recording_id=7, source_path="uploads/d.mp4", **_progress("queued")),
        sa.select(sa.func.max(old.c.id).label("id")),
    )
    assert after["id"] == 7
