"""Uploading pre-recorded talks: who may, what is refused (leaving nothing behind), and the
transcode into the recording's HLS ladder, poster and MP4."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import av
import httpx
import pytest
from fastapi import FastAPI

from conference.settings import Settings
from streaming.models import Recording
from tests.factories import UserFactory, csrf, sign_in
from tests.streaming.frames import Container, write_sample_sound, write_sample_video
from tests.streaming.uploading import (
    ATTENDEE,
    CHAIR,
    MAX_UPLOAD,
    ORGANIZER,
    OTHER_SPEAKER,
    RENDITIONS,
    SPEAKER,
    Program,
    counts,
    publish_program,
    run_worker,
    upload,
    upload_files,
    upload_settings,
)

CONTENT_TYPES: dict[Container, str] = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return upload_settings(database_url, tmp_path / "var")


@pytest.fixture
async def program(client: httpx.AsyncClient, users: UserFactory) -> Program:
    return await publish_program(client, users)


@pytest.fixture(scope="module")
def sample_mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("media") / "talk.mp4"
    return write_sample_video(path, 2.0, 160, 90, "mp4").read_bytes()


async def _recording(app: FastAPI, recording_id: int) -> Recording:
    async with app.state.ctx.db.session() as db:
        recording: Recording | None = await db.get(Recording, recording_id)
        assert recording is not None
        return recording


async def _assert_nothing_left(app: FastAPI, settings: Settings) -> None:
    assert await counts(app) == (0, 0)
    assert upload_files(settings) == []


@pytest.mark.parametrize("container", ["mp4", "mov", "webm"])
async def test_organizer_upload_is_transcoded_into_the_ladder(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    program: Program,
    tmp_path: Path,
    container: Container,
) -> None:
    source = write_sample_video(tmp_path / f"talk.{container}", 2.0, 160, 90, container)
    await sign_in(client, ORGANIZER)
    response = await upload(
        client,
        source.read_bytes(),
        content_type=CONTENT_TYPES[container],
        talk=program.talk,
        title="  STAT1,   recorded ",
    )
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert set(accepted) == {"recording_id", "job_id"}
    [stored] = upload_files(settings)
    assert stored.suffix == f".{container}"

    job = (await client.get(f"/api/v1/streaming/jobs/{accepted['job_id']}")).json()
    assert job == {
        "id": accepted["job_id"],
        "recording_id": accepted["recording_id"],
        "state": "queued",
        "progress": 0.0,
        "attempts": 0,
        "max_attempts": 3,
        "error": "",
    }
    recording = await _recording(app, accepted["recording_id"])
    assert (recording.status, recording.source, recording.published) == (
        "processing",
        "upload",
        True,
    )
    assert (recording.session_guid, recording.talk_guid) == (program.session, program.talk)
    assert recording.title == "STAT1, recorded"
    assert recording.stage_id is not None

    assert await run_worker(app) is True
    assert await run_worker(app) is False  # nothing else queued

    job = (await client.get(f"/api/v1/streaming/jobs/{accepted['job_id']}")).json()
    assert (job["state"], job["progress"], job["attempts"], job["error"]) == ("done", 100.0, 1, "")
    recording = await _recording(app, accepted["recording_id"])
    assert recording.status == "ready"
    assert recording.media_path == f"recordings/{recording.id}"
    assert recording.duration_seconds == pytest.approx(2.0, rel=0.1)
    assert (recording.has_thumbnail, recording.has_mp4) == (True, True)
    # The upload itself is gone once transcoded.
    assert upload_files(settings) == []

    folder = settings.media_root / recording.media_path
    master = (folder / "master.m3u8").read_text()
    for name in RENDITIONS:
        assert f"{name}/index.m3u8" in master
        playlist = (folder / name / "index.m3u8").read_text()
        assert "#EXT-X-ENDLIST" in playlist
        assert (folder / name / "init.mp4").is_file()
    assert (folder / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"  # a JPEG
    with av.open(str(folder / "recording.mp4")) as mp4:
        video = mp4.streams.video[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 320, 180)
        assert mp4.streams.audio[0].codec_context.name == "aac"
    assert not (settings.media_root / "recordings" / f".{recording.id}.partial").exists()


async def test_speakers_and_chairs_upload_unpublished(
    app: FastAPI, client: httpx.AsyncClient, program: Program, sample_mp4: bytes
) -> None:
    await sign_in(client, SPEAKER)
    mine = await upload(client, sample_mp4, talk=program.talk, session=program.session)
    assert mine.status_code == 202, mine.text
    recording = await _recording(app, mine.json()["recording_id"])
    assert (recording.talk_guid, recording.published, recording.title) == (
        program.talk,
        False,
        "STAT1 in depth",
    )
    await sign_in(client, CHAIR)
    chaired = await upload(client, sample_mp4, session=program.session)
    assert chaired.status_code == 202, chaired.text
    recording = await _recording(app, chaired.json()["recording_id"])
    assert (recording.talk_guid, recording.published, recording.title) == (
        None,
        False,
        "Interferon keynote",
    )
    # The chair may upload for any talk of their session too.
    assert (await upload(client, sample_mp4, talk=program.other_talk)).status_code == 202


async def test_who_may_not_upload_leaves_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    program: Program,
    sample_mp4: bytes,
) -> None:
    await csrf(client)
    anonymous = await upload(client, sample_mp4, talk=program.talk)
    assert anonymous.status_code == 401
    await sign_in(client, ATTENDEE)
    attendee = await upload(client, sample_mp4, talk=program.talk)
    assert attendee.status_code == 403
    await sign_in(client, OTHER_SPEAKER)
    # A speaker uploads for their own talk only, and a session only when chairing it.
    assert (await upload(client, sample_mp4, talk=program.talk)).status_code == 403
    assert (await upload(client, sample_mp4, session=program.session)).status_code == 403
    await _assert_nothing_left(app, settings)


async def test_bad_program_references_are_refused(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    program: Program,
    sample_mp4: bytes,
) -> None:
    await sign_in(client, ORGANIZER)
    unknown = "00000000-0000-0000-0000-000000000000"
    cases = [
        ({"talk": unknown}, "talk"),
        ({"session": unknown}, "session"),
        ({}, "session"),
        ({"session": unknown, "talk": program.talk}, "talk"),
    ]
    for params, field in cases:
        response = await upload(client, sample_mp4, **params)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["field"] == field
    too_long = await upload(client, sample_mp4, session="x" * 37)
    assert too_long.status_code == 422
    wrong_type = await upload(client, sample_mp4, content_type="text/plain", talk=program.talk)
    assert wrong_type.status_code == 422
    await _assert_nothing_left(app, settings)


async def test_a_file_that_is_not_a_video_is_refused(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, program: Program, tmp_path: Path
) -> None:
    await sign_in(client, ORGANIZER)
    text = b"Slides for the talk, not a video at all.\n" * 200
    response = await upload(client, text, talk=program.talk)
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    empty = await upload(client, b"", talk=program.talk)
    assert empty.status_code == 422
    # A talk is a video: sound alone (which a poster's narration may be) is refused here.
    sound = write_sample_sound(tmp_path / "voice.m4a", 1.0).read_bytes()
    voice = await upload(client, sound, talk=program.talk)
    assert (voice.status_code, voice.json()["detail"]) == (422, "The file has no video.")
    await _assert_nothing_left(app, settings)


async def test_oversized_uploads_are_refused_with_or_without_length(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, program: Program
) -> None:
    await sign_in(client, ORGANIZER)
    declared = await upload(client, b"\0" * (MAX_UPLOAD + 1), talk=program.talk)
    assert declared.status_code == 413

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(MAX_UPLOAD // 65_536 + 2):
            yield b"\0" * 65_536

    chunked = await upload(client, chunks(), talk=program.talk)
    assert chunked.status_code == 413
    assert "limit" in chunked.json()["detail"]
    await _assert_nothing_left(app, settings)


async def test_job_status_is_for_the_uploader_and_organizers(
    client: httpx.AsyncClient, program: Program, sample_mp4: bytes
) -> None:
    await sign_in(client, SPEAKER)
    job_id = (await upload(client, sample_mp4, talk=program.talk)).json()["job_id"]
    url = f"/api/v1/streaming/jobs/{job_id}"
    assert (await client.get(url)).json()["state"] == "queued"
    assert (await client.get(f"/api/v1/streaming/jobs/{job_id + 1}")).status_code == 404
    await sign_in(client, ORGANIZER)
    assert (await client.get(url)).status_code == 200
    await sign_in(client, OTHER_SPEAKER)
    assert (await client.get(url)).status_code == 403
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    assert (await client.get(url)).status_code == 401
