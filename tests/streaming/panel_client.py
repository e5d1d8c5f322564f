"""A synthetic panelist (aiortc): a solid-colour camera and a tone (or silence), and what
it receives back from the panel: the latest decoded picture and the audio level."""

from __future__ import annotations

import asyncio
import contextlib
import math
import struct
from fractions import Fraction

import av
import httpx
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from fastapi import FastAPI

from streaming.panel.compositor import CHUNK_SAMPLES, Rect, level
from tests.streaming.publisher import PacedTrack

SDP = {"Content-Type": "application/sdp"}
# The composed picture the panel tests ask for (small: CPU is shared).
OUT_W, OUT_H = 320, 180
VIDEO_CLOCK = 90_000


class SolidVideo(PacedTrack):
    """Frames of one YUV colour at ``fps``, paced in real time."""

    kind = "video"

    def __init__(self, colour: tuple[int, int, int], width: int, height: int, fps: int) -> None:
        super().__init__()
        self.colour, self.width, self.height, self.fps = colour, width, height, fps
        self.index = 0

    async def recv(self) -> av.VideoFrame:
        await self.pace(self.index / self.fps)
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        for index, plane in enumerate(frame.planes):
            plane.update(bytes([self.colour[index]]) * plane.buffer_size)
        frame.pts = self.index * VIDEO_CLOCK // self.fps
        frame.time_base = Fraction(1, VIDEO_CLOCK)
        self.index += 1
        return frame


class Tone(PacedTrack):
    """A 400 Hz sine (exactly 8 periods per 20 ms frame) of ``amplitude``; 0 is silence."""

    kind = "audio"

    def __init__(self, amplitude: int) -> None:
        super().__init__()
        samples = []
        for i in range(CHUNK_SAMPLES):
            value = int(amplitude * math.sin(2 * math.pi * 400 * i / 48_000))
            samples += [value, value]
        self.chunk = struct.pack(f"<{len(samples)}h", *samples)
        self.index = 0

    async def recv(self) -> av.AudioFrame:
        await self.pace(self.index * CHUNK_SAMPLES / 48_000)
        frame = av.AudioFrame(format="s16", layout="stereo", samples=CHUNK_SAMPLES)
        frame.planes[0].update(self.chunk)
        frame.sample_rate = 48_000
        frame.pts = self.index * CHUNK_SAMPLES
        frame.time_base = Fraction(1, 48_000)
        self.index += 1
        return frame


class Panelist:
    """One panelist's peer connection and what came back on it."""

    def __init__(
        self,
        colour: tuple[int, int, int],
        *,
        amplitude: int = 8000,
        size: tuple[int, int] = (320, 180),
        fps: int = 10,
    ) -> None:
        self.colour = colour
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc.addTrack(SolidVideo(colour, size[0], size[1], fps))
        self.pc.addTrack(Tone(amplitude))
        self.picture: av.VideoFrame | None = None
        self.video_frames = 0
        self.audio_levels: list[float] = []
        self.location: str | None = None
        self._tasks: list[asyncio.Task[None]] = []

        @self.pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self._tasks.append(asyncio.create_task(self._read(track)))

    async def _read(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                if isinstance(frame, av.VideoFrame):
                    self.picture = frame
                    self.video_frames += 1
                elif isinstance(frame, av.AudioFrame):
                    data = bytes(frame.planes[0])[: frame.samples * 2 * len(frame.layout.channels)]
                    self.audio_levels.append(level(data))

    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return self.pc.localDescription.sdp

    async def join(self, http: httpx.AsyncClient, slug: str) -> httpx.Response:
        """Join the stage's panel (:meth:`join_at`)."""
        return await self.join_at(http, f"/api/v1/streaming/stages/{slug}/panel")

    async def join_at(self, http: httpx.AsyncClient, address: str) -> httpx.Response:
        """POST the offer to ``address`` (a panel or a video room); on 201 apply the answer
        and remember where to DELETE."""
        response = await http.post(address, content=await self.offer(), headers=SDP)
        if response.status_code == 201:
            self.location = response.headers["location"]
            await self.pc.setRemoteDescription(
                RTCSessionDescription(sdp=response.text, type="answer")
            )
        return response

    async def leave(self, http: httpx.AsyncClient) -> httpx.Response:
        assert self.location is not None
        response = await http.delete(self.location)
        await self.close()
        return response

    async def close(self) -> None:
        await self.pc.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def recent_level(self, chunks: int = 25) -> float:
        """Mean level of the last ``chunks`` audio frames received (0 if none)."""
        recent = self.audio_levels[-chunks:]
        return sum(recent) / len(recent) if recent else 0.0


def http_for(app: FastAPI, port: int) -> httpx.AsyncClient:
    """A client of ``app`` from its own address and port (one per panelist)."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", port))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def colour_at(frame: av.VideoFrame, x: int, y: int) -> tuple[int, int, int]:
    rgb = frame.reformat(format="yuv420p")
    values = []
    for index, plane in enumerate(rgb.planes):
        shift = 0 if index == 0 else 1
        values.append(memoryview(plane)[(y >> shift) * plane.line_size + (x >> shift)])
    return (values[0], values[1], values[2])


def near(found: tuple[int, int, int], wanted: tuple[int, int, int], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(found, wanted, strict=True))


def shows(frame: av.VideoFrame | None, colour: tuple[int, int, int], rect: Rect) -> bool:
    """The tile ``rect`` of the panel picture (scaled to the received size) is ``colour``."""
    if frame is None:
        return False
    sx, sy = frame.width / OUT_W, frame.height / OUT_H
    x, y = int((rect.x + rect.width / 2) * sx), int((rect.y + rect.height / 2) * sy)
    return near(colour_at(frame, x, y), colour)
