"""Capture-to-playlist latency of a live stage (issue 5, Performance): goal 2.5 s or less
with 1 s segments.

How: a real server (``python -m conference serve``, SQLite and the memory hub in a
temporary var directory, migrated and demo-seeded) and a synthetic WHIP publisher
(:mod:`tests.streaming.publisher`, aiortc) in this process, both inside a private network
namespace with only loopback (``unshare --net``, as tests/netns.py does for the tests: the
WebRTC traffic never leaves 127.0.0.1). Each video frame carries, as a barcode, the
wall-clock millisecond it was made. This process polls the top rendition's playlist every
20 ms; for each segment that appears it decodes the segment's first frame, reads its
capture time, and takes the difference with the wall time the segment was first seen
listed (same machine, same clock). A segment is listed once it is complete, so the figure
includes one segment of media (1 s) plus the WebRTC path, decoding, encoding and muxing.

Defaults are the product's: a 1280x720 source at 30 fps, the default ladder
``720p:1280x720@2500,360p:640x360@800`` and x264 ``superfast``. The publisher's own VP8
encode runs on the same 2 cores, so the figure is pessimistic. ``--ladder``, ``--size``,
``--fps``, ``--preset`` and ``--segments`` change them; ``--check`` makes a missed goal
the exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

from tests.netns import INSIDE, inside_private_network
from tests.servers import start_demo_server
from tests.streaming.frames import read_capture_ms
from tests.streaming.publisher import WhipPublisher, ms_between, organizer_stream_key, wall_ms

GOAL_SECONDS = 2.5
POLL_SECONDS = 0.02


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _segments(playlist: Path) -> list[str]:
    try:
        text = playlist.read_text()
    except FileNotFoundError:
        return []
    return [line for line in text.splitlines() if line.endswith(".m4s")]


def _first_capture_ms(folder: Path, segment: str, scratch: Path) -> int | None:
    """The capture time drawn in the segment's first frame (decoded with its init)."""
    joined = scratch / "segment.mp4"
    joined.write_bytes((folder / "init.mp4").read_bytes() + (folder / segment).read_bytes())
    with av.open(str(joined)) as container:
        for frame in container.decode(video=0):
            return read_capture_ms(frame)
    return None


async def measure(options: argparse.Namespace, var_dir: Path) -> list[float]:
    """Latencies (seconds) of the first ``options.segments`` segments after warm-up."""
    server = start_demo_server(
        var_dir,
        name="bench",
        ice_interfaces="lo",
        stream_ladder=options.ladder,
        stream_segment_seconds=str(options.segment_seconds),
        stream_fps=str(options.fps),
        stream_preset=options.preset,
    )
    base = server.url
    width, height = (int(n) for n in options.size.split("x"))
    publisher = WhipPublisher(width=width, height=height, fps=options.fps)
    latencies: list[float] = []
    try:
        await asyncio.to_thread(server.wait_healthy)
        slug, key = await organizer_stream_key(base)
        await publisher.publish(f"{base}/whip/{slug}", key)
        top = options.ladder.split(",")[0].split(":")[0]
        folder = var_dir / "media" / "streams" / slug / top
        playlist = folder / "index.m3u8"
        seen: set[str] = set()
        unreadable = 0
        deadline = time.monotonic() + 30 + (options.segments + options.warmup) * 3
        while len(latencies) < options.segments and time.monotonic() < deadline:
            listed = _segments(playlist)
            appeared = wall_ms()
            for index, segment in enumerate(listed):
                if segment in seen:
                    continue
                seen.add(segment)
                if index < options.warmup:
                    continue  # the first segments include the ICE and DTLS set-up
                captured = await asyncio.to_thread(_first_capture_ms, folder, segment, var_dir)
                if captured is None:
                    unreadable += 1
                    continue
                latencies.append(ms_between(captured, appeared) / 1000)
            await asyncio.sleep(POLL_SECONDS)
        if unreadable:
            say(f"({unreadable} segments had an unreadable barcode and were left out)")
    finally:
        await publisher.stop()
        server.stop()
    return latencies


def report(latencies: list[float], options: argparse.Namespace) -> bool:
    say("== Streaming latency benchmark (issue 5: Performance) ==")
    say(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PyAV {av.__version__}"
    )
    say(
        f"source {options.size} @ {options.fps} fps over WHIP on loopback; ladder "
        f"{options.ladder}; {options.segment_seconds:g} s segments; x264 {options.preset}"
    )
    if len(latencies) < 2:
        say(f"only {len(latencies)} segments measured: no figures")
        return False
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    p50 = statistics.median(ordered)
    met = p95 <= GOAL_SECONDS
    say(
        f"capture-to-playlist over {len(ordered)} segments: p50 {p50:.2f} s, p95 {p95:.2f} s, "
        f"min {ordered[0]:.2f} s, max {ordered[-1]:.2f} s (goal p95 <= {GOAL_SECONDS} s: "
        f"{'met' if met else 'MISSED'})"
    )
    return met


def _rerun_in_private_network(argv: list[str]) -> int:
    """Run this benchmark again under ``unshare --net`` with only loopback up."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        say("== Streaming latency benchmark: skipped (needs root, unshare and ip) ==")
        return 0
    command = " ".join(
        ["ip link set lo up && exec", sys.executable, "-m", "tests.bench.bench_streaming_latency"]
        + [shlex.quote(arg) for arg in argv]
    )
    env = {**os.environ, INSIDE: "1"}
    return subprocess.run(
        ["unshare", "--net", "sh", "-c", command], env=env, check=False
    ).returncode


def main(argv: list[str]) -> int:
    if not inside_private_network():
        return _rerun_in_private_network(argv)
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--ladder", default="720p:1280x720@2500,360p:640x360@800")
    parser.add_argument("--size", default="1280x720", help="the publisher's frame size")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--preset", default="superfast")
    parser.add_argument("--segment-seconds", type=float, default=1.0)
    parser.add_argument("--segments", type=int, default=20, help="measured, after warm-up")
    parser.add_argument("--warmup", type=int, default=2, help="first segments left out")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    options, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-streaming-") as scratch:
        latencies = asyncio.run(measure(options, Path(scratch)))
    met = report(latencies, options)
    return 1 if options.check and not met else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
