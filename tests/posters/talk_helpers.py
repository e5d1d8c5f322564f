"""Helpers for the poster talk tests: posters made from a TestClient's portal, and signing
in on a plain async client."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from conference.accounts.models import User
from conference.program.demo.meeting import seed_meeting
from posters.models import PosterState
from tests.posters.factories import PosterFactory


def seed(client: TestClient) -> None:
    """The demo meeting, in a live TestClient's app."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def run() -> None:
        async with ctx.db.session() as db:
            await seed_meeting(db)

    client.portal.call(run)  # type: ignore[union-attr]


def make_poster(
    client: TestClient,
    *,
    presenter_id: int | None = None,
    state: PosterState = PosterState.published,
    **fields: Any,
) -> int:
    """A poster in the live client's meeting (seeded first); its id."""
    factory = PosterFactory(client.app)  # type: ignore[arg-type]

    async def run() -> int:
        presenter = None
        if presenter_id is not None:
            async with factory.ctx.db.session() as db:
                presenter = await db.get(User, presenter_id)
        poster = await factory.create(presenter=presenter, state=state, **fields)
        return poster.id

    poster_id: int = client.portal.call(run)  # type: ignore[union-attr]
    return poster_id
