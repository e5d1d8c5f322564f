"""The console's "Posters" section: the list, and importing abstracts and PDFs by form."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update

from conference.accounts.models import Role
from posters.models import Poster, PosterState, RenderState
from tests.console.pages import text_of
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.import_files import csv_bytes, good_rows, pdf_bytes, zip_bytes

PAGE = "/console/posters"


async def _count(app: FastAPI) -> int:
    async with app.state.ctx.db.session() as db:
        return int(await db.scalar(select(func.count()).select_from(Poster)) or 0)


def _token(html: str) -> str:
    found = re.search(r'name="upload" value="([^"]+)"', html)
    assert found is not None, html
    return found[1]


async def test_organizers_see_the_posters_others_are_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P2", title="Second")
    tenth = await posters.create(board="P10", title="Tenth", state=PosterState.withdrawn)
    async with app.state.ctx.db.session() as db:
        # Half rendered: the job reports progress in percent.
        await db.execute(
            update(Poster)
            .where(Poster.id == tenth.id)
            .values(pdf_path="x.pdf", render_state=RenderState.rendering, render_progress=42.4)
        )
        await db.commit()
    anonymous = await client.get(PAGE)
    assert anonymous.status_code == 303
    attendee = await users.create()
    await sign_in(client, attendee.email)
    assert (await client.get(PAGE)).status_code == 403
    assert (await client.get(PAGE + "/import")).status_code == 403
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    page = await client.get(PAGE)
    assert page.status_code == 200
    assert text_of(page.text, "posters") == (
        "2 posters Posters by board number Board Title Presenting author State PDF "
        "P2 Second Ken Tanaka (Osaka University) Published No PDF "
        "P10 Tenth Ken Tanaka (Osaka University) Withdrawn Rendering (42%)"
    )
    assert f'<a href="/posters/{tenth.id}/edit">Tenth</a>' in page.text
    assert '<a href="/console/posters" aria-current="page">Posters</a>' in page.text


async def test_abstracts_are_previewed_then_applied(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> None:
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    bad = await client.post(
        PAGE + "/import",
        data={"action": "preview"},
        files={"file": ("posters.csv", csv_bytes([["P1", ""]], header=["board", "title"]))},
    )
    assert bad.status_code == 422
    assert "1 problem in posters.csv: nothing was imported" in bad.text
    assert "<td>Row 2</td><td><code>title</code></td><td>the title is required</td>" in bad.text
    preview = await client.post(
        PAGE + "/import",
        data={"action": "preview"},
        files={"file": ("posters.csv", csv_bytes(good_rows()), "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    assert text_of(preview.text, "summary") == "Posters: 2 added, 0 updated, 0 unchanged."
    assert await _count(app) == 0
    token = _token(preview.text)
    # The preview is bound to the organizer who made it.
    other = await users.create(Role.organizer)
    await sign_in(client, other.email)
    theirs = await client.post(PAGE + "/import", data={"action": "apply", "upload": token})
    assert theirs.status_code == 422
    assert await _count(app) == 0
    await sign_in(client, organizer.email)
    applied = await client.post(
        PAGE + "/import", data={"action": "apply", "upload": token, "filename": "posters.csv"}
    )
    assert applied.status_code == 200, applied.text
    assert "Imported posters.csv" in applied.text
    assert await _count(app) == 2
    again = await client.post(
        PAGE + "/import", data={"action": "apply", "upload": token, "filename": "posters.csv"}
    )
    assert again.status_code == 422
    assert "That preview has expired or was already imported." in again.text
    missing = await client.post(PAGE + "/import", data={"action": "preview"})
    assert missing.status_code == 422


async def test_pdfs_are_previewed_then_applied(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P1")
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    content = zip_bytes({"P1.pdf": pdf_bytes()})
    preview = await client.post(
        PAGE + "/import-pdfs",
        data={"action": "preview"},
        files={"file": ("pdfs.zip", content, "application/zip")},
    )
    assert preview.status_code == 200, preview.text
    assert text_of(preview.text, "summary") == "PDFs: 1 new, 0 replaced, 0 unchanged."
    applied = await client.post(
        PAGE + "/import-pdfs",
        data={"action": "apply", "upload": _token(preview.text), "filename": "pdfs.zip"},
    )
    assert applied.status_code == 200, applied.text
    page = await client.get(PAGE)
    assert "<td>Queued</td>" in page.text
    refused = await client.post(
        PAGE + "/import-pdfs",
        data={"action": "preview"},
        files={"file": ("pdfs.zip", zip_bytes({"../P1.pdf": pdf_bytes()}))},
    )
    assert refused.status_code == 422
    assert "the path leads outside the zip&#39;s folder" in refused.text
