"""The recordings library's organizer API and the attendee list of a session's replays."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.db.types import utcnow
from streaming.models import Caption, Recording, RecordingStatus
from tests.factories import UserFactory, csrf
from tests.streaming.recording_setup import (
    ATTENDEE,
    VTT,
    Program,
    add_recording,
    client_of,
    ctx_of,
    publish_program,
)

API = "/api/v1/streaming/recordings"


@pytest.fixture
async def program(client: httpx.AsyncClient, users: UserFactory, demo_meeting: None) -> Program:
    return await publish_program(client, users)


async def test_list_and_filter(app: FastAPI, client: httpx.AsyncClient, program: Program) -> None:
    first = await add_recording(
        app, stage_id=program.stage_id, session_guid=program.session_now["guid"]
    )
    second = await add_recording(
        app, stage_id=None, status=RecordingStatus.processing, title="Upload", files=False
    )
    listed = await client.get(API)
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [second, first]
    assert listed.json()[1]["master_url"] == f"/vod/{first}/master.m3u8"
    by_session = await client.get(API, params={"session": program.session_now["guid"]})
    assert [r["id"] for r in by_session.json()] == [first]
    by_stage = await client.get(API, params={"stage": program.stage_slug})
    assert [r["id"] for r in by_stage.json()] == [first]
    by_status = await client.get(API, params={"status": "processing"})
    assert [r["id"] for r in by_status.json()] == [second]
    assert (await client.get(API, params={"status": "lost"})).status_code == 422
    one = await client.get(f"{API}/{first}")
    assert one.status_code == 200
    assert one.json()["captions"] == []
    assert (await client.get(f"{API}/{second + 100}")).status_code == 404


async def test_refusals_for_attendees_and_anonymous(app: FastAPI, program: Program) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    calls = [
        ("GET", API, None),
        ("GET", f"{API}/{recording_id}", None),
        ("PATCH", f"{API}/{recording_id}", {"title": "Mine now"}),
        ("DELETE", f"{API}/{recording_id}", None),
        ("PUT", f"{API}/{recording_id}/captions/en", None),
        ("DELETE", f"{API}/{recording_id}/captions/en", None),
    ]
    async with client_of(app, ATTENDEE) as attendee, client_of(app) as anonymous:
        await csrf(anonymous)
        for method, url, body in calls:
            as_attendee = await attendee.request(method, url, json=body)
            assert as_attendee.status_code == 403, (method, url)
            as_anonymous = await anonymous.request(method, url, json=body)
            assert as_anonymous.status_code == 401, (method, url)
    async with ctx_of(app).db.session() as db:
        recording = await db.get(Recording, recording_id)
        assert recording is not None
        assert recording.title == "Interferon keynote"
    assert (ctx_of(app).settings.media_root / "recordings" / str(recording_id)).is_dir()


async def test_patch_changes_and_assigns(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    recording_id = await add_recording(app, stage_id=None, title="upload.mp4")
    url = f"{API}/{recording_id}"
    premiere = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    # A premiere needs a stage, which comes with a session.
    early = await client.patch(url, json={"premiere_at": premiere.isoformat()})
    assert early.status_code == 422
    assert early.json()["field"] == "premiere_at"
    # A talk implies its session, and the session its stage.
    response = await client.patch(
        url,
        json={
            "title": "Type I interferons (pre-recorded)",
            "published": False,
            "allow_download": True,
            "talk_guid": program.talk["guid"],
            "premiere_at": premiere.isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["title"] == "Type I interferons (pre-recorded)"
    assert body["published"] is False
    assert body["allow_download"] is True
    assert body["talk_guid"] == program.talk["guid"]
    assert body["session_guid"] == program.session_now["guid"]
    assert body["stage_id"] == program.stage_id
    assert body["premiere_at"].replace("Z", "+00:00") == premiere.isoformat()
    # Another session drops the talk that is not one of its own; null clears.
    moved = await client.patch(url, json={"session_guid": program.session_next["guid"]})
    assert moved.json()["session_guid"] == program.session_next["guid"]
    assert moved.json()["talk_guid"] is None
    cleared = await client.patch(url, json={"premiere_at": None, "session_guid": None})
    assert cleared.json()["premiere_at"] is None
    assert cleared.json()["session_guid"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"session_guid": "00000000-0000-0000-0000-000000000000"}, "session_guid"),
        ({"talk_guid": "00000000-0000-0000-0000-000000000000"}, "talk_guid"),
        ({"title": ""}, None),
        ({"title": None}, "title"),
        ({"published": None}, "published"),
        ({"premiere_at": "2030-01-01T10:00:00"}, None),  # no zone
        ({"stage_id": 1}, None),  # not editable
    ],
)
async def test_patch_refusals(
    app: FastAPI, client: httpx.AsyncClient, program: Program, body: dict[str, object], field: str
) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    response = await client.patch(f"{API}/{recording_id}", json=body)
    assert response.status_code == 422, response.text
    if field is not None:
        assert response.json()["field"] == field


async def test_talk_of_another_session_is_refused(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    response = await client.patch(
        f"{API}/{recording_id}",
        json={"session_guid": program.session_now["guid"], "talk_guid": program.other_talk["guid"]},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "talk_guid"


async def test_delete_removes_row_and_files(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    folder = ctx_of(app).settings.media_root / "recordings" / str(recording_id)
    put = await client.put(f"{API}/{recording_id}/captions/en", content=VTT)
    assert put.status_code == 200
    assert (await client.delete(f"{API}/{recording_id}")).status_code == 204
    assert not folder.exists()
    assert (await client.get(f"{API}/{recording_id}")).status_code == 404
    async with ctx_of(app).db.session() as db:
        assert (await db.scalars(select(Caption))).all() == []


async def test_recording_in_progress_cannot_be_deleted(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    recording_id = await add_recording(
        app, stage_id=program.stage_id, status=RecordingStatus.recording
    )
    assert (await client.delete(f"{API}/{recording_id}")).status_code == 409
    assert (ctx_of(app).settings.media_root / "recordings" / str(recording_id)).is_dir()


async def test_captions_are_stored_served_and_removed(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    url = f"{API}/{recording_id}/captions/EN-gb"
    put = await client.put(url, params={"label": "English (UK)"}, content=VTT)
    assert put.status_code == 200, put.text
    assert put.json() == {
        "language": "en-GB",
        "label": "English (UK)",
        "url": f"/vod/{recording_id}/captions/en-GB.vtt",
    }
    again = await client.put(url, content=VTT.replace(b"Hello", b"Hello again"))
    assert again.json()["label"] == "en-GB"
    async with client_of(app, ATTENDEE) as viewer:
        play = await viewer.get(f"/api/v1/streaming/recordings/{recording_id}/play")
        assert play.json()["captions"] == [
            {
                "language": "en-GB",
                "label": "en-GB",
                "url": f"/vod/{recording_id}/captions/en-GB.vtt",
            }
        ]
        vtt = await viewer.get(f"/vod/{recording_id}/captions/en-GB.vtt")
        assert vtt.status_code == 200
        assert b"Hello again" in vtt.content
    assert (await client.delete(url)).status_code == 204
    assert (await client.delete(url)).status_code == 404
    path = ctx_of(app).settings.media_root / "recordings" / str(recording_id) / "captions"
    assert list(path.iterdir()) == []


async def test_caption_refusals(app: FastAPI, client: httpx.AsyncClient, program: Program) -> None:
    recording_id = await add_recording(app, stage_id=program.stage_id)
    url = f"{API}/{recording_id}/captions"
    not_vtt = await client.put(f"{url}/en", content=b"1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    assert not_vtt.status_code == 422
    assert "WEBVTT" in not_vtt.json()["detail"]
    assert (await client.put(f"{url}/english!", content=VTT)).status_code == 422
    long_label = await client.put(f"{url}/en", params={"label": "x" * 61}, content=VTT)
    assert long_label.status_code == 422
    big = VTT + b"\n" + b"NOTE " + b"x" * 1_000_000 + b"\n"
    assert (await client.put(f"{url}/en", content=big)).status_code == 413
    huge = VTT + b"\nNOTE " + b"x" * 2_000_000
    assert (await client.put(f"{url}/en", content=huge)).status_code == 413
    assert (
        await client.put(f"{API}/{recording_id + 1}/captions/en", content=VTT)
    ).status_code == 404
    folder = ctx_of(app).settings.media_root / "recordings" / str(recording_id)
    assert not (folder / "captions").exists()


async def test_session_recordings_for_attendees(
    app: FastAPI, client: httpx.AsyncClient, program: Program
) -> None:
    guid = program.session_now["guid"]
    shown = await add_recording(app, stage_id=program.stage_id, session_guid=guid)
    await add_recording(app, stage_id=program.stage_id, session_guid=guid, published=False)
    await add_recording(
        app, stage_id=program.stage_id, session_guid=guid, status=RecordingStatus.processing
    )
    async with client_of(app, ATTENDEE) as viewer:
        response = await viewer.get(f"/api/v1/streaming/sessions/{guid}/recordings")
        assert response.status_code == 200
        assert response.json() == [
            {
                "id": shown,
                "title": "Interferon keynote",
                "talk_guid": None,
                "duration_seconds": 3600.0,
                "has_thumbnail": True,
                "play_url": f"/api/v1/streaming/recordings/{shown}/play",
            }
        ]
        missing = await viewer.get("/api/v1/streaming/sessions/no-such-session/recordings")
        assert missing.status_code == 404
    async with client_of(app) as anonymous:
        response = await anonymous.get(f"/api/v1/streaming/sessions/{guid}/recordings")
        assert response.status_code == 401
