"""The transcode of one uploaded video into a recording's HLS ladder (run as a child process).

``python -m streaming.transcode --source F --out DIR --ladder L ...`` decodes the upload with
PyAV and feeds its frames, at a constant ``--fps``, to :class:`streaming.hls.writer.HlsLadderWriter`
(the same encoder the live path uses, so uploads and live recordings share one layout), then
writes ``poster.jpg`` (a frame at a tenth of the duration) and ``recording.mp4`` (the top
rendition remuxed, no second encode). It writes into ``.<id>.partial`` beside ``DIR`` and
renames it into place at the end, so a crash never leaves a half-written recording where the
player looks. A file with sound and no picture (a poster's narration) becomes one audio
rendition instead (:mod:`streaming.hls.audio`): no black picture encoded, no poster.

It talks to its parent (the job runner, :mod:`conference.jobs.child`) in JSON lines on stdout:
``{"progress": percent, "done": seconds, "total": seconds}`` while it works and
``{"result": {"duration": s, "thumbnail": bool, "mp4": bool}}`` at the end. Exit status 0 is
success, 65 input that can never be transcoded, anything else (a crash) is retried.

Fault injection: with ``CONFERENCE_TRANSCODE_CRASH_AFTER_SECONDS=N`` in its environment the
child kills itself with SIGKILL once it has decoded N seconds of media, as the OOM killer
would; the tests use it to show a crashed job is retried, and an operator can use it to
rehearse the same.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
from av.audio.frame import AudioFrame
from av.video.frame import VideoFrame

from conference.jobs.child import EXIT_BAD_INPUT, report_progress, report_result
from streaming.hls.audio import RENDITION as AUDIO_RENDITION
from streaming.hls.audio import write_audio_hls
from streaming.hls.ladder import Rendition, parse_ladder
from streaming.hls.writer import HlsLadderWriter
from streaming.library.probe import NotAVideo, make_thumbnail, probe_media, remux_to_mp4

CRASH_ENV = "CONFERENCE_TRANSCODE_CRASH_AFTER_SECONDS"
POSTER = "poster.jpg"
MP4 = "recording.mp4"

Progress = Callable[[float, float], None]


@dataclass(frozen=True)
class TranscodeResult:
    duration: float
    thumbnail: bool
    mp4: bool


class BadInput(Exception):
    """The source cannot be transcoded, however often we try."""


def partial_dir(out_dir: Path) -> Path:
    """Where the output is built before it is renamed to ``out_dir``."""
    return out_dir.parent / f".{out_dir.name}.partial"


def transcode(
    source: Path,
    out_dir: Path,
    *,
    ladder: tuple[Rendition, ...],
    segment_seconds: float,
    fps: int,
    preset: str,
    progress: Progress | None = None,
) -> TranscodeResult:
    """Transcode ``source`` into ``out_dir`` (master playlist, renditions, poster, MP4)."""
    try:
        # Only routes that accept sound alone (a narration) let an audio-only file through.
        info = probe_media(source, audio_only=True)
    except NotAVideo as exc:
        raise BadInput(str(exc)) from exc
    total = info.duration_seconds
    work = partial_dir(out_dir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if not info.has_video:
        return _transcode_sound(source, out_dir, work, ladder, segment_seconds, total, progress)
    with av.open(str(source)) as container:
        # Both streams keep their offsets from the file's start (audio that begins before
        # the first picture, say); None lets the writer start at the first frame.
        origin = container.start_time / 1_000_000 if container.start_time is not None else None
        writer = HlsLadderWriter(
            work,
            ladder,
            segment_seconds=segment_seconds,
            fps=fps,
            preset=preset,
            live=False,
            origin_seconds=origin,
        )
        writer.start()
        try:
            for frame in _frames(container, total, progress):
                if isinstance(frame, VideoFrame):
                    writer.push_video(frame)
                else:
                    writer.push_audio(frame)
        finally:
            result = writer.close()
    duration = float(result.duration_seconds)
    thumbnail = _try(lambda: make_thumbnail(source, work / POSTER, duration / 10))
    mp4 = _try(lambda: remux_to_mp4(work, ladder[0].name, work / MP4))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.replace(work, out_dir)
    if progress is not None:
        progress(total or duration, total or duration)
    return TranscodeResult(duration=duration, thumbnail=thumbnail, mp4=mp4)


def _transcode_sound(
    source: Path,
    out_dir: Path,
    work: Path,
    ladder: tuple[Rendition, ...],
    segment_seconds: float,
    total: float,
    progress: Progress | None,
) -> TranscodeResult:
    """Sound without a picture: one audio rendition (streaming.hls.audio), no poster; the
    MP4 download holds the sound."""
    with av.open(str(source)) as container:
        try:
            duration = write_audio_hls(
                container,
                work,
                segment_seconds=segment_seconds,
                kbps=ladder[0].audio_kbps,
                total=total,
                progress=progress,
                crash_after=_crash_after(),
            )
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
    mp4 = _try(lambda: remux_to_mp4(work, AUDIO_RENDITION, work / MP4))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.replace(work, out_dir)
    if progress is not None:
        progress(total or duration, total or duration)
    return TranscodeResult(duration=duration, thumbnail=False, mp4=mp4)


def _try(action: Callable[[], object]) -> bool:
    """Run an optional step (poster, download): a failure leaves the recording without it."""
    try:
        action()
    except Exception as exc:
        print(f"optional step failed: {exc}", file=sys.stderr)  # noqa: T201
        return False
    return True


def _frames(
    container: av.container.InputContainer, total: float, progress: Progress | None
) -> Iterator[VideoFrame | AudioFrame]:
    """The source's decoded frames, in file order (the writer puts video on its constant
    ``fps`` grid, repeating or skipping frames); progress about once a second."""
    crash_after = _crash_after()
    if not container.streams.video:
        raise BadInput("The file has no video track.")
    video = container.streams.video[0]
    video.thread_type = "AUTO"
    streams: list[av.stream.Stream] = [video]
    if container.streams.audio:
        streams.append(container.streams.audio[0])
    origin: float | None = None
    pictures = 0
    last_report = 0.0
    for packet in container.demux(*streams):
        for frame in _decode(packet):
            if frame.pts is None or frame.time_base is None:
                continue  # nowhere to put it on the timeline
            if isinstance(frame, VideoFrame):
                pictures += 1
                if origin is None:
                    origin = float(frame.pts * frame.time_base)
                done = float(frame.pts * frame.time_base) - origin
                if crash_after is not None and done >= crash_after:
                    os.kill(os.getpid(), signal.SIGKILL)
                if progress is not None and time.monotonic() - last_report >= 1.0:
                    last_report = time.monotonic()
                    progress(done, total)
            yield frame
    if pictures == 0:
        raise BadInput("The file has no decodable video frame.")


def _decode(packet: av.Packet[av.stream.Stream]) -> list[VideoFrame | AudioFrame]:
    try:
        frames = packet.decode()
    except av.error.InvalidDataError:
        # A damaged packet: skip it, as players do, rather than fail the whole talk.
        return []
    return [f for f in frames if isinstance(f, VideoFrame | AudioFrame)]


def _crash_after() -> float | None:
    value = os.environ.get(CRASH_ENV, "")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _progress(done: float, total: float) -> None:
    percent = 100.0 * done / total if total > 0 else 0.0
    report_progress(round(min(percent, 99.9), 1), done=done, total=total)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point for the worker's child process."""
    parser = argparse.ArgumentParser(prog="python -m streaming.transcode")
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--ladder", required=True)
    parser.add_argument("--segment-seconds", type=float, default=2.0)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--preset", default="veryfast")
    args = parser.parse_args(argv)
    # Encoding is batch work: let the web process (if on this machine) answer first.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)
    try:
        result = transcode(
            args.source,
            args.out,
            ladder=parse_ladder(args.ladder),
            segment_seconds=args.segment_seconds,
            fps=args.fps,
            preset=args.preset,
            progress=_progress,
        )
    except (BadInput, av.error.FFmpegError) as exc:
        shutil.rmtree(partial_dir(args.out), ignore_errors=True)
        print(f"cannot transcode {args.source.name}: {exc}", file=sys.stderr)  # noqa: T201
        return EXIT_BAD_INPUT
    report_result({"duration": result.duration, "thumbnail": result.thumbnail, "mp4": result.mp4})
    return 0


if __name__ == "__main__":
    sys.exit(main())
