"""Premieres: a ready recording's playlists played as live from ``premiere_at``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from conference.settings import Settings
from streaming import tokens
from streaming.library.premiere import parse_media_playlist, premiere_playlist
from streaming.models import Recording, premiere_is_on, premiere_window
from tests.factories import UserFactory, sign_in
from tests.streaming.frames import write_sample_video
from tests.streaming.uploading import (
    ORGANIZER,
    RENDITIONS,
    publish_program,
    run_worker,
    upload,
    upload_settings,
)

START = datetime(2021, 10, 18, 8, 0, tzinfo=UTC)
# What the HLS writer leaves for a rendition: 2 s segments, the last one shorter.
SOURCE = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init.mp4"
#EXTINF:2.000000,
seg_00000.m4s
#EXTINF:2.000000,
seg_00001.m4s
#EXTINF:2.000000,
seg_00002.m4s
#EXTINF:1.500000,
seg_00003.m4s
#EXT-X-ENDLIST
"""


def _segments(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


def _at(seconds: float, token_query: str = "") -> str:
    return premiere_playlist(
        parse_media_playlist(SOURCE),
        rendition="180p",
        premiere_at=START,
        now=START + timedelta(seconds=seconds),
        token_query=token_query,
    )


def test_the_playlist_lists_the_segments_started_by_now() -> None:
    at_three = _at(3)
    assert _segments(at_three) == ["../../180p/seg_00000.m4s", "../../180p/seg_00001.m4s"]
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in at_three
    assert '#EXT-X-MAP:URI="../../180p/init.mp4"' in at_three
    assert "#EXT-X-ENDLIST" not in at_three
    # Every viewer's player is told when each segment was "live".
    assert re.findall(r"#EXT-X-PROGRAM-DATE-TIME:(.*)", at_three) == [
        "2021-10-18T08:00:00.000Z",
        "2021-10-18T08:00:02.000Z",
    ]
    assert len(_segments(_at(0))) == 1  # the first segment starts at once
    assert len(_segments(_at(1.999))) == 1
    assert len(_segments(_at(4))) == 3  # a segment starting exactly now is listed
    assert len(_segments(_at(6))) == 4
    assert "#EXT-X-ENDLIST" not in _at(7.4)  # the last one is still playing
    finished = _at(7.5)
    assert len(_segments(finished)) == 4
    assert finished.rstrip().endswith("#EXT-X-ENDLIST")
    assert _segments(_at(0, "?token=1-abc")) == ["../../180p/seg_00000.m4s?token=1-abc"]


def test_premiere_window_needs_a_ready_recording_with_a_time() -> None:
    recording = Recording(status="ready", duration_seconds=7.5, premiere_at=START)
    assert premiere_window(recording) == (START, START + timedelta(seconds=7.5))
    assert premiere_window(Recording(status="ready", duration_seconds=7.5)) is None
    assert premiere_window(Recording(status="processing", premiere_at=START)) is None


def test_a_premiere_is_on_from_its_start_until_its_end() -> None:
    recording = Recording(status="ready", duration_seconds=7.5, premiere_at=START)
    end = START + timedelta(seconds=7.5)
    assert not premiere_is_on(recording, START - timedelta(microseconds=1))
    assert premiere_is_on(recording, START)
    assert premiere_is_on(recording, end - timedelta(microseconds=1))
    assert not premiere_is_on(recording, end)
    # Without a length or before it is ready, nothing is playing.
    assert not premiere_is_on(Recording(status="ready", premiere_at=START), START)
    unready = Recording(status="processing", duration_seconds=7.5, premiere_at=START)
    assert not premiere_is_on(unready, START)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return upload_settings(database_url, tmp_path / "var")


@pytest.fixture
async def recording_id(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, tmp_path: Path
) -> int:
    """A ready recording (2 s, 1 s segments) made by uploading and transcoding."""
    program = await publish_program(client, users)
    await sign_in(client, ORGANIZER)
    source = write_sample_video(tmp_path / "talk.mp4", 2.0, 160, 90, "mp4")
    response = await upload(client, source.read_bytes(), talk=program.talk)
    assert response.status_code == 202, response.text
    assert await run_worker(app) is True
    found: int = response.json()["recording_id"]
    return found


async def _premiere_at(app: FastAPI, recording_id: int, instant: datetime) -> None:
    async with app.state.ctx.db.session() as db:
        await db.execute(
            update(Recording).where(Recording.id == recording_id).values(premiere_at=instant)
        )
        await db.commit()


def _token(app: FastAPI, recording_id: int) -> str:
    secret = app.state.streaming.media_secret
    return tokens.issue(secret, tokens.recording_scope(recording_id), ttl_seconds=60)


async def test_premiere_playlists_over_http(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, recording_id: int
) -> None:
    base = f"/vod/{recording_id}/premiere"
    token = _token(app, recording_id)
    folder = settings.media_root / "recordings" / str(recording_id)

    # Without a premiere time there is nothing to play as live.
    assert (await client.get(f"{base}/master.m3u8", params={"token": token})).status_code == 404

    await _premiere_at(app, recording_id, datetime.now(UTC) + timedelta(hours=1))
    early = await client.get(f"{base}/180p/index.m3u8", params={"token": token})
    assert early.status_code == 404
    assert "starts at" in early.json()["detail"]

    # Started a moment ago: only the first of the two 1 s segments, no end yet.
    started = datetime.now(UTC) - timedelta(seconds=0.2)
    await _premiere_at(app, recording_id, started)
    client.cookies.set(tokens.COOKIE, token, path=f"/vod/{recording_id}/")
    master = await client.get(f"{base}/master.m3u8")
    assert master.status_code == 200
    assert master.headers["content-type"] == "application/vnd.apple.mpegurl"
    assert master.headers["cache-control"] == "private, max-age=1"
    assert master.text == (folder / "master.m3u8").read_text()
    for name in RENDITIONS:
        playing = await client.get(f"{base}/{name}/index.m3u8")
        assert playing.status_code == 200
        assert playing.headers["cache-control"] == "private, max-age=1"
        listed = _segments(playing.text)
        assert len(listed) == 1
        assert "#EXT-X-ENDLIST" not in playing.text
        program_time = re.search(r"#EXT-X-PROGRAM-DATE-TIME:(.*)", playing.text)
        assert program_time is not None
        assert datetime.fromisoformat(program_time.group(1)) == started.replace(
            microsecond=started.microsecond // 1000 * 1000
        )
        # Its URIs lead to the recording's real files, relative to the premiere folder.
        assert (folder / "premiere" / name / listed[0]).resolve().is_file()

    # Over: the whole recording, ended, which stays as the on-demand playlist.
    await _premiere_at(app, recording_id, datetime.now(UTC) - timedelta(hours=1))
    ended = await client.get(f"{base}/90p/index.m3u8")
    assert ended.status_code == 200
    real = _segments((folder / "90p" / "index.m3u8").read_text())
    assert _segments(ended.text) == [f"../../90p/{uri}" for uri in real]
    assert ended.text.rstrip().endswith("#EXT-X-ENDLIST")
    assert (await client.get(f"{base}/nope/index.m3u8")).status_code == 404
    assert (await client.get(f"{base}/..%2F90p/index.m3u8")).status_code == 404


async def test_premiere_needs_the_recordings_token(
    app: FastAPI, client: httpx.AsyncClient, recording_id: int
) -> None:
    await _premiere_at(app, recording_id, datetime.now(UTC) - timedelta(hours=1))
    base = f"/vod/{recording_id}/premiere"
    assert (await client.get(f"{base}/master.m3u8")).status_code == 403
    other = _token(app, recording_id + 1)
    assert (await client.get(f"{base}/master.m3u8", params={"token": other})).status_code == 403
    expired = tokens.issue(
        app.state.streaming.media_secret,
        tokens.recording_scope(recording_id),
        ttl_seconds=60,
        now=1_000_000,
    )
    refused = await client.get(f"{base}/180p/index.m3u8", params={"token": expired})
    assert refused.status_code == 403
    # A token in the query is carried onto every URI, for players without cookies.
    token = _token(app, recording_id)
    master = await client.get(f"{base}/master.m3u8", params={"token": token})
    assert master.status_code == 200
    assert f"180p/index.m3u8?token={token}" in master.text
    rendition = await client.get(f"{base}/180p/index.m3u8", params={"token": token})
    assert all(uri.endswith(f"?token={token}") for uri in _segments(rendition.text))
    assert f'init.mp4?token={token}"' in rendition.text
