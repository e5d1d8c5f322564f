"""The poster page's viewer, pointed at the current render's files (``dzi_url``), or why
there is none yet. Serving the files themselves: test_router.py."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.factories import UserFactory, sign_in
from tests.posters.bulk import set_fields
from tests.posters.dzi import make_tiles
from tests.posters.factories import PosterFactory


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
