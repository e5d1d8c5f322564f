"""/readyz tells the load balancer the truth when the database goes away or falls behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from conference.db import migrate
from conference.main import create_app
from conference.settings import Settings
from tests import databases, services
from tests.app_settings import app_settings


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_readyz_503_when_postgres_database_dropped(tmp_path: Path) -> None:
    base = services.postgres_url()
    url = await databases.create_postgres_database(base, prefix="conference_readyz")
    try:
        await migrate.upgrade(url)
        async with running_app(app_settings(url, tmp_path / "var")) as client:
            ready = await client.get("/readyz")
            assert ready.status_code == 200
            assert ready.json() == {"status": "ok", "checks": {"database": "ok", "hub": "ok"}}

            # FORCE terminates the app's pooled connection as well.
            await databases.drop_postgres_database(base, url)

            for _ in range(2):  # the dead pooled connection, then a fresh connect attempt
                gone = await client.get("/readyz")
                assert gone.status_code == 503
                body = gone.json()
                assert body["status"] == "unavailable"
                assert body["checks"]["database"].startswith("unreachable"), body
                assert body["checks"]["hub"] == "ok"
    finally:
        await databases.drop_postgres_database(base, url)


async def test_readyz_survives_killed_pooled_connection(tmp_path: Path) -> None:
    """pool_pre_ping replaces a pooled connection the server has dropped."""
    base = services.postgres_url()
    url = await databases.create_postgres_database(base, prefix="conference_readyz")
    try:
        await migrate.upgrade(url)
        async with running_app(app_settings(url, tmp_path / "var")) as client:
            assert (await client.get("/readyz")).status_code == 200
            # The app may hold more than one (the announcement scheduler has its own).
            assert await databases.terminate_connections(base, url) >= 1

            again = await client.get("/readyz")
            assert again.status_code == 200, again.text
            assert again.json()["checks"]["database"] == "ok"
    finally:
        await databases.drop_postgres_database(base, url)


async def test_readyz_503_when_database_not_migrated_to_head(
    empty_database_url: str, tmp_path: Path
) -> None:
    url = empty_database_url
    await migrate.upgrade(url)
    async with running_app(app_settings(url, tmp_path / "var")) as client:
        assert (await client.get("/readyz")).status_code == 200

        await migrate.downgrade(url, "base")

        behind = await client.get("/readyz")
        assert behind.status_code == 503
        assert behind.json() == {
            "status": "unavailable",
            "checks": {"database": "not migrated (None)", "hub": "ok"},
        }

        await migrate.upgrade(url)
        assert (await client.get("/readyz")).status_code == 200
