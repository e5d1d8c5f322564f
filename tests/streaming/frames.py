"""Synthetic media for streaming tests and benchmarks: frames that carry their capture time.

Every video frame shows a moving textured pattern and, in its top band, a barcode of the
millisecond it was "captured". The barcode is 40 blocks across the frame's width: a white
and a black reference block, 32 bits of the capture time (most significant first) and a
6-bit count of the set bits as a check. Its geometry is proportional to the frame (blocks
are 1/40 of the width, the band 16/180 of the height) so it survives scaling down the
ladder and H.264 compression at 320x180 and up (and usually 160x90): a reader compares
each block's average brightness with the two reference blocks.

No numpy: PyAV's planes take ``bytes``, and the patterns are built once per frame size
and shifted by slicing, so making a 720p frame costs well under a millisecond.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Literal

import av

BLOCKS = 40
DATA_BITS = 32
CHECK_BITS = 6
BAND_FRACTION = Fraction(16, 180)
WHITE, BLACK = 235, 16
VIDEO_TIME_BASE = Fraction(1, 90_000)  # aiortc's video clock


def _band_rows(height: int) -> int:
    return max(4, int(height * BAND_FRACTION))


def _block_edges(width: int) -> list[int]:
    return [i * width // BLOCKS for i in range(BLOCKS + 1)]


def _bits(capture_ms: int) -> list[int]:
    if not 0 <= capture_ms < 2**DATA_BITS:
        raise ValueError(f"capture_ms must fit in {DATA_BITS} bits")
    data = [(capture_ms >> (DATA_BITS - 1 - i)) & 1 for i in range(DATA_BITS)]
    check = sum(data)
    return [1, 0, *data, *((check >> (CHECK_BITS - 1 - i)) & 1 for i in range(CHECK_BITS))]


@lru_cache(maxsize=8)
def _texture(stride: int, rows: int, period: int) -> bytes:
    """A diagonal ramp with a little fixed noise, ``period`` bytes longer than a plane.

    The noise is under 16 and the ramp under 240, so adding them as big integers never
    carries from one byte into the next: an elementwise sum without numpy.
    """
    ramp = bytes(16 + i % 200 for i in range(stride + 400))
    length = stride * rows + period
    lines = b"".join(
        ramp[(3 * y) % 200 : (3 * y) % 200 + stride] for y in range(-(-length // stride))
    )
    noise = (
        random.Random(stride * 7919 + rows)
        .randbytes(length)
        .translate(bytes(v % 16 for v in range(256)))
    )
    total = int.from_bytes(lines[:length], "big") + int.from_bytes(noise, "big")
    return total.to_bytes(length, "big")


def _band(width: int, stride: int, rows: int, capture_ms: int) -> bytes:
    line = bytearray(stride)
    edges = _block_edges(width)
    for i, bit in enumerate(_bits(capture_ms)):
        line[edges[i] : edges[i + 1]] = bytes([WHITE if bit else BLACK]) * (edges[i + 1] - edges[i])
    return bytes(line) * rows


def video_frame(
    index: int, width: int, height: int, *, capture_ms: int, fps: int = 30
) -> av.VideoFrame:
    """Frame ``index`` of a moving pattern with ``capture_ms`` as a barcode in its top band.

    Its pts is on aiortc's 90 kHz clock (``index / fps`` seconds), format yuv420p.
    """
    if width % 2 or height % 2 or width < BLOCKS * 2:
        raise ValueError("width and height must be even, width at least 80")
    frame = av.VideoFrame(width, height, "yuv420p")
    luma, *chroma = frame.planes
    rows = _band_rows(height)
    period = luma.line_size * 16
    shift = (index * 6) % period
    texture = _texture(luma.line_size, height, period)
    band = _band(width, luma.line_size, rows, capture_ms)
    luma.update(band + texture[shift + len(band) : shift + luma.buffer_size])
    for plane, tint in zip(chroma, (112, 144), strict=True):
        base = _texture(plane.line_size, plane.height, plane.line_size * 16)
        moved = base[shift // 2 : shift // 2 + plane.buffer_size]
        neutral = bytes([128]) * (plane.line_size * (rows // 2 + 1))
        # Tint the pattern mildly so it is not grey, keep the band's chroma neutral.
        tinted = moved.translate(bytes(min(255, max(0, tint + (v - 128) // 8)) for v in range(256)))
        plane.update(neutral + tinted[len(neutral) :])
    frame.pts = round(index * 90_000 / fps)
    frame.time_base = VIDEO_TIME_BASE
    return frame


def read_capture_ms(frame: av.VideoFrame) -> int | None:
    """The capture time drawn by :func:`video_frame` into ``frame`` (any size), else None."""
    if frame.format.name not in ("yuv420p", "yuvj420p", "gray", "nv12"):
        frame = frame.reformat(format="yuv420p")
    luma = frame.planes[0]
    stride, width = luma.line_size, frame.width
    rows = _band_rows(frame.height)
    data = bytes(luma)[: stride * rows]
    edges = _block_edges(width)
    levels = []
    for i in range(BLOCKS):
        left, right = edges[i], edges[i + 1]
        margin = (right - left) // 4
        total = count = 0
        for y in range(rows // 4, rows - rows // 4):
            row = data[y * stride + left + margin : y * stride + right - margin]
            total += sum(row)
            count += len(row)
        levels.append(total / max(count, 1))
    white, black = levels[0], levels[1]
    if white - black < 100:
        return None
    middle = (white + black) / 2
    bits = [1 if level > middle else 0 for level in levels[2:]]
    value = int("".join(map(str, bits[:DATA_BITS])), 2)
    check = int("".join(map(str, bits[DATA_BITS:])), 2)
    return value if check == sum(bits[:DATA_BITS]) else None


def audio_frame(
    sample_index: int, samples: int = 960, rate: int = 48_000, *, hz: float = 440.0
) -> av.AudioFrame:
    """A stereo s16 frame of a sine tone starting at ``sample_index`` (aiortc's format).

    Its pts is ``sample_index`` on a ``1/rate`` clock.
    """
    frame = av.AudioFrame(format="s16", layout="stereo", samples=samples)
    step = 2 * math.pi * hz / rate
    values = bytearray()
    for n in range(sample_index, sample_index + samples):
        value = int(8000 * math.sin(step * n)).to_bytes(2, "little", signed=True)
        values += value + value
    frame.planes[0].update(bytes(values))
    frame.sample_rate = rate
    frame.pts = sample_index
    frame.time_base = Fraction(1, rate)
    return frame


Container = Literal["mp4", "mov", "webm"]


def write_sample_video(
    path: Path,
    seconds: float,
    width: int,
    height: int,
    container: Container = "mp4",
    *,
    fps: int = 15,
    audio: bool = True,
) -> Path:
    """Write a small real file (H.264/AAC in mp4 or mov, VP8/Opus in webm) for upload tests.

    The video's frames carry barcodes of their own time in milliseconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w", format=container) as output:
        if container == "webm":
            video = output.add_stream("libvpx", rate=fps)
            video.codec_context.options = {"deadline": "realtime", "cpu-used": "8"}
        else:
            video = output.add_stream("libx264", rate=fps)
            video.codec_context.options = {"preset": "ultrafast"}
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = 400_000
        sound = None
        if audio:
            sound = output.add_stream("libopus" if container == "webm" else "aac", rate=48_000)
            sound.layout = "stereo"
        resampler = av.AudioResampler(format=sound.format if sound else "s16", layout="stereo")
        frames = round(seconds * fps)
        written = 0
        for index in range(frames):
            frame = video_frame(index, width, height, capture_ms=index * 1000 // fps, fps=fps)
            frame.pts, frame.time_base = index, Fraction(1, fps)
            output.mux(video.encode(frame))
            while sound is not None and written < (index + 1) * 48_000 // fps:
                for chunk in resampler.resample(audio_frame(written)):
                    output.mux(sound.encode(chunk))
                written += 960
        output.mux(video.encode(None))
        if sound is not None:
            output.mux(sound.encode(None))
    return path


SoundContainer = Literal["m4a", "ogg", "mp3", "wav"]
# FFmpeg's muxer and encoder for each kind of sound file.
_SOUND_FORMATS: dict[SoundContainer, tuple[str, str]] = {
    "m4a": ("ipod", "aac"),
    "ogg": ("ogg", "libopus"),
    "mp3": ("mp3", "libmp3lame"),
    "wav": ("wav", "pcm_s16le"),
}


def write_sample_sound(path: Path, seconds: float, container: SoundContainer = "m4a") -> Path:
    """Write a small real sound-only file (a 440 Hz sine: AAC in m4a, Opus in Ogg, MP3 or
    PCM in WAV), as a narration recorded without a camera."""
    path.parent.mkdir(parents=True, exist_ok=True)
    muxer, codec = _SOUND_FORMATS[container]
    with av.open(str(path), mode="w", format=muxer) as output:
        sound = output.add_stream(codec, rate=48_000)
        assert isinstance(sound, av.AudioStream)
        sound.layout = "stereo"
        resampler = av.AudioResampler(format=sound.format, layout="stereo", rate=48_000)
        written = 0
        while written < seconds * 48_000:
            for chunk in resampler.resample(audio_frame(written)):
                output.mux(sound.encode(chunk))
            written += 960
        for chunk in resampler.resample(None):
            output.mux(sound.encode(chunk))
        output.mux(sound.encode(None))
    return path
