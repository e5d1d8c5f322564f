"""A panel room: one stage's panelists, the loops composing and mixing them, the outputs.

See streaming/panel/rooms.py for the design; this module is the media side of one room.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import av
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.exceptions import InvalidAccessError, OperationError
from aiortc.mediastreams import MediaStreamError

from conference.errors import InvalidInput
from streaming.panel.compositor import (
    CHUNK_SAMPLES,
    MAX_TILES,
    SILENCE,
    ActiveSpeaker,
    Compositor,
    Layout,
    PcmBuffer,
    audio_frame,
    level,
    mix,
)
from streaming.panel.tracks import (
    EncodedPacket,
    EncodedVideoTrack,
    QueueTrack,
    SharedVideoEncoder,
    VideoCodec,
    codec_preferences,
    video_codec,
)

logger = logging.getLogger(__name__)

MAX_PANELISTS = MAX_TILES
CHUNK_SECONDS = CHUNK_SAMPLES / 48_000


@dataclass
class Panelist:
    id: str
    user_id: int
    name: str
    pc: RTCPeerConnection
    codec: VideoCodec
    video_out: EncodedVideoTrack
    audio_out: QueueTrack
    audio_in: PcmBuffer = field(default_factory=PcmBuffer)
    picture: av.VideoFrame | None = None
    frames_in: int = 0
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class PanelRoom:
    """The panel of one stage: its panelists, the composition loops and the outputs."""

    def __init__(
        self, slug: str, *, width: int, height: int, fps: int, bitrate: int, preset: str
    ) -> None:
        self.slug = slug
        self.width, self.height, self.fps = width, height, fps
        self.bitrate, self.preset = bitrate, preset
        self.panelists: dict[str, Panelist] = {}
        self.compositor = Compositor(width, height)
        self.speaker = ActiveSpeaker()
        self.encoders: dict[VideoCodec, SharedVideoEncoder] = {}
        self.video_outputs: list[QueueTrack] = []
        self.audio_outputs: list[QueueTrack] = []
        self.broadcast_resource: str | None = None
        self.frames_composed = 0
        # Told when the last panelist goes (a dropped connection, not only a DELETE).
        self.on_empty: Callable[[PanelRoom], None] | None = None
        self._loops: list[asyncio.Task[None]] = []
        # Its own thread: composing and encoding must not queue behind the Opus encodes
        # and other work aiortc sends to the default executor.
        self._renderer = ThreadPoolExecutor(1, thread_name_prefix=f"panel-{slug}")

    @property
    def layout(self) -> Layout:
        return self.compositor.layout

    @property
    def active(self) -> str | None:
        current = self.speaker.current
        return current if isinstance(current, str) else None

    def summary(self) -> dict[str, object]:
        """What a studio page shows about the panel."""
        return {
            "stage": self.slug,
            "layout": self.layout,
            "live": self.broadcast_resource is not None,
            "max_panelists": MAX_PANELISTS,
            "active": self.active,
            "panelists": [
                {"id": p.id, "user_id": p.user_id, "name": p.name} for p in self.panelists.values()
            ],
        }

    def encoder(self, codec: VideoCodec) -> SharedVideoEncoder:
        if codec not in self.encoders:
            self.encoders[codec] = SharedVideoEncoder(
                codec,
                width=self.width,
                height=self.height,
                fps=self.fps,
                bitrate=self.bitrate,
                preset=self.preset,
            )
        return self.encoders[codec]

    def start(self) -> None:
        if not self._loops:
            self._loops = [
                asyncio.create_task(self._video_loop(), name=f"panel-video:{self.slug}"),
                asyncio.create_task(self._audio_loop(), name=f"panel-audio:{self.slug}"),
            ]

    async def close(self) -> None:
        for panelist_id in list(self.panelists):
            await self.remove(panelist_id)
        for track in [*self.video_outputs, *self.audio_outputs]:
            track.end()
        for task in self._loops:
            task.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        self._loops = []
        self._renderer.shutdown(wait=False)

    async def add(self, *, user_id: int, name: str, offer_sdp: str) -> tuple[Panelist, str]:
        """Answer a panelist's offer; they join once ICE and DTLS complete."""
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        video_out, audio_out = EncodedVideoTrack(), QueueTrack("audio", maxsize=10)
        video_tx = pc.addTransceiver(video_out, direction="sendrecv")
        video_tx.setCodecPreferences(codec_preferences())
        audio_tx = pc.addTransceiver(audio_out, direction="sendrecv")
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            codec = video_codec(pc.localDescription.sdp)
        except (
            ValueError,
            InvalidInput,
            AssertionError,
            InvalidAccessError,
            OperationError,
        ) as error:
            await pc.close()
            raise InvalidInput("The offer could not be answered.", field="sdp") from error
        encoder = self.encoder(codec)
        video_out.request_keyframe = encoder.request_keyframe
        # Honour a receiver's PLI/FIR on the shared encoder (rate-limited there): aiortc
        # only forces keyframes on frames it encodes itself.
        video_tx.sender._send_keyframe = encoder.request_keyframe  # type: ignore[method-assign]
        panelist = Panelist(
            id=uuid.uuid4().hex,
            user_id=user_id,
            name=name,
            pc=pc,
            codec=codec,
            video_out=video_out,
            audio_out=audio_out,
        )
        for transceiver in (video_tx, audio_tx):
            track = transceiver.receiver.track
            if track is not None:
                panelist.tasks.append(asyncio.create_task(self._consume(panelist, track)))

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if pc.connectionState in ("failed", "closed"):
                await self.remove(panelist.id)

        self.panelists[panelist.id] = panelist
        encoder.request_keyframe()
        self.start()
        return panelist, pc.localDescription.sdp

    async def remove(self, panelist_id: str) -> bool:
        panelist = self.panelists.pop(panelist_id, None)
        if panelist is None:
            return False
        panelist.video_out.end()
        panelist.audio_out.end()
        for task in panelist.tasks:
            task.cancel()
        await asyncio.gather(*panelist.tasks, return_exceptions=True)
        await panelist.pc.close()
        if not self.panelists and self.on_empty is not None:
            self.on_empty(self)
        return True

    async def _consume(self, panelist: Panelist, track: MediaStreamTrack) -> None:
        """Read a panelist's incoming track (aiortc decodes it) into the room."""
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                if isinstance(frame, av.VideoFrame):
                    panelist.picture = frame
                    panelist.frames_in += 1
                elif isinstance(frame, av.AudioFrame):
                    panelist.audio_in.push(frame)

    def output_tracks(self) -> tuple[QueueTrack, QueueTrack]:
        """New (video, audio) tracks of the composed picture and the full mix."""
        video = QueueTrack("video", maxsize=self.fps, on_stop=self._forget_output)
        audio = QueueTrack("audio", maxsize=50, on_stop=self._forget_output)
        self.video_outputs.append(video)
        self.audio_outputs.append(audio)
        self.start()
        return video, audio

    def _forget_output(self, track: QueueTrack) -> None:
        for outputs in (self.video_outputs, self.audio_outputs):
            if track in outputs:
                outputs.remove(track)

    def _render(
        self,
        pictures: dict[str, av.VideoFrame | None],
        active: str | None,
        encoders: list[SharedVideoEncoder],
        tick: int,
    ) -> tuple[av.VideoFrame, dict[VideoCodec, list[EncodedPacket]]]:
        # In a worker thread: scaling, copying and encoding stay off the event loop.
        frame = self.compositor.compose(pictures, active)
        frame.pts = tick
        frame.time_base = fractions.Fraction(1, self.fps)
        return frame, {encoder.codec: encoder.encode(frame) for encoder in encoders}

    async def _video_loop(self) -> None:
        loop = asyncio.get_running_loop()
        period = 1 / self.fps
        start, tick = loop.time(), 0
        while True:
            tick += 1
            delay = start + tick * period - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -1:
                start = loop.time() - tick * period  # far behind: skip, do not burst
            pictures = {pid: p.picture for pid, p in self.panelists.items()}
            # Encode only for codecs someone receives (a live panel alone needs no encode).
            encoders = [self.encoders[c] for c in {p.codec for p in self.panelists.values()}]
            try:
                frame, packets = await loop.run_in_executor(
                    self._renderer, self._render, pictures, self.active, encoders, tick
                )
            except (ValueError, av.FFmpegError):
                logger.exception("panel %s: composing failed", self.slug)
                continue
            self.frames_composed += 1
            for track in list(self.video_outputs):
                track.put(frame)
            for panelist in list(self.panelists.values()):
                for packet in packets.get(panelist.codec, ()):
                    panelist.video_out.put(packet)

    async def _audio_loop(self) -> None:
        loop = asyncio.get_running_loop()
        start, tick = loop.time(), 0
        while True:
            tick += 1
            delay = start + tick * CHUNK_SECONDS - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -1:
                start = loop.time() - tick * CHUNK_SECONDS
            panelists = list(self.panelists.values())
            chunks = {p.id: p.audio_in.pull() or SILENCE for p in panelists}
            self.speaker.update({key: level(chunk) for key, chunk in chunks.items()})
            full, minus = mix(chunks)
            pts = tick * CHUNK_SAMPLES
            for panelist in panelists:
                panelist.audio_out.put(audio_frame(minus[panelist.id], pts))
            for track in list(self.audio_outputs):
                track.put(audio_frame(full, pts))
