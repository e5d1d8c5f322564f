"""One rendition of the HLS ladder: its queue, its thread, its encoders and its muxer.

:class:`streaming.hls.writer.HlsLadderWriter` owns one :class:`RenditionEncoder` per rendition and
feeds each the same ``(kind, seconds, frame)`` items; see that module for the timing rules.
Everything below the queue runs on the rendition's own thread.
"""

from __future__ import annotations

import collections
import logging
import math
import queue
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from av.video.frame import PictureType
from av.video.reformatter import VideoReformatter

from streaming.hls.ladder import Rendition
from streaming.hls.output import AUDIO_RATE, open_output
from streaming.hls.pictures import black, fit
from streaming.library.probe import read_playlist

log = logging.getLogger(__name__)

AAC_FRAME = 1024
_BYTES_PER_SAMPLE = 4  # fltp: one float per channel plane
# Audio this far (seconds) off its expected position is a gap (filled) or overlap (trimmed).
_AUDIO_TOLERANCE = 0.04
# How far one stream may lag the other before filler (silence, repeated picture) covers it:
# short live (the muxer interleaves, so a lagging stream holds back segments), long from
# files, whose streams may be interleaved loosely.
_LIVE_SLACK = {"a": 0.3, "v": 1.0}
_FILE_SLACK = {"a": 2.0, "v": 2.0}

Item = tuple[str, float, Any]


@dataclass(frozen=True)
class RenditionStats:
    """Counters and recent rates of one rendition."""

    name: str
    frames_in: int
    frames_encoded: int
    frames_dropped: int  # queue full (live)
    frames_skipped: int  # off the fps grid, late or before the origin
    frames_filled: int  # repeated pictures (gaps, audio without video); in frames_encoded
    audio_dropped: int
    queued: int
    media_seconds: float
    fps: float
    kbps: float


@dataclass(frozen=True)
class RenditionResult:
    """What one rendition wrote."""

    name: str
    frames_encoded: int
    frames_dropped: int
    frames_skipped: int
    frames_filled: int
    segments: int
    duration_seconds: float


class RenditionEncoder:
    """Scales, encodes (libx264 + AAC) and muxes one rendition into ``folder``."""

    def __init__(
        self,
        rendition: Rendition,
        folder: Path,
        *,
        segment: Fraction,
        fps: int,
        preset: str,
        level: str,
        live: bool,
        audio: bool,
        queue_frames: int,
        threads: int,
        file_prefix: str = "",
    ) -> None:
        self.rendition = rendition
        self.folder = folder
        self._prefix = file_prefix
        self.error: BaseException | None = None
        self._segment, self._fps, self._preset, self._level = segment, fps, preset, level
        self._live, self._audio, self._threads = live, audio, threads
        self._slack = _LIVE_SLACK if live else _FILE_SLACK
        self._queue: queue.Queue[Item | None] = queue.Queue(maxsize=max(2, queue_frames))
        self._thread = threading.Thread(target=self._run, name=f"hls-{rendition.name}", daemon=True)
        self._lock = threading.Lock()
        self._window: collections.deque[tuple[float, int, int]] = collections.deque(maxlen=10)
        self.frames_in = self.frames_encoded = self.frames_dropped = self.frames_skipped = 0
        self.frames_filled = 0
        self.audio_dropped = self._bytes = 0
        # Encoder-thread state.
        self._container: av.container.OutputContainer | None = None
        self._video: av.VideoStream | None = None
        self._sound: av.AudioStream | None = None
        self._last_pts = -1
        self._next_boundary = 0
        self._picture: av.VideoFrame | None = None
        # Our own scaler: frame.reformat() would share the pushed frame's SwsContext with the
        # other renditions' threads (PyAV caches one per frame), which is not thread-safe.
        self._scaler = VideoReformatter()
        self._resampler: av.AudioResampler | None = None
        self._resampler_key: tuple[str, str, int] | None = None
        self._pcm = (bytearray(), bytearray())
        self._audio_written = 0  # samples handed to the accumulator, silence included
        self._audio_pts = 0

    # ---- caller side -----------------------------------------------------------------

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._thread.start()

    def offer(self, item: Item) -> None:
        """Queue without blocking; count the frame as dropped when the queue is full."""
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            if item[0] == "v":
                self.frames_dropped += 1
            else:
                self.audio_dropped += 1
        else:
            self.frames_in += item[0] == "v"

    def put(self, item: Item, timeout: float) -> bool:
        """Queue, waiting up to ``timeout``; False if there was no room (or no thread)."""
        if self.error is not None:
            return False
        try:
            self._queue.put(item, timeout=timeout)
        except queue.Full:
            return False
        self.frames_in += item[0] == "v"
        return True

    def stop(self) -> None:
        """Ask the thread to flush and finish, and wait for it."""
        if not self._thread.is_alive():
            return
        while self._thread.is_alive():
            try:
                self._queue.put(None, timeout=0.5)
                break
            except queue.Full:
                continue
        self._thread.join()

    def snapshot(self) -> RenditionStats:
        now = time.monotonic()
        with self._lock:
            first = self._window[0] if self._window else None
            encoded, written = self.frames_encoded, self._bytes
        elapsed = now - first[0] if first else 0.0
        return RenditionStats(
            name=self.rendition.name,
            frames_in=self.frames_in,
            frames_encoded=encoded,
            frames_dropped=self.frames_dropped,
            frames_skipped=self.frames_skipped,
            frames_filled=self.frames_filled,
            audio_dropped=self.audio_dropped,
            queued=self._queue.qsize(),
            media_seconds=(self._last_pts + 1) / self._fps,
            fps=(encoded - first[1]) / elapsed if first and elapsed > 0 else 0.0,
            kbps=(written - first[2]) * 8 / 1000 / elapsed if first and elapsed > 0 else 0.0,
        )

    def result(self) -> RenditionResult:
        playlist = self.folder / "index.m3u8"
        durations = read_playlist(playlist) if playlist.exists() else []
        return RenditionResult(
            name=self.rendition.name,
            frames_encoded=self.frames_encoded,
            frames_dropped=self.frames_dropped,
            frames_skipped=self.frames_skipped,
            frames_filled=self.frames_filled,
            segments=len(durations),
            duration_seconds=round(sum(durations), 3),
        )

    # ---- encoder thread --------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._open()
            while (item := self._queue.get()) is not None:
                kind, seconds, frame = item
                if kind == "v":
                    self._on_video(seconds, frame)
                else:
                    self._on_audio(seconds, frame)
            self._finish()
        except BaseException as exc:  # surfaced by close(); the thread must not die silently
            log.exception("HLS rendition %s failed", self.rendition.name)
            self.error = exc
        finally:
            self._close_container()

    def _open(self) -> None:
        self._container, self._video, self._sound = open_output(
            self.folder,
            self.rendition,
            segment=self._segment,
            fps=self._fps,
            preset=self._preset,
            level=self._level,
            live=self._live,
            audio=self._audio,
            threads=self._threads,
            file_prefix=self._prefix,
        )

    # Video.

    def _on_video(self, seconds: float, frame: av.VideoFrame) -> None:
        pts = round(seconds * self._fps)
        if pts < 0 or pts <= self._last_pts:
            self.frames_skipped += 1
            return
        if self._last_pts < 0:
            pts = 0  # the picture starts the stream, whenever the first frame came
        elif self._picture is not None:
            self._fill_video(pts, every_slot=False)
        self._picture = self._fit(frame)
        self._encode_video(self._picture, pts)
        self._fill_audio(pts / self._fps - self._slack["a"])

    def _fit(self, frame: av.VideoFrame) -> av.VideoFrame:
        return fit(self._scaler, frame, self.rendition.width, self.rendition.height)

    def _fill_video(self, until_pts: int, *, every_slot: bool) -> None:
        """Repeat the last picture (black before any) up to ``until_pts`` (exclusive):
        at every slot, or only on segment boundaries so segments keep their length."""
        picture = self._picture or black(self.rendition.width, self.rendition.height)
        pts = self._last_pts + 1
        while pts < until_pts:
            boundary = math.ceil(self._next_boundary * self._segment * self._fps)
            if not every_slot:
                pts = max(pts, boundary)
                if pts >= until_pts:
                    break
            self._encode_video(picture, pts)
            self.frames_filled += 1
            pts += 1
        self._picture = picture

    def _encode_video(self, picture: av.VideoFrame, pts: int) -> None:
        assert self._video is not None
        picture.pts, picture.time_base = pts, Fraction(1, self._fps)
        # An IDR on the first frame at or after each segment boundary: the muxer cuts there.
        index = math.floor(pts / (self._segment * self._fps))
        if index >= self._next_boundary:
            picture.pict_type = PictureType.I
            self._next_boundary = index + 1
        else:
            picture.pict_type = PictureType.NONE
        for packet in self._video.encode(picture):
            self._mux(packet)
        self._last_pts = pts
        self.frames_encoded += 1
        now = time.monotonic()
        if not self._window or now - self._window[-1][0] >= 0.5:
            with self._lock:
                self._window.append((now, self.frames_encoded, self._bytes))

    # Audio.

    def _on_audio(self, seconds: float, frame: av.AudioFrame) -> None:
        if self._sound is None:
            return
        left, right = self._resample(frame)
        target = round(seconds * AUDIO_RATE)
        tolerance = _AUDIO_TOLERANCE * AUDIO_RATE
        if target - self._audio_written > tolerance:
            self._append_silence(target - self._audio_written)
        elif self._audio_written - target > tolerance:
            trim = (self._audio_written - target) * _BYTES_PER_SAMPLE
            if trim >= len(left):
                return  # entirely before what is already written
            left, right = left[trim:], right[trim:]
        self._append(left, right)
        audio_seconds = self._audio_written / AUDIO_RATE
        if audio_seconds - self._slack["v"] > (self._last_pts + 1) / self._fps:
            self._fill_video(
                math.floor((audio_seconds - self._slack["v"]) * self._fps), every_slot=True
            )

    def _resample(self, frame: av.AudioFrame) -> tuple[bytes, bytes]:
        key = (frame.format.name, frame.layout.name, frame.sample_rate)
        if self._resampler is None or key != self._resampler_key:
            self._resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
            self._resampler_key = key
        left, right = bytearray(), bytearray()
        for chunk in self._resampler.resample(frame):
            size = chunk.samples * _BYTES_PER_SAMPLE
            left += bytes(chunk.planes[0])[:size]
            right += bytes(chunk.planes[1])[:size]
        return bytes(left), bytes(right)

    def _fill_audio(self, until_seconds: float) -> None:
        if self._sound is not None:
            missing = round(until_seconds * AUDIO_RATE) - self._audio_written
            if missing > 0:
                self._append_silence(missing)

    def _append_silence(self, samples: int) -> None:
        silence = bytes(samples * _BYTES_PER_SAMPLE)
        self._append(silence, silence)

    def _append(self, left: bytes, right: bytes) -> None:
        pcm_left, pcm_right = self._pcm
        pcm_left += left
        pcm_right += right
        self._audio_written += len(left) // _BYTES_PER_SAMPLE
        size = AAC_FRAME * _BYTES_PER_SAMPLE
        while len(pcm_left) >= size:
            self._encode_audio(bytes(pcm_left[:size]), bytes(pcm_right[:size]))
            del pcm_left[:size], pcm_right[:size]

    def _encode_audio(self, left: bytes, right: bytes) -> None:
        assert self._sound is not None
        frame = av.AudioFrame(format="fltp", layout="stereo", samples=len(left) // 4)
        frame.planes[0].update(left)
        frame.planes[1].update(right)
        frame.sample_rate, frame.pts = AUDIO_RATE, self._audio_pts
        frame.time_base = Fraction(1, AUDIO_RATE)
        self._audio_pts += frame.samples
        for packet in self._sound.encode(frame):
            self._mux(packet)

    # Ending.

    def _mux(self, packet: av.Packet[Any]) -> None:
        assert self._container is not None
        self._bytes += packet.size
        self._container.mux(packet)

    def _finish(self) -> None:
        """Even out the streams' ends, flush the encoders; closing writes ENDLIST."""
        if self._last_pts < 0 and self._audio_written == 0:
            return  # nothing was pushed: no playlist
        end = max((self._last_pts + 1) / self._fps, self._audio_written / AUDIO_RATE)
        self._fill_video(round(end * self._fps), every_slot=self._last_pts < 0)
        if self._sound is not None:
            self._fill_audio(end)
            pcm_left, pcm_right = self._pcm
            if pcm_left:  # the last AAC frame, padded with silence
                padding = bytes(AAC_FRAME * _BYTES_PER_SAMPLE - len(pcm_left))
                self._encode_audio(bytes(pcm_left) + padding, bytes(pcm_right) + padding)
                pcm_left.clear()
                pcm_right.clear()
            for packet in self._sound.encode(None):
                self._mux(packet)
        assert self._video is not None
        for packet in self._video.encode(None):
            self._mux(packet)

    def _close_container(self) -> None:
        container, self._container = self._container, None
        if container is None:
            return
        try:
            container.close()
        except Exception as exc:  # a failure while finishing is still a failure
            log.exception("Closing HLS rendition %s failed", self.rendition.name)
            if self.error is None:
                self.error = exc
