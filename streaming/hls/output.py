"""The output of one rendition: an HLS muxer (fMP4 segments) with its H.264 and AAC encoders."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av

from streaming.hls.ladder import Rendition

AUDIO_RATE = 48_000


def hls_muxer_options(folder: Path, segment: Fraction, file_prefix: str = "") -> dict[str, str]:
    """FFmpeg's ``hls`` muxer options for one rendition in ``folder``: fMP4 segments of
    ``segment`` seconds, one growing playlist (ENDLIST once closed)."""
    return {
        "hls_time": str(float(segment)),
        "hls_list_size": "0",
        "hls_playlist_type": "event",
        "hls_segment_type": "fmp4",
        "hls_fmp4_init_filename": f"{file_prefix}init.mp4",
        "hls_segment_filename": str(folder / f"{file_prefix}seg_%05d.m4s"),
        "hls_flags": "independent_segments+temp_file",
        "start_number": "1",
    }


def open_output(
    folder: Path,
    rendition: Rendition,
    *,
    segment: Fraction,
    fps: int,
    preset: str,
    level: str,
    live: bool,
    audio: bool,
    threads: int,
    file_prefix: str = "",
) -> tuple[av.container.OutputContainer, av.VideoStream, av.AudioStream | None]:
    """Open ``folder/index.m3u8`` for writing; the container, its video and audio streams
    (no audio stream unless ``audio``)."""
    container = av.open(
        str(folder / "index.m3u8"),
        mode="w",
        format="hls",
        options=hls_muxer_options(folder, segment, file_prefix),
    )
    video = container.add_stream("libx264", rate=fps)
    video.width, video.height, video.pix_fmt = rendition.width, rendition.height, "yuv420p"
    video.time_base = Fraction(1, fps)
    video.bit_rate = rendition.video_kbps * 1000
    # Forced IDRs make the segments; natural keyframes only if those stop coming.
    video.codec_context.gop_size = 2 * math.ceil(segment * fps)
    video.codec_context.thread_count = threads
    options = {
        "preset": preset,
        "profile": "high",
        "level": level,
        "forced-idr": "1",
        "x264-params": "scenecut=0",
        "maxrate": f"{rendition.video_kbps}k",
        "bufsize": f"{math.ceil(rendition.video_kbps * segment)}k",
    }
    if live:
        options["tune"] = "zerolatency"
    video.codec_context.options = options
    if not audio:
        return container, video, None
    sound = container.add_stream("aac", rate=AUDIO_RATE)
    sound.layout, sound.format = "stereo", "fltp"
    sound.bit_rate = rendition.audio_kbps * 1000
    sound.time_base = Fraction(1, AUDIO_RATE)
    # The default "twoloop" coder costs about 0.09 core per stream, "fast" 0.01.
    sound.codec_context.options = {"aac_coder": "fast"}
    return container, video, sound
