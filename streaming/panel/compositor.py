"""Composing a panel: tiles in a grid or around the active speaker, and the audio mixes.

Pure media code with no WebRTC in it, so it is tested on its own. Video is composed in the
decoded domain on a YUV 4:2:0 canvas (the format decoders hand us and encoders take), so no
colour conversion happens per frame; only tiles whose picture changed are copied again.
Audio is mixed in 20 ms chunks of signed 16-bit stereo at 48 kHz (what aiortc's Opus
decoder produces and its encoder takes); every panelist gets a mix-minus (everyone but
themselves, so nobody hears their own echo) and the stage gets the full mix.
"""

from __future__ import annotations

import fractions
import math
import warnings
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import av

with warnings.catch_warnings():
    # audioop mixes and measures 16-bit PCM in C (PyAV has no sample arithmetic and numpy is
    # not a dependency): deprecated in 3.11 and 3.12, and from 3.13 on (where the standard
    # library dropped it) the same module comes from the audioop-lts package.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

Layout = Literal["grid", "speaker"]
MAX_TILES = 8

SAMPLE_RATE = 48_000
CHUNK_SAMPLES = 960  # 20 ms, Opus's usual frame
CHANNELS = 2
CHUNK_BYTES = CHUNK_SAMPLES * CHANNELS * 2
SILENCE = bytes(CHUNK_BYTES)
AUDIO_TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)

BLACK = (16, 128, 128)  # video-range YUV
EMPTY_TILE = (40, 128, 128)  # a panelist whose camera has not delivered a picture yet


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


def _even(value: float) -> int:
    # 4:2:0 chroma is subsampled by two both ways: rectangles stay on even pixels.
    return max(0, int(value) // 2 * 2)


def _size(value: float) -> int:
    return max(2, _even(value))


def grid_rects(count: int, width: int, height: int) -> list[Rect]:
    """Cells of a grid for ``count`` tiles (1..8), rows filled left to right, a short last
    row centred; every cell keeps the canvas's aspect ratio and is centred in its slot."""
    if count <= 0:
        return []
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    slot_w, slot_h = width / columns, height / rows
    scale = min(slot_w / width, slot_h / height)
    cell_w, cell_h = _size(width * scale), _size(height * scale)
    rects = []
    for index in range(count):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        row_left = (width - in_row * slot_w) / 2
        x = row_left + column * slot_w + (slot_w - cell_w) / 2
        y = row * slot_h + (slot_h - cell_h) / 2
        rects.append(Rect(_even(x), _even(y), cell_w, cell_h))
    return rects


def speaker_rects(count: int, active: int, width: int, height: int) -> list[Rect]:
    """The active speaker (index ``active``) large on top, everyone else as thumbnails in
    a centred band along the bottom; the rects are in participant order."""
    if count <= 0:
        return []
    if count == 1:
        return [Rect(0, 0, width, height)]
    thumb_w = _size(width / (MAX_TILES - 1))
    thumb_h = _size(thumb_w * height / width)
    band = thumb_h + 2 * _even(height / 90)
    main_h = _size(height - band)
    main_w = _size(main_h * width / height)
    main = Rect(_even((width - main_w) / 2), 0, main_w, main_h)
    others = count - 1
    left = (width - others * thumb_w) / 2
    top = _even(main_h + (band - thumb_h) / 2)
    rects, slot = [], 0
    for index in range(count):
        if index == active:
            rects.append(main)
        else:
            rects.append(Rect(_even(left + slot * thumb_w), top, thumb_w, thumb_h))
            slot += 1
    return rects


def fit(rect: Rect, source_width: int, source_height: int) -> Rect:
    """The largest rectangle with the source's aspect ratio centred inside ``rect``."""
    scale = min(rect.width / source_width, rect.height / source_height)
    w = min(rect.width, _size(source_width * scale))
    h = min(rect.height, _size(source_height * scale))
    return Rect(rect.x + _even((rect.width - w) / 2), rect.y + _even((rect.height - h) / 2), w, h)


class Canvas:
    """A YUV 4:2:0 picture that tiles are copied into; :meth:`frame` snapshots it."""

    def __init__(self, width: int, height: int) -> None:
        if width % 2 or height % 2:
            raise ValueError("canvas dimensions must be even")
        self.width, self.height = width, height
        template = av.VideoFrame(width, height, "yuv420p")
        # Keep the encoder's own row strides so a snapshot is three plain copies.
        self._strides = [plane.line_size for plane in template.planes]
        self._planes = [bytearray(plane.buffer_size) for plane in template.planes]
        self.fill(Rect(0, 0, width, height), BLACK)

    def fill(self, rect: Rect, colour: tuple[int, int, int]) -> None:
        """Paint ``rect`` one YUV colour."""
        for index, value in enumerate(colour):
            shift = 0 if index == 0 else 1
            x, w = rect.x >> shift, rect.width >> shift
            row = bytes([value]) * w
            stride, plane = self._strides[index], self._planes[index]
            for y in range(rect.y >> shift, (rect.y + rect.height) >> shift):
                plane[y * stride + x : y * stride + x + w] = row

    def place(self, rect: Rect, picture: av.VideoFrame) -> None:
        """Scale ``picture`` into ``rect`` (letterboxed to its aspect ratio) and copy it."""
        inner = fit(rect, picture.width, picture.height)
        if inner != rect:
            self.fill(rect, BLACK)
        scaled = picture.reformat(width=inner.width, height=inner.height, format="yuv420p")
        for index, source in enumerate(scaled.planes):
            shift = 0 if index == 0 else 1
            x, w = inner.x >> shift, inner.width >> shift
            src, src_stride = memoryview(source), source.line_size
            stride, plane = self._strides[index], self._planes[index]
            for row in range(inner.height >> shift):
                start = ((inner.y >> shift) + row) * stride + x
                plane[start : start + w] = src[row * src_stride : row * src_stride + w]

    def frame(self) -> av.VideoFrame:
        """A new frame holding the canvas as it is now (the caller may keep it)."""
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        for plane, data in zip(frame.planes, self._planes, strict=True):
            plane.update(bytes(data))
        return frame


class Compositor:
    """Keeps the latest picture of each panelist and composes them in the chosen layout.

    :meth:`compose` redraws only tiles with a new picture, unless the set of panelists,
    the layout or the active speaker changed, which clears and redraws everything.
    """

    def __init__(self, width: int, height: int) -> None:
        self.canvas = Canvas(width, height)
        self.layout: Layout = "grid"
        self._drawn: dict[str, av.VideoFrame | None] = {}
        self._arrangement: tuple[object, ...] = ()

    def rects(self, order: Sequence[str], active: str | None) -> dict[str, Rect]:
        """Where each panelist in ``order`` goes in the current layout."""
        w, h = self.canvas.width, self.canvas.height
        if self.layout == "speaker" and active in order:
            found = speaker_rects(len(order), order.index(active), w, h)
        else:
            found = grid_rects(len(order), w, h)
        return dict(zip(order, found, strict=True))

    def compose(
        self,
        pictures: Mapping[str, av.VideoFrame | None],
        active: str | None = None,
    ) -> av.VideoFrame:
        """The composed frame for ``pictures`` (in panelist order; None: no picture yet)."""
        order = list(pictures)[:MAX_TILES]
        speaker = active if self.layout == "speaker" else None
        arrangement = (self.layout, tuple(order), speaker)
        rects = self.rects(order, active)
        if arrangement != self._arrangement:
            self._arrangement = arrangement
            self._drawn = {}
            self.canvas.fill(Rect(0, 0, self.canvas.width, self.canvas.height), BLACK)
        for key in order:
            picture = pictures[key]
            if key in self._drawn and self._drawn[key] is picture:
                continue
            if picture is None:
                self.canvas.fill(rects[key], EMPTY_TILE)
            else:
                self.canvas.place(rects[key], picture)
            self._drawn[key] = picture
        return self.canvas.frame()


class ActiveSpeaker:
    """Who speaks, from audio levels over the last ``window`` chunks, with hysteresis.

    The speaker changes only when someone else's mean level over the window is above
    ``floor`` and ``ratio`` times the current speaker's, and the current one has held the
    floor for ``hold`` chunks; silence keeps the last speaker. Counting chunks rather than
    reading a clock keeps it deterministic.
    """

    def __init__(
        self, *, window: int = 50, ratio: float = 2.0, floor: float = 100.0, hold: int = 25
    ) -> None:
        self.window, self.ratio, self.floor, self.hold = window, ratio, floor, hold
        self.current: str | None = None
        self._levels: dict[str, deque[float]] = {}
        self._held = 0

    def mean(self, key: str) -> float:
        levels = self._levels.get(key)
        return sum(levels) / len(levels) if levels else 0.0

    def update(self, levels: Mapping[str, float]) -> str | None:
        """Feed one chunk's level per panelist (RMS); the active speaker after it."""
        for key in list(self._levels):
            if key not in levels:
                del self._levels[key]
        for key, level in levels.items():
            self._levels.setdefault(key, deque(maxlen=self.window)).append(level)
        if self.current not in self._levels:
            self.current, self._held = None, 0
        self._held += 1
        loudest = max(self._levels, key=self.mean, default=None)
        if loudest is None or loudest == self.current or self.mean(loudest) < self.floor:
            return self.current
        if self.current is None or (
            self._held >= self.hold and self.mean(loudest) > self.ratio * self.mean(self.current)
        ):
            self.current, self._held = loudest, 0
        return self.current


def level(chunk: bytes) -> float:
    """RMS of a chunk of signed 16-bit samples."""
    return float(audioop.rms(chunk, 2))


def mix(chunks: Mapping[str, bytes]) -> tuple[bytes, dict[str, bytes]]:
    """The full mix of equal-length 16-bit chunks, and per key the mix of all the others.

    Prefix and suffix sums make the mix-minus linear in the number of panelists; sums
    saturate rather than wrap.
    """
    keys = list(chunks)
    if not keys:
        return SILENCE, {}
    size = len(chunks[keys[0]])
    silence = bytes(size)
    prefix = [silence]
    for key in keys:
        prefix.append(audioop.add(prefix[-1], chunks[key], 2))
    suffix = [silence]
    for key in reversed(keys):
        suffix.append(audioop.add(suffix[-1], chunks[key], 2))
    suffix.reverse()
    minus = {key: audioop.add(prefix[i], suffix[i + 1], 2) for i, key in enumerate(keys)}
    return prefix[-1], minus


def audio_frame(chunk: bytes, pts: int) -> av.AudioFrame:
    """A 48 kHz stereo s16 frame holding ``chunk``, stamped ``pts`` (in samples)."""
    frame = av.AudioFrame(format="s16", layout="stereo", samples=len(chunk) // (2 * CHANNELS))
    frame.planes[0].update(chunk)
    frame.sample_rate = SAMPLE_RATE
    frame.pts = pts
    frame.time_base = AUDIO_TIME_BASE
    return frame


class PcmBuffer:
    """A panelist's incoming audio as 48 kHz stereo s16 bytes, read in whole chunks.

    Bounded: if more than ``limit_chunks`` pile up (a sender's clock runs fast, or the
    mixer stalled) the oldest audio is dropped, so latency cannot grow without end.
    """

    def __init__(self, limit_chunks: int = 10) -> None:
        self._data = bytearray()
        self._limit = limit_chunks * CHUNK_BYTES
        self._resampler = av.AudioResampler(format="s16", layout="stereo", rate=SAMPLE_RATE)

    def push(self, frame: av.AudioFrame) -> None:
        for converted in self._resample(frame):
            self._data += bytes(converted.planes[0])[: converted.samples * CHANNELS * 2]
        if len(self._data) > self._limit:
            del self._data[: len(self._data) - self._limit]

    def _resample(self, frame: av.AudioFrame) -> Iterable[av.AudioFrame]:
        if (
            frame.format.name == "s16"
            and frame.layout.name == "stereo"
            and frame.sample_rate == SAMPLE_RATE
        ):
            return [frame]
        return self._resampler.resample(frame)

    def pull(self) -> bytes | None:
        """The next 20 ms, or None when less than that is buffered (the mixer then uses
        silence: an under-run is heard as a gap, not as a stall for everyone)."""
        if len(self._data) < CHUNK_BYTES:
            return None
        chunk = bytes(self._data[:CHUNK_BYTES])
        del self._data[:CHUNK_BYTES]
        return chunk
