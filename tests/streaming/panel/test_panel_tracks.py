"""The panel's shared encoder and relay tracks, without WebRTC: keyframes, aiortc's packet
path, and what a track holds back or drops."""

from __future__ import annotations

import fractions

import av
import pytest
from aiortc import RTCRtpSender
from aiortc.codecs import get_encoder
from aiortc.mediastreams import MediaStreamError
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

from streaming.panel.tracks import (
    EncodedPacket,
    EncodedVideoTrack,
    QueueTrack,
    SharedVideoEncoder,
    VideoCodec,
    codec_preferences,
)

FPS = 10


def picture(index: int) -> av.VideoFrame:
    frame = av.VideoFrame(320, 180, "yuv420p")
    for number, plane in enumerate(frame.planes):
        plane.update(bytes([(index * 7 + number * 50) % 256]) * plane.buffer_size)
    frame.pts = index
    frame.time_base = fractions.Fraction(1, FPS)
    return frame


def encode(encoder: SharedVideoEncoder, count: int, start: int = 0) -> list[EncodedPacket]:
    packets = []
    for index in range(start, start + count):
        encoded = encoder.encode(picture(index))
        assert len(encoded) == 1  # no lookahead, no B-frames: one packet per picture
        packets += encoded
    return packets


@pytest.mark.parametrize("codec", ["h264", "vp8"])
def test_fixed_short_gop_and_keyframes_on_request(codec: VideoCodec) -> None:
    encoder = SharedVideoEncoder(codec, width=320, height=180, fps=FPS, bitrate=300_000)
    packets = encode(encoder, 25)
    assert [i for i, p in enumerate(packets) if p.is_keyframe] == [0, 10, 20]
    encoder.request_keyframe()
    encoder.request_keyframe()  # at once again: one keyframe serves both
    more = encode(encoder, 3, start=25)
    assert [p.is_keyframe for p in more] == [True, False, False]


@pytest.mark.parametrize(("codec", "mime"), [("h264", "video/H264"), ("vp8", "video/VP8")])
def test_aiortc_senders_packetize_the_shared_packets(codec: VideoCodec, mime: str) -> None:
    # What RTCRtpSender does with an av.Packet from its track: Encoder.pack, no encoding.
    encoder = SharedVideoEncoder(codec, width=320, height=180, fps=FPS, bitrate=300_000)
    packets = encode(encoder, 3)
    sender_codec = RTCRtpCodecParameters(mimeType=mime, clockRate=90_000, payloadType=96)
    rtp = get_encoder(sender_codec)
    for index, packet in enumerate(packets):
        payloads, timestamp = rtp.pack(packet)
        assert payloads
        assert all(len(p) <= 1300 for p in payloads)
        assert timestamp == index * 90_000 // FPS


def test_h264_is_preferred_then_vp8() -> None:
    mimes = [c.mimeType for c in codec_preferences()]
    assert mimes[0] == "video/H264"
    assert mimes.index("video/VP8") > max(i for i, m in enumerate(mimes) if m == "video/H264")
    assert len(mimes) == len(RTCRtpSender.getCapabilities("video").codecs)


async def test_a_relay_track_starts_at_a_keyframe_and_resyncs_after_overflow() -> None:
    encoder = SharedVideoEncoder("h264", width=320, height=180, fps=FPS, bitrate=300_000)
    packets = encode(encoder, 12)  # keyframes at 0 and 10
    requests: list[int] = []
    track = EncodedVideoTrack()
    track.request_keyframe = lambda: requests.append(1)
    for packet in packets[1:10]:
        track.put(packet)  # joined mid-GOP: nothing to send yet
    track.put(packets[10])
    track.put(packets[11])
    assert await track.recv() is packets[10]
    assert await track.recv() is packets[11]
    assert requests == []
    # The sender stalls: the queue overflows, is emptied and waits for a keyframe.
    for _ in range(61):
        track.put(packets[11])
    assert requests == [1]
    track.put(packets[11])
    track.put(packets[0])
    assert await track.recv() is packets[0]


async def test_queue_tracks_drop_the_oldest_and_end_cleanly() -> None:
    stopped: list[QueueTrack] = []
    track = QueueTrack("video", maxsize=2, on_stop=stopped.append)
    frames = [picture(i) for i in range(3)]
    for frame in frames:
        track.put(frame)
    track.end()
    assert await track.recv() is frames[2]  # frames[0] and [1] were dropped for newer ones
    with pytest.raises(MediaStreamError):
        await track.recv()
    assert stopped == [track]
    track.put(frames[0])  # ignored once ended
    with pytest.raises(MediaStreamError):
        await track.recv()
    assert stopped == [track]
