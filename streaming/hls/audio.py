"""Audio-only HLS: one AAC rendition in fMP4 segments, for media without pictures.

A narration may be a voice alone. Pushing it through the video ladder would encode a black
picture at every rendition's size for nothing; this writes the sound once, as the ladder
writes its audio (AAC-LC, 48 kHz stereo, the same muxer options), into ``audio/`` with a
master playlist naming it, so the player and ``/vod/<id>/`` serve it like any recording.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
from av.audio.frame import AudioFrame

from conference.files import write_atomically
from streaming.hls.output import AUDIO_RATE, hls_muxer_options
from streaming.library.probe import read_playlist_duration

RENDITION = "audio"
AAC_FRAME = 1024
# Peak bits per second with muxing overhead, as the ladder's renditions count theirs.
_OVERHEAD = 1.1

Progress = Callable[[float, float], None]


def audio_master_playlist(kbps: int) -> str:
    """The master playlist of the one audio rendition (RFC 6381 codecs: AAC-LC)."""
    return (
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"
        f'#EXT-X-STREAM-INF:BANDWIDTH={int(kbps * 1000 * _OVERHEAD)},CODECS="mp4a.40.2"\n'
        f"{RENDITION}/index.m3u8\n"
    )


def write_audio_hls(
    source: av.container.InputContainer,
    out_dir: Path,
    *,
    segment_seconds: float,
    kbps: int,
    total: float,
    progress: Progress | None = None,
    crash_after: float | None = None,
) -> float:
    """Encode the first audio stream of ``source`` into ``out_dir``; its duration (s).

    ``crash_after``: kill this process once that many seconds are decoded (fault injection,
    see streaming.transcode). Damaged packets are skipped, as players do."""
    if not source.streams.audio:
        raise ValueError("the source has no audio")
    folder = out_dir / RENDITION
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(out_dir / "master.m3u8", audio_master_playlist(kbps))
    resampler = av.AudioResampler(
        format="fltp", layout="stereo", rate=AUDIO_RATE, frame_size=AAC_FRAME
    )
    written = 0
    last_report = -1.0
    with av.open(
        str(folder / "index.m3u8"),
        mode="w",
        format="hls",
        options=hls_muxer_options(folder, Fraction(segment_seconds).limit_denominator(1000)),
    ) as output:
        sound = output.add_stream("aac", rate=AUDIO_RATE)
        sound.layout, sound.format = "stereo", "fltp"
        sound.bit_rate = kbps * 1000
        sound.time_base = Fraction(1, AUDIO_RATE)
        sound.codec_context.options = {"aac_coder": "fast"}

        def encode(frames: list[AudioFrame]) -> None:
            nonlocal written
            for chunk in frames:
                chunk.pts, chunk.time_base = written, Fraction(1, AUDIO_RATE)
                written += chunk.samples
                output.mux(sound.encode(chunk))

        for packet in source.demux(source.streams.audio[0]):
            try:
                decoded = packet.decode()
            except av.error.InvalidDataError:
                continue
            for frame in decoded:
                if isinstance(frame, AudioFrame):
                    encode(resampler.resample(frame))
            done = written / AUDIO_RATE
            if crash_after is not None and done >= crash_after:
                os.kill(os.getpid(), signal.SIGKILL)
            if progress is not None and done - last_report >= 1.0:
                last_report = done
                progress(done, total)
        encode(resampler.resample(None))
        output.mux(sound.encode(None))
    if written == 0:
        raise ValueError("no decodable audio")
    return read_playlist_duration(folder / "index.m3u8")
