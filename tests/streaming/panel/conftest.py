"""The app with real panel rooms (SQLite, ICE on loopback), for the tests in a private
network namespace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from conference.main import create_app
from conference.program.demo.meeting import seed_meeting
from tests import databases
from tests.app_settings import app_settings
from tests.streaming.panel_client import OUT_H, OUT_W


@pytest.fixture
async def live_app(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """The app on SQLite with ICE on loopback and a small panel picture (CPU is shared)."""
    database = databases.copy_sqlite(sqlite_template, tmp_path / "db")
    settings = app_settings(
        database,
        tmp_path / "var",
        ice_interfaces="lo",
        stream_fps=10,
        stream_ladder="180p:320x180@300",
        stream_segment_seconds=1.0,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        panels = application.state.streaming.panels
        panels.size = panels.room_size = (OUT_W, OUT_H)
        panels.bitrate = 400_000
        async with application.state.ctx.db.session() as db:
            await seed_meeting(db)
        yield application
