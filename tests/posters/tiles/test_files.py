"""A poster's deep-zoom files, served to whoever may see the poster; the page's viewer."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from posters.models import PosterState
from tests.factories import UserFactory, sign_in
from tests.posters.bulk import set_fields
from tests.posters.dzi import make_tiles
from tests.posters.factories import PosterFactory


async def test_tiles_are_served_for_the_current_render_only(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory, app: FastAPI
) -> None:
    poster = await posters.create(board="P1")
    draft = await posters.create(board="P2", state=PosterState.draft)
    media = app.state.ctx.settings.media_root
    async with app.state.ctx.db.session() as db:
        await set_fields(db, poster.id, **make_tiles(media, poster.id, width=600, height=400))
        await set_fields(db, draft.id, **make_tiles(media, draft.id, width=300, height=200))
    base = f"/posters/{poster.id}/tiles/1"
    assert (await client.get(f"{base}/poster.dzi")).status_code == 401
    attendee = await users.create()
    await sign_in(client, attendee.email)

    dzi = await client.get(f"{base}/poster.dzi")
    assert dzi.status_code == 200
    assert '<Size Width="600" Height="400"/>' in dzi.text
    assert "immutable" in dzi.headers["cache-control"]
    tile = await client.get(f"{base}/poster_files/0/0_0.jpg")
    assert (tile.status_code, tile.headers["content-type"]) == (200, "image/jpeg")
    assert (await client.get(f"{base}/thumbnail.jpg")).status_code == 200
    for wrong in (
        f"/posters/{poster.id}/tiles/2/poster.dzi",  # not the current render
        f"{base}/poster_files/0/9_9.jpg",  # no such tile
        f"{base}/poster_files/0/..%2F..%2Fposter.dzi",
        f"{base}/other.txt",
        f"/posters/{draft.id}/tiles/1/poster.dzi",  # a draft, to an attendee
    ):
        assert (await client.get(wrong)).status_code == 404, wrong
    # The client resolves the dots: /posters/conference.db, not a poster's address.
    climbing = await client.get(f"{base}/../../../conference.db")
    assert climbing.status_code == 422
    assert b"SQLite" not in climbing.content


async def test_the_page_has_the_viewer_or_says_why_not(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory, app: FastAPI
) -> None:
    ready = await posters.create(board="P1")
    waiting = await posters.create(board="P2")
    bare = await posters.create(board="P3")
    async with app.state.ctx.db.session() as db:
        media = app.state.ctx.settings.media_root
        await set_fields(db, ready.id, **make_tiles(media, ready.id, width=300, height=200))
        await set_fields(db, waiting.id, pdf_path="posters/2/poster.pdf", render_state="queued")
    attendee = await users.create()
    await sign_in(client, attendee.email)

    page = (await client.get(f"/posters/{ready.id}")).text
    assert f'data-dzi-url="/posters/{ready.id}/tiles/1/poster.dzi"' in page
    assert 'data-describedby="poster-viewer-keys poster-abstract"' in page
    assert 'id="poster-abstract"' in page
    assert "<kbd>+</kbd>" in page
    assert 'src="/static/vendor/openseadragon/openseadragon.min.js"' in page
    assert "Full screen" in page
    assert "PDF is being prepared" in (await client.get(f"/posters/{waiting.id}")).text
    assert "There is no PDF of this poster yet." in (await client.get(f"/posters/{bare.id}")).text
    script = await client.get("/static/vendor/openseadragon/openseadragon.min.js")
    assert script.status_code == 200
    assert (await client.get("/static/js/poster_viewer.js")).status_code == 200
