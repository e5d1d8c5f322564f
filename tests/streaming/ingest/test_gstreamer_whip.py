"""A publisher that is not aiortc: GStreamer's webrtcbin (RSA certificate) over WHIP.

GStreamer 1.22 signs its DTLS certificate with RSA, aiortc only offers ECDHE-ECDSA suites
as a DTLS client; the ingest answers ``a=setup:passive`` so the server side uses its own
ECDSA certificate (docs/PRODUCTION.md, "WHIP publishers"). The publisher is
tests/streaming/gst_whip_client.py under Debian's /usr/bin/python3 (python3-gi and the
GStreamer plugins: ``make system-packages``). libnice offers no loopback candidates, so
the test adds a veth pair with private addresses inside its private network namespace;
every packet stays inside it.
"""

from __future__ import annotations

import array
import asyncio
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import pytest

from conference.demo import DEMO_PASSWORD
from tests.netns import inside_private_network
from tests.servers import start_demo_server
from tests.streaming.publisher import organizer_stream_key
from tests.waiting import wait_until

GST_PYTHON = "/usr/bin/python3"
CLIENT = Path(__file__).parents[1] / "gst_whip_client.py"
ELEMENTS = (
    "webrtcbin nicesrc dtlsenc videotestsrc audiotestsrc vp8enc x264enc opusenc "
    "rtpvp8pay rtph264pay rtpopuspay"
)
# The published picture; the ladder's only rendition has the same size.
WIDTH, HEIGHT = 480, 270
SIZE_ARGUMENTS = ("--width", str(WIDTH), "--height", str(HEIGHT))
LADDER = f"270p:{WIDTH}x{HEIGHT}@400"
SEGMENT_SECONDS = 1.0
# The veth pair's two ends, both inside the test's namespace.
SERVER_ADDRESS, CLIENT_ADDRESS = "10.91.0.1", "10.91.0.2"


def _gstreamer_missing() -> str | None:
    check = (
        "import gi; gi.require_version('Gst', '1.0'); gi.require_version('GstWebRTC', '1.0'); "
        "gi.require_version('GstSdp', '1.0'); from gi.repository import Gst, GstWebRTC, GstSdp; "
        f"Gst.init(None); missing = [e for e in {ELEMENTS!r}.split() "
        "if Gst.ElementFactory.find(e) is None]; print(' '.join(missing))"
    )
    try:
        result = subprocess.run(
            [GST_PYTHON, "-c", check], capture_output=True, text=True, timeout=60, check=False
        )
    except FileNotFoundError:
        return f"{GST_PYTHON} is missing"
    if result.returncode != 0:
        return f"python3-gi or GStreamer's introspection data is missing: {result.stderr[-300:]}"
    if result.stdout.strip():
        return f"GStreamer elements missing: {result.stdout.strip()} (make system-packages)"
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def veth() -> Iterator[None]:
    """A veth pair inside this private namespace, one private address at each end."""
    assert inside_private_network()  # never change the machine's own network
    _ip("link", "add", "whip0", "type", "veth", "peer", "name", "whip1")
    try:
        _ip("addr", "add", f"{SERVER_ADDRESS}/24", "dev", "whip0")
        _ip("addr", "add", f"{CLIENT_ADDRESS}/24", "dev", "whip1")
        _ip("link", "set", "whip0", "up")
        _ip("link", "set", "whip1", "up")
        yield
    finally:
        _ip("link", "del", "whip0")


def _segments(playlist: Path) -> list[str]:
    if not playlist.exists():
        return []
    return [line for line in playlist.read_text().splitlines() if line.endswith(".m4s")]


def _said(log: Path) -> str:
    return log.read_text()[-3000:]


def _start_publisher(url: str, key: str, codec: str, log: Path) -> subprocess.Popen[bytes]:
    """The GStreamer publisher under Debian's Python; it publishes until its stdin closes."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [GST_PYTHON, str(CLIENT), url, key, "--codec", codec, *SIZE_ARGUMENTS],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={"PATH": "/usr/bin:/bin", "GST_DEBUG": "webrtcbin:2,dtlsconnection:2"},
        )


def _decode(folder: Path, segment: str, tmp: Path) -> dict[str, Any]:
    """Decode the init segment and one media segment: codecs, picture size, loudest sample."""
    joined = tmp / f"joined-{segment}.mp4"
    init = segment.partition("seg_")[0] + "init.mp4"
    joined.write_bytes((folder / init).read_bytes() + (folder / segment).read_bytes())
    with av.open(str(joined)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        pictures = [(f.width, f.height) for f in container.decode(video)]
        container.seek(0)
        peak = 0.0
        for frame in container.decode(audio):
            assert frame.format.name == "fltp"  # AAC decodes to planar float
            samples = array.array("f", bytes(frame.planes[0])[: frame.samples * 4])
            peak = max(peak, *(abs(s) for s in samples))
        return {
            "video": video.codec_context.name,
            "audio": audio.codec_context.name,
            "sizes": set(pictures),
            "frames": len(pictures),
            "peak": peak,
        }


def _rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.netns
@pytest.mark.parametrize("codec", ["vp8", "h264"])
async def test_gstreamer_webrtcbin_publishes_over_whip(
    codec: str, tmp_path: Path, veth: None
) -> None:
    missing = _gstreamer_missing()
    if missing is not None:
        pytest.skip(missing)
    var_dir = tmp_path / "var"
    server = start_demo_server(
        var_dir,
        name="ingest",
        log=tmp_path / "server.log",
        ice_interfaces=SERVER_ADDRESS,
        stream_ladder=LADDER,
        stream_segment_seconds=str(SEGMENT_SECONDS),
        stream_fps="15",
        stream_preset="ultrafast",
    )
    base = server.url
    log = tmp_path / "publisher.log"
    publisher: subprocess.Popen[bytes] | None = None
    try:
        await asyncio.to_thread(server.wait_healthy)
        slug, key = await organizer_stream_key(base)
        publisher = _start_publisher(f"{base}/whip/{slug}", key, codec, log)
        live_dir = var_dir / "media" / "streams" / slug
        playlist = live_dir / "270p" / "index.m3u8"
        running = publisher

        def three_segments() -> bool:
            if running.poll() is not None:
                pytest.fail(f"the publisher exited while waiting for segments:\n{_said(log)}")
            return len(_segments(playlist)) >= 3

        await wait_until(
            three_segments,
            lambda: f"three segments; the publisher said:\n{_said(log)}",
            within=90,
        )
        assert "connection connected" in _said(log)

        database = var_dir / "conference.db"
        assert _rows(database, "SELECT state FROM stream_broadcasts") == [("live",)]
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            token = (await http.get("/api/v1/auth/csrf")).json()["csrf_token"]
            http.headers["X-CSRF-Token"] = token
            signed = await http.post(
                "/api/v1/auth/login",
                json={"email": "organizer@demo.test", "password": DEMO_PASSWORD},
            )
            assert signed.status_code == 200
            status = (await http.get(f"/api/v1/streaming/stages/{slug}/status")).json()
        assert status["state"] == "live"
        assert status["master_url"] == f"/streams/{slug}/master.m3u8"

        # The second segment: the first may start before the tone reached the server.
        decoded = _decode(playlist.parent, _segments(playlist)[1], tmp_path)
        assert decoded["video"] == "h264"
        assert decoded["audio"] == "aac"
        assert decoded["sizes"] == {(WIDTH, HEIGHT)}
        assert decoded["frames"] >= 10
        assert decoded["peak"] > 0.05  # the publisher's tone, not the writer's silence

        assert publisher.stdin is not None
        publisher.stdin.close()  # the publisher DELETEs its resource and exits
        assert await asyncio.to_thread(publisher.wait, 60) == 0
        assert "deleted 200" in _said(log)
        ((state, recording_id),) = _rows(
            database, "SELECT state, recording_id FROM stream_broadcasts"
        )
        assert state == "ended"
        ((recording_status,),) = _rows(
            database, f"SELECT status FROM recordings WHERE id = {int(recording_id)}"
        )
        assert recording_status == "ready"
    finally:
        if publisher is not None and publisher.poll() is None:
            publisher.kill()
            publisher.wait(timeout=10)
        server.stop()
