from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from conference.accounts.models import User
from tests.factories import csrf


async def test_oversized_body_is_413_and_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await csrf(client)
    limit = app.state.ctx.settings.max_request_bytes
    payload = {
        "name": "x" * (limit + 1),
        "email": "big@example.org",
        "password": "a long enough password",
    }
    response = await client.post("/api/v1/auth/register", json=payload)
    assert response.status_code == 413
    assert response.json() == {"detail": f"Request body too large: the limit is {limit} bytes."}
    async with app.state.ctx.db.session() as db:
        assert await db.scalar(select(func.count()).select_from(User)) == 0


async def test_streamed_body_without_length_is_cut_at_the_limit(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await csrf(client)
    limit = app.state.ctx.settings.max_request_bytes

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    response = await client.post(
        "/api/v1/auth/register",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_invalid_content_length_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login", content=b"{}", headers={"content-length": "abc"}
    )
    assert response.status_code == 400


async def test_program_import_accepts_more_than_the_default(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Imports have their own, larger cap: a 2 MB body is read (and refused as not allowed
    for an anonymous caller), not cut off as too large."""
    await csrf(client)
    body = b'{"schedule": "' + b"x" * (2 * 1_048_576) + b'"}'
    response = await client.post(
        "/api/v1/program/import", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 401
    limit = app.state.ctx.settings.max_import_bytes
    too_big = await client.post(
        "/api/v1/program/import",
        content=b" " * (limit + 1),
        headers={"content-type": "application/json"},
    )
    assert too_big.status_code == 413
