"""Engine and session factory, built per app (never at import time).

An HTTP request holds exactly one session (:meth:`Database.request_session`, opened by
``conference.deps.get_db``). A second one opened by the same request would need a second
pooled connection while holding the first: once as many requests as the pool holds wait for
their second, none can finish and every request fails after the pool timeout. So
:meth:`Database.session` refuses (development, tests) or logs (production) when the calling
task already holds its request's session; code inside a request takes the request's session
as an argument instead. Background loops and tasks (a different asyncio task) open their own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as sa_create_async_engine

from conference.db.urls import is_sqlite, sqlite_path

logger = logging.getLogger(__name__)

# SQLAlchemy's own default for a SQLite file; PostgreSQL serves more concurrent readers.
SQLITE_POOL = (5, 10)
POSTGRES_POOL = (10, 20)


@dataclass(frozen=True)
class PoolSize:
    """Connections kept open (``size``), extra ones allowed under load (``overflow``) and
    how long a request waits for one before failing (``timeout`` seconds). None: the
    backend's default (:data:`SQLITE_POOL`, :data:`POSTGRES_POOL`)."""

    size: int | None = None
    overflow: int | None = None
    timeout: float = 30.0


class NestedSessionError(RuntimeError):
    """A second database session opened while the request's own one is open."""


@dataclass
class _RequestSession:
    task: asyncio.Task[Any] | None
    session: AsyncSession
    open: bool = True


# The session of the request the current task serves, if any (set by request_session).
_request: ContextVar[_RequestSession | None] = ContextVar("request_session", default=None)


def request_session_in_use() -> AsyncSession | None:
    """The open session of the request the calling task serves, or None."""
    held = _request.get()
    if held is None or not held.open or held.task is not asyncio.current_task():
        return None
    return held.session


def create_engine(url: str, *, echo: bool = False, pool: PoolSize | None = None) -> AsyncEngine:
    """An async engine for ``url`` with the pragmas SQLite needs to behave as a server DB."""
    pool = pool or PoolSize()
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": not is_sqlite(url)}
    defaults = POSTGRES_POOL
    if is_sqlite(url):
        defaults = SQLITE_POOL
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        # aiosqlite runs each connection in its own thread; 30 s lets a writer wait out
        # another writer instead of failing with "database is locked".
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_recycle"] = 1800
    # A memory database lives in one connection (a static pool, which takes no sizes).
    if not is_sqlite(url) or sqlite_path(url) is not None:
        kwargs.update(
            pool_size=defaults[0] if pool.size is None else pool.size,
            max_overflow=defaults[1] if pool.overflow is None else pool.overflow,
            pool_timeout=pool.timeout,
        )
    engine = sa_create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed while one writer commits; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """The engine and session factory one app uses.

    ``strict`` (development and tests) raises :class:`NestedSessionError` when a request
    opens a second session; otherwise (production) it is logged with its stack, so a
    missed case degrades instead of failing every request.
    """

    def __init__(
        self, url: str, *, echo: bool = False, pool: PoolSize | None = None, strict: bool = True
    ) -> None:
        self.url = url
        self.strict = strict
        self.engine = create_engine(url, echo=echo, pool=pool)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session that commits nothing by itself; callers commit what they mean to.

        Not for code running inside an HTTP request that already holds its session: pass
        that session down instead (see the module docstring).
        """
        if request_session_in_use() is not None:
            message = (
                "a second database session was opened inside a request that holds one: "
                "take the request's session as an argument instead"
            )
            if self.strict:
                raise NestedSessionError(message)
            logger.error(message, stack_info=True)
        async with self.sessionmaker() as session:
            yield session

    @asynccontextmanager
    async def request_session(self) -> AsyncIterator[AsyncSession]:
        """The one session of an HTTP request (``conference.deps.get_db``); while it is
        open, :meth:`session` in the same task is refused."""
        async with self.sessionmaker() as session:
            held = _RequestSession(task=asyncio.current_task(), session=session)
            # Never reset: FastAPI may close dependencies in another context; a closed
            # marker left behind admits the error page's own session.
            _request.set(held)
            try:
                yield session
            finally:
                held.open = False

    async def dispose(self) -> None:
        await self.engine.dispose()
