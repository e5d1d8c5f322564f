"""Helpers for the PDF, render job and tile tests: settings, uploads, the worker, rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from conference.jobs.models import Job
from conference.jobs.runner import JobRunner
from conference.settings import Settings
from posters.models import Poster
from posters.tiles.jobs import POSTER_TILES
from tests.app_settings import app_settings

MAX_PDF = 200_000
# Below MAX_PDF: the PDF route's larger cap is shown to hold where others keep this one.
MAX_REQUEST = 100_000


def render_settings(database_url: str, var_dir: Path, **overrides: Any) -> Settings:
    """Test settings with no background worker (tests drive ``run_once``), a small cap on
    poster PDFs and a smaller one on other requests."""
    values: dict[str, Any] = {
        "inline_worker": False,
        "max_poster_pdf_bytes": MAX_PDF,
        "max_request_bytes": MAX_REQUEST,
    }
    values.update(overrides)
    return app_settings(database_url, var_dir, **values)


@asynccontextmanager
async def second_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Another browser on the same app (its own cookies), beside the ``client`` fixture."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def upload_pdf(client: httpx.AsyncClient, poster_id: int, body: Any) -> httpx.Response:
    return await client.put(
        f"/api/v1/posters/{poster_id}/pdf",
        content=body,
        headers={"Content-Type": "application/pdf"},
    )


async def run_worker(app: FastAPI) -> bool:
    """One step of the app's (not started) worker, as its loop would take it."""
    runner: JobRunner = app.state.ctx.job_runner
    return await runner.run_once(app.state.ctx.db)


async def poster_row(app: FastAPI, poster_id: int) -> Poster:
    async with app.state.ctx.db.session() as db:
        found: Poster | None = await db.get(Poster, poster_id)
        assert found is not None
        return found


async def render_jobs(app: FastAPI) -> list[Job]:
    """Every poster render job, oldest first."""
    async with app.state.ctx.db.session() as db:
        found = await db.scalars(select(Job).where(Job.kind == POSTER_TILES).order_by(Job.id))
        return list(found.all())


def pdf_files(settings: Settings, poster_id: int) -> list[str]:
    """The names of the files kept for a poster's PDFs (hidden ones included)."""
    folder = settings.var_dir / "posters" / str(poster_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def media_entries(settings: Settings, poster_id: int) -> list[str]:
    """The render folders (and anything else) under a poster's media folder."""
    folder = settings.media_root / "posters" / str(poster_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
