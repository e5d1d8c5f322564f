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

from streaming.panel.compositor import CHUNK_SAMPLES, level
from tests.streaming.publisher import PacedTrack

SDP = {"Content-Type": "application/sdp"}
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
        """POST the offer; on 201 apply the answer and remember where to DELETE."""
        response = await http.post(
            f"/api/v1/streaming/stages/{slug}/panel", content=await self.offer(), headers=SDP
        )
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
