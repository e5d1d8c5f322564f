"""A synthetic WHIP publisher (aiortc): frames that carry their capture time, and a tone.

Each video frame shows, as a barcode (tests/streaming/frames.py), the wall-clock
millisecond it was made, modulo 2**32 (:func:`wall_ms`); whoever decodes a segment can
tell how long after capture it appeared.
"""

from __future__ import annotations

import asyncio
import time
from fractions import Fraction
from urllib.parse import urljoin

import av
import httpx
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)

from conference.demo import DEMO_PASSWORD
from streaming.ingest.ice import allow_ice_interfaces
from tests.streaming.frames import audio_frame, video_frame

AUDIO_RATE = 48_000
AUDIO_SAMPLES = 960  # 20 ms, aiortc's Opus frame


def wall_ms() -> int:
    """The wall clock in milliseconds, modulo 2**32 (what a frame's barcode holds)."""
    return int(time.time() * 1000) % 2**32


def ms_between(earlier: int, later: int) -> int:
    """``later - earlier`` for two :func:`wall_ms` values (across a wrap, too)."""
    return (later - earlier) % 2**32


class PacedTrack(MediaStreamTrack):
    """A track that hands out its frames in real time, as a camera or a microphone does."""

    def __init__(self) -> None:
        super().__init__()
        self.start: float | None = None

    async def pace(self, offset: float) -> None:
        """Return once ``offset`` seconds of media have passed since the first frame."""
        if self.start is None:
            self.start = time.monotonic()
        # The track's clock (media is due at its time), not a wait for something to happen.
        await asyncio.sleep(max(0.0, self.start + offset - time.monotonic()))


class SyntheticVideo(PacedTrack):
    """Frames of a moving pattern at ``fps``, paced in real time."""

    kind = "video"

    def __init__(self, width: int, height: int, fps: int) -> None:
        super().__init__()
        self.width, self.height, self.fps = width, height, fps
        self.index = 0

    async def recv(self) -> av.VideoFrame:
        await self.pace(self.index / self.fps)
        frame = video_frame(self.index, self.width, self.height, capture_ms=wall_ms(), fps=self.fps)
        self.index += 1
        return frame


class SineAudio(PacedTrack):
    """A 440 Hz tone in 20 ms frames, paced in real time."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self.sample = 0

    async def recv(self) -> av.AudioFrame:
        await self.pace(self.sample / AUDIO_RATE)
        frame = audio_frame(self.sample, AUDIO_SAMPLES, AUDIO_RATE)
        frame.time_base = Fraction(1, AUDIO_RATE)
        self.sample += AUDIO_SAMPLES
        return frame


class WhipPublisher:
    """Publishes the synthetic tracks to a WHIP endpoint, as OBS would."""

    def __init__(
        self,
        *,
        width: int = 320,
        height: int = 180,
        fps: int = 15,
        audio: bool = True,
        ice_interfaces: str = "lo",
    ) -> None:
        allow_ice_interfaces(ice_interfaces)
        self.video = SyntheticVideo(width, height, fps)
        self.audio = SineAudio() if audio else None
        self.pc: RTCPeerConnection | None = None
        self.resource_url: str | None = None
        self.headers: dict[str, str] = {}

    async def offer(self) -> str:
        """Make the peer connection and its SDP offer (every candidate gathered)."""
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.pc.addTransceiver(self.video, direction="sendonly")
        if self.audio is not None:
            self.pc.addTransceiver(self.audio, direction="sendonly")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return self.pc.localDescription.sdp

    async def publish(self, url: str, key: str | None = None, **headers: str) -> str:
        """POST the offer to ``url`` with the bearer ``key``; returns the resource URL.

        Raises httpx.HTTPStatusError if the server refuses (the response is on it).
        """
        if key is not None:
            self.headers["Authorization"] = f"Bearer {key}"
        self.headers.update(headers)
        offer = await self.offer()
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                url,
                content=offer,
                headers={**self.headers, "Content-Type": "application/sdp"},
            )
        if response.status_code != 201:
            await self.close()
            response.raise_for_status()
        assert self.pc is not None
        await self.pc.setRemoteDescription(RTCSessionDescription(response.text, "answer"))
        self.resource_url = urljoin(url, response.headers["location"])
        return self.resource_url

    async def stop(self) -> int | None:
        """DELETE the resource (ending the broadcast), then close; the DELETE's status."""
        status = None
        if self.resource_url is not None:
            async with httpx.AsyncClient(timeout=60) as http:
                status = (await http.delete(self.resource_url, headers=self.headers)).status_code
            self.resource_url = None
        await self.close()
        return status

    async def close(self) -> None:
        """Close the peer connection without telling the server (a publisher vanishing)."""
        if self.pc is not None:
            await self.pc.close()
            self.pc = None


async def organizer_stream_key(base_url: str) -> tuple[str, str]:
    """Sign in as the demo organizer on a demo-seeded server and issue a key for its first
    stage; returns (stage slug, key)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        token = (await http.get("/api/v1/auth/csrf")).json()["csrf_token"]
        http.headers["X-CSRF-Token"] = token
        signed = await http.post(
            "/api/v1/auth/login",
            json={"email": "organizer@demo.test", "password": DEMO_PASSWORD},
        )
        signed.raise_for_status()
        slug = str((await http.get("/api/v1/program/stages")).json()[0]["slug"])
        issued = await http.post(f"/api/v1/streaming/stages/{slug}/keys")
        issued.raise_for_status()
        return slug, str(issued.json()["key"])
