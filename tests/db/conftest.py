"""Fixtures for the database tests: empty databases, created per test and thrown away."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests import databases, services


@pytest.fixture
async def fresh_postgres_url() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for this test only; dropped afterwards."""
    base = services.postgres_url()
    url = await databases.create_postgres_database(base)
    try:
        yield url
    finally:
        await databases.drop_postgres_database(base, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind, no migration applied."""
    if request.param == "sqlite":
        return databases.sqlite_url(tmp_path / "empty" / "conference.db")
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url
