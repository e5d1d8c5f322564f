"""The media plumbing of a panel: queue-fed aiortc tracks and the one shared video encoder.

aiortc's RTCRtpSender encodes whatever its track's ``recv()`` returns when it is a frame,
but when it is an already encoded ``av.Packet`` it only packetizes it (``Encoder.pack``,
the path ``MediaPlayer(decode=False)`` uses; aiortc 1.16, rtcrtpsender.py
``_next_encoded_frame``). So the panel encodes its composed picture once per codec in use
and hands the same packets to every panelist's sender through an :class:`EncodedVideoTrack`.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from collections.abc import Callable
from typing import Any, Literal, TypeAlias

import av
from aiortc import MediaStreamTrack, RTCRtpCodecCapability, RTCRtpSender
from aiortc import sdp as aiortc_sdp
from aiortc.mediastreams import MediaStreamError

from conference.errors import InvalidInput

VideoCodec = Literal["h264", "vp8"]
# av.Packet is generic in the stubs only.
EncodedPacket: TypeAlias = "av.Packet[Any]"
MAX_SDP_BYTES = 64 * 1024
KEYFRAME_INTERVAL_SECONDS = 1.0
# A lossy receiver asks for keyframes (PLI/FIR); everyone gets them, so at most this often.
KEYFRAME_REQUEST_GAP = 0.5


def codec_preferences() -> list[RTCRtpCodecCapability]:
    # H.264 first (one encoder for everyone in practice), VP8 for offers without it.
    codecs = RTCRtpSender.getCapabilities("video").codecs
    rank = {"video/h264": 0, "video/vp8": 1}
    return sorted(codecs, key=lambda c: rank.get(c.mimeType.lower(), 2))


def video_codec(answer_sdp: str) -> VideoCodec:
    description = aiortc_sdp.SessionDescription.parse(answer_sdp)
    for media in description.media:
        if media.kind == "video" and media.rtp.codecs:
            return "h264" if media.rtp.codecs[0].mimeType.lower() == "video/h264" else "vp8"
    raise InvalidInput("The offer has no video the panel can send.", field="sdp")


def check_offer(offer_sdp: str) -> None:
    if len(offer_sdp.encode()) > MAX_SDP_BYTES:
        raise InvalidInput("The offer is too large.", field="sdp")
    try:
        description = aiortc_sdp.SessionDescription.parse(offer_sdp)
    except (ValueError, IndexError, KeyError, AssertionError) as error:  # aiortc asserts
        raise InvalidInput("The offer is not valid SDP.", field="sdp") from error
    kinds = sorted(media.kind for media in description.media)
    if kinds != ["audio", "video"]:
        raise InvalidInput("A panel offer has one audio and one video track.", field="sdp")


class QueueTrack(MediaStreamTrack):
    """A track whose ``recv()`` returns what :meth:`put` was given, in order.

    Bounded: when the reader falls behind, the oldest item is dropped (live media would
    rather skip than lag). :meth:`end` makes ``recv()`` raise ``MediaStreamError`` once the
    queued items are read, which ends an aiortc sender or consumer cleanly.
    """

    def __init__(
        self,
        kind: str,
        *,
        maxsize: int = 30,
        on_stop: Callable[[QueueTrack], None] | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self._queue: asyncio.Queue[av.VideoFrame | av.AudioFrame | EncodedPacket | None] = (
            asyncio.Queue(maxsize)
        )
        self._on_stop = on_stop

    def put(self, item: av.VideoFrame | av.AudioFrame | EncodedPacket) -> None:
        if self.readyState != "live":
            return
        if self._queue.full():
            self._overflow()
        if self._accepts(item):
            self._queue.put_nowait(item)

    def _overflow(self) -> None:
        self._queue.get_nowait()

    def _accepts(self, item: av.VideoFrame | av.AudioFrame | EncodedPacket) -> bool:
        return True

    def end(self) -> None:
        """No more items: the reader gets MediaStreamError after the queued ones."""
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)

    async def recv(self) -> av.VideoFrame | av.AudioFrame | EncodedPacket:
        if self.readyState != "live":
            raise MediaStreamError
        item = await self._queue.get()
        if item is None:
            self.stop()
            raise MediaStreamError
        return item

    def stop(self) -> None:
        if self.readyState == "live" and self._on_stop is not None:
            self._on_stop(self)
        super().stop()


class EncodedVideoTrack(QueueTrack):
    """A panelist's outgoing video: the shared encoder's packets, from a keyframe on.

    A receiver cannot decode until it has a keyframe, so packets are held back until one
    comes; when the sender falls so far behind that the queue overflows, the queue is
    emptied and waits for the next keyframe (asking for one) rather than sending a broken
    picture.
    """

    def __init__(self) -> None:
        super().__init__("video", maxsize=60)
        # Set once negotiation has chosen the codec (and so the shared encoder).
        self.request_keyframe: Callable[[], None] = lambda: None
        self._synced = False

    def _accepts(self, item: av.VideoFrame | av.AudioFrame | EncodedPacket) -> bool:
        if not self._synced and isinstance(item, av.Packet) and item.is_keyframe:
            self._synced = True
        return self._synced

    def _overflow(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()
        self._synced = False
        self.request_keyframe()


class SharedVideoEncoder:
    """Encodes the composed picture once for every panelist receiving ``codec``.

    Keyframes come every :data:`KEYFRAME_INTERVAL_SECONDS` (a short fixed GOP, so a new
    or lossy receiver recovers quickly) and on request, rate-limited since one receiver's
    request costs everyone a keyframe. :meth:`encode` runs in a worker thread.
    """

    def __init__(
        self,
        codec: VideoCodec,
        *,
        width: int,
        height: int,
        fps: int,
        bitrate: int,
        preset: str = "veryfast",
    ) -> None:
        self.codec = codec
        self.fps = fps
        self.time_base = fractions.Fraction(1, fps)
        self._keyframe_wanted = True
        self._last_request = 0.0
        gop = max(1, round(fps * KEYFRAME_INTERVAL_SECONDS))
        if codec == "h264":
            context = av.CodecContext.create("libx264", "w")
            # Constrained baseline, as browsers' and aiortc's H.264 decoders expect
            # (profile-level-id 42e01f); zerolatency: no B-frames, no lookahead.
            context.profile = "Baseline"
            context.options = {
                "preset": preset,
                "tune": "zerolatency",
                "level": "31",
                "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0",
            }
        else:
            context = av.CodecContext.create("libvpx", "w")
            context.options = {
                "deadline": "realtime",
                "cpu-used": "8",
                "lag-in-frames": "0",
                "error-resilient": "1",
            }
        context.width, context.height = width, height
        context.pix_fmt = "yuv420p"
        context.bit_rate = bitrate
        context.framerate = fractions.Fraction(fps, 1)
        context.time_base = self.time_base
        context.gop_size = gop
        self.context = context
        self.frames = 0

    def request_keyframe(self) -> None:
        """Make the next encoded picture a keyframe (at most every half second)."""
        now = time.monotonic()
        if now - self._last_request >= KEYFRAME_REQUEST_GAP:
            self._last_request = now
            self._keyframe_wanted = True

    def encode(self, frame: av.VideoFrame) -> list[EncodedPacket]:
        """The packets for ``frame`` (whose pts counts frames at ``fps``)."""
        if self._keyframe_wanted:
            self._keyframe_wanted = False
            frame.pict_type = av.video.frame.PictureType.I
        else:
            frame.pict_type = av.video.frame.PictureType.NONE
        packets = list(self.context.encode(frame))
        frame.pict_type = av.video.frame.PictureType.NONE
        self.frames += 1
        for packet in packets:
            # The sender converts pts to the RTP clock with the packet's time base.
            packet.time_base = self.time_base
        return packets
