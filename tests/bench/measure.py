"""Measuring tools shared by the benchmarks and the query-count test."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

# Marks the code a count is about: the block and the tasks it starts inherit the value;
# tasks started before it (the app's background loops) do not.
_counted: ContextVar[object | None] = ContextVar("counted", default=None)


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect the SQL statements ``engine`` sends for the code this block runs (and the
    tasks it starts), not those of background loops polling meanwhile: on a busy machine
    their polls land inside any window, and only the request's own statements count."""
    statements: list[str] = []
    marker = object()
    token = _counted.set(marker)

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # SQLAlchemy runs this in the awaiting task (greenlet on the loop's thread), so the
        # context is the caller's.
        if _counted.get() is marker:
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        _counted.reset(token)


class ServerTimer:
    """Wraps the app and times each HTTP request inside the server, as the app's own
    Prometheus middleware does, but exactly (no histogram buckets) and without the client's
    cost of building the request and reading the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                self.last = time.perf_counter() - started


@dataclass(frozen=True)
class Timing:
    """Seconds per request over ``n`` requests after warm-up."""

    n: int
    p50: float
    p95: float
    mean: float

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        ordered = sorted(samples)
        p95_index = min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
        return cls(
            n=len(ordered),
            p50=statistics.median(ordered),
            p95=ordered[p95_index],
            mean=statistics.fmean(ordered),
        )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"
