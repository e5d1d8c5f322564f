"""The organizers' Streaming console page: stream keys (shown once, revoked) and recordings
(publish or hide, download, premiere time, captions, delete)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.context import AppContext
from streaming.ingest.keys import hash_key
from streaming.models import Caption, Recording, StreamKey
from tests.factories import UserFactory
from tests.streaming.recording_setup import (
    ATTENDEE,
    VTT,
    add_recording,
    client_of,
    publish_program,
)

pytestmark = pytest.mark.usefixtures("demo_meeting")

PAGE = "/console/streaming"


def ctx_of(app: FastAPI) -> AppContext:
    ctx: AppContext = app.state.ctx
    return ctx


async def form_token(client: httpx.AsyncClient) -> str:
    """The CSRF token as the page's forms carry it."""
    html = (await client.get(PAGE)).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def test_organizers_see_the_whip_address_and_others_are_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish_program(client, users)
    page = await client.get(PAGE)
    assert page.status_code == 200
    assert f'<code data-testid="whip-url">http://testserver/whip/{program.stage_slug}</code>' in (
        page.text
    )
    assert '<a href="/console/streaming" aria-current="page">Streaming</a>' in page.text
    async with client_of(app, ATTENDEE) as attendee:
        assert (await attendee.get(PAGE)).status_code == 403
        token = await form_token_of_other(attendee)
        issued = await attendee.post(
            f"{PAGE}/stages/{program.stage_slug}/keys", data={"csrf_token": token, "label": "x"}
        )
    assert issued.status_code == 403
    async with client_of(app) as anonymous:
        redirected = await anonymous.get(PAGE)
    assert redirected.status_code == 303
    assert redirected.headers["location"] == "/signin?next=/console/streaming"
    async with ctx_of(app).db.session() as db:
        assert (await db.scalars(select(StreamKey))).all() == []


async def form_token_of_other(client: httpx.AsyncClient) -> str:
    return str(client.headers["X-CSRF-Token"])


async def test_a_key_is_shown_once_then_only_its_hint_and_can_be_revoked(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish_program(client, users)
    token = await form_token(client)
    issued = await client.post(
        f"{PAGE}/stages/{program.stage_slug}/keys", data={"csrf_token": token, "label": "OBS"}
    )
    assert issued.status_code == 200
    match = re.search(r"“OBS”:</strong> <code>([^<]+)</code>", issued.text)
    assert match, "the new key is not on the page"
    plain = match.group(1)
    async with ctx_of(app).db.session() as db:
        key = (await db.scalars(select(StreamKey))).one()
    assert key.key_hash == hash_key(plain)
    assert key.label == "OBS"
    assert key.revoked_at is None

    again = await client.get(PAGE)
    assert plain not in again.text
    assert f"<code>{key.hint}…</code>" in again.text

    revoked = await client.post(
        f"{PAGE}/stages/{program.stage_slug}/keys/{key.id}/revoke", data={"csrf_token": token}
    )
    assert revoked.status_code == 303
    async with ctx_of(app).db.session() as db:
        assert (await db.get(StreamKey, key.id)).revoked_at is not None  # type: ignore[union-attr]
    assert "Revoked" in (await client.get(PAGE)).text

    missing = await client.post(
        f"{PAGE}/stages/{program.stage_slug}/keys/999999/revoke", data={"csrf_token": token}
    )
    assert missing.status_code == 404
    too_long = await client.post(
        f"{PAGE}/stages/{program.stage_slug}/keys",
        data={"csrf_token": token, "label": "x" * 500},
    )
    assert too_long.status_code == 422
    async with ctx_of(app).db.session() as db:
        assert len((await db.scalars(select(StreamKey))).all()) == 1


async def test_an_organizer_hides_publishes_and_schedules_a_recording(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish_program(client, users)
    recording_id = await add_recording(
        app, stage_id=program.stage_id, session_guid=program.session_next["guid"]
    )
    token = await form_token(client)
    saved = await client.post(
        f"{PAGE}/recordings/{recording_id}",
        data={
            "csrf_token": token,
            "title": "  IL-6   replay ",
            "allow_download": "on",
            "premiere_at": "2031-10-18T09:30",
        },
    )
    assert saved.status_code == 303, saved.text
    async with ctx_of(app).db.session() as db:
        recording = await db.get(Recording, recording_id)
        assert recording is not None
        assert recording.title == "IL-6 replay"
        assert recording.published is False  # the box was not ticked
        assert recording.allow_download is True
        # Typed in the meeting's zone (Europe/London, BST on 18 October).
        assert recording.premiere_at == datetime(2031, 10, 18, 8, 30, tzinfo=UTC)

    bad = await client.post(
        f"{PAGE}/recordings/{recording_id}",
        data={"csrf_token": token, "published": "on", "premiere_at": "next tuesday"},
    )
    assert bad.status_code == 422
    assert "Nothing was saved." in bad.text
    async with ctx_of(app).db.session() as db:
        unchanged = await db.get(Recording, recording_id)
        assert unchanged is not None
        assert unchanged.published is False

    cleared = await client.post(
        f"{PAGE}/recordings/{recording_id}", data={"csrf_token": token, "published": "on"}
    )
    assert cleared.status_code == 303
    async with ctx_of(app).db.session() as db:
        recording = await db.get(Recording, recording_id)
        assert recording is not None
        assert recording.published is True
        assert recording.premiere_at is None


async def test_captions_are_attached_and_a_bad_file_is_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish_program(client, users)
    recording_id = await add_recording(app, stage_id=program.stage_id)
    token = await form_token(client)
    url = f"{PAGE}/recordings/{recording_id}/captions"
    added = await client.post(
        url,
        data={"csrf_token": token, "language": "en", "label": "English"},
        files={"file": ("talk.vtt", VTT, "text/vtt")},
    )
    assert added.status_code == 303, added.text
    refused = await client.post(
        url,
        data={"csrf_token": token, "language": "fr", "label": "Français"},
        files={"file": ("talk.vtt", b"not a caption file", "text/vtt")},
    )
    assert refused.status_code == 422
    async with ctx_of(app).db.session() as db:
        captions = (await db.scalars(select(Caption))).all()
    assert [(c.language, c.label) for c in captions] == [("en", "English")]
    folder = ctx_of(app).settings.media_root / "recordings" / str(recording_id) / "captions"
    assert sorted(p.name for p in folder.iterdir()) == ["en.vtt"]
    assert "English (en)" in (await client.get(PAGE)).text


async def test_deleting_a_recording_removes_its_row_and_files(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish_program(client, users)
    recording_id = await add_recording(app, stage_id=program.stage_id)
    folder = ctx_of(app).settings.media_root / "recordings" / str(recording_id)
    assert folder.is_dir()
    token = await form_token(client)
    deleted = await client.post(
        f"{PAGE}/recordings/{recording_id}/delete", data={"csrf_token": token}
    )
    assert deleted.status_code == 303
    async with ctx_of(app).db.session() as db:
        assert await db.get(Recording, recording_id) is None
    assert not folder.exists()
    again = await client.post(
        f"{PAGE}/recordings/{recording_id}/delete", data={"csrf_token": token}
    )
    assert again.status_code == 404
