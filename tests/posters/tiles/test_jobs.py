"""The poster_tiles job: a real PDF becomes valid Deep Zoom tiles and a thumbnail; broken
and encrypted PDFs fail with a clear error on their poster only; a killed worker retries."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from conference.accounts.models import Role
from conference.jobs import service as jobs_service
from conference.jobs.runner import claimed
from conference.settings import Settings
from posters.models import Poster
from posters.tiles.jobs import POSTER_TILES
from posters.tiles.render import CRASH_ENV, TILE_SIZE, full_size, levels
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.rendering import (
    media_entries,
    poster_row,
    render_jobs,
    run_worker,
    upload_pdf,
)
from tests.posters.sample_pdfs import broken_pdf, empty_pdf, encrypted_pdf, small_pdf

DZ = "{http://schemas.microsoft.com/deepzoom/2008}"
# 200 x 300 mm at 300 dpi.
WIDTH, HEIGHT = 2362, 3543


@pytest.fixture
async def organizer(users: UserFactory) -> str:
    return (await users.create(Role.organizer, email="organizer@example.org")).email


async def _uploaded(
    client: httpx.AsyncClient, organizer: str, posters: PosterFactory, data: bytes
) -> Poster:
    poster = await posters.create()
    await sign_in(client, organizer)
    response = await upload_pdf(client, poster.id, data)
    assert response.status_code == 202, response.text
    return poster


def _render(settings: Settings, poster: Poster) -> Path:
    return settings.media_root / "posters" / str(poster.id) / str(poster.render_version)


def test_the_render_size_is_300_dpi_and_at_most_16k() -> None:
    assert full_size(2383.94, 3370.39) == (9933, 14043)  # A0
    assert full_size(200 / 25.4 * 72, 300 / 25.4 * 72) == (WIDTH, HEIGHT)
    assert full_size(5000.0, 10000.0) == (8192, 16384)
    assert [(lv.width, lv.height) for lv in levels(WIDTH, HEIGHT)[:3]] == [(1, 1), (2, 2), (3, 4)]
    assert len(levels(9933, 14043)) == 15


async def test_a_pdf_becomes_deep_zoom_tiles_and_a_thumbnail(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    organizer: str,
    posters: PosterFactory,
) -> None:
    poster = await _uploaded(client, organizer, posters, small_pdf())
    assert await run_worker(app) is True
    row = await poster_row(app, poster.id)
    [job] = await render_jobs(app)
    assert job.state == "done"
    assert (row.render_state, row.render_progress, row.render_error) == ("ready", 100.0, "")
    assert row.render_version == job.id
    assert (row.image_width, row.image_height) == (WIDTH, HEIGHT)
    folder = _render(settings, row)
    assert media_entries(settings, poster.id) == [str(job.id)]

    dzi = ET.parse(folder / "poster.dzi").getroot()  # noqa: S314 (our own file)
    assert dzi.tag == f"{DZ}Image"
    assert (dzi.get("Format"), dzi.get("Overlap"), dzi.get("TileSize")) == ("jpg", "1", "254")
    size = dzi.find(f"{DZ}Size")
    assert size is not None
    assert (size.get("Width"), size.get("Height")) == (str(WIDTH), str(HEIGHT))

    tiles = folder / "poster_files"
    top = math.ceil(math.log2(HEIGHT))
    assert sorted(int(p.name) for p in tiles.iterdir()) == list(range(top + 1))
    for level in range(top + 1):
        width = math.ceil(WIDTH / 2 ** (top - level))
        height = math.ceil(HEIGHT / 2 ** (top - level))
        columns, rows = math.ceil(width / TILE_SIZE), math.ceil(height / TILE_SIZE)
        names = {p.name for p in (tiles / str(level)).iterdir()}
        assert names == {f"{c}_{r}.jpg" for c in range(columns) for r in range(rows)}
    # Tiles carry one pixel of overlap on each inner side.
    with Image.open(tiles / str(top) / "0_0.jpg") as first:
        assert first.size == (TILE_SIZE + 1, TILE_SIZE + 1)
    with Image.open(tiles / str(top) / "1_1.jpg") as inner:
        assert inner.size == (TILE_SIZE + 2, TILE_SIZE + 2)
    last_column, last_row = (WIDTH - 1) // TILE_SIZE, (HEIGHT - 1) // TILE_SIZE
    with Image.open(tiles / str(top) / f"{last_column}_{last_row}.jpg") as last:
        assert last.size == (WIDTH - last_column * TILE_SIZE + 1, HEIGHT - last_row * TILE_SIZE + 1)
    # The blue box near the top of the page is in the tiles (not a blank render).
    with Image.open(tiles / str(top) / "2_2.jpg") as box:
        red, _green, blue = box.convert("RGB").getpixel((100, 100))  # type: ignore[misc]
        assert blue > 120 > red
    with Image.open(folder / "thumbnail.jpg") as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (480, round(HEIGHT * 480 / WIDTH))


async def test_a_new_render_replaces_the_old_one(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    organizer: str,
    posters: PosterFactory,
) -> None:
    poster = await _uploaded(client, organizer, posters, small_pdf(title="First"))
    assert await run_worker(app) is True
    first = (await poster_row(app, poster.id)).render_version
    assert (await upload_pdf(client, poster.id, small_pdf(title="Second"))).status_code == 202
    queued = await poster_row(app, poster.id)
    assert (queued.render_state, queued.render_version) == ("queued", first)
    assert await run_worker(app) is True
    second = await poster_row(app, poster.id)
    assert second.render_state == "ready"
    assert second.render_version > first
    assert media_entries(settings, poster.id) == [str(second.render_version)]


async def test_broken_encrypted_and_empty_pdfs_fail_on_their_poster_only(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    organizer: str,
    posters: PosterFactory,
) -> None:
    broken = await _uploaded(client, organizer, posters, broken_pdf())
    encrypted = await _uploaded(client, organizer, posters, encrypted_pdf())
    empty = await _uploaded(client, organizer, posters, empty_pdf())
    fine = await _uploaded(client, organizer, posters, small_pdf())
    for _ in range(4):
        assert await run_worker(app) is True
    # Not retried: a broken PDF stays broken.
    assert await run_worker(app) is False

    failed = await poster_row(app, broken.id)
    assert (failed.render_state, failed.render_version) == ("failed", 0)
    assert failed.render_error == (
        "The PDF could not be read (the file is damaged or not a PDF): "
        "export it again and upload it."
    )
    locked = await poster_row(app, encrypted.id)
    assert locked.render_state == "failed"
    assert locked.render_error == (
        "The PDF is encrypted (protected by a password): upload it without a password."
    )
    pageless = await poster_row(app, empty.id)
    assert (pageless.render_state, pageless.render_error) == (
        "failed",
        "The PDF has no pages: export the poster's page again.",
    )
    ready = await poster_row(app, fine.id)
    assert (ready.render_state, ready.render_error) == ("ready", "")
    states = {job.payload["poster_id"]: (job.state, job.attempts) for job in await render_jobs(app)}
    assert states == {
        broken.id: ("failed", 1),
        encrypted.id: ("failed", 1),
        empty.id: ("failed", 1),
        fine.id: ("done", 1),
    }
    assert media_entries(settings, broken.id) == []
    assert media_entries(settings, encrypted.id) == []
    # Their API shows the error to the organizer (and presenter).
    shown = (await client.get(f"/api/v1/posters/{encrypted.id}")).json()
    assert (shown["render_state"], shown["render_error"]) == ("failed", locked.render_error)


async def test_a_crashed_render_is_retried_and_finishes(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    organizer: str,
    posters: PosterFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poster = await _uploaded(client, organizer, posters, small_pdf())
    monkeypatch.setenv(CRASH_ENV, "30")
    assert await run_worker(app) is True
    [job] = await render_jobs(app)
    assert (job.state, job.attempts) == ("queued", 1)
    assert "The poster renderer was killed by signal 9." in job.error
    row = await poster_row(app, poster.id)
    assert row.render_state in ("queued", "rendering")
    # What it had written is hidden, never where the viewer looks.
    assert all(name.startswith(".job-") for name in media_entries(settings, poster.id))

    monkeypatch.delenv(CRASH_ENV)
    assert await run_worker(app) is True
    [job] = await render_jobs(app)
    assert (job.state, job.attempts) == ("done", 2)
    row = await poster_row(app, poster.id)
    assert (row.render_state, row.render_version) == ("ready", job.id)
    assert media_entries(settings, poster.id) == [str(job.id)]


async def test_a_render_crashing_every_time_fails_and_an_organizer_retries_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    organizer: str,
    posters: PosterFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poster = await _uploaded(client, organizer, posters, small_pdf())
    monkeypatch.setenv(CRASH_ENV, "0")
    for _ in range(3):
        assert await run_worker(app) is True
    row = await poster_row(app, poster.id)
    assert row.render_state == "failed"
    assert row.render_error.startswith("The poster could not be rendered; try again")
    assert "killed by signal 9" in row.render_error
    assert media_entries(settings, poster.id) == []

    monkeypatch.delenv(CRASH_ENV)
    [job] = await render_jobs(app)
    async with app.state.ctx.db.session() as db:
        await jobs_service.retry(db, kinds=app.state.ctx.jobs, job_id=job.id)
    assert (await poster_row(app, poster.id)).render_state == "queued"
    assert await run_worker(app) is True
    assert (await poster_row(app, poster.id)).render_state == "ready"


async def test_progress_reaches_the_poster_while_it_renders(
    app: FastAPI,
    client: httpx.AsyncClient,
    organizer: str,
    posters: PosterFactory,
) -> None:
    poster = await _uploaded(client, organizer, posters, small_pdf())
    [job] = await render_jobs(app)
    kind = app.state.ctx.jobs.get(POSTER_TILES)
    claimed_job = claimed(job)
    async with app.state.ctx.db.session() as db:
        await kind.progressed(db, claimed_job, 42.0)
        await db.commit()
    row = await poster_row(app, poster.id)
    assert (row.render_state, row.render_progress) == ("rendering", 42.0)
    shown = (await client.get(f"/api/v1/posters/{poster.id}")).json()
    assert (shown["render_state"], shown["render_progress"]) == ("rendering", 42.0)
    # A job of a PDF replaced meanwhile reports to nobody.
    assert (await upload_pdf(client, poster.id, small_pdf(title="Other"))).status_code == 202
    async with app.state.ctx.db.session() as db:
        await kind.progressed(db, claimed_job, 77.0)
        await db.commit()
    row = await poster_row(app, poster.id)
    assert (row.render_state, row.render_progress) == ("queued", 0.0)
