"""Judges and scores for the judging tests, made through the services."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from conference.accounts.models import Role, User
from conference.context import AppContext
from tests.factories import UserFactory

RUBRIC: dict[str, Any] = {
    "content": 5,
    "clarity": 4,
    "design": 3,
    "presentation": 4,
    "comment": "Clear kinetics.",
}


async def judge(
    app: FastAPI, users: UserFactory, *, affiliation: str = "", name: str = "A Judge", **kw: Any
) -> User:
    """An attendee account with ``affiliation`` (judges are ordinary accounts)."""
    user = await users.create(Role.attendee, name=name, **kw)
    ctx: AppContext = app.state.ctx
    async with ctx.db.session() as db:
        found = await db.get(User, user.id)
        assert found is not None
        found.affiliation = affiliation
        await db.commit()
    user.affiliation = affiliation
    return user


async def assign(client: httpx.AsyncClient, poster_id: int, judge_id: int) -> httpx.Response:
    return await client.put(f"/api/v1/posters/{poster_id}/judges/{judge_id}")


async def score(client: httpx.AsyncClient, poster_id: int, **changes: Any) -> httpx.Response:
    return await client.put(f"/api/v1/posters/{poster_id}/score", json={**RUBRIC, **changes})
