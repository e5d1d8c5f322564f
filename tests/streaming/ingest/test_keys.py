"""Stream keys: organizers issue, list and revoke them per stage; nobody else may."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.accounts.models import Role
from streaming.demo import seed_stream_key
from streaming.ingest import keys as keys_service
from streaming.models import StreamKey
from tests.factories import UserFactory, csrf, sign_in
from tests.program.factories import ProgramBuilder

pytestmark = pytest.mark.usefixtures("demo_meeting")


def keys_url(slug: str) -> str:
    return f"/api/v1/streaming/stages/{slug}/keys"


@pytest.fixture
async def other_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_issue_returns_the_key_once_and_stores_only_its_hash(
    organizer: httpx.AsyncClient, stage: dict[str, Any], app: FastAPI
) -> None:
    response = await organizer.post(keys_url(stage["slug"]), json={"label": "OBS laptop"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "key", "hint", "label"}
    assert body["label"] == "OBS laptop"
    assert len(body["key"]) == 43  # 32 bytes, URL-safe base64 without padding
    assert body["hint"] == body["key"][:6]

    listed = (await organizer.get(keys_url(stage["slug"]))).json()
    assert [(k["id"], k["hint"], k["label"], k["revoked_at"]) for k in listed] == [
        (body["id"], body["hint"], "OBS laptop", None)
    ]
    assert "key" not in listed[0]
    async with app.state.ctx.db.session() as db:
        row = await db.get(StreamKey, body["id"])
        assert row is not None
        assert row.key_hash == hashlib.sha256(body["key"].encode()).hexdigest()
        assert row.stage_id == stage["id"]


async def test_two_keys_differ_and_issue_without_body(
    organizer: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    first = await organizer.post(keys_url(stage["slug"]))
    second = await organizer.post(keys_url(stage["slug"]), json={})
    assert first.status_code == second.status_code == 201
    assert first.json()["key"] != second.json()["key"]
    assert first.json()["label"] == ""


async def test_revoke_marks_the_key_and_a_valid_key_no_longer_checks(
    organizer: httpx.AsyncClient, stage: dict[str, Any], app: FastAPI
) -> None:
    issued = (await organizer.post(keys_url(stage["slug"]))).json()
    async with app.state.ctx.db.session() as db:
        found = await keys_service.find_stage(db, slug=stage["slug"])
        assert await keys_service.valid_key(db, stage=found, plain=issued["key"]) is not None
    response = await organizer.delete(f"{keys_url(stage['slug'])}/{issued['id']}")
    assert response.status_code == 204
    listed = (await organizer.get(keys_url(stage["slug"]))).json()
    assert listed[0]["revoked_at"] is not None
    async with app.state.ctx.db.session() as db:
        found = await keys_service.find_stage(db, slug=stage["slug"])
        assert await keys_service.valid_key(db, stage=found, plain=issued["key"]) is None
    # Revoking again is harmless.
    assert (await organizer.delete(f"{keys_url(stage['slug'])}/{issued['id']}")).status_code == 204


async def test_key_of_another_stage_is_not_found_there(
    organizer: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    other = await ProgramBuilder(organizer).stage("Side Stage")
    issued = (await organizer.post(keys_url(other["slug"]))).json()
    response = await organizer.delete(f"{keys_url(stage['slug'])}/{issued['id']}")
    assert response.status_code == 404
    assert (await organizer.get(keys_url(stage["slug"]))).json() == []
    assert (await organizer.get(keys_url(other["slug"]))).json()[0]["revoked_at"] is None


async def test_unknown_stage_and_bad_input(
    organizer: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    assert (await organizer.post(keys_url("no-such-stage"))).status_code == 404
    assert (await organizer.get(keys_url("no-such-stage"))).status_code == 404
    too_long = await organizer.post(keys_url(stage["slug"]), json={"label": "x" * 121})
    assert too_long.status_code == 422
    unknown_field = await organizer.post(keys_url(stage["slug"]), json={"stage_id": 1})
    assert unknown_field.status_code == 422
    bad_id = await organizer.delete(f"{keys_url(stage['slug'])}/99999999999")
    assert bad_id.status_code == 422
    assert (await organizer.get(keys_url(stage["slug"]))).json() == []


async def test_attendees_and_anonymous_are_refused(
    organizer: httpx.AsyncClient,
    stage: dict[str, Any],
    other_client: httpx.AsyncClient,
    users: UserFactory,
) -> None:
    issued = (await organizer.post(keys_url(stage["slug"]))).json()
    await csrf(other_client)
    assert (await other_client.post(keys_url(stage["slug"]))).status_code == 401
    assert (await other_client.get(keys_url(stage["slug"]))).status_code == 401
    await users.create(Role.attendee, email="attendee@example.org")
    await users.create(Role.speaker, email="speaker@example.org")
    for email in ("attendee@example.org", "speaker@example.org"):
        await sign_in(other_client, email)
        assert (await other_client.post(keys_url(stage["slug"]))).status_code == 403
        assert (await other_client.get(keys_url(stage["slug"]))).status_code == 403
        revoke = await other_client.delete(f"{keys_url(stage['slug'])}/{issued['id']}")
        assert revoke.status_code == 403
    listed = (await organizer.get(keys_url(stage["slug"]))).json()
    assert [(k["id"], k["revoked_at"]) for k in listed] == [(issued["id"], None)]


async def test_demo_seeder_issues_one_demo_key(
    organizer: httpx.AsyncClient, stage: dict[str, Any], app: FastAPI
) -> None:
    async with app.state.ctx.db.session() as db:
        lines = await seed_stream_key(db, "http://127.0.0.1:8301")
        again = await seed_stream_key(db, "http://127.0.0.1:8301")
        rows = (await db.scalars(select(StreamKey).where(StreamKey.label == "demo"))).all()
    assert len(rows) == 1
    assert again == []
    assert len(lines) == 1
    assert "/whip/main-stage" in lines[0]
    # The address with the port actually served on (make run PORT=8301), not 8000.
    assert lines[0].startswith("OBS (WHIP): server http://127.0.0.1:8301/whip/main-stage, ")
    plain = lines[0].rsplit(" ", 1)[1]
    assert rows[0].key_hash == hashlib.sha256(plain.encode()).hexdigest()
