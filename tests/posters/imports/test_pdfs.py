"""Importing posters' PDFs in bulk from a zip through ``/api/v1/posters/import-pdfs``."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import Role, User
from posters.imports import pdfs
from posters.models import Poster, PosterState
from tests.factories import UserFactory, csrf, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.import_files import pdf_bytes, zeros_zip, zip_bytes

URL = "/api/v1/posters/import-pdfs"
ZIP = {"content-type": "application/zip"}


async def _organizer(client: httpx.AsyncClient, users: UserFactory) -> None:
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)


async def _poster(app: FastAPI, poster_id: int) -> Poster:
    async with app.state.ctx.db.session() as db:
        found: Poster | None = await db.get(Poster, poster_id)
        assert found is not None
        return found


def _outcomes(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(row["board"], row["outcome"]) for row in report["rows"]]


def _files(app: FastAPI) -> list[Path]:
    root: Path = app.state.ctx.settings.var_dir / "posters"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_a_zip_of_pdfs_is_previewed_applied_and_unchanged_after(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    p17 = await posters.create(board="P017")
    p18 = await posters.create(board="P018")
    await _organizer(client, users)
    content = zip_bytes(
        {
            "posters/P017.pdf": pdf_bytes("seventeen"),
            "posters/p018.PDF": pdf_bytes("eighteen"),
            "__MACOSX/posters/._P017.pdf": b"junk",
            "posters/": b"",
        }
    )
    preview = await client.post(URL, content=content, headers=ZIP)
    assert preview.status_code == 200, preview.text
    assert preview.json() == {
        "kind": "pdfs",
        "dry_run": True,
        "rows": [
            {
                "row": None,
                "file": "posters/P017.pdf",
                "board": "P017",
                "title": p17.title,
                "outcome": "added",
                "fields": [],
            },
            {
                "row": None,
                "file": "posters/p018.PDF",
                "board": "P018",
                "title": p18.title,
                "outcome": "added",
                "fields": [],
            },
        ],
        "warnings": ["__MACOSX/posters/._P017.pdf was ignored"],
        "counts": {"added": 2, "updated": 0, "unchanged": 0},
    }
    assert _files(app) == []
    assert (await _poster(app, p17.id)).pdf_path == ""
    applied = await client.post(URL, params={"apply": "true"}, content=content, headers=ZIP)
    assert applied.status_code == 200, applied.text
    assert _outcomes(applied.json()) == [("P017", "added"), ("P018", "added")]
    assert applied.json()["counts"] == {"added": 2, "updated": 0, "unchanged": 0}
    stored = await _poster(app, p17.id)
    assert stored.pdf_sha256 == hashlib.sha256(pdf_bytes("seventeen")).hexdigest()
    assert stored.render_state == "queued"
    path = app.state.ctx.settings.var_dir / stored.pdf_path
    assert path.read_bytes() == pdf_bytes("seventeen")
    assert len(_files(app)) == 2
    again = await client.post(URL, params={"apply": "true"}, content=content, headers=ZIP)
    assert _outcomes(again.json()) == [("P017", "unchanged"), ("P018", "unchanged")]
    assert again.json()["counts"] == {"added": 0, "updated": 0, "unchanged": 2}
    changed = zip_bytes({"P018.pdf": pdf_bytes("eighteen, revised")})
    replaced = await client.post(
        URL, params={"apply": "true"}, files={"file": ("pdfs.zip", changed, "application/zip")}
    )
    assert replaced.status_code == 200, replaced.text
    assert [(r["board"], r["outcome"], r["fields"]) for r in replaced.json()["rows"]] == [
        ("P018", "updated", ["pdf"])
    ]
    assert (await _poster(app, p18.id)).pdf_sha256 == hashlib.sha256(
        pdf_bytes("eighteen, revised")
    ).hexdigest()


async def test_every_bad_member_is_reported_and_nothing_stored(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    p1 = await posters.create(board="P1")
    await posters.create(board="P2", state=PosterState.draft)
    await _organizer(client, users)
    content = zip_bytes(
        {
            "P1.pdf": pdf_bytes(),
            "../P2.pdf": pdf_bytes(),
            "/etc/P2.pdf": pdf_bytes(),
            "folder\\P2.pdf": pdf_bytes(),
            "C:/P2.pdf": pdf_bytes(),
            "P2.pdf": b"<html>not a pdf</html>",
            "P99.pdf": pdf_bytes(),
            "notes.txt": b"hello",
            "sub/P1.pdf": pdf_bytes("again"),
        }
    )
    response = await client.post(URL, params={"apply": "true"}, content=content, headers=ZIP)
    assert response.status_code == 422, response.text
    assert [(e["where"], e["message"]) for e in response.json()["errors"]] == [
        ("../P2.pdf", "the path leads outside the zip's folder"),
        ("/etc/P2.pdf", "the path leads outside the zip's folder"),
        ("folder\\P2.pdf", "the path leads outside the zip's folder"),
        ("C:/P2.pdf", "the path leads outside the zip's folder"),
        ("P2.pdf", "the file is not a PDF"),
        ("P99.pdf", "no poster is on board P99"),
        ("notes.txt", "name each file by its board, as P017.pdf"),
        ("sub/P1.pdf", "board P1 is also P1.pdf"),
    ]
    assert (await _poster(app, p1.id)).pdf_path == ""
    assert _files(app) == []


async def test_a_zip_bomb_is_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P1")
    await _organizer(client, users)
    bomb = zeros_zip("P1.pdf", 200)  # 200 MB of zeros: about 200 kB zipped
    assert len(bomb) < 1_048_576
    response = await client.post(URL, params={"apply": "true"}, content=bomb, headers=ZIP)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["message"] == (
        "refused: the file inflates more than 50 times: a zip bomb"
    )
    assert _files(app) == []


async def test_refusals(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P1")
    content = zip_bytes({"P1.pdf": pdf_bytes()})
    await csrf(client)
    anonymous = await client.post(URL, content=content, headers=ZIP)
    assert anonymous.status_code == 401
    attendee = await users.create()
    await sign_in(client, attendee.email)
    assert (await client.post(URL, content=content, headers=ZIP)).status_code == 403
    await _organizer(client, users)
    not_zip = await client.post(URL, content=b"%PDF-1.7 not a zip", headers=ZIP)
    assert (not_zip.status_code, not_zip.json()["detail"]) == (
        422,
        "file: the file is not a zip archive",
    )
    empty = await client.post(URL, content=zip_bytes({"readme/": b""}), headers=ZIP)
    assert (empty.status_code, empty.json()["detail"]) == (422, "file: the zip holds no PDF")
    limit = app.state.ctx.settings.max_poster_zip_bytes
    big = await client.post(URL, content=b"", headers={**ZIP, "content-length": str(limit + 1)})
    assert big.status_code == 413
    assert _files(app) == []


async def test_a_failure_midway_rolls_back_in_the_callers_session(
    app: FastAPI,
    users: UserFactory,
    posters: PosterFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p1 = await posters.create(board="P1")
    p2 = await posters.create(board="P2")
    organizer = await users.create(Role.organizer)
    real_store = pdfs.store_pdf
    stored: list[tuple[AsyncSession, int]] = []

    async def store_then_fail(db: AsyncSession, *, poster: Poster, **kwargs: Any) -> None:
        if stored:
            raise OSError("the disk is full")
        stored.append((db, poster.id))
        await real_store(db, poster=poster, **kwargs)

    monkeypatch.setattr(pdfs, "store_pdf", store_then_fail)
    ctx = app.state.ctx
    content = zip_bytes({"P1.pdf": pdf_bytes("one"), "P2.pdf": pdf_bytes("two")})
    async with ctx.db.session() as db:
        mine = await db.get(User, organizer.id)
        assert mine is not None
        with pytest.raises(OSError, match="the disk is full"):
            await pdfs.apply_pdf_import(
                db,
                meeting_id=p1.meeting_id,
                var_dir=ctx.settings.var_dir,
                source=io.BytesIO(content),
                dry_run=False,
                jobs=ctx.jobs,
            )
        # The import wrote through the caller's session (a request's own, never a second).
        assert stored == [(db, p1.id)]
        # Only the import's savepoint rolled back: the caller's objects stay loaded.
        assert mine.email == organizer.email
    assert (await _poster(app, p1.id)).pdf_path == ""
    assert (await _poster(app, p2.id)).pdf_path == ""
    assert _files(app) == []
