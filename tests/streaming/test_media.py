"""Authorized media delivery: tokens, safe paths, headers, ranges, play and stage status."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from conference.db.types import utcnow
from conference.main import create_app
from conference.program.demo.meeting import seed_meeting
from conference.settings import Settings
from streaming import tokens
from streaming.models import BroadcastState, RecordingStatus
from tests.app_settings import app_settings
from tests.factories import UserFactory, sign_in
from tests.streaming.recording_setup import (
    ATTENDEE,
    SEGMENT,
    Program,
    add_broadcast,
    add_recording,
    client_of,
    ctx_of,
    publish_program,
    write_hls,
)


@pytest.fixture
async def program(client: httpx.AsyncClient, users: UserFactory, demo_meeting: None) -> Program:
    return await publish_program(client, users)


@pytest.fixture
def live_dir(app: FastAPI, program: Program) -> Path:
    folder = ctx_of(app).settings.media_root / "streams" / program.stage_slug
    write_hls(folder, download=False, poster=False)
    return folder


def token_for(app: FastAPI, scope: str, *, ttl: int = 600, now: float | None = None) -> str:
    return tokens.issue(app.state.streaming.media_secret, scope, ttl_seconds=ttl, now=now)


async def test_live_files_need_a_token_for_their_stage(
    app: FastAPI, program: Program, live_dir: Path
) -> None:
    url = f"/streams/{program.stage_slug}/360p/seg_00001.m4s"
    scope = tokens.stage_scope(program.stage_slug)
    async with client_of(app, ATTENDEE) as viewer:
        assert (await viewer.get(url)).status_code == 403
        expired = token_for(app, scope, ttl=60, now=time.time() - 120)
        assert (await viewer.get(url, params={"token": expired})).status_code == 403
        other = token_for(app, tokens.stage_scope("other-stage"))
        assert (await viewer.get(url, params={"token": other})).status_code == 403
        forged = token_for(app, scope)[:-2] + "AA"
        assert (await viewer.get(url, params={"token": forged})).status_code == 403
        by_query = await viewer.get(url, params={"token": token_for(app, scope)})
        assert by_query.status_code == 200
        assert by_query.content == SEGMENT
        # The status endpoint sets the cookie the player then sends by itself.
        status = await viewer.get(f"/api/v1/streaming/stages/{program.stage_slug}/status")
        assert status.status_code == 200
        cookie = status.headers["set-cookie"]
        assert f"Path=/streams/{program.stage_slug}/" in cookie
        assert "HttpOnly" in cookie
        assert "samesite=lax" in cookie.lower()
        assert "Max-Age=120" in cookie
        assert "Secure" not in cookie  # development; production adds it
        by_cookie = await viewer.get(url)
        assert by_cookie.status_code == 200
        assert by_cookie.content == SEGMENT
        # The cookie's Path keeps it away from other scopes.
        assert viewer.cookies.get(tokens.COOKIE, path=f"/streams/{program.stage_slug}/")


def _other_digits(token: str, zero: int) -> str:
    expires, _, digest = token.partition("-")
    return "".join(chr(zero + int(c)) for c in expires) + "-" + digest


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: _other_digits(t, 0x0660),  # Arabic-Indic digits: int() reads them
        lambda t: _other_digits(t, 0xFF10),  # fullwidth digits
        lambda t: "\u00b2" + t,  # isdigit() but not int()
        lambda t: t.replace("-", "\u00b2-", 1),
        lambda t: t[:-1] + "\u00e9",  # compare_digest raises on non-ASCII text
        lambda t: t[:-1] + "\u0661",
        lambda t: t + "\u00e9",
        lambda t: t.replace("-", "\u2010", 1),
        lambda t: "+" + t,
    ],
)
async def test_non_ascii_tokens_are_refused(
    app: FastAPI, program: Program, live_dir: Path, mangle: Callable[[str], str]
) -> None:
    scope = tokens.stage_scope(program.stage_slug)
    token = token_for(app, scope)
    bad = mangle(token)
    assert not tokens.verify(app.state.streaming.media_secret, scope, bad)
    url = f"/streams/{program.stage_slug}/360p/seg_00001.m4s"
    async with client_of(app, ATTENDEE) as viewer:
        assert (await viewer.get(url, params={"token": bad})).status_code == 403
        # A raw cookie header, as a client may send it (UTF-8 bytes, read as Latin-1).
        cookie = f"{tokens.COOKIE}={bad}".encode()
        assert (await viewer.get(url, headers={b"Cookie": cookie})).status_code == 403
        assert (await viewer.get(url, params={"token": token})).status_code == 200


async def test_token_of_a_stage_does_not_open_a_recording(app: FastAPI, program: Program) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    stage_token = token_for(app, tokens.stage_scope(program.stage_slug))
    other_recording = token_for(app, tokens.recording_scope(recording_id + 1))
    async with client_of(app, ATTENDEE) as viewer:
        url = f"/vod/{recording_id}/master.m3u8"
        assert (await viewer.get(url, params={"token": stage_token})).status_code == 403
        assert (await viewer.get(url, params={"token": other_recording})).status_code == 403
        own = token_for(app, tokens.recording_scope(recording_id))
        assert (await viewer.get(url, params={"token": own})).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "%2e%2e/%2e%2e/secret_key",
        "..%2f..%2fsecret_key",
        "360p/%2e%2e/%2e%2e/%2e%2e/secret_key",
        "%2fetc%2fpasswd",
        ".hidden.m3u8",
        "360p/.seg.m4s",
        "360p/seg_00001.m4s%00.m3u8",
        "360p\\seg_00001.m4s",
        "notes.txt",
        "360p",
        "missing.m3u8",
        "outside.m3u8",
    ],
)
async def test_paths_outside_or_hidden_are_not_found(
    app: FastAPI, program: Program, live_dir: Path, path: str
) -> None:
    (live_dir / ".hidden.m3u8").write_text("#EXTM3U\n")
    (live_dir / "360p" / ".seg.m4s").write_bytes(SEGMENT)
    (live_dir / "notes.txt").write_text("not media")
    secret = live_dir.parent.parent / "secret.m3u8"
    secret.write_text("#EXTM3U\n")
    (live_dir / "outside.m3u8").symlink_to(secret)
    token = token_for(app, tokens.stage_scope(program.stage_slug))
    async with client_of(app, ATTENDEE) as viewer:
        response = await viewer.get(f"/streams/{program.stage_slug}/{path}?token={token}")
    assert response.status_code == 404
    assert b"EXTM3U" not in response.content


async def test_bad_stage_names_are_not_found(app: FastAPI, program: Program) -> None:
    async with client_of(app, ATTENDEE) as viewer:
        response = await viewer.get("/streams/%2e%2e/recordings/1/master.m3u8")
    assert response.status_code == 404


async def test_content_types_and_cache_headers(
    app: FastAPI, program: Program, live_dir: Path
) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id, allow_download=True)
    vod = ctx_of(app).settings.media_root / "recordings" / str(recording_id)
    (vod / "captions").mkdir()
    (vod / "captions" / "en.vtt").write_text("WEBVTT\n")
    live_token = token_for(app, tokens.stage_scope(program.stage_slug))
    vod_token = token_for(app, tokens.recording_scope(recording_id))
    immutable = "private, max-age=31536000, immutable"
    expected = [
        (f"/streams/{program.stage_slug}/master.m3u8", live_token,
         "application/vnd.apple.mpegurl", "private, max-age=1"),
        (f"/streams/{program.stage_slug}/360p/index.m3u8", live_token,
         "application/vnd.apple.mpegurl", "private, max-age=1"),
        (f"/streams/{program.stage_slug}/360p/init.mp4", live_token, "video/mp4", immutable),
        (f"/streams/{program.stage_slug}/360p/seg_00001.m4s", live_token,
         "video/iso.segment", immutable),
        (f"/vod/{recording_id}/master.m3u8", vod_token,
         "application/vnd.apple.mpegurl", "private, max-age=60"),
        (f"/vod/{recording_id}/360p/seg_00001.m4s", vod_token, "video/iso.segment", immutable),
        (f"/vod/{recording_id}/recording.mp4", vod_token, "video/mp4", "private, max-age=60"),
        (f"/vod/{recording_id}/poster.jpg", vod_token, "image/jpeg", "private, max-age=60"),
        (f"/vod/{recording_id}/captions/en.vtt", vod_token,
         "text/vtt; charset=utf-8", "private, max-age=60"),
    ]  # fmt: skip
    async with client_of(app, ATTENDEE) as viewer:
        for url, token, content_type, cache in expected:
            response = await viewer.get(url, params={"token": token})
            assert response.status_code == 200, url
            assert response.headers["content-type"] == content_type, url
            assert response.headers["cache-control"] == cache, url
            assert response.headers["accept-ranges"] == "bytes", url
            assert response.headers["etag"], url
            assert response.headers["last-modified"], url


async def test_ranges_head_and_conditional_requests(app: FastAPI, program: Program) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    url = f"/vod/{recording_id}/360p/seg_00001.m4s"
    token = {"token": token_for(app, tokens.recording_scope(recording_id))}
    async with client_of(app, ATTENDEE) as viewer:
        part = await viewer.get(url, params=token, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-199/{len(SEGMENT)}"
        assert part.content == SEGMENT[100:200]
        tail = await viewer.get(url, params=token, headers={"Range": "bytes=-10"})
        assert tail.status_code == 206
        assert tail.content == SEGMENT[-10:]
        beyond = await viewer.get(url, params=token, headers={"Range": "bytes=99999-"})
        assert beyond.status_code == 416
        assert beyond.headers["content-range"] == f"bytes */{len(SEGMENT)}"
        head = await viewer.head(url, params=token)
        assert head.status_code == 200
        assert head.headers["content-length"] == str(len(SEGMENT))
        assert head.content == b""
        etag = head.headers["etag"]
        cached = await viewer.get(url, params=token, headers={"If-None-Match": etag})
        assert cached.status_code == 304
        assert cached.content == b""
        changed = await viewer.get(url, params=token, headers={"If-None-Match": '"other"'})
        assert changed.status_code == 200
        # Without a token a range is refused like any request.
        refused = await viewer.get(url, headers={"Range": "bytes=0-9"})
        assert refused.status_code == 403


class Clock:
    """The streaming runtime's clock for media tokens, moved by the test."""

    def __init__(self, app: FastAPI) -> None:
        self.now = time.time()
        app.state.streaming.clock = lambda: self.now


def documented_token_seconds() -> int:
    """MEDIA_TOKEN_SECONDS's default as the README's settings table states it."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    found = re.search(r"^\| `MEDIA_TOKEN_SECONDS` \| `(\d+)` \|", readme, re.MULTILINE)
    assert found is not None
    return int(found[1])


async def test_a_token_stops_opening_an_unpublished_recording_within_its_lifetime(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    lifetime = documented_token_seconds()
    assert lifetime == Settings.model_fields["media_token_seconds"].default == 120
    assert ctx_of(app).settings.media_token_seconds == lifetime
    clock = Clock(app)
    recording_id = await add_recording(app, stage_id=program.stage_id)
    files = [f"/vod/{recording_id}/master.m3u8", f"/vod/{recording_id}/360p/seg_00001.m4s"]
    async with client_of(app, ATTENDEE) as viewer:
        play = await viewer.get(f"/api/v1/streaming/recordings/{recording_id}/play")
        assert play.status_code == 200
        assert f"Max-Age={lifetime}" in play.headers["set-cookie"]
        token = viewer.cookies.get(tokens.COOKIE, path=f"/vod/{recording_id}/")
        assert token is not None
        # ``client`` is the organizer.
        url = f"/api/v1/streaming/recordings/{recording_id}"
        assert (await client.patch(url, json={"published": False})).status_code == 200
        refused = await viewer.get(f"/api/v1/streaming/recordings/{recording_id}/play")
        assert refused.status_code == 404
        # No new token; the one handed out before works to the end of its lifetime...
        clock.now += lifetime - 1
        for url in files:
            assert (await viewer.get(url)).status_code == 200, url
            assert (await viewer.get(url, params={"token": token})).status_code == 200, url
        # ...and not a second longer, by cookie or in the query.
        clock.now += 2
        for url in files:
            assert (await viewer.get(url)).status_code == 403, url
            assert (await viewer.get(url, params={"token": token})).status_code == 403, url


async def test_unpublished_recording_is_only_for_organizers(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    hidden = await add_recording(app, stage_id=program.stage_id, published=False)
    play = f"/api/v1/streaming/recordings/{hidden}/play"
    async with client_of(app, ATTENDEE) as viewer:
        refused = await viewer.get(play)
        assert refused.status_code == 404
        assert "set-cookie" not in refused.headers
        assert (await viewer.get(f"/vod/{hidden}/master.m3u8")).status_code == 403
    async with client_of(app) as anonymous:
        assert (await anonymous.get(play)).status_code == 401
    # ``client`` is the organizer.
    allowed = await client.get(play)
    assert allowed.status_code == 200
    assert allowed.headers["cache-control"] == "no-store"
    assert f"Path=/vod/{hidden}/" in allowed.headers["set-cookie"]
    assert (await client.get(f"/vod/{hidden}/master.m3u8")).status_code == 200


async def test_play_answers_what_the_player_needs(app: FastAPI, program: Program) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id, allow_download=True)
    async with client_of(app, ATTENDEE) as viewer:
        response = await viewer.get(f"/api/v1/streaming/recordings/{recording_id}/play")
    assert response.status_code == 200
    body = response.json()
    expires = body.pop("token_expires_at")
    assert abs(expires_in(expires) - 120) <= 2
    assert body == {
        "id": recording_id,
        "title": "Interferon keynote",
        "master_url": f"/vod/{recording_id}/master.m3u8",
        "mp4_url": f"/vod/{recording_id}/recording.mp4",
        "poster_url": f"/vod/{recording_id}/poster.jpg",
        "duration_seconds": 3600.0,
        "captions": [],
        "premiere_at": None,
    }


def expires_in(iso: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(iso) - utcnow()).total_seconds()


async def test_processing_recording_is_not_playable(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    busy = await add_recording(app, stage_id=program.stage_id, status=RecordingStatus.processing)
    async with client_of(app, ATTENDEE) as viewer:
        assert (await viewer.get(f"/api/v1/streaming/recordings/{busy}/play")).status_code == 404
    # The organizer is told why.
    refused = await client.get(f"/api/v1/streaming/recordings/{busy}/play")
    assert refused.status_code == 409
    assert "set-cookie" not in refused.headers


async def test_mp4_only_where_downloads_are_allowed(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    closed = await add_recording(app, stage_id=program.stage_id, allow_download=False)
    opened = await add_recording(app, stage_id=program.stage_id, allow_download=True)
    async with client_of(app, ATTENDEE) as viewer:
        play = await viewer.get(f"/api/v1/streaming/recordings/{closed}/play")
        assert play.json()["mp4_url"] is None
        # The token opens the HLS files but not the download.
        assert (await viewer.get(f"/vod/{closed}/master.m3u8")).status_code == 200
        assert (await viewer.get(f"/vod/{closed}/recording.mp4")).status_code == 403
        await viewer.get(f"/api/v1/streaming/recordings/{opened}/play")
        download = await viewer.get(f"/vod/{opened}/recording.mp4")
        assert download.status_code == 200
        assert download.headers["content-disposition"] == 'attachment; filename="recording.mp4"'
        assert download.content == SEGMENT * 3
        ranged = await viewer.get(f"/vod/{opened}/recording.mp4", headers={"Range": "bytes=5-9"})
        assert ranged.status_code == 206
        assert ranged.content == (SEGMENT * 3)[5:10]
        # Behind nginx, the app decides and nginx sends the bytes.
        accel = await viewer.get(
            f"/vod/{opened}/recording.mp4", headers={"X-Media-Accel": "/_media/"}
        )
        assert accel.status_code == 200
        assert accel.headers["x-accel-redirect"] == f"/_media/recordings/{opened}/recording.mp4"
        assert accel.content == b""
        # Hidden after the viewer got a token: the download stops at once.
        patched = await client.patch(
            f"/api/v1/streaming/recordings/{opened}", json={"published": False}
        )
        assert patched.status_code == 200
        assert (await viewer.get(f"/vod/{opened}/recording.mp4")).status_code == 403


async def status_of(app: FastAPI, slug: str) -> dict[str, object]:
    async with client_of(app, ATTENDEE) as viewer:
        response = await viewer.get(f"/api/v1/streaming/stages/{slug}/status")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    assert isinstance(body.pop("token_expires_at"), str)
    return body


async def test_status_offline_names_the_session_on_now_and_the_next(
    app: FastAPI, program: Program
) -> None:
    body = await status_of(app, program.stage_slug)
    assert body == {
        "stage": program.stage_slug,
        "state": "offline",
        "started_at": None,
        "master_url": None,
        "recording": None,
        "session": {"guid": program.session_now["guid"], "title": "Interferon keynote"},
        "next_session": {
            "guid": program.session_next["guid"],
            "title": "Cytokine storms",
            "starts_at": program.session_next["starts_at"].replace("Z", "+00:00"),
        },
    }


async def test_status_live_needs_a_fresh_heartbeat(app: FastAPI, program: Program) -> None:
    await add_broadcast(
        app,
        stage_id=program.stage_id,
        state=BroadcastState.live,
        heartbeat_age=timedelta(seconds=60),
    )
    assert (await status_of(app, program.stage_slug))["state"] == "offline"
    await add_broadcast(
        app, stage_id=program.stage_id, state=BroadcastState.live, heartbeat_age=timedelta(0)
    )
    body = await status_of(app, program.stage_slug)
    assert body["state"] == "live"
    assert body["master_url"] == f"/streams/{program.stage_slug}/master.m3u8"
    assert isinstance(body["started_at"], str)


async def test_status_ended_offers_the_recording(app: FastAPI, program: Program) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    await add_broadcast(
        app,
        stage_id=program.stage_id,
        state=BroadcastState.ended,
        ended_age=timedelta(minutes=5),
        recording_id=recording_id,
    )
    async with client_of(app, ATTENDEE) as viewer:
        response = await viewer.get(f"/api/v1/streaming/stages/{program.stage_slug}/status")
        body = response.json()
        assert body["state"] == "ended"
        assert body["master_url"] is None
        assert body["recording"] == {
            "id": recording_id,
            "master_url": f"/vod/{recording_id}/master.m3u8",
            "title": "Interferon keynote",
        }
        # Both tokens: the stage's and the replay's, so the player switches at once.
        assert (await viewer.get(f"/vod/{recording_id}/master.m3u8")).status_code == 200


async def test_status_ended_long_ago_or_unpublished_is_offline(
    app: FastAPI, program: Program
) -> None:
    old = await add_recording(app, stage_id=program.stage_id)
    await add_broadcast(
        app,
        stage_id=program.stage_id,
        state=BroadcastState.ended,
        ended_age=timedelta(hours=3),
        recording_id=old,
    )
    assert (await status_of(app, program.stage_slug))["state"] == "offline"
    hidden = await add_recording(app, stage_id=program.stage_id, published=False)
    await add_broadcast(
        app,
        stage_id=program.stage_id,
        state=BroadcastState.ended,
        ended_age=timedelta(minutes=1),
        recording_id=hidden,
    )
    assert (await status_of(app, program.stage_slug))["state"] == "offline"


async def test_status_premiere_while_the_talk_plays(app: FastAPI, program: Program) -> None:
    now = utcnow()
    await add_recording(
        app, stage_id=program.stage_id, premiere_at=now - timedelta(hours=2), duration=600
    )  # over
    playing = await add_recording(
        app, stage_id=program.stage_id, premiere_at=now - timedelta(minutes=5), duration=600
    )
    body = await status_of(app, program.stage_slug)
    assert body["state"] == "premiere"
    assert body["master_url"] == f"/vod/{playing}/premiere/master.m3u8"
    assert body["recording"] == {
        "id": playing,
        "master_url": f"/vod/{playing}/master.m3u8",
        "title": "Interferon keynote",
    }


async def test_status_refusals(app: FastAPI, program: Program) -> None:
    async with client_of(app) as anonymous:
        response = await anonymous.get(f"/api/v1/streaming/stages/{program.stage_slug}/status")
        assert response.status_code == 401
        assert "set-cookie" not in response.headers
    async with client_of(app, ATTENDEE) as viewer:
        assert (await viewer.get("/api/v1/streaming/stages/nowhere/status")).status_code == 404


async def test_cookie_is_secure_in_production(database_url: str, tmp_path: Path) -> None:
    settings = app_settings(
        database_url, tmp_path / "var", env="production", base_url="https://testserver"
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        async with ctx_of(application).db.session() as db:
            await seed_meeting(db)
        await UserFactory(application).create(email=ATTENDEE)
        recording_id = await add_recording(application, stage_id=None)
        transport = httpx.ASGITransport(app=application, client=("203.0.113.9", 50002))
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
            await sign_in(http, ATTENDEE)
            response = await http.get(f"/api/v1/streaming/recordings/{recording_id}/play")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{tokens.COOKIE}=")
    assert "; Secure" in cookie
    assert f"Path=/vod/{recording_id}/" in cookie
