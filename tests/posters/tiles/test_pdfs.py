"""Uploading a poster's PDF: who may, what is refused, and that a refusal writes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role
from conference.errors import InvalidInput
from conference.settings import Settings
from posters.models import Poster, PosterState
from posters.tiles import pdfs
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.rendering import (
    MAX_PDF,
    MAX_REQUEST,
    pdf_files,
    poster_row,
    render_jobs,
    upload_pdf,
)
from tests.posters.sample_pdfs import small_pdf


async def _nothing_written(app: FastAPI, settings: Settings, poster_id: int) -> None:
    poster = await poster_row(app, poster_id)
    assert (poster.pdf_path, poster.pdf_bytes, poster.render_state) == ("", 0, "none")
    assert pdf_files(settings, poster_id) == []
    assert await render_jobs(app) == []


async def _presenter_signed_in(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> Poster:
    """A presenter's poster, with the presenter signed in."""
    presenter = await users.create(email="presenter@example.org")
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    return poster


async def test_the_presenter_uploads_a_pdf_and_its_render_is_queued(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    presenter = await users.create(email="presenter@example.org")
    poster = await posters.create(presenter=presenter, state=PosterState.draft)
    data = small_pdf()
    await sign_in(client, presenter.email)
    response = await upload_pdf(client, poster.id, data)
    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["render_state"], body["render_progress"], body["has_pdf"]) == (
        "queued",
        0.0,
        True,
    )
    row = await poster_row(app, poster.id)
    assert row.pdf_bytes == len(data)
    assert (settings.var_dir / row.pdf_path).read_bytes() == data
    assert pdf_files(settings, poster.id) == [Path(row.pdf_path).name]
    [job] = await render_jobs(app)
    assert (job.state, job.subject) == ("queued", f"poster:{poster.id}")
    assert job.payload == {
        "poster_id": poster.id,
        "pdf_path": row.pdf_path,
        "pdf_sha256": row.pdf_sha256,
    }


async def test_a_new_pdf_replaces_the_queued_render(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    organizer = await users.create(Role.organizer)
    poster = await posters.create()
    await sign_in(client, organizer.email)
    assert (await upload_pdf(client, poster.id, small_pdf(title="One"))).status_code == 202
    assert (await upload_pdf(client, poster.id, small_pdf(title="Two"))).status_code == 202
    row = await poster_row(app, poster.id)
    [job] = await render_jobs(app)
    assert job.payload["pdf_sha256"] == row.pdf_sha256
    # The first PDF is gone with its job; the same PDF again keeps its file.
    assert pdf_files(settings, poster.id) == [Path(row.pdf_path).name]
    assert (await upload_pdf(client, poster.id, small_pdf(title="Two"))).status_code == 202
    assert pdf_files(settings, poster.id) == [Path(row.pdf_path).name]


async def test_save_pdf_keeps_the_bytes_and_queues_the_render(
    app: FastAPI, settings: Settings, posters: PosterFactory
) -> None:
    poster = await posters.create()
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        mine = await db.merge(poster)
        job = await pdfs.save_pdf(
            db, var_dir=settings.var_dir, poster=mine, data=small_pdf(), jobs=ctx.jobs
        )
        await db.commit()
    assert (job.kind, job.state) == ("poster_tiles", "queued")
    assert (await poster_row(app, poster.id)).render_state == "queued"
    async with ctx.db.session() as db:
        mine = await db.merge(poster)
        with pytest.raises(InvalidInput):
            await pdfs.save_pdf(
                db, var_dir=settings.var_dir, poster=mine, data=b"GIF89a", jobs=ctx.jobs
            )


@pytest.mark.parametrize(
    ("who", "poster_state", "target", "refused_with"),
    [
        ("attendee", PosterState.published, "poster", {403}),
        ("another presenter", PosterState.published, "poster", {403}),
        ("visitor", PosterState.published, "poster", {401, 403}),
        # Someone else's draft, or no poster at all: not found (never saying it exists).
        ("attendee", PosterState.draft, "poster", {404}),
        ("attendee", PosterState.draft, "missing", {404}),
    ],
)
async def test_who_may_not_upload(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
    who: str,
    poster_state: PosterState,
    target: str,
    refused_with: set[int],
) -> None:
    if who == "another presenter":
        other = await users.create(email="other@example.org")
        await posters.create(presenter=other)
        await sign_in(client, other.email)
    elif who == "attendee":
        await sign_in(client, (await users.create()).email)
    poster = await posters.create(state=poster_state)
    poster_id = poster.id if target == "poster" else 999_999
    response = await upload_pdf(client, poster_id, small_pdf())
    assert response.status_code in refused_with, response.text
    await _nothing_written(app, settings, poster.id)


async def test_not_a_pdf_is_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    poster = await _presenter_signed_in(client, users, posters)
    for body in (b"", b"\x89PNG\r\n\x1a\n" + b"0" * 2000, b" " * 1024 + b"%PDF-1.7"):
        response = await upload_pdf(client, poster.id, body)
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == "The file is not a PDF."
    await _nothing_written(app, settings, poster.id)


async def _chunks(size: int) -> AsyncIterator[bytes]:
    yield b"%PDF-1.7\n"
    for _ in range(size // 10_000):
        yield b"0" * 10_000


async def test_an_oversized_pdf_is_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    poster = await _presenter_signed_in(client, users, posters)
    declared = await upload_pdf(client, poster.id, b"%PDF-1.7\n" + b"0" * MAX_PDF)
    assert declared.status_code == 413, declared.text
    # Chunked: no length declared, counted as it streams.
    streamed = await upload_pdf(client, poster.id, _chunks(MAX_PDF + 20_000))
    assert streamed.status_code == 413, streamed.text
    await _nothing_written(app, settings, poster.id)


async def test_the_presenter_may_not_upload_after_the_deadline(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    presenter = await users.create(email="presenter@example.org")
    organizer = await users.create(Role.organizer)
    poster = await posters.create(presenter=presenter)
    await sign_in(client, organizer.email)
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    response = await client.put("/api/v1/posters/settings", json={"edit_deadline": past})
    assert response.status_code == 200, response.text
    await sign_in(client, presenter.email)
    late = await upload_pdf(client, poster.id, small_pdf())
    assert late.status_code == 403, late.text
    assert late.json()["detail"] == "The deadline for editing posters has passed."
    await _nothing_written(app, settings, poster.id)
    # Organizers still may.
    await sign_in(client, organizer.email)
    assert (await upload_pdf(client, poster.id, small_pdf())).status_code == 202


async def test_bad_poster_ids_are_refused(client: httpx.AsyncClient, users: UserFactory) -> None:
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    for bad in ("0", "abc", "99999999999999999999"):
        response = await upload_pdf(client, bad, small_pdf())  # type: ignore[arg-type]
        assert response.status_code in (404, 422), (bad, response.text)


async def test_the_poster_page_shows_the_render_to_its_presenter_and_organizers_only(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter = await users.create(email="presenter@example.org")
    attendee = await users.create()
    organizer = await users.create(Role.organizer)
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    page = await client.get(f"/posters/{poster.id}")
    assert page.status_code == 200
    assert 'aria-labelledby="poster-pdf-h"' in page.text
    assert "No PDF yet." in page.text
    assert (await upload_pdf(client, poster.id, small_pdf())).status_code == 202
    page = await client.get(f"/posters/{poster.id}")
    assert "waiting to be rendered" in page.text
    async with app.state.ctx.db.session() as db:
        row = await db.get(Poster, poster.id)
        assert row is not None
        row.render_state = "failed"
        row.render_error = "The PDF is encrypted <b>x</b>"
        await db.commit()
    await sign_in(client, organizer.email)
    page = await client.get(f"/posters/{poster.id}")
    assert "The PDF could not be rendered: The PDF is encrypted &lt;b&gt;x&lt;/b&gt;" in page.text
    await sign_in(client, attendee.email)
    page = await client.get(f"/posters/{poster.id}")
    assert page.status_code == 200
    assert "poster-pdf-h" not in page.text


async def test_the_pdf_route_alone_takes_bodies_over_the_request_limit(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    poster = await _presenter_signed_in(client, users, posters)
    # A PDF may end in any amount of comment after its last %%EOF line.
    large = small_pdf() + b"%" + b"x" * (MAX_REQUEST + 10_000) + b"\n"
    assert MAX_REQUEST < len(large) <= MAX_PDF
    response = await upload_pdf(client, poster.id, large)
    assert response.status_code == 202, response.text
    assert (await poster_row(app, poster.id)).pdf_bytes == len(large)
    too_long = await client.patch(
        f"/api/v1/posters/{poster.id}", json={"title": "t", "abstract": "x" * MAX_REQUEST}
    )
    assert too_long.status_code == 413
