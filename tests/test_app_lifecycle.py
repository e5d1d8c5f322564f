"""An app's lifetime: everything it holds is released once its lifespan has ended.

Per-app state (the poll results publisher, the announcement scheduler and its board, the
hub) lives on the app's context and its realtime registry, never in module-level
dictionaries, and the lifespan closes it; so a process that builds and shuts down apps one
after another (the test suite does, a reload does) frees each of them.
"""

from __future__ import annotations

import gc
import uuid
import weakref

import httpx
import pytest

from conference.context import AppContext
from conference.main import create_app
from conference.realtime import announcements_service, polls_service
from conference.settings import Settings
from tests import services

APPS = 3


@pytest.fixture(params=["memory", "redis"])
def hub_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    if request.param == "memory":
        return settings
    return settings.model_copy(
        update={"redis_url": services.redis_url(), "hub_prefix": f"test-{uuid.uuid4().hex[:8]}:"}
    )


async def serve_once(settings: Settings) -> tuple[weakref.ref[object], weakref.ref[object]]:
    """Build an app, run its lifespan with some work in it, shut it down; weak references
    to the app and its context."""
    app = create_app(settings)
    ctx: AppContext = app.state.ctx
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            # A page renders the announcement board; a vote leaves a results flush pending.
            assert (await http.get("/", headers={"Accept": "text/html"})).status_code == 200
        polls_service.publisher(ctx).touch(1, f"session:{uuid.uuid4()}")
        assert await announcements_service.scheduler(ctx).run_once() == []
    # The lifespan closed the parts it started.
    with pytest.raises(RuntimeError, match="not running"):
        await announcements_service.scheduler(ctx).run_once()
    freed: tuple[weakref.ref[object], weakref.ref[object]] = (weakref.ref(app), weakref.ref(ctx))
    return freed


async def test_apps_shut_down_one_after_another_are_all_freed(hub_settings: Settings) -> None:
    references: list[weakref.ref[object]] = []
    for _ in range(APPS):
        references.extend(await serve_once(hub_settings))
    gc.collect()
    assert [reference() for reference in references] == [None] * (2 * APPS)
