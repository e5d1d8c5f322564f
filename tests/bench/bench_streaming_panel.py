"""CPU per extra panelist (issue 5: Performance), our panel against a naive relay.

Goal: a panel's server cost grows by one decode (and a little mixing) per panelist, not by
one encode per pair of panelists. No fixed number is asked of us; the figure reported is
the marginal server CPU per extra panelist between 2 and 8 panelists.

How: inside a private network namespace (``unshare --net``, loopback only, as
tests/netns.py does for tests) a child process runs the server and reports its own CPU
seconds per second (user + system, all threads) over a fixed window after a warm-up; the
aiortc panelists (moving synthetic video at 320x180@15 and a tone) run in other
processes, two per process as browsers would be spread, at the lowest priority so that on a
small machine they do not starve the server being measured. Two servers, measured the same
way in the same run:

- ours: :class:`streaming.panel.rooms.PanelRoom`, one composed picture encoded once (H.264,
  libx264 ``veryfast``) and relayed as packets to everyone, a mix-minus per panelist;
- naive (the peer): aiortc's MediaRelay, every panelist receives every other panelist's
  video and audio, re-encoded per receiver by aiortc's own senders (H.264 negotiated too;
  aiortc's encoder is libx264 at its default preset with ``zerolatency``).

Every panelist's received video frame rate is printed as well: a design that saves CPU by
delivering fewer frames would show it there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamError

from streaming.ingest.ice import allow_ice_interfaces
from streaming.panel.rooms import PanelRoom
from streaming.panel.tracks import codec_preferences
from tests.streaming.publisher import SineAudio, SyntheticVideo

INSIDE = "CONFERENCE_IN_NETNS"
CAMERA = (320, 180)
FPS = 15
PANEL_SIZE = (640, 360)
PANEL_BITRATE = 800_000
WARM_UP = 4.0
PER_CLIENT_PROCESS = 2


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def video_counts(pcs: list[RTCPeerConnection]) -> tuple[int, int]:
    """Incoming video RTP packets (lost, received) on these connections."""
    received = lost = 0
    for pc in pcs:
        for stats in (await pc.getStats()).values():
            if stats.type == "inbound-rtp" and stats.kind == "video":
                received += stats.packetsReceived
                lost += max(0, stats.packetsLost)
    return lost, received


async def video_loss(pcs: list[RTCPeerConnection]) -> float:
    """The share of incoming video RTP packets lost on these connections (0..1)."""
    lost, received = await video_counts(pcs)
    return lost / (received + lost) if received + lost else 0.0


# Server side (child process) ----------------------------------------------------------


class Counting(MediaStreamTrack):
    """Passes a track's frames through, counting them (what the server decoded)."""

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self.kind = source.kind
        self.source = source
        self.frames = 0

    async def recv(self) -> Any:
        frame = await self.source.recv()
        self.frames += 1
        return frame


def naive_frames(naive: NaiveRelay) -> int:
    return sum(camera.frames for _, camera, _ in naive.joined)


class NaiveRelay:
    """Each panelist gets every other panelist's tracks through MediaRelay; aiortc's
    sender encodes each one for each receiver."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.relay = MediaRelay()
        self.joined: list[tuple[RTCPeerConnection, Counting, MediaStreamTrack]] = []

    async def join(self, offer: str) -> str:
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        for kind in ("video", "audio"):
            for _ in range(self.size - 1):
                transceiver = pc.addTransceiver(kind, direction="sendrecv")
                if kind == "video":
                    transceiver.setCodecPreferences(codec_preferences())
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        camera = Counting(next(t for t in pc.getTransceivers() if t.kind == "video").receiver.track)
        mic = next(t for t in pc.getTransceivers() if t.kind == "audio").receiver.track
        self.joined.append((pc, camera, mic))
        if len(self.joined) == self.size:
            self._wire()
        return pc.localDescription.sdp

    def _wire(self) -> None:
        for index, (pc, _, _) in enumerate(self.joined):
            others = [entry for i, entry in enumerate(self.joined) if i != index]
            videos = [t for t in pc.getTransceivers() if t.kind == "video"]
            audios = [t for t in pc.getTransceivers() if t.kind == "audio"]
            for (_, camera, mic), video, audio in zip(others, videos, audios, strict=True):
                video.sender.replaceTrack(self.relay.subscribe(camera))
                audio.sender.replaceTrack(self.relay.subscribe(mic))


async def serve(design: str, size: int, port: int) -> None:
    allow_ice_interfaces("lo")
    room = PanelRoom(
        "bench",
        width=PANEL_SIZE[0],
        height=PANEL_SIZE[1],
        fps=FPS,
        bitrate=PANEL_BITRATE,
        preset="veryfast",
    )
    naive = NaiveRelay(size)
    done = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            request = json.loads(line)
            reply: dict[str, Any]
            if "join" in request:
                if design == "ours":
                    _, answer = await room.add(
                        user_id=request["index"], name="bench", offer_sdp=request["join"]
                    )
                else:
                    answer = await naive.join(request["join"])
                reply = {"answer": answer}
            elif "measure" in request:
                before, started = os.times(), time.monotonic()
                composed = room.frames_composed
                cameras = naive_frames(naive) + sum(p.frames_in for p in room.panelists.values())
                await asyncio.sleep(request["measure"])
                after, elapsed = os.times(), time.monotonic() - started
                cpu = (after.user - before.user) + (after.system - before.system)
                pcs = [p.pc for p in room.panelists.values()] + [pc for pc, _, _ in naive.joined]
                reply = {
                    "cpu": cpu / elapsed,
                    "composed_fps": (room.frames_composed - composed) / elapsed,
                    "camera_fps": (
                        naive_frames(naive)
                        + sum(p.frames_in for p in room.panelists.values())
                        - cameras
                    )
                    / elapsed
                    / size,
                    "loss": await video_loss(pcs),
                }
            else:
                done.set()
                reply = {}
            writer.write(json.dumps(reply).encode() + b"\n")
            await writer.drain()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    say("ready")
    async with server:
        await done.wait()
    await room.close()
    for pc, _, _ in naive.joined:
        await pc.close()


# Client side (this process) ----------------------------------------------------------


class BenchPanelist:
    def __init__(self, design: str, size: int) -> None:
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc.addTransceiver(SyntheticVideo(*CAMERA, FPS), direction="sendrecv")
        self.pc.addTransceiver(SineAudio(), direction="sendrecv")
        if design == "naive":  # one more receiving track per other panelist
            for kind in ("video", "audio"):
                for _ in range(size - 2):
                    self.pc.addTransceiver(kind, direction="recvonly")
        self.video_frames = 0
        self.tasks: list[asyncio.Task[None]] = []

        @self.pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self.tasks.append(asyncio.create_task(self._read(track)))

    async def _read(self, track: MediaStreamTrack) -> None:
        try:
            while True:
                await track.recv()
                if track.kind == "video":
                    self.video_frames += 1
        except MediaStreamError:
            pass

    def receiving(self) -> list[RTCRtpTransceiver]:
        return [t for t in self.pc.getTransceivers() if t.kind == "video"]

    async def close(self) -> None:
        await self.pc.close()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def ask(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: dict[str, Any]
) -> dict[str, Any]:
    writer.write(json.dumps(request).encode() + b"\n")
    await writer.drain()
    reply: dict[str, Any] = json.loads(await reader.readline())
    return reply


async def run_clients(design: str, size: int, port: int, first: int, count: int) -> None:
    """A client process: ``count`` panelists; counts between "start" and "stop" on stdin.

    Panelists are spread over several processes, as browsers would be: one Python process
    hosting all of them falls behind reading its sockets and loses packets itself.
    """
    allow_ice_interfaces("lo")
    # Lowest priority: on a small machine the clients must not starve the server measured.
    os.nice(19)
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    panelists = [BenchPanelist(design, size) for _ in range(count)]
    try:
        for index, panelist in enumerate(panelists, start=first):
            await panelist.pc.setLocalDescription(await panelist.pc.createOffer())
            offer = panelist.pc.localDescription.sdp
            reply = await ask(reader, writer, {"join": offer, "index": index})
            await panelist.pc.setRemoteDescription(
                RTCSessionDescription(sdp=reply["answer"], type="answer")
            )
        say("joined")
        await loop.run_in_executor(None, sys.stdin.readline)  # start
        frames, times = [p.video_frames for p in panelists], os.times()
        await loop.run_in_executor(None, sys.stdin.readline)  # stop
        after = os.times()
        lost, received = await video_counts([p.pc for p in panelists])
        result = {
            "frames": sum(p.video_frames for p in panelists) - sum(frames),
            "cpu": (after.user - times.user) + (after.system - times.system),
            "lost": lost,
            "received": received,
        }
        say(json.dumps(result))
    finally:
        writer.close()
        for panelist in panelists:
            await panelist.close()


async def spawn(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bench.bench_streaming_panel",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )


async def line(process: asyncio.subprocess.Process) -> bytes:
    assert process.stdout is not None
    return (await process.stdout.readline()).strip()


async def tell(process: asyncio.subprocess.Process, text: str) -> None:
    assert process.stdin is not None
    process.stdin.write(text.encode() + b"\n")
    await process.stdin.drain()


async def measure(design: str, size: int, seconds: float, port: int) -> dict[str, float]:
    """Server CPU (cores), client CPU, frame rates and losses for one point."""
    server_process = await spawn("--serve", design, str(size), str(port))
    workers: list[asyncio.subprocess.Process] = []
    try:
        assert await line(server_process) == b"ready"
        for first in range(0, size, PER_CLIENT_PROCESS):
            count = min(PER_CLIENT_PROCESS, size - first)
            workers.append(
                await spawn("--clients", design, str(size), str(port), str(first), str(count))
            )
        for worker in workers:
            assert await line(worker) == b"joined"
        await asyncio.sleep(WARM_UP)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        started = time.monotonic()
        for worker in workers:
            await tell(worker, "start")
        server = await ask(reader, writer, {"measure": seconds})
        for worker in workers:
            await tell(worker, "stop")
        elapsed = time.monotonic() - started
        results = [json.loads(await line(worker)) for worker in workers]
        for worker in workers:  # their connections close before the server stops
            await worker.wait()
        await ask(reader, writer, {"stop": True})
        writer.close()
        streams = 1 if design == "ours" else size - 1
        lost = sum(r["lost"] for r in results)
        received = sum(r["received"] for r in results)
        return {
            "cpu": server["cpu"],
            "composed": server["composed_fps"] if design == "ours" else FPS,
            "cameras": server["camera_fps"],
            "loss_in": server["loss"],
            "loss_out": lost / (lost + received) if lost + received else 0.0,
            "clients": sum(r["cpu"] for r in results) / elapsed,
            "fps": sum(r["frames"] for r in results) / size / streams / elapsed,
        }
    finally:
        for process in [*workers, server_process]:
            if process.returncode is None:
                process.terminate()
            await process.wait()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_streaming_panel")
    parser.add_argument("--panel-sizes", default="2,4,8")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--designs", default="ours,naive")
    options, _ = parser.parse_known_args(argv)
    return options


async def run(options: argparse.Namespace) -> int:
    allow_ice_interfaces("lo")
    sizes = [int(x) for x in options.panel_sizes.split(",")]
    designs = options.designs.split(",")
    say("== Panel CPU per panelist (issue 5: Performance) ==")
    say(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; loopback in a "
        f"private network namespace; cameras {CAMERA[0]}x{CAMERA[1]}@{FPS} (moving pattern) "
        f"and a tone; ours composes {PANEL_SIZE[0]}x{PANEL_SIZE[1]}@{FPS}; "
        f"{options.duration:.0f} s per point after {WARM_UP:.0f} s warm-up"
    )
    say(
        f"{'design':<8}{'panelists':>10}{'server cores':>14}{'client cores':>14}"
        f"{'camera fps in':>15}{'composed fps':>14}{'video fps/stream':>18}{'loss in/out':>14}"
    )
    results: dict[str, dict[int, float]] = {}
    saturated: dict[str, list[int]] = {}
    port = 47_000
    for design in designs:
        for size in sizes:
            port += 1
            point = await measure(design, size, options.duration, port)
            note = ""
            if min(point["cameras"], point["composed"]) < 0.9 * FPS:
                note = "  server saturated"
                saturated.setdefault(design, []).append(size)
            else:
                results.setdefault(design, {})[size] = point["cpu"]
                if point["fps"] < 0.9 * FPS:
                    note = "  clients could not keep up"
            composed = f"{point['composed']:.1f}" if design == "ours" else "-"
            say(
                f"{design:<8}{size:>10}{point['cpu']:>14.2f}{point['clients']:>14.2f}"
                f"{point['cameras']:>15.1f}{composed:>14}{point['fps']:>18.1f}"
                f"{point['loss_in']:>8.0%} /{point['loss_out']:>4.0%}{note}"
            )
    say("")
    say(
        "Server saturated: it decoded or composed fewer frames than sent, so the figure "
        "understates its cost. Clients could not keep up: the (niced) client processes "
        "lost frames; the server still did the full work."
    )
    for design in designs:
        points = results.get(design, {})
        beyond = saturated.get(design, [])
        if len(points) >= 2:
            low, high = min(points), max(points)
            marginal = (points[high] - points[low]) / (high - low)
            say(f"{design}: {marginal:.3f} core per extra panelist ({low} -> {high} panelists)")
        if beyond:
            say(f"{design}: more than this machine gives at {', '.join(map(str, beyond))}")
    return 0


def main(argv: list[str]) -> int:
    if "--clients" in argv:
        index = argv.index("--clients")
        design, *numbers = argv[index + 1 : index + 6]
        size, port, first, count = (int(n) for n in numbers)
        asyncio.run(run_clients(design, size, port, first, count))
        return 0
    if "--serve" in argv:
        index = argv.index("--serve")
        asyncio.run(serve(argv[index + 1], int(argv[index + 2]), int(argv[index + 3])))
        return 0
    options = parse(argv)
    if os.environ.get(INSIDE) == "1":
        return asyncio.run(run(options))
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        say("bench_streaming_panel: skipped (needs root and unshare for a private network)")
        return 0
    command = " ".join(
        [
            "ip link set lo up && exec",
            sys.executable,
            "-m",
            "tests.bench.bench_streaming_panel",
            *(f"'{arg}'" for arg in argv),
        ]
    )
    result = subprocess.run(
        ["unshare", "--net", "sh", "-c", command],
        env={**os.environ, INSIDE: "1"},
        check=False,
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
