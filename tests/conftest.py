"""Fixtures: a real database (SQLite and PostgreSQL), the app on it, and an HTTP client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import expect

from conference.main import create_app
from conference.program.demo.meeting import seed_meeting
from conference.settings import Settings
from tests import databases, netns, services
from tests.app_settings import app_settings
from tests.e2e.browser import ACTION_TIMEOUT_MS
from tests.factories import UserFactory


def pytest_configure(config: pytest.Config) -> None:
    # Playwright's ``expect`` waits 5 s unless told: as long as any page action instead.
    expect.set_options(timeout=ACTION_TIMEOUT_MS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    netns.redirect_to_private_network(items)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.make_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_migrated() -> Iterator[str]:
    """A PostgreSQL database for this run, migrated once; dropped at the end."""
    base = services.postgres_url()
    url = asyncio.run(databases.create_postgres_database(base))
    try:
        from conference.db import migrate

        asyncio.run(migrate.upgrade(url))
        yield url
    finally:
        asyncio.run(databases.drop_postgres_database(base, url))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        return databases.copy_sqlite(template, tmp_path / "db")
    url: str = request.getfixturevalue("postgres_migrated")
    asyncio.run(databases.truncate_all(url))
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return app_settings(database_url, tmp_path / "var")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def demo_meeting(app: FastAPI) -> None:
    """The Cytokines 2021 meeting and its committees, as ``conference demo`` seeds them."""
    async with app.state.ctx.db.session() as db:
        await seed_meeting(db)


@pytest.fixture
def users(app: FastAPI) -> UserFactory:
    """Creates users straight through the accounts service."""
    return UserFactory(app)
