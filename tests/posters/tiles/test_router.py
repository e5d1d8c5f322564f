"""Serving a poster's rendered files: to whoever may see the poster, cached for ever
privately, with their content types; refusals for everyone else and for bad addresses."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from conference.accounts.models import Role
from posters.models import Poster, PosterState
from posters.tiles.files import dzi_url, thumbnail_url
from posters.tiles.grants import GRANT_SECONDS, tile_grants
from tests.bench.measure import counting
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.rendering import (
    poster_row,
    run_worker,
    second_client,
    upload_pdf,
)
from tests.posters.sample_pdfs import small_pdf

IMMUTABLE = "private, max-age=31536000, immutable"


async def _rendered(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
    state: PosterState = PosterState.published,
) -> Poster:
    organizer = await users.create(Role.organizer)
    poster = await posters.create(state=state)
    await sign_in(client, organizer.email)
    assert (await upload_pdf(client, poster.id, small_pdf())).status_code == 202
    assert await run_worker(app) is True
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    return await poster_row(app, poster.id)


async def _seen_by_an_attendee(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> tuple[Poster, str]:
    """A rendered poster whose descriptor an attendee (signed in on ``client``) was just
    let in to; its address."""
    poster = await _rendered(app, client, users, posters)
    await sign_in(client, (await users.create()).email)
    url = str(dzi_url(poster))
    assert (await client.get(url)).status_code == 200
    return poster, url


async def test_an_attendee_gets_the_descriptor_tiles_and_thumbnail(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await _rendered(app, client, users, posters)
    await sign_in(client, (await users.create()).email)
    dzi = await client.get(str(dzi_url(poster)))
    assert dzi.status_code == 200, dzi.text
    assert dzi.headers["content-type"] == "application/xml"
    assert dzi.headers["cache-control"] == IMMUTABLE
    assert 'TileSize="254"' in dzi.text
    assert f'<Size Width="{poster.image_width}" Height="{poster.image_height}"/>' in dzi.text
    base = f"/posters/{poster.id}/tiles/{poster.render_version}"
    tile = await client.get(f"{base}/poster_files/12/0_0.jpg")
    assert tile.status_code == 200
    assert tile.headers["content-type"] == "image/jpeg"
    assert tile.headers["cache-control"] == IMMUTABLE
    assert tile.content[:3] == b"\xff\xd8\xff"
    thumbnail = await client.get(str(thumbnail_url(poster)))
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"] == "image/jpeg"
    # Past the grid: no such tile.
    assert (await client.get(f"{base}/poster_files/12/99_0.jpg")).status_code == 404


async def test_a_draft_posters_tiles_are_not_found_for_an_attendee(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await _rendered(app, client, users, posters, state=PosterState.draft)
    base = f"/posters/{poster.id}/tiles/{poster.render_version}"
    attendee = await users.create()
    await sign_in(client, attendee.email)
    for path in ("poster.dzi", "thumbnail.jpg", "poster_files/0/0_0.jpg"):
        assert (await client.get(f"{base}/{path}")).status_code == 404, path
    # Organizers see it.
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    assert (await client.get(f"{base}/poster.dzi")).status_code == 200


async def test_a_visitor_must_sign_in(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await _rendered(app, client, users, posters)
    response = await client.get(str(dzi_url(poster)), headers={"Accept": "application/json"})
    assert response.status_code == 401
    # A file, not a page: no sign-in redirect whatever the client accepts.
    assert (await client.get(str(dzi_url(poster)))).status_code == 401


async def test_a_poster_withdrawn_elsewhere_stops_its_tiles_once_the_grant_lapses(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster, url = await _seen_by_an_attendee(app, client, users, posters)
    # Withdrawn behind this process's back (another process, or by hand).
    async with app.state.ctx.db.session() as db:
        await db.execute(
            update(Poster).where(Poster.id == poster.id).values(state=PosterState.withdrawn)
        )
        await db.commit()
    # Within the grant, served from the app's grants; once it lapses, asked again, refused.
    assert (await client.get(url)).status_code == 200
    grants = tile_grants(app.state.ctx)
    started = grants.clock()
    grants.clock = lambda: started + GRANT_SECONDS + 1
    assert (await client.get(url)).status_code == 404


async def test_withdrawing_a_poster_stops_its_tiles_at_once(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster, url = await _seen_by_an_attendee(app, client, users, posters)
    async with second_client(app) as other:
        await sign_in(other, (await users.create(Role.organizer)).email)
        withdrawn = await other.patch(f"/api/v1/posters/{poster.id}", json={"state": "withdrawn"})
        assert withdrawn.status_code == 200, withdrawn.text
    # The attendee's grant went with the change: refused well within the grant's time.
    assert (await client.get(url)).status_code == 404


async def test_old_versions_and_bad_addresses_are_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await _rendered(app, client, users, posters)
    await sign_in(client, (await users.create()).email)
    version = poster.render_version
    base = f"/posters/{poster.id}/tiles"
    not_found = [
        f"{base}/{version + 1}/poster.dzi",  # not the current render
        f"/posters/999999/tiles/{version}/poster.dzi",
        f"{base}/{version}/other.dzi",
        f"{base}/{version}/other.txt",
        f"{base}/{version}/poster_files/0/0_0.png",
        f"{base}/{version}/poster_files/0/9_9.jpg",  # no such tile
        f"{base}/{version}/poster_files/0/..%2F..%2Fposter.dzi",
        f"{base}/{version}/poster_files/0/0_0_0.jpg",
    ]
    for path in not_found:
        assert (await client.get(path)).status_code == 404, path
    invalid = [
        f"{base}/0/poster.dzi",
        f"{base}/abc/poster.dzi",
        f"{base}/{version}/poster_files/-1/0_0.jpg",
        f"{base}/{version}/poster_files/x/0_0.jpg",
        f"{base}/{version}/poster_files/0/a_0.jpg",
        f"{base}/{version}/poster_files/99999999999/0_0.jpg",
    ]
    for path in invalid:
        response = await client.get(path)
        assert response.status_code in (404, 422), (path, response.status_code)
    # The client resolves the dots: /posters/conference.db, not a poster's address.
    climbing = await client.get(f"{base}/{version}/../../../conference.db")
    assert climbing.status_code == 422
    assert b"SQLite" not in climbing.content
    assert (await client.get(f"{base}/{version}/poster_files/0/0_0.jpg")).status_code == 200


async def test_a_tile_once_let_in_needs_no_database(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    poster = await _rendered(app, client, users, posters)
    await sign_in(client, (await users.create()).email)
    base = f"/posters/{poster.id}/tiles/{poster.render_version}"
    assert (await client.get(f"{base}/poster.dzi")).status_code == 200
    # Only the requests' own statements: the app's background loops (the announcement
    # scheduler, the job runner) poll meanwhile, and on a busy machine inside the window.
    with counting(app.state.ctx.db.engine) as statements:
        for column in range(3):
            response = await client.get(f"{base}/poster_files/12/{column}_0.jpg")
            assert response.status_code == 200
    assert statements == []
