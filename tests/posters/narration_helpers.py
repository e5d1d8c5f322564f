"""Helpers for the narration tests: its address, uploads, the poster's state and rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update

from conference.jobs.models import Job
from posters import service
from posters.models import Poster, PosterState
from streaming.models import Recording


def narration_url(poster_id: int) -> str:
    return f"/api/v1/streaming/owned/poster/{poster_id}/recording"


async def put_narration(
    client: httpx.AsyncClient,
    poster_id: int,
    body: bytes | AsyncIterator[bytes],
    content_type: str = "audio/mp4",
) -> httpx.Response:
    return await client.put(
        narration_url(poster_id), content=body, headers={"Content-Type": content_type}
    )


async def set_state(app: FastAPI, poster_id: int, state: PosterState) -> None:
    async with app.state.ctx.db.session() as db:
        await db.execute(update(Poster).where(Poster.id == poster_id).values(state=state.value))
        await db.commit()


async def set_deadline(app: FastAPI, *, meeting_id: int, deadline: datetime) -> None:
    async with app.state.ctx.db.session() as db:
        settings = await service.poster_settings(db, meeting_id=meeting_id)
        settings.edit_deadline = deadline
        db.add(settings)
        await db.commit()


async def recordings_of(app: FastAPI, poster_id: int) -> list[Recording]:
    async with app.state.ctx.db.session() as db:
        rows = await db.scalars(
            select(Recording).where(Recording.owner == f"poster:{poster_id}").order_by(Recording.id)
        )
        return list(rows)


async def job_count(app: FastAPI) -> int:
    async with app.state.ctx.db.session() as db:
        return int(await db.scalar(select(func.count()).select_from(Job)) or 0)


def recording_folder(media_root: Path, recording_id: int) -> Path:
    return media_root / "recordings" / str(recording_id)
