"""A poster's narration: the presenter (or an organizer) uploads audio or video through the
streaming domain's owned-recording routes, the transcode job makes it HLS, and the poster
page plays it to those who may see the poster. Refusals leave neither a file nor a row."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import av
import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role, User
from conference.db.types import utcnow
from conference.program.service import current_meeting
from conference.settings import Settings
from posters import narration
from posters.models import PosterState
from streaming import owned
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory
from tests.posters.narration_helpers import (
    job_count,
    narration_url,
    put_narration,
    recording_folder,
    recordings_of,
    set_deadline,
    set_state,
)
from tests.streaming.frames import write_sample_sound, write_sample_video
from tests.streaming.uploading import (
    MAX_UPLOAD,
    RENDITIONS,
    run_worker,
    upload_files,
    upload_settings,
)

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nIL-6 drives trans-signalling.\n"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return upload_settings(database_url, tmp_path / "var")


@pytest.fixture(scope="module")
def sound_m4a(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return write_sample_sound(tmp_path_factory.mktemp("media") / "n.m4a", 2.0).read_bytes()


@pytest.fixture(scope="module")
def video_mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("media") / "n.mp4"
    return write_sample_video(path, 2.0, 160, 90, "mp4").read_bytes()


@pytest.fixture
async def presenter(users: UserFactory) -> User:
    return await users.create(email="presenter@example.org", name="Pia Presenter")


async def _chunks(size: int) -> AsyncIterator[bytes]:
    for _ in range(size // 65_536):
        yield b"\0" * 65_536


async def _ready(app: FastAPI, client: httpx.AsyncClient, poster_id: int) -> dict[str, object]:
    """Run the queued transcode; the narration's state afterwards."""
    assert await run_worker(app) is True
    state = await client.get(narration_url(poster_id))
    assert state.status_code == 200, state.text
    body: dict[str, object] = state.json()
    return body


async def test_a_presenter_s_audio_narration_becomes_one_audio_rendition_attendees_play(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
    presenter: User,
    sound_m4a: bytes,
) -> None:
    poster = await posters.create(presenter=presenter, board="N1", title="IL-6 in synovium")
    assert poster.presenter_id == presenter.id
    await sign_in(client, presenter.email)
    assert (await client.get(narration_url(poster.id))).status_code == 404  # none yet

    accepted = await put_narration(client, poster.id, sound_m4a, "audio/mp4")
    assert accepted.status_code == 202, accepted.text
    recording_id = accepted.json()["recording_id"]
    [stored] = upload_files(settings)
    assert stored.suffix == ".m4a"
    state = (await client.get(narration_url(poster.id))).json()
    assert state == {
        "recording_id": recording_id,
        "title": "Narration of board N1: IL-6 in synovium",
        "status": "processing",
        "published": True,
        "duration_seconds": None,
        "error": "",
        "job_id": accepted.json()["job_id"],
        "job_state": "queued",
        "progress": 0.0,
        "play_url": None,
        "captions": [],
    }
    early = await client.put(f"{narration_url(poster.id)}/captions/en", content=VTT)
    assert (early.status_code, early.json()["detail"]) == (
        409,
        "Add captions once the recording is ready.",
    )

    state = await _ready(app, client, poster.id)
    assert (state["status"], state["job_state"], state["progress"]) == ("ready", "done", 100.0)
    assert state["play_url"] == f"/api/v1/streaming/recordings/{recording_id}/play"
    assert isinstance(state["duration_seconds"], float)
    assert 1.9 <= state["duration_seconds"] <= 2.2
    assert upload_files(settings) == []  # the upload went once transcoded

    # The presenter captions it (a transcript for those who cannot hear it).
    bad = await client.put(f"{narration_url(poster.id)}/captions/en", content=b"not WebVTT")
    assert bad.status_code == 422
    captioned = await client.put(
        f"{narration_url(poster.id)}/captions/en", params={"label": "English"}, content=VTT
    )
    assert captioned.status_code == 200, captioned.text
    caption = {
        "language": "en",
        "label": "English",
        "url": f"/vod/{recording_id}/captions/en.vtt",
    }
    assert captioned.json() == caption
    assert (await client.get(narration_url(poster.id))).json()["captions"] == [caption]

    # One AAC rendition, no pictures: the master names it, its segments hold sound only.
    folder = recording_folder(settings.media_root, recording_id)
    master = (folder / "master.m3u8").read_text()
    assert 'CODECS="mp4a.40.2"' in master
    assert "RESOLUTION" not in master
    assert master.strip().endswith("audio/index.m3u8")
    assert sorted(p.name for p in folder.iterdir()) == [
        "audio",
        "captions",
        "master.m3u8",
        "recording.mp4",
    ]
    with av.open(str(folder / "recording.mp4")) as remuxed:
        assert [s.type for s in remuxed.streams] == ["audio"]
        assert remuxed.streams.audio[0].codec_context.name == "aac"

    # An attendee sees the player on the poster page and may play it.
    attendee = await users.create()
    await sign_in(client, attendee.email)
    page = await client.get(f"/posters/{poster.id}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'aria-label="Video player: Narration of board N1: IL-6 in synovium"' in page.text
    assert f'data-play-url="/api/v1/streaming/recordings/{recording_id}/play"' in page.text
    assert "data-poster-narration" not in page.text  # no upload control for attendees
    play = await client.get(f"/api/v1/streaming/recordings/{recording_id}/play")
    assert play.status_code == 200, play.text
    assert play.json()["master_url"] == f"/vod/{recording_id}/master.m3u8"
    assert play.json()["captions"] == [caption]
    assert play.json()["poster_url"] is None
    assert play.json()["mp4_url"] is None
    media = await client.get(f"/vod/{recording_id}/audio/index.m3u8")
    assert media.status_code == 200
    assert "#EXT-X-ENDLIST" in media.text


async def test_replacing_a_narration_removes_the_old_one_and_a_video_gets_the_ladder(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    posters: PosterFactory,
    presenter: User,
    sound_m4a: bytes,
    video_mp4: bytes,
) -> None:
    poster = await posters.create(presenter=presenter)
    await sign_in(client, presenter.email)
    first = (await put_narration(client, poster.id, sound_m4a)).json()["recording_id"]
    # Still being made: a second file waits (and leaves nothing behind).
    busy = await put_narration(client, poster.id, video_mp4, "video/mp4")
    assert busy.status_code == 409, busy.text
    assert len(upload_files(settings)) == 1
    await _ready(app, client, poster.id)
    assert recording_folder(settings.media_root, first).is_dir()

    replaced = await put_narration(client, poster.id, video_mp4, "video/mp4")
    assert replaced.status_code == 202, replaced.text
    second = replaced.json()["recording_id"]
    assert [r.id for r in await recordings_of(app, poster.id)] == [second]
    assert not recording_folder(settings.media_root, first).exists()
    assert await job_count(app) == 1  # the old one's job went with it
    state = await _ready(app, client, poster.id)
    assert (state["recording_id"], state["status"]) == (second, "ready")
    folder = recording_folder(settings.media_root, second)
    assert all((folder / name / "index.m3u8").is_file() for name in RENDITIONS)
    assert "poster.jpg" in {p.name for p in folder.iterdir()}

    removed = await client.delete(narration_url(poster.id))
    assert removed.status_code == 204
    assert await recordings_of(app, poster.id) == []
    assert not folder.exists()
    assert (await client.delete(narration_url(poster.id))).status_code == 404


async def test_refusals_leave_nothing_behind(
    app: FastAPI,
    client: httpx.AsyncClient,
    settings: Settings,
    users: UserFactory,
    posters: PosterFactory,
    presenter: User,
    sound_m4a: bytes,
) -> None:
    poster = await posters.create(presenter=presenter)
    withdrawn = await posters.create(presenter=presenter, state=PosterState.withdrawn)
    other = await users.create()

    await sign_in(client, other.email)  # an attendee who sees the poster but is not its presenter
    refused = await put_narration(client, poster.id, sound_m4a)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert (await client.get(narration_url(poster.id))).status_code == 403
    assert (await client.delete(narration_url(poster.id))).status_code == 403
    captions = await client.put(f"{narration_url(poster.id)}/captions/en", content=VTT)
    assert captions.status_code == 403

    await sign_in(client, presenter.email)
    cases = [
        # Not media, whatever it says it is.
        (poster.id, b"%PDF-1.7 not a sound at all", "audio/mp4", 422),
        (poster.id, sound_m4a, "application/pdf", 422),
        # Past the default request limit (1 MiB) but within MAX_UPLOAD: read, then refused
        # for what it is, not for its size.
        (poster.id, b"\0" * 1_500_000, "audio/mp4", 422),
        # Over MAX_UPLOAD.
        (poster.id, b"\0" * (MAX_UPLOAD + 1), "audio/mp4", 413),
        # A withdrawn poster is not there for its presenter.
        (withdrawn.id, sound_m4a, "audio/mp4", 404),
        (999_999, sound_m4a, "audio/mp4", 404),
    ]
    for poster_id, body, content_type, status in cases:
        response = await put_narration(client, poster_id, body, content_type)
        assert response.status_code == status, (poster_id, content_type, response.text)
    # A chunked body declares no length: the route counts what it writes.
    chunked = await put_narration(client, poster.id, _chunks(MAX_UPLOAD + 65_536))
    assert chunked.status_code == 413
    unknown = await client.put(
        "/api/v1/streaming/owned/booth/1/recording",
        content=sound_m4a,
        headers={"Content-Type": "audio/mp4"},
    )
    assert unknown.status_code == 404
    assert await recordings_of(app, poster.id) == []
    assert await job_count(app) == 0
    assert upload_files(settings) == []

    # Past the edit deadline only organizers change it.
    async with app.state.ctx.db.session() as db:
        meeting = await current_meeting(db)
        assert meeting is not None
    await set_deadline(app, meeting_id=meeting.id, deadline=utcnow() - timedelta(minutes=1))
    late = await put_narration(client, poster.id, sound_m4a)
    assert (late.status_code, late.json()["detail"]) == (
        403,
        "The deadline for editing posters has passed.",
    )
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    assert (await put_narration(client, poster.id, sound_m4a)).status_code == 202


async def test_only_those_who_may_see_the_poster_watch_its_narration(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
    presenter: User,
    sound_m4a: bytes,
) -> None:
    poster = await posters.create(presenter=presenter, state=PosterState.draft)
    await sign_in(client, presenter.email)
    recording_id = (await put_narration(client, poster.id, sound_m4a)).json()["recording_id"]
    await _ready(app, client, poster.id)
    play = f"/api/v1/streaming/recordings/{recording_id}/play"
    # The presenter hears their draft's narration on its page; attendees do not.
    page = await client.get(f"/posters/{poster.id}", headers={"Accept": "text/html"})
    assert f'data-play-url="{play}"' in page.text
    assert "data-poster-narration" in page.text
    assert (await client.get(play)).status_code == 200

    attendee = await users.create()
    await sign_in(client, attendee.email)
    assert (await client.get(play)).status_code == 404
    await set_state(app, poster.id, PosterState.published)
    assert (await client.get(play)).status_code == 200
    await set_state(app, poster.id, PosterState.withdrawn)
    assert (await client.get(play)).status_code == 404
    page = await client.get(f"/posters/{poster.id}", headers={"Accept": "text/html"})
    assert page.status_code == 404

    # Not part of the program: an organizer cannot put it on a session.
    organizer = await users.create(Role.organizer)
    await sign_in(client, organizer.email)
    assert (await client.get(play)).status_code == 200  # organizers see withdrawn posters
    moved = await client.patch(
        f"/api/v1/streaming/recordings/{recording_id}", json={"session_guid": "x" * 36}
    )
    assert moved.status_code == 422
    assert (
        moved.json()["detail"]
        == f"This recording belongs to poster {poster.id}, not to the program."
    )


async def test_main_wires_the_poster_owner_and_the_streaming_player(app: FastAPI) -> None:
    extensions = app.state.ctx.extensions
    owner = extensions.recording_owners["poster"]
    assert (owner.manage, owner.watch, owner.audio_only) == (
        narration.may_manage,
        narration.may_watch,
        True,
    )
    assert extensions.recording_players == [owned.owned_player]
