"""Factories for program tests: stages, people and sessions made through the API."""

from __future__ import annotations

from typing import Any

import httpx

from conference.accounts.models import Role
from tests.factories import UserFactory, sign_in

API = "/api/v1/program"


async def organizer_client(client: httpx.AsyncClient, users: UserFactory) -> httpx.AsyncClient:
    await users.create(Role.organizer, email="organizer@example.org")
    await sign_in(client, "organizer@example.org")
    return client


class ProgramBuilder:
    """Builds a draft program through the organizer API, asserting every step succeeds."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(f"{API}{path}", json=body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def stage(self, name: str = "Main Stage", **extra: Any) -> dict[str, Any]:
        return await self._post("/stages", {"name": name, **extra})

    async def track(self, name: str = "Interferons", **extra: Any) -> dict[str, Any]:
        return await self._post("/tracks", {"name": name, **extra})

    async def person(self, name: str, **extra: Any) -> dict[str, Any]:
        return await self._post("/people", {"name": name, **extra})

    async def session(
        self, title: str, starts_at: str, ends_at: str, **extra: Any
    ) -> dict[str, Any]:
        body = {"title": title, "starts_at": starts_at, "ends_at": ends_at, **extra}
        return await self._post("/draft/sessions", body)

    async def talk(
        self, session_id: int, title: str, starts_at: str, minutes: int, **extra: Any
    ) -> dict[str, Any]:
        body = {"title": title, "starts_at": starts_at, "duration_minutes": minutes, **extra}
        return await self._post(f"/draft/sessions/{session_id}/talks", body)

    async def publish(self, *, confirm: bool = False, note: str = "") -> httpx.Response:
        return await self.client.post(
            f"{API}/publish", json={"confirm_warnings": confirm, "note": note}
        )
