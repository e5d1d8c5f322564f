"""Going live at the first segment, and broadcasts that never receive media.

The ingest is fed aiortc tracks in process (no WebRTC): a picture that starts only when
the test opens a gate, and a track that never yields a frame (what a publisher whose ICE
never completes sends). The WHIP case over a real peer connection is at the end (netns).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from aiortc import MediaStreamTrack
from fastapi import FastAPI

from conference.db.types import utcnow
from conference.settings import Settings
from streaming import broadcasts
from streaming.ingest import keys, live_files
from streaming.ingest import live as ingest
from streaming.models import Broadcast, BroadcastState, Recording
from streaming.status import stage_status
from tests.app_settings import app_settings
from tests.servers import start_demo_server
from tests.streaming.publisher import SyntheticVideo, WhipPublisher, organizer_stream_key
from tests.waiting import wait_until, wait_until_awaited

RENDITIONS = ["180p"]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return app_settings(
        database_url,
        tmp_path / "var",
        stream_ladder="180p:320x180@300",
        stream_segment_seconds=1.0,
        stream_fps=10,
        stream_preset="ultrafast",
    )


class GatedVideo(SyntheticVideo):
    """The synthetic picture, from the moment ``gate`` is set."""

    def __init__(self, gate: asyncio.Event) -> None:
        super().__init__(320, 180, 10)
        self.gate = gate

    async def recv(self) -> av.VideoFrame:
        await self.gate.wait()
        return await super().recv()


class NoFrames(MediaStreamTrack):
    """A track that never yields a frame."""

    kind = "video"

    async def recv(self) -> av.VideoFrame:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def _listen(app: FastAPI, slug: str, on_frame: Callable[[dict[str, Any]], None]) -> None:
    def heard(_: str, payload: bytes) -> None:
        on_frame(json.loads(payload.decode().partition("\n")[2]))

    await app.state.ctx.realtime.hub.backend.subscribe(f"stage:{slug}", heard)


async def _row(app: FastAPI, broadcast_id: int) -> Broadcast:
    async with app.state.ctx.db.session() as db:
        row: Broadcast | None = await db.get(Broadcast, broadcast_id)
        assert row is not None
        return row


async def test_the_stage_goes_live_when_its_first_segment_exists(
    app: FastAPI, stage: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, ingests = app.state.ctx, app.state.streaming.ingests
    folder = ctx.settings.media_root / broadcasts.live_path(stage["slug"])
    frames: list[dict[str, Any]] = []
    segments_when_told: list[bool] = []
    has_segment = live_files.every_rendition_has_segment
    looks: list[bool] = []

    def looking(*args: Any) -> bool:
        """The ingest's check for a first segment, counted."""
        found = has_segment(*args)
        looks.append(found)
        return found

    monkeypatch.setattr(live_files, "every_rendition_has_segment", looking)

    def on_frame(frame: dict[str, Any]) -> None:
        frames.append(frame)
        if frame["type"] == "stage.state" and frame["data"]["state"] == "live":
            segments_when_told.append(has_segment(folder, RENDITIONS))

    await _listen(app, stage["slug"], on_frame)
    gate = asyncio.Event()
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
    live = await ingests.start_broadcast(stage=found, video=GatedVideo(gate), audio=None)
    try:
        # Accepted and holding the stage, but nothing to watch yet: not live.
        assert (await _row(app, live.broadcast_id)).state == "starting"
        async with ctx.db.session() as db:
            status = await stage_status(ctx, db, stage=found, now=utcnow())
            assert await broadcasts.live_broadcast(db, stage_id=found.id) is None
            assert await broadcasts.active_broadcast(db, stage_id=found.id) is not None
        assert status["state"] == "offline"
        assert status["master_url"] is None
        # The ingest has looked for a first segment, found none and looked again: had it
        # told viewers anything meanwhile, the memory hub would have delivered it by now.
        await wait_until(lambda: looks.count(False) >= 2, "the ingest to look for a segment")
        assert [f for f in frames if f["type"] == "stage.state"] == []

        gate.set()
        await wait_until(lambda: live.on_air, "the stage to go live")
        assert (await _row(app, live.broadcast_id)).state == "live"
        await wait_until(lambda: segments_when_told, "the stage.state event")
        assert segments_when_told == [True]
        async with ctx.db.session() as db:
            status = await stage_status(ctx, db, stage=found, now=utcnow())
        assert status["state"] == "live"
        assert status["master_url"] == f"/streams/{stage['slug']}/master.m3u8"
    finally:
        assert await ingests.stop_broadcast(live.resource_id)
    row = await _row(app, live.broadcast_id)
    assert row.state == "ended"
    assert row.recording_id is not None
    async with ctx.db.session() as db:
        recording = await db.get(Recording, row.recording_id)
        assert recording is not None
        assert recording.status == "ready"


@pytest.mark.parametrize(
    ("connected", "reason", "words"),
    [(False, "no_connection", "(ICE and DTLS) never completed"), (True, "no_media", "No video")],
)
async def test_a_broadcast_without_media_ends_cleanly_with_a_reason_and_no_recording(
    app: FastAPI,
    stage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    connected: bool,
    reason: str,
    words: str,
) -> None:
    ctx, ingests = app.state.ctx, app.state.streaming.ingests
    frames: list[dict[str, Any]] = []
    await _listen(app, stage["slug"], frames.append)
    caplog.set_level(logging.DEBUG)
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
    live = await ingests.start_broadcast(
        stage=found, video=NoFrames(), audio=NoFrames(), connected=lambda: connected
    )
    assert live.recording_id is not None  # the session may be recorded; nothing comes
    assert await ingests.stop_broadcast(live.resource_id)  # what ICE failing leads to

    row = await _row(app, live.broadcast_id)
    assert row.state == BroadcastState.no_media
    assert row.ended_at is not None
    assert row.recording_id is None
    async with ctx.db.session() as db:
        assert await db.get(Recording, live.recording_id) is None
        status = await stage_status(ctx, db, stage=found, now=utcnow())
    assert status["state"] == "offline"
    assert status["recording"] is None
    assert not (ctx.settings.media_root / broadcasts.live_path(stage["slug"])).exists()
    assert not (ctx.settings.media_root / broadcasts.recording_path(live.recording_id)).exists()

    await wait_until(lambda: any(f["type"] == "stage.publish_failed" for f in frames), "why")
    failed = next(f for f in frames if f["type"] == "stage.publish_failed")
    assert failed["data"]["stage"] == stage["slug"]
    assert failed["data"]["reason"] == reason
    assert words in failed["data"]["message"]
    assert [f["data"]["state"] for f in frames if f["type"] == "stage.state"] == ["offline"]

    # Ended cleanly: no traceback, nothing above INFO.
    assert [r for r in caplog.records if r.exc_info] == []
    assert [r.getMessage() for r in caplog.records if r.levelno > logging.INFO] == []
    assert "Traceback" not in caplog.text
    # The stage is free at once.
    async with ctx.db.session() as db:
        assert await broadcasts.active_broadcast(db, stage_id=found.id) is None


async def test_no_first_segment_in_time_stops_the_broadcast(
    app: FastAPI, stage: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "START_SECONDS", 0.5)
    ctx, ingests = app.state.ctx, app.state.streaming.ingests
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
    live = await ingests.start_broadcast(stage=found, video=NoFrames(), audio=None)

    async def ended() -> bool:
        return (await _row(app, live.broadcast_id)).state == BroadcastState.no_media

    await wait_until_awaited(ended, "the broadcast to give up")
    assert ingests.live(live.resource_id) is None


async def test_stale_starting_broadcasts_are_ended_without_media(
    app: FastAPI, stage: dict[str, Any]
) -> None:
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
        row, recording = await broadcasts.begin(
            ctx, db, stage=found, resource_id="died-early", stream_key_id=None, publisher_id=None
        )
        assert recording is not None
        row.heartbeat_at = utcnow().replace(year=2000)
        await db.commit()
    (ctx.settings.media_root / row.media_path).mkdir(parents=True)
    await app.state.streaming.ingests.end_stale()
    ended = await _row(app, row.id)
    assert ended.state == BroadcastState.no_media
    async with ctx.db.session() as db:
        assert await db.get(Recording, recording.id) is None
    assert not (ctx.settings.media_root / row.media_path).exists()


# A WHIP publisher whose ICE never completes (netns) ----------------------------------


def _states(database: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT state, recording_id FROM stream_broadcasts").fetchall()


@pytest.mark.netns
async def test_a_whip_publisher_that_never_connects_leaves_nothing(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    log = tmp_path / "server.log"
    server = start_demo_server(
        var_dir,
        name="ingest",
        log=log,
        ice_interfaces="lo",
        stream_ladder="90p:160x90@120",
        stream_preset="ultrafast",
    )
    base = server.url
    publisher = WhipPublisher()
    try:
        await asyncio.to_thread(server.wait_healthy)
        slug, key = await organizer_stream_key(base)
        # The offer goes out; the answer is never applied, so ICE never completes.
        offer = await publisher.offer()
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                f"{base}/whip/{slug}",
                content=offer,
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"},
            )
        assert response.status_code == 201
        ((state, recording_id),) = _states(var_dir / "conference.db")
        assert (state, recording_id is not None) == ("starting", True)
        await wait_until(
            lambda: _states(var_dir / "conference.db")[0][0] != "starting",
            "the server to give up",
            within=ingest.START_SECONDS + 60,
        )
        assert _states(var_dir / "conference.db") == [("no_media", None)]
        with sqlite3.connect(var_dir / "conference.db") as connection:
            assert connection.execute("SELECT count(*) FROM recordings").fetchone() == (0,)
        assert not (var_dir / "media" / "streams" / slug).exists()
        assert "Traceback" not in log.read_text()
    finally:
        await publisher.close()
        server.stop()
