"""The app's grants to posters' rendered files: how long they hold, and what forgets them."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from conference.accounts.models import Role
from posters.tiles.grants import GRANT_SECONDS, MAX_GRANTS, TileGrants, tile_grants
from tests.factories import UserFactory, sign_in
from tests.posters.bulk import set_fields
from tests.posters.dzi import make_tiles
from tests.posters.factories import PosterFactory
from tests.posters.import_files import csv_bytes
from tests.posters.rendering import second_client


async def test_a_grant_holds_for_its_time_and_is_forgotten_by_poster() -> None:
    now = 1_000.0
    grants = TileGrants(clock=lambda: now)
    grants.grant(("a", 1, 1))
    grants.grant(("a", 2, 1))
    grants.grant(("b", 1, 2))
    assert grants.allows(("a", 1, 1))
    assert not grants.allows(("a", 1, 2))  # another version: never let in
    now += GRANT_SECONDS - 1
    assert grants.allows(("a", 1, 1))
    grants.forget(1)
    assert (grants.allows(("a", 1, 1)), grants.allows(("b", 1, 2))) == (False, False)
    assert grants.allows(("a", 2, 1))
    now += 2  # past the first grant's time
    assert not grants.allows(("a", 2, 1))
    grants.grant(("c", 3, 1))
    grants.forget_all()
    assert not grants.allows(("c", 3, 1))
    await grants.close()


async def test_the_grants_stay_bounded() -> None:
    grants = TileGrants()
    for n in range(MAX_GRANTS):
        grants.grant((str(n), n, 1))
    assert grants.allows(("0", 0, 1))
    grants.grant(("last", 1, 1))
    # Full: everyone asks the database once more.
    assert (grants.allows(("0", 0, 1)), grants.allows(("last", 1, 1))) == (False, True)


async def test_each_app_has_its_own_grants(app: FastAPI) -> None:
    grants = tile_grants(app.state.ctx)
    assert isinstance(grants, TileGrants)
    assert tile_grants(app.state.ctx) is grants


async def test_an_import_withdrawing_a_poster_stops_its_tiles_at_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
    demo_meeting: None,
) -> None:
    poster = await posters.create(board="P1")
    media = app.state.ctx.settings.media_root
    async with app.state.ctx.db.session() as db:
        await set_fields(db, poster.id, **make_tiles(media, poster.id, width=300, height=200))
    await sign_in(client, (await users.create()).email)
    url = f"/posters/{poster.id}/tiles/1/poster.dzi"
    assert (await client.get(url)).status_code == 200
    async with second_client(app) as other:
        await sign_in(other, (await users.create(Role.organizer)).email)
        content = csv_bytes([["P1", "Withdrawn", "withdrawn"]], header=["board", "title", "state"])
        imported = await other.post(
            "/api/v1/posters/import",
            params={"apply": "true"},
            content=content,
            headers={"content-type": "text/csv"},
        )
        assert imported.status_code == 200, imported.text
        assert imported.json()["counts"] == {"added": 0, "updated": 1, "unchanged": 0}
    assert (await client.get(url)).status_code == 404
