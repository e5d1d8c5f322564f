"""WHIP refusals (no WebRTC needed): keys, roles, bad offers, a stage already live.

The live path (a real publisher over loopback) is in test_broadcasts.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aioice.ice
import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role
from streaming import broadcasts
from streaming.ingest import keys
from streaming.ingest.ice import allow_ice_interfaces
from streaming.ingest.peer import as_dtls_server
from tests.factories import UserFactory, csrf, sign_in
from tests.program.factories import ProgramBuilder

pytestmark = pytest.mark.usefixtures("demo_meeting")

SDP = {"Content-Type": "application/sdp"}
# Parses as SDP but offers nothing to receive.
EMPTY_OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
GARBAGE_OFFER = "v=0\r\nthis is not a session description\r\nm=video\r\n"


def bearer(key: str) -> dict[str, str]:
    return {**SDP, "Authorization": f"Bearer {key}"}


@pytest.fixture
async def key(organizer: httpx.AsyncClient, stage: dict[str, Any]) -> dict[str, Any]:
    response = await organizer.post(f"/api/v1/streaming/stages/{stage['slug']}/keys")
    assert response.status_code == 201
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client without cookies: what OBS is."""
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 50002))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_wrong_missing_and_malformed_keys_get_401_with_bearer_challenge(
    anonymous: httpx.AsyncClient, stage: dict[str, Any], key: dict[str, Any]
) -> None:
    url = f"/whip/{stage['slug']}"
    for headers in (
        bearer("not-the-key"),
        bearer(key["key"] + "x"),
        bearer("x" * 5000),
        {**SDP, "Authorization": f"Basic {key['key']}"},
        {**SDP, "Authorization": ""},
        SDP,
    ):
        response = await anonymous.post(url, content=EMPTY_OFFER, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["www-authenticate"] == "Bearer"


async def test_revoked_key_gets_401(
    organizer: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    stage: dict[str, Any],
    key: dict[str, Any],
) -> None:
    url = f"/whip/{stage['slug']}"
    before = await anonymous.post(url, content=EMPTY_OFFER, headers=bearer(key["key"]))
    assert before.status_code == 422  # the key passed; the offer has no video
    revoke = await organizer.delete(f"/api/v1/streaming/stages/{stage['slug']}/keys/{key['id']}")
    assert revoke.status_code == 204
    after = await anonymous.post(url, content=EMPTY_OFFER, headers=bearer(key["key"]))
    assert after.status_code == 401
    assert after.headers["www-authenticate"] == "Bearer"


async def test_key_of_another_stage_gets_401(
    organizer: httpx.AsyncClient, anonymous: httpx.AsyncClient, key: dict[str, Any]
) -> None:
    other = await ProgramBuilder(organizer).stage("Side Stage")
    response = await anonymous.post(
        f"/whip/{other['slug']}", content=EMPTY_OFFER, headers=bearer(key["key"])
    )
    assert response.status_code == 401


async def test_unknown_stage_404_and_bad_bodies(
    anonymous: httpx.AsyncClient, stage: dict[str, Any], key: dict[str, Any]
) -> None:
    unknown = await anonymous.post("/whip/no-stage", content=EMPTY_OFFER, headers=bearer("k"))
    assert unknown.status_code == 404
    url = f"/whip/{stage['slug']}"
    auth = {"Authorization": f"Bearer {key['key']}"}
    as_json = await anonymous.post(url, json={"sdp": EMPTY_OFFER}, headers=auth)
    assert as_json.status_code == 415
    no_type = await anonymous.post(url, content=EMPTY_OFFER, headers=auth)
    assert no_type.status_code == 415
    for body in (b"", b"hello", GARBAGE_OFFER.encode(), b"v=0\r\n\xff\xfe", EMPTY_OFFER.encode()):
        response = await anonymous.post(url, content=body, headers=bearer(key["key"]))
        assert response.status_code == 422, (body, response.text)
        assert "detail" in response.json()
    too_big = await anonymous.post(url, content=b"v=0\r\n" + b"a" * 2_000_000, headers=auth)
    assert too_big.status_code == 413


async def test_options_and_patch(anonymous: httpx.AsyncClient, stage: dict[str, Any]) -> None:
    options = await anonymous.options(f"/whip/{stage['slug']}")
    assert options.status_code == 204
    assert options.headers["accept-post"] == "application/sdp"
    patch = await anonymous.patch(f"/whip/{stage['slug']}/abc", content="a=candidate")
    assert patch.status_code == 405


async def test_signed_in_attendee_gets_403_and_anonymous_401(
    client: httpx.AsyncClient, users: UserFactory, stage: dict[str, Any], app: FastAPI
) -> None:
    await users.create(Role.attendee, email="attendee@example.org")
    await sign_in(client, "attendee@example.org")
    url = f"/whip/{stage['slug']}"
    refused = await client.post(url, content=EMPTY_OFFER, headers=SDP)
    assert refused.status_code == 403
    # The cookie without the CSRF header is refused before anything else.
    del client.headers["X-CSRF-Token"]
    assert (await client.post(url, content=EMPTY_OFFER, headers=SDP)).status_code == 403
    async with app.state.ctx.db.session() as db:
        assert await broadcasts.live_broadcast(db, stage_id=stage["id"]) is None


async def test_organizer_cookie_passes_authorization(
    organizer: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    response = await organizer.post(f"/whip/{stage['slug']}", content=EMPTY_OFFER, headers=SDP)
    assert response.status_code == 422  # past authorization: refused for having no video


async def test_chairs_and_speakers_of_today_on_that_stage_may_publish(
    organizer: httpx.AsyncClient, users: UserFactory, app: FastAPI, stage: dict[str, Any]
) -> None:
    builder = ProgramBuilder(organizer)
    other_stage = await builder.stage("Side Stage")
    chair_user = await users.create(Role.attendee, email="chair@example.org")
    elsewhere_user = await users.create(Role.speaker, email="elsewhere@example.org")
    chair = await builder.person("Chair Person", user_id=chair_user.id)
    elsewhere = await builder.person("Other Speaker", user_id=elsewhere_user.id)
    now = datetime.now(UTC)
    start, end = (now - timedelta(minutes=5)).isoformat(), (now + timedelta(minutes=30)).isoformat()
    await builder.session("Today here", start, end, stage_id=stage["id"], chair_ids=[chair["id"]])
    await builder.session(
        "Today there", start, end, stage_id=other_stage["id"], chair_ids=[elsewhere["id"]]
    )
    assert (await builder.publish(confirm=True)).status_code == 201

    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50003))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        await sign_in(http, "chair@example.org")
        allowed = await http.post(f"/whip/{stage['slug']}", content=EMPTY_OFFER, headers=SDP)
        assert allowed.status_code == 422  # authorized; the offer has no video
        other = await http.post(f"/whip/{other_stage['slug']}", content=EMPTY_OFFER, headers=SDP)
        assert other.status_code == 403
        await sign_in(http, "elsewhere@example.org")
        refused = await http.post(f"/whip/{stage['slug']}", content=EMPTY_OFFER, headers=SDP)
        assert refused.status_code == 403


async def test_a_stage_already_live_gets_409(
    anonymous: httpx.AsyncClient, app: FastAPI, stage: dict[str, Any], key: dict[str, Any]
) -> None:
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
        live, _ = await broadcasts.begin(
            ctx,
            db,
            stage=found,
            resource_id="held-elsewhere",
            stream_key_id=None,
            publisher_id=None,
        )
    response = await anonymous.post(
        f"/whip/{stage['slug']}", content=EMPTY_OFFER, headers=bearer(key["key"])
    )
    assert response.status_code == 409
    # DELETE of a broadcast this process does not hold ends its row (its holder stops).
    wrong = await anonymous.delete(
        f"/whip/{stage['slug']}/held-elsewhere", headers=bearer("bad-key")
    )
    assert wrong.status_code == 401
    missing = await anonymous.delete(f"/whip/{stage['slug']}/nope", headers=bearer(key["key"]))
    assert missing.status_code == 404
    ended = await anonymous.delete(
        f"/whip/{stage['slug']}/held-elsewhere", headers=bearer(key["key"])
    )
    assert ended.status_code == 200
    async with ctx.db.session() as db:
        assert await broadcasts.live_broadcast(db, stage_id=stage["id"]) is None
    again = await anonymous.delete(
        f"/whip/{stage['slug']}/held-elsewhere", headers=bearer(key["key"])
    )
    assert again.status_code == 404
    assert live.resource_id == "held-elsewhere"


async def test_csrf_free_only_without_the_session_cookie(
    organizer: httpx.AsyncClient, stage: dict[str, Any], key: dict[str, Any]
) -> None:
    # A signed-in browser sending a bearer key still needs the CSRF header.
    organizer.headers.pop("X-CSRF-Token")
    response = await organizer.post(
        f"/whip/{stage['slug']}", content=EMPTY_OFFER, headers=bearer(key["key"])
    )
    assert response.status_code == 403
    await csrf(organizer)


def test_ice_interfaces_setting_chooses_host_candidates() -> None:
    default = aioice.ice.get_host_addresses
    try:
        allow_ice_interfaces("lo")
        assert "127.0.0.1" in aioice.ice.get_host_addresses(True, False)
        allow_ice_interfaces("127.0.0.1, 192.0.2.99")  # an address this machine lacks
        assert aioice.ice.get_host_addresses(True, False) == ["127.0.0.1"]
        assert aioice.ice.get_host_addresses(False, True) == []
        allow_ice_interfaces("no-such-interface")
        assert aioice.ice.get_host_addresses(True, True) == []
        allow_ice_interfaces("")
        assert aioice.ice.get_host_addresses is default
        assert "127.0.0.1" not in aioice.ice.get_host_addresses(True, False)
    finally:
        allow_ice_interfaces("")


def test_answers_take_the_dtls_server_role_when_the_offer_lets_them() -> None:
    answer = "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=setup:active\r\na=mid:0\r\n"
    passive = as_dtls_server("v=0\r\na=setup:actpass\r\n", answer)
    assert passive == answer.replace("a=setup:active", "a=setup:passive")
    # An offer that picked its role keeps what aiortc answered.
    assert as_dtls_server("v=0\r\na=setup:passive\r\n", answer) == answer
    held = answer.replace("active", "passive")
    assert as_dtls_server("v=0\r\na=setup:active\r\n", held) == held
