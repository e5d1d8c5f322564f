"""A stream key for the demo meeting's first stage, so OBS can go live at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.demo.meeting import DEMO_SLUG
from conference.program.models import Meeting, Stage
from streaming.ingest import keys
from streaming.models import StreamKey

DEMO_LABEL = "demo"


async def seed_stream_key(db: AsyncSession, base_url: str) -> list[str]:
    """Issue a key labelled "demo" for the first stage, once; OBS is told to publish to
    ``base_url`` (the server's own address, with the port it actually serves on).

    Only the key's hash is stored, so it can be shown only when issued: a later run says
    nothing (revoke the key and run the seeder again for a new one).
    """
    meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
    if meeting is None:
        return []
    stage = await db.scalar(
        select(Stage)
        .where(Stage.meeting_id == meeting.id)
        .order_by(Stage.position, Stage.id)
        .limit(1)
    )
    if stage is None:
        return []
    existing = await db.scalar(
        select(StreamKey.id).where(
            StreamKey.stage_id == stage.id,
            StreamKey.label == DEMO_LABEL,
            StreamKey.revoked_at.is_(None),
        )
    )
    if existing is not None:
        return []
    _, plain = await keys.issue_key(db, stage=stage, label=DEMO_LABEL, user=None)
    return [
        f"OBS (WHIP): server {base_url}/whip/{stage.slug}, bearer token {plain}",
    ]
