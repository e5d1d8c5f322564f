"""Forcing a race between two requests on PostgreSQL, deterministically.

A *rival* session makes its change (inserts the row the call is about to insert, or
deletes the row it is about to update) and keeps it uncommitted; the *call* then runs in
its own session: its checks do not see the rival's change, and its write waits on the
rival's row lock. Once PostgreSQL reports the call's connection waiting on a lock, the
rival commits, and the call's write meets the committed change: exactly the interleaving
two concurrent requests can produce, with no sleep and no luck involved.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from conference.context import AppContext
from tests.waiting import wait_until_awaited

T = TypeVar("T")

_WAITING = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def postgresql_only(ctx: AppContext) -> None:
    """Skip on SQLite: its one writer at a time never lets two writes overlap."""
    if not ctx.db.url.startswith("postgresql"):
        pytest.skip("a forced race needs PostgreSQL's concurrent writers")


async def lose_race(
    ctx: AppContext,
    rival: Callable[[AsyncSession], Awaitable[None]],
    call: Callable[[AsyncSession], Awaitable[T]],
) -> T:
    """Run ``call`` (then commit its session) while ``rival``'s change is held uncommitted,
    committing the rival only once ``call`` waits on it; what ``call`` returned (or the
    exception it raised, raised again here)."""
    postgresql_only(ctx)

    async def run() -> T:
        async with ctx.db.session() as db:
            result = await call(db)
            await db.commit()
            return result

    async def waiting() -> bool:
        async with ctx.db.session() as probe:
            return int(await probe.scalar(_WAITING) or 0) > 0

    async with ctx.db.session() as other:
        await rival(other)
        await other.flush()
        task = asyncio.create_task(run())
        try:
            await wait_until_awaited(
                lambda: _blocked_or_done(task, waiting), "the call to wait on the rival's lock"
            )
            # Finishing without waiting would mean the race was not forced after all.
            assert not task.done(), "the call never met the rival's uncommitted change"
            await other.commit()
        except BaseException:
            task.cancel()
            raise
    return await task


async def _blocked_or_done(task: asyncio.Task[T], waiting: Callable[[], Awaitable[bool]]) -> bool:
    return task.done() or await waiting()
