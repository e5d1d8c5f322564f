"""Deleting a poster (organizers): its row and everything hanging off it, and its files
(the PDF under VAR_DIR, the tiles under MEDIA_DIR) once the deletion is committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.accounts.models import Role
from conference.extensions import owner_key
from conference.settings import Settings
from posters.models import Poster, PosterAuthor, PosterKeyword, PosterState, RenderState
from streaming.library.service import recording_dir
from streaming.models import Caption, Recording, RecordingSource, RecordingStatus
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.rendering import (
    media_entries,
    pdf_files,
    poster_row,
    render_jobs,
    render_settings,
    run_worker,
    upload_pdf,
)
from tests.posters.sample_pdfs import small_pdf


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return render_settings(database_url, tmp_path / "var")


async def rows(app: FastAPI, poster_id: int) -> tuple[int, int, int]:
    """How many poster, author and keyword rows the poster has."""
    async with app.state.ctx.db.session() as db:

        async def count(model: type[Any], column: Any) -> int:
            return int(await db.scalar(select(func.count()).select_from(model).where(column)) or 0)

        return (
            await count(Poster, Poster.id == poster_id),
            await count(PosterAuthor, PosterAuthor.poster_id == poster_id),
            await count(PosterKeyword, PosterKeyword.poster_id == poster_id),
        )


async def rendered_poster(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> Poster:
    """A poster whose PDF is uploaded and rendered, by a signed-in organizer."""
    organizer = await users.create(Role.organizer, Role.attendee)
    poster = await posters.create(state=PosterState.published)
    await sign_in(client, organizer.email)
    assert (await upload_pdf(client, poster.id, small_pdf())).status_code == 202
    assert await run_worker(app)
    assert (await poster_row(app, poster.id)).render_state == RenderState.ready
    return poster


async def test_deleting_a_poster_removes_its_rows_and_files(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    poster = await rendered_poster(app, client, users, posters)
    other = await posters.create(state=PosterState.published)
    (settings.var_dir / "posters" / str(other.id)).mkdir(parents=True)
    (settings.var_dir / "posters" / str(other.id) / "kept.pdf").write_bytes(b"%PDF-1.4")
    assert len(pdf_files(settings, poster.id)) == 1
    assert len(media_entries(settings, poster.id)) == 1
    assert await rows(app, poster.id) == (1, 2, 2)

    response = await client.delete(f"/api/v1/posters/{poster.id}")
    assert response.status_code == 204
    assert await rows(app, poster.id) == (0, 0, 0)
    assert not (settings.var_dir / "posters" / str(poster.id)).exists()
    assert not (settings.media_root / "posters" / str(poster.id)).exists()
    # Another poster's files stay.
    assert pdf_files(settings, other.id) == ["kept.pdf"]
    assert (await client.get(f"/api/v1/posters/{poster.id}")).status_code == 404
    again = await client.delete(f"/api/v1/posters/{poster.id}")
    assert again.status_code == 404


async def test_a_queued_render_goes_with_its_poster(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    organizer = await users.create(Role.organizer, Role.attendee)
    poster = await posters.create()
    await sign_in(client, organizer.email)
    assert (await upload_pdf(client, poster.id, small_pdf())).status_code == 202
    assert [j.state for j in await render_jobs(app)] == ["queued"]
    assert (await client.delete(f"/api/v1/posters/{poster.id}")).status_code == 204
    assert await render_jobs(app) == []
    assert pdf_files(settings, poster.id) == []
    assert not await run_worker(app)


async def test_only_organizers_delete_and_a_refusal_keeps_everything(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    presenter = await users.create(email="presenter@example.org")
    organizer = await users.create(Role.organizer, Role.attendee)
    poster = await posters.create(presenter=presenter, state=PosterState.published)
    await sign_in(client, organizer.email)
    assert (await upload_pdf(client, poster.id, small_pdf())).status_code == 202
    files = pdf_files(settings, poster.id)
    for who in (presenter, await users.create()):
        await sign_in(client, who.email)
        assert (await client.delete(f"/api/v1/posters/{poster.id}")).status_code == 403
        form = {"confirm": "1"}
        assert (await client.post(f"/posters/{poster.id}/delete", data=form)).status_code == 403
    assert await rows(app, poster.id) == (1, 1, 2)
    assert pdf_files(settings, poster.id) == files != []


async def test_the_edit_page_deletes_after_a_confirmation(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    poster = await rendered_poster(app, client, users, posters)
    page = await client.get(f"/posters/{poster.id}/edit", headers={"Accept": "text/html"})
    assert f'action="/posters/{poster.id}/delete"' in page.text
    unconfirmed = await client.post(f"/posters/{poster.id}/delete", headers={"Accept": "text/html"})
    assert unconfirmed.status_code == 422
    assert await rows(app, poster.id) == (1, 2, 2)
    assert media_entries(settings, poster.id) != []
    deleted = await client.post(f"/posters/{poster.id}/delete", data={"confirm": "1"})
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/console/posters"
    assert await rows(app, poster.id) == (0, 0, 0)
    assert not (settings.var_dir / "posters" / str(poster.id)).exists()
    assert not (settings.media_root / "posters" / str(poster.id)).exists()


async def test_deleting_a_poster_removes_its_narration(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
) -> None:
    """The narration streaming keeps for the poster (Extensions.owner_erasers): its row and
    captions now, its media folder once committed; another poster's narration stays."""
    organizer = await users.create(Role.organizer, Role.attendee)
    poster = await posters.create(state=PosterState.published)
    other = await posters.create(state=PosterState.published)
    folders: dict[int, Path] = {}
    async with app.state.ctx.db.session() as db:
        for owner in (poster, other):
            recording = Recording(
                owner=owner_key("poster", owner.id),
                title="Narration",
                source=RecordingSource.upload,
                status=RecordingStatus.ready,
                media_path="",
            )
            db.add(recording)
            await db.flush()
            db.add(Caption(recording_id=recording.id, language="en", label="English"))
            folders[owner.id] = recording_dir(settings.media_root, recording.id)
            folders[owner.id].mkdir(parents=True)
            (folders[owner.id] / "master.m3u8").write_text("#EXTM3U\n")
        await db.commit()
    await sign_in(client, organizer.email)

    assert (await client.delete(f"/api/v1/posters/{poster.id}")).status_code == 204

    async with app.state.ctx.db.session() as db:
        owners = list(await db.scalars(select(Recording.owner).order_by(Recording.id)))
        captions = int(await db.scalar(select(func.count()).select_from(Caption)) or 0)
    assert owners == [owner_key("poster", other.id)]
    assert captions == 1
    assert not folders[poster.id].exists()
    assert (folders[other.id] / "master.m3u8").read_text() == "#EXTM3U\n"
