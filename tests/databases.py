"""Real test databases: a migrated SQLite template copied per test, and a PostgreSQL
database created for the run, migrated once and truncated between tests."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from conference.db import migrate
from conference.db.engine import create_engine
from conference.db.urls import normalise_database_url
from conference.main import all_models_metadata


def sqlite_url(path: Path) -> str:
    return normalise_database_url(f"sqlite:///{path}")


def make_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    asyncio.run(migrate.upgrade(sqlite_url(path)))
    return path


def copy_sqlite(template: Path, directory: Path) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "conference.db"
    shutil.copy(template, target)
    return sqlite_url(target)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_postgres_database(base_url: str, *, prefix: str = "conference_test") -> str:
    """Create an empty database beside the one in ``base_url``; returns its async URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(_asyncpg_dsn(base_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return normalise_database_url(make_url(base_url).set(database=name).render_as_string(False))


async def drop_postgres_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    connection = await asyncpg.connect(_asyncpg_dsn(base_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def truncate_all(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in all_models_metadata().sorted_tables)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


async def terminate_connections(base_url: str, url: str) -> int:
    """Kill every server connection to the database of ``url``, as a failover would."""
    name = make_url(url).database
    connection = await asyncpg.connect(_asyncpg_dsn(base_url))
    try:
        killed = await connection.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await connection.close()
    return int(killed)
