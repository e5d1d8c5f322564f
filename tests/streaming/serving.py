"""The test's app behind a real HTTP server (uvicorn on 127.0.0.1), in the test's own loop,
for clients that speak HTTP themselves (FFmpeg through PyAV) and for races that only a
real server shows (a body longer or shorter than its Content-Length)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from tests.servers import free_port
from tests.waiting import wait_until

STARTUP_DEADLINE = 30.0


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """``app`` (already started by its fixture) at the base URL yielded."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    def started() -> bool:
        if task.done():
            task.result()  # raises what stopped it
            raise RuntimeError("uvicorn stopped before it started")
        return bool(server.started)

    await wait_until(started, "uvicorn to start", within=STARTUP_DEADLINE, interval=0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
