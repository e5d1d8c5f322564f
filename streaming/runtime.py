"""What the streaming domain keeps for one app process, built by the app factory.

Each part is process-local: the live ingests this process holds and the panel rooms it
hosts (transcodes run on the core's job runner, :mod:`conference.jobs`). What other
processes must know (is a stage live? which recordings exist?) is in the database, so any
process can answer a viewer.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

from conference.settings import Settings
from streaming import tokens
from streaming.hls.ladder import Rendition, parse_ladder
from streaming.ingest.live import IngestManager
from streaming.panel.rooms import PanelManager

if TYPE_CHECKING:
    from conference.context import AppContext


@dataclass
class StreamingRuntime:
    settings: Settings
    ladder: tuple[Rendition, ...]
    media_secret: str
    ingests: IngestManager
    panels: PanelManager
    started: bool = field(default=False)
    # Seconds since the epoch for media tokens (issued and checked); tests move it.
    clock: Callable[[], float] = field(default=time.time)

    @property
    def media_root(self) -> Path:
        return self.settings.media_root


def build_runtime(settings: Settings) -> StreamingRuntime:
    """The streaming parts for ``settings``; a bad ``stream_ladder`` stops start-up here."""
    return StreamingRuntime(
        settings=settings,
        ladder=parse_ladder(settings.stream_ladder),
        media_secret=tokens.media_secret(settings.secret_key),
        ingests=IngestManager(settings),
        panels=PanelManager(settings),
    )


@asynccontextmanager
async def running(ctx: AppContext, runtime: StreamingRuntime) -> AsyncIterator[None]:
    """Start this process's streaming parts for the app's lifetime, and stop them after."""
    await runtime.ingests.start(ctx)
    await runtime.panels.start(ctx)
    runtime.started = True
    try:
        yield
    finally:
        runtime.started = False
        await runtime.panels.stop()
        await runtime.ingests.stop()


def get_runtime(conn: HTTPConnection) -> StreamingRuntime:
    """The runtime of the app serving ``conn`` (set by the app factory)."""
    runtime: StreamingRuntime = conn.app.state.streaming
    return runtime
