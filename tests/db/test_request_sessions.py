"""One session per request: a second one opened by the same request is refused (or logged
in production), while tasks the request starts and everything after it open their own."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import text

from conference.db.engine import Database, NestedSessionError, PoolSize, create_engine


async def _one(database: Database) -> int | None:
    async with database.session() as db:
        value: int | None = await db.scalar(text("SELECT 1"))
        return value


async def test_a_second_session_inside_a_request_is_refused(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    try:
        async with database.request_session() as request_db:
            assert await request_db.scalar(text("SELECT 1")) == 1
            with pytest.raises(NestedSessionError, match="take the request's session"):
                await _one(database)
            # Work the request hands to a task of its own (a broadcast, a flush) is not the
            # request's: it opens its own session.
            assert await asyncio.create_task(_one(database)) == 1
        # Once the request's session is closed (the error page runs then), one more is fine.
        assert await _one(database) == 1
    finally:
        await database.dispose()


async def test_production_logs_instead_of_refusing(
    empty_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(empty_database_url, strict=False)
    try:
        with caplog.at_level(logging.ERROR, logger="conference.db.engine"):
            async with database.request_session():
                assert await _one(database) == 1
        assert [r.getMessage() for r in caplog.records] == [
            "a second database session was opened inside a request that holds one: "
            "take the request's session as an argument instead"
        ]
    finally:
        await database.dispose()


async def test_pool_size_comes_from_the_settings(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url, pool=PoolSize(size=3, overflow=1, timeout=2.5))
    try:
        pool = engine.sync_engine.pool
        # SQLAlchemy's pools have no public getter for max_overflow: its attribute is read.
        assert (pool.size(), pool._max_overflow, pool.timeout()) == (3, 1, 2.5)  # type: ignore[attr-defined]
    finally:
        await engine.dispose()
    default = create_engine(empty_database_url)
    try:
        expected = (5, 10) if empty_database_url.startswith("sqlite") else (10, 20)
        pool = default.sync_engine.pool
        assert (pool.size(), pool._max_overflow) == expected  # type: ignore[attr-defined]
    finally:
        await default.dispose()
