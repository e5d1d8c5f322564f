"""Broadcast lifecycle: a real WHIP publisher goes live on loopback (netns), a crashed
holder's broadcast is ended and archived by another, the stage channel's policy."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from conference.accounts.models import Role
from conference.db.types import utcnow
from conference.errors import Conflict
from streaming import broadcasts
from streaming.channels import stage_policy
from streaming.ingest import keys
from streaming.models import Broadcast, Recording
from streaming.status import stage_status
from tests.factories import UserFactory
from tests.program.factories import ProgramBuilder
from tests.servers import start_demo_server
from tests.streaming.publisher import WhipPublisher, organizer_stream_key
from tests.waiting import wait_until

LADDER = "180p:320x180@300,90p:160x90@120"
SIZES = {"180p": (320, 180), "90p": (160, 90)}
SEGMENT_SECONDS = 1.0
FPS = 15


# Without WebRTC ----------------------------------------------------------------------


def _write_crashed_output(folder: Path) -> None:
    """What a writer leaves when its process dies: playlists without ENDLIST."""
    for name in SIZES:
        (folder / name).mkdir(parents=True)
        (folder / name / "index.m3u8").write_text(
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n"
            '#EXT-X-MAP:URI="init.mp4"\n'
            "#EXTINF:1.000,\nseg_00001.m4s\n#EXTINF:1.000,\nseg_00002.m4s\n"
            "#EXTINF:0.500,\nseg_00003.m4s\n"
        )
    (folder / "master.m3u8").write_text("#EXTM3U\n")


async def test_a_dead_holders_broadcast_is_ended_and_its_recording_kept(
    app: FastAPI, stage: dict[str, Any]
) -> None:
    ctx = app.state.ctx
    media_root: Path = ctx.settings.media_root
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
        live, recording = await broadcasts.begin(
            ctx, db, stage=found, resource_id="crashed", stream_key_id=None, publisher_id=None
        )
        assert recording is not None
        assert await broadcasts.mark_live(db, broadcast_id=live.id)  # its first segment
        _write_crashed_output(media_root / live.media_path)
        # Fresh: still live, and a second go-live is refused.
        with pytest.raises(Conflict):
            await broadcasts.begin(
                ctx, db, stage=found, resource_id="second", stream_key_id=None, publisher_id=None
            )
        await app.state.streaming.ingests.end_stale()
        assert await broadcasts.live_broadcast(db, stage_id=found.id) is not None
        # The holder stops refreshing its heartbeat (it died).
        stale = utcnow() - timedelta(seconds=broadcasts.STALE_SECONDS + 1)
        await db.execute(
            update(Broadcast).where(Broadcast.id == live.id).values(heartbeat_at=stale)
        )
        await db.commit()
        assert await broadcasts.live_broadcast(db, stage_id=found.id) is None

    frames: list[dict[str, Any]] = []
    channel = f"stage:{stage['slug']}"

    def heard(_: str, payload: bytes) -> None:
        frames.append(json.loads(payload.decode().partition("\n")[2]))

    await ctx.realtime.hub.backend.subscribe(channel, heard)
    await app.state.streaming.ingests.end_stale()
    await wait_until(lambda: frames, "the stage.state event")

    async with ctx.db.session() as db:
        ended = await db.get(Broadcast, live.id)
        kept = await db.get(Recording, recording.id)
        assert ended is not None
        assert kept is not None
        assert ended.state == "ended"
        assert ended.ended_at is not None
        assert kept.status == "ready"
        assert kept.duration_seconds == pytest.approx(2.5)
        assert kept.published is True
        assert kept.source == "live"
    assert [(f["type"], f["channel"]) for f in frames] == [("stage.state", channel)]
    state = frames[0]["data"]
    assert state["state"] == "ended"
    assert state["master_url"] is None
    assert state["recording"] == {
        "id": recording.id,
        "master_url": f"/vod/{recording.id}/master.m3u8",
        "title": recording.title,
    }
    folder = media_root / f"recordings/{recording.id}"
    assert not (media_root / live.media_path).exists()
    for name in SIZES:
        text = (folder / name / "index.m3u8").read_text()
        assert text.rstrip().endswith("#EXT-X-ENDLIST")
        assert text.count("#EXT-X-ENDLIST") == 1


async def test_a_session_that_may_not_be_recorded_gets_no_recording(
    app: FastAPI, client: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    builder = ProgramBuilder(client)
    now = utcnow()
    await builder.session(
        "Off the record",
        (now - timedelta(minutes=5)).isoformat(),
        (now + timedelta(minutes=30)).isoformat(),
        stage_id=stage["id"],
        may_be_recorded=False,
    )
    assert (await builder.publish(confirm=True)).status_code == 201
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
        live, recording = await broadcasts.begin(
            ctx, db, stage=found, resource_id="private", stream_key_id=None, publisher_id=None
        )
        assert recording is None
        assert await broadcasts.mark_live(db, broadcast_id=live.id)  # its first segment
        assert live.session_guid is not None
        state = await stage_status(ctx, db, stage=found, now=utcnow())
    assert state["state"] == "live"
    assert state["master_url"] == f"/streams/{stage['slug']}/master.m3u8"
    assert state["session"]["title"] == "Off the record"
    assert state["recording"] is None


async def test_do_not_record_talks_are_the_windows_cut_from_the_recording(
    app: FastAPI, client: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    builder = ProgramBuilder(client)
    now = utcnow().replace(microsecond=0)
    session = await builder.session(
        "Partly on the record",
        (now - timedelta(minutes=5)).isoformat(),
        (now + timedelta(minutes=60)).isoformat(),
        stage_id=stage["id"],
    )
    await builder.talk(session["id"], "Open", (now - timedelta(minutes=5)).isoformat(), 20)
    secret_start = now + timedelta(minutes=15)
    await builder.talk(session["id"], "Secret", secret_start.isoformat(), 25, may_be_recorded=False)
    assert (await builder.publish(confirm=True)).status_code == 201
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        found = await keys.find_stage(db, slug=stage["slug"])
        live, recording = await broadcasts.begin(
            ctx, db, stage=found, resource_id="partly", stream_key_id=None, publisher_id=None
        )
        assert recording is not None  # the session may be recorded; one talk is cut
        started_at, windows = await broadcasts.unrecorded_talks(ctx, db, broadcast_id=live.id)
    assert started_at == live.started_at
    assert windows == [(secret_start, secret_start + timedelta(minutes=25))]


async def test_stage_channel_admits_signed_in_users_to_existing_stages(
    app: FastAPI, users: UserFactory, stage: dict[str, Any]
) -> None:
    attendee = await users.create(Role.attendee, email="viewer@example.org")
    async with app.state.ctx.db.session() as db:
        assert await stage_policy(app.state.ctx, db, attendee, stage["slug"]) is True
        assert await stage_policy(app.state.ctx, db, attendee, "no-such-stage") is False


# A real publisher (netns) ------------------------------------------------------------


def _segments(playlist: Path) -> list[str]:
    if not playlist.exists():
        return []
    return [line for line in playlist.read_text().splitlines() if line.endswith(".m4s")]


def _decode_segment(folder: Path, segment: str, tmp: Path) -> dict[str, Any]:
    """Decode init + one segment; codecs, frame size and the video's duration in seconds."""
    joined = tmp / f"{folder.name}-{segment}.mp4"
    init = segment.partition("seg_")[0] + "init.mp4"  # the broadcast's own init segment
    joined.write_bytes((folder / init).read_bytes() + (folder / segment).read_bytes())
    with av.open(str(joined)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        frames = list(container.decode(video))
    first, last = frames[0], frames[-1]
    assert first.pts is not None
    assert last.pts is not None
    assert video.time_base is not None
    step = float(video.time_base) * (last.pts - first.pts) / max(len(frames) - 1, 1)
    return {
        "video": video.codec_context.name,
        "audio": audio.codec_context.name,
        "size": (first.width, first.height),
        "seconds": float((last.pts - first.pts) * video.time_base) + step,
    }


def _db_rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.netns
async def test_whip_publisher_goes_live_and_leaves_a_recording(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    server = start_demo_server(
        var_dir,
        name="ingest",
        log=tmp_path / "server.log",
        ice_interfaces="lo",
        stream_ladder=LADDER,
        stream_segment_seconds=str(SEGMENT_SECONDS),
        stream_fps=str(FPS),
        stream_preset="ultrafast",
    )
    base = server.url
    publisher = WhipPublisher(fps=FPS)
    second = WhipPublisher(fps=FPS)
    try:
        await asyncio.to_thread(server.wait_healthy)
        slug, key = await organizer_stream_key(base)

        resource = await publisher.publish(f"{base}/whip/{slug}", key)
        assert resource.startswith(f"{base}/whip/{slug}/")
        live_dir = var_dir / "media" / "streams" / slug
        playlists = {name: live_dir / name / "index.m3u8" for name in SIZES}
        await wait_until(
            lambda: all(len(_segments(p)) >= 3 for p in playlists.values()),
            "three segments in every rendition",
        )
        master = (live_dir / "master.m3u8").read_text()
        assert "180p/index.m3u8" in master
        assert "90p/index.m3u8" in master
        for name, (width, height) in SIZES.items():
            for segment in _segments(playlists[name])[:2]:
                decoded = _decode_segment(live_dir / name, segment, tmp_path)
                assert decoded["video"] == "h264"
                assert decoded["audio"] == "aac"
                assert decoded["size"] == (width, height)
                assert decoded["seconds"] == pytest.approx(SEGMENT_SECONDS, rel=0.1)

        database = var_dir / "conference.db"
        ((broadcast_id, state),) = _db_rows(database, "SELECT id, state FROM stream_broadcasts")
        assert state == "live"
        # The broadcast's own file names, so caches may keep them for good.
        for playlist in playlists.values():
            assert _segments(playlist)[0] == f"b{broadcast_id}-seg_00001.m4s"
            assert f'#EXT-X-MAP:URI="b{broadcast_id}-init.mp4"' in playlist.read_text()

        with pytest.raises(httpx.HTTPStatusError) as refused:
            await second.publish(f"{base}/whip/{slug}", key)
        assert refused.value.response.status_code == 409

        assert await publisher.stop() == 200
        (state, recording_id), *_ = _db_rows(
            database, "SELECT state, recording_id FROM stream_broadcasts"
        )
        assert state == "ended"
        folder = var_dir / "media" / "recordings" / str(recording_id)
        for name in SIZES:
            text = (folder / name / "index.m3u8").read_text()
            assert text.rstrip().endswith("#EXT-X-ENDLIST")
        assert not live_dir.exists()
        ((status, duration, has_mp4, has_thumbnail),) = _db_rows(
            database,
            "SELECT status, duration_seconds, has_mp4, has_thumbnail FROM recordings "
            f"WHERE id = {recording_id}",
        )
        assert status == "ready"
        assert duration >= 3 * SEGMENT_SECONDS * 0.9
        assert (has_mp4, has_thumbnail) == (1, 1)
        assert (folder / "recording.mp4").stat().st_size > 0
        assert (folder / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"

        # The stage is free again; a publisher that vanishes without DELETE ends its
        # broadcast too (its tracks end when the peer connection closes).
        await second.publish(f"{base}/whip/{slug}", key)
        await wait_until(lambda: _segments(playlists["90p"]), "the second go-live")
        await second.close()
        await wait_until(
            lambda: (
                _db_rows(database, "SELECT state FROM stream_broadcasts ORDER BY id")[-1]
                == ("ended",)
            ),
            "the broadcast of a vanished publisher to end",
            # Well under the silence watchdog (ingest.SILENCE_SECONDS): the closed
            # connection itself ends the broadcast.
            within=8,
        )
    finally:
        await publisher.close()
        await second.close()
        server.stop()
