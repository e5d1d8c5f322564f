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


async def small_program(builder: ProgramBuilder) -> dict[str, Any]:
    """Two stages, a track, a chair and a speaker, three sessions over two days."""
    main = await builder.stage("Main Stage", room="Cardiff City Hall")
    side = await builder.stage("Stage B")
    track = await builder.track("Interferons", color="#7a1538")
    chair = await builder.person("Eleanor Chair", affiliation="University of Toronto")
    speaker = await builder.person(
        "Sam Speaker",
        affiliation="University of Pennsylvania",
        country="US",
        biography="Studies IL-27.",
        photo_url="https://example.org/sam.jpg",
    )
    symposium = await builder.session(
        "Interferons in infection",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:30:00+01:00",
        stage_id=main["id"],
        track_id=track["id"],
        chair_ids=[chair["id"]],
        description="Type I and III interferons.\n",
        cme_accredited=True,
        cme_minutes=90,
    )
    await builder.talk(
        symposium["id"], "Type I IFN", "2021-10-18T09:05:00+01:00", 20, speaker_ids=[speaker["id"]]
    )
    await builder.talk(
        symposium["id"],
        "IFN-lambda at barriers",
        "2021-10-18T09:30:00+01:00",
        25,
        speaker_ids=[speaker["id"], chair["id"]],
        may_be_recorded=False,  # a talk's own flag travels in our meta block
    )
    coffee = await builder.session(
        "Coffee",
        "2021-10-18T10:30:00+01:00",
        "2021-10-18T11:00:00+01:00",
        stage_id=side["id"],
        session_type="break",
        may_be_recorded=False,
    )
    opening = await builder.session(
        "Opening plenary",
        "2021-10-17T14:00:00+01:00",
        "2021-10-17T15:15:00+01:00",
        stage_id=main["id"],
        session_type="plenary",
    )
    published = await builder.publish()
    assert published.status_code == 201, published.text
    return {
        "main": main,
        "side": side,
        "chair": chair,
        "speaker": speaker,
        "symposium": symposium,
        "coffee": coffee,
        "opening": opening,
    }
