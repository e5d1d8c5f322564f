"""An HLS ladder writer fed synthetic media (tests/streaming/frames.py), for the writer's
own tests and for the tests that serve what it wrote."""

from __future__ import annotations

from pathlib import Path

from streaming.hls.ladder import parse_ladder
from streaming.hls.writer import HlsLadderWriter
from tests.streaming.frames import audio_frame, video_frame

LADDER = parse_ladder("180p:320x180@300,90p:160x90@150")
FPS = 30
SAMPLES_PER_VIDEO_FRAME = 48_000 // FPS


def push_media(
    writer: HlsLadderWriter,
    *,
    seconds: float,
    width: int = 320,
    height: int = 180,
    video: bool = True,
    audio: bool = True,
    video_offset: int = 0,
    audio_offset: int = 0,
) -> list[int]:
    """Push ``seconds`` of frames (pts starting at the offsets); the capture times drawn."""
    captured, pushed_samples = [], 0
    for index in range(round(seconds * FPS)):
        if video:
            capture = 1_000 + index * 1000 // FPS
            frame = video_frame(index, width, height, capture_ms=capture)
            frame.pts = (frame.pts or 0) + video_offset
            writer.push_video(frame)
            captured.append(capture)
        while audio and pushed_samples < (index + 1) * SAMPLES_PER_VIDEO_FRAME:
            sound = audio_frame(pushed_samples)
            sound.pts = (sound.pts or 0) + audio_offset
            writer.push_audio(sound)
            pushed_samples += 960
    return captured


def writer_for(out: Path, **options: object) -> HlsLadderWriter:
    """A writer of ``LADDER`` (or ``ladder=``) into ``out``: 1 s segments, not live;
    ``options`` override the writer's settings."""
    ladder = options.pop("ladder", LADDER)
    settings: dict[str, object] = {
        "segment_seconds": 1.0,
        "fps": FPS,
        "preset": "veryfast",
        "live": False,
    }
    settings.update(options)
    return HlsLadderWriter(out, ladder, **settings)  # type: ignore[arg-type]
