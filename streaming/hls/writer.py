"""The HLS ladder writer: one libx264 + AAC encode per rendition into fMP4 HLS.

Used by live ingest (frames from aiortc, ``live=True``) and by upload transcodes (frames
from a file, ``live=False``). The caller pushes each decoded frame once; every rendition
has its own bounded queue and thread that scales, encodes and muxes with FFmpeg's ``hls``
muxer, so encoding never runs on the event loop. PyAV releases the GIL inside
``avcodec_send_frame``, ``sws_scale`` and ``av_interleaved_write_frame``, so the threads run
on several cores (the bench measures it).

Timing. Timestamps are rebased so the first frame pushed is at 0. Live, each stream is
anchored to the arrival time of its first frame (aiortc's audio and video clocks have
unrelated random origins, so arrival is the only common clock) and re-anchored if its
timestamps jump by more than a few seconds; from a file both streams share the container's
clock. Video is encoded at a constant ``fps`` grid: a frame landing on an already used
slot is skipped (that caps a faster source). Every segment boundary (``k *
segment_seconds``) gets a forced IDR frame, which is where the muxer cuts.

Missing media. The output always has the streams the master playlist declares: with
``audio=True`` a video-only source gets silence (gaps in the audio are filled with silence
too), and an audio-only source or a stalled camera gets the last picture repeated (black
before the first one). ``audio=False`` omits the audio stream altogether.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from conference.files import write_atomically
from streaming.hls.ladder import Rendition
from streaming.hls.rendition import RenditionEncoder, RenditionResult, RenditionStats

# Re-anchor a live stream whose timestamps drift this far from its arrival times.
LIVE_REANCHOR_SECONDS = 5.0
# A jump this large between two frames of one stream from a file is a discontinuity.
FILE_GAP_SECONDS = 10.0
# How often a blocked (non-live) push checks whether the encoder died.
_BLOCKED_POLL_SECONDS = 0.2

# H.264 levels (Table A-1): name, level_idc, MaxMBPS, MaxFS, MaxBR (kbit/s, Main).
_LEVELS = (
    ("1.1", 11, 3_000, 396, 192),
    ("1.2", 12, 6_000, 396, 384),
    ("1.3", 13, 11_880, 396, 768),
    ("2", 20, 11_880, 396, 2_000),
    ("2.1", 21, 19_800, 792, 4_000),
    ("2.2", 22, 20_250, 1_620, 4_000),
    ("3", 30, 40_500, 1_620, 10_000),
    ("3.1", 31, 108_000, 3_600, 14_000),
    ("3.2", 32, 216_000, 5_120, 20_000),
    ("4", 40, 245_760, 8_192, 20_000),
    ("4.1", 41, 245_760, 8_192, 50_000),
    ("4.2", 42, 522_240, 8_704, 50_000),
    ("5", 50, 589_824, 22_080, 135_000),
    ("5.1", 51, 983_040, 36_864, 240_000),
    ("5.2", 52, 2_073_600, 36_864, 240_000),
)


def h264_level(width: int, height: int, fps: int, kbps: int) -> tuple[str, int]:
    """The lowest H.264 level (name, level_idc) for this size, rate and High-profile bitrate."""
    macroblocks = math.ceil(width / 16) * math.ceil(height / 16)
    for name, idc, max_mbps, max_fs, max_br in _LEVELS:
        # High profile allows 1.25 x the Main-profile bitrate (cpbBrVclFactor 1250).
        if macroblocks <= max_fs and macroblocks * fps <= max_mbps and kbps <= max_br * 1.25:
            return name, idc
    raise ValueError(f"No H.264 level fits {width}x{height}@{fps}")


def codecs_of(rendition: Rendition, fps: int, *, audio: bool) -> str:
    """RFC 6381 codecs of a rendition: H.264 High at its level, plus AAC-LC."""
    _, idc = h264_level(rendition.width, rendition.height, fps, rendition.video_kbps)
    video = f"avc1.6400{idc:02x}"
    return f"{video},mp4a.40.2" if audio else video


def master_playlist(renditions: Sequence[Rendition], fps: int, *, audio: bool) -> str:
    """The master playlist text pointing at ``<name>/index.m3u8`` for each rendition."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for rendition in renditions:
        bandwidth = rendition.bandwidth if audio else int(rendition.video_kbps * 1000 * 1.1)
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},"
            f"RESOLUTION={rendition.width}x{rendition.height},FRAME-RATE={fps:.3f},"
            f'CODECS="{codecs_of(rendition, fps, audio=audio)}"'
        )
        lines.append(f"{rendition.name}/index.m3u8")
    return "\n".join(lines) + "\n"


class HlsError(RuntimeError):
    """An encoder thread failed; ``result`` holds what was written up to then."""

    def __init__(self, message: str, result: HlsResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class HlsResult:
    """What :meth:`HlsLadderWriter.close` leaves behind."""

    duration_seconds: float
    segments: int  # of the top rendition
    renditions: tuple[RenditionResult, ...]


@dataclass(frozen=True)
class HlsStats:
    """A snapshot for the studio page: totals and each rendition's rates."""

    video_frames_in: int
    audio_frames_in: int
    renditions: tuple[RenditionStats, ...]
    failed: bool
    frames_dropped: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "frames_dropped", sum(r.frames_dropped for r in self.renditions))


class _Clock:
    """Maps one stream's timestamps to seconds since the writer's origin.

    Live, the stream is anchored to arrival times; from a file, to the shared origin. Either
    way a jump in the stream's own timestamps (a live clock reset, a broken file) is not
    followed: live, the stream is anchored again; from a file, it continues right after its
    previous frame (so a bogus pts cannot make the writer fill hours of silence).
    """

    def __init__(self) -> None:
        self.offset: float | None = None
        self.last: float | None = None
        self.step = 0.0  # the latest interval between two frames

    def seconds(self, source: float, *, arrival: float | None, origin: float) -> float:
        """``arrival``: seconds since the first push (live), else None."""
        if arrival is not None:
            if self.offset is None or abs(self.offset + source - arrival) > LIVE_REANCHOR_SECONDS:
                self.offset = arrival - source
        elif self.offset is None:
            self.offset = -origin
        elif self.last is not None and abs(self.offset + source - self.last) > FILE_GAP_SECONDS:
            self.offset = self.last + self.step - source
        seconds = self.offset + source
        if self.last is not None and 0 < seconds - self.last <= FILE_GAP_SECONDS:
            self.step = seconds - self.last
        self.last = seconds
        return seconds


def _frame_seconds(frame: av.VideoFrame | av.AudioFrame) -> float:
    if frame.pts is None or frame.time_base is None:
        raise ValueError("A pushed frame needs pts and time_base")
    return float(frame.pts * frame.time_base)


class HlsLadderWriter:
    """Encode pushed frames into ``out_dir``: ``master.m3u8`` and ``<name>/index.m3u8``.

    ``push_*`` are cheap and safe to call from the event loop when ``live`` (a full queue
    drops the frame and counts it); with ``live=False`` they block until there is room, so
    call them from a worker thread. :meth:`close` blocks: use ``asyncio.to_thread``.
    The writer reads a pushed frame's pixels later, from its threads, and never changes the
    frame: the caller must not change it either once pushed (aiortc and decoders don't).
    """

    def __init__(
        self,
        out_dir: Path,
        renditions: Sequence[Rendition],
        *,
        segment_seconds: float,
        fps: int,
        preset: str,
        live: bool = True,
        audio: bool = True,
        queue_frames: int = 90,
        origin_seconds: float | None = None,
        threads: int = 0,
        file_prefix: str = "",
    ) -> None:
        """``queue_frames``: items (video or audio frames) each rendition may hold before
        dropping (live) or blocking (not live). ``origin_seconds`` (not live): the source
        time that becomes 0, else the first frame's. ``threads``: x264 threads (0: auto).
        ``file_prefix`` starts the init and segment file names: a live stage gives each
        broadcast its own, so names are never reused and caches may keep them for good."""
        if not renditions:
            raise ValueError("At least one rendition is needed")
        self.out_dir = Path(out_dir)
        self.renditions = tuple(renditions)
        self.segment_seconds = segment_seconds
        self.fps = fps
        self.live = live
        self.audio = audio
        self._origin_seconds = origin_seconds
        self._encoders = [
            RenditionEncoder(
                rendition,
                self.out_dir / rendition.name,
                segment=Fraction(segment_seconds).limit_denominator(1000),
                fps=fps,
                preset=preset,
                level=h264_level(rendition.width, rendition.height, fps, rendition.video_kbps)[0],
                live=live,
                audio=audio,
                queue_frames=queue_frames,
                threads=threads,
                file_prefix=file_prefix,
            )
            for rendition in self.renditions
        ]
        self._video_clock, self._audio_clock = _Clock(), _Clock()
        self._started_at: float | None = None  # monotonic time of the first push (live)
        self._video_in = self._audio_in = 0
        self._state_lock = threading.Lock()
        self._started = self._closing = False
        self._result: HlsResult | None = None
        self._error: HlsError | None = None

    @property
    def failed(self) -> bool:
        """True once any rendition's thread has failed (see :meth:`close` for the error)."""
        return any(encoder.error is not None for encoder in self._encoders)

    @property
    def stats(self) -> HlsStats:
        """A consistent snapshot of counters and rates, safe from any thread."""
        return HlsStats(
            video_frames_in=self._video_in,
            audio_frames_in=self._audio_in,
            renditions=tuple(encoder.snapshot() for encoder in self._encoders),
            failed=self.failed,
        )

    def start(self) -> None:
        """Write the master playlist and start one encoder thread per rendition."""
        with self._state_lock:
            if self._started:
                return
            self.out_dir.mkdir(parents=True, exist_ok=True)
            master = self.out_dir / "master.m3u8"
            # Readers never see a half-written playlist.
            write_atomically(master, master_playlist(self.renditions, self.fps, audio=self.audio))
            for encoder in self._encoders:
                encoder.start()
            self._started = True

    def push_video(self, frame: av.VideoFrame) -> None:
        """Queue a video frame for every rendition (see the class for blocking rules)."""
        seconds = self._rebase(frame, self._video_clock)
        if seconds is None:
            return
        self._video_in += 1
        self._dispatch(("v", seconds, frame))

    def push_audio(self, frame: av.AudioFrame) -> None:
        """Queue an audio frame for every rendition; ignored when ``audio=False``."""
        if not self.audio:
            return
        seconds = self._rebase(frame, self._audio_clock)
        if seconds is None:
            return
        self._audio_in += 1
        self._dispatch(("a", seconds, frame))

    def _rebase(self, frame: av.VideoFrame | av.AudioFrame, clock: _Clock) -> float | None:
        if not self._started or self._closing:
            return None
        source = _frame_seconds(frame)
        if self.live:
            now = time.monotonic()
            if self._started_at is None:
                self._started_at = now
            return clock.seconds(source, arrival=now - self._started_at, origin=0.0)
        if self._origin_seconds is None:
            self._origin_seconds = source
        return clock.seconds(source, arrival=None, origin=self._origin_seconds)

    def _dispatch(self, item: tuple[str, float, Any]) -> None:
        for encoder in self._encoders:
            if self.live:
                encoder.offer(item)
            else:
                while not encoder.put(item, timeout=_BLOCKED_POLL_SECONDS):
                    if encoder.error is not None:
                        raise HlsError(
                            f"Encoding {encoder.rendition.name} failed"
                        ) from encoder.error
                    if self._closing:
                        return

    def close(self) -> HlsResult:
        """Flush, finish the playlists with ``#EXT-X-ENDLIST`` and join the threads.

        Blocking and idempotent. Raises :class:`HlsError` (with the partial result) when a
        rendition failed, every time it is called.
        """
        with self._state_lock:
            if self._result is None:
                self._closing = True
                for encoder in self._encoders:
                    encoder.stop()
                results = tuple(encoder.result() for encoder in self._encoders)
                self._result = HlsResult(
                    duration_seconds=max(r.duration_seconds for r in results),
                    segments=results[0].segments,
                    renditions=results,
                )
                failures = [e for e in self._encoders if e.error is not None]
                if failures:
                    names = ", ".join(e.rendition.name for e in failures)
                    self._error = HlsError(
                        f"Encoding failed for {names}: {failures[0].error!r}", self._result
                    )
                    self._error.__cause__ = failures[0].error
            if self._error is not None:
                raise self._error
            return self._result
