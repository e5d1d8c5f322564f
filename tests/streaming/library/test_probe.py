"""Probing uploads by content, thumbnails, MP4 downloads from HLS, playlist durations."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import pytest

from conference.errors import InvalidInput
from streaming.hls.ladder import parse_ladder
from streaming.hls.writer import HlsLadderWriter
from streaming.library.probe import (
    NotAVideo,
    make_thumbnail,
    probe_media,
    read_playlist_duration,
    remux_to_mp4,
)
from tests.streaming.frames import (
    SoundContainer,
    audio_frame,
    read_capture_ms,
    video_frame,
    write_sample_sound,
    write_sample_video,
)


@pytest.mark.parametrize(
    ("container", "codecs"),
    [("mp4", ("h264", "aac")), ("mov", ("h264", "aac")), ("webm", ("vp8", "opus"))],
)
def test_videos_are_recognised_by_content(
    tmp_path: Path, container: str, codecs: tuple[str, str]
) -> None:
    # Named .bin: the name says nothing, the content does.
    path = write_sample_video(tmp_path / "talk.bin", 2, 320, 180, container)  # type: ignore[arg-type]
    info = probe_media(path)
    assert info.container == container
    assert (info.video_codec, info.audio_codec) == codecs
    assert (info.has_video, info.has_audio, info.width, info.height) == (True, True, 320, 180)
    assert info.duration_seconds == pytest.approx(2.0, rel=0.1)
    assert info.fps == 15.0


def test_a_video_without_sound_is_still_a_video(tmp_path: Path) -> None:
    path = write_sample_video(tmp_path / "silent.mp4", 1, 160, 90, audio=False)
    info = probe_media(path)
    assert (info.has_audio, info.audio_codec, info.width) == (False, None, 160)


def write_png(path: Path) -> Path:
    with av.open(str(path), mode="w", format="image2") as output:
        stream = output.add_stream("png")
        stream.width, stream.height, stream.pix_fmt = 160, 90, "rgb24"
        frame = video_frame(0, 160, 90, capture_ms=1).reformat(format="rgb24")
        output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return path


def write_audio_only(path: Path) -> Path:
    with av.open(str(path), mode="w", format="mp4") as output:
        stream = output.add_stream("aac", rate=48_000)
        stream.layout = "stereo"
        resampler = av.AudioResampler(format="fltp", layout="stereo", frame_size=1024)
        for index in range(50):
            for chunk in resampler.resample(audio_frame(index * 960)):
                output.mux(stream.encode(chunk))
        output.mux(stream.encode(None))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("just some notes\n" * 100), "not a video we can read"),
        (lambda p: p.write_bytes(b""), "not a video we can read"),
        (write_png, "MP4, MOV or WebM"),
        (write_audio_only, "has no video"),
    ],
    ids=["text", "empty", "png", "audio-only"],
)
def test_other_files_are_refused(
    tmp_path: Path, make: Callable[[Path], object], message: str
) -> None:
    path = tmp_path / "talk.mp4"
    make(path)
    with pytest.raises(NotAVideo, match=message) as refused:
        probe_media(path)
    assert isinstance(refused.value, InvalidInput)  # 422 from a service
    assert refused.value.status_code == 422


def test_a_truncated_video_is_refused(tmp_path: Path) -> None:
    whole = write_sample_video(tmp_path / "whole.mp4", 2, 320, 180)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(NotAVideo):
        probe_media(cut)


def test_a_matroska_with_garbage_after_the_header_is_refused(tmp_path: Path) -> None:
    whole = write_sample_video(tmp_path / "whole.webm", 2, 320, 180, "webm")
    broken = tmp_path / "broken.webm"
    broken.write_bytes(whole.read_bytes()[:400] + bytes(range(256)) * 40)
    with pytest.raises(NotAVideo):
        probe_media(broken)


def decode_jpeg(path: Path) -> tuple[str, int, int]:
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return container.streams.video[0].codec_context.name, frame.width, frame.height


def test_thumbnail_is_a_jpeg_of_the_requested_width(tmp_path: Path) -> None:
    video = write_sample_video(tmp_path / "talk.mov", 3, 320, 180, "mov")
    out = tmp_path / "poster.jpg"
    assert make_thumbnail(video, out, 1.5, width=160) == (160, 90)
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"
    assert decode_jpeg(out) == ("mjpeg", 160, 90)
    # Never scaled up; a time past the end takes the middle.
    assert make_thumbnail(video, out, 99.0) == (320, 180)
    assert decode_jpeg(out) == ("mjpeg", 320, 180)


def test_thumbnail_of_something_that_is_not_a_video(tmp_path: Path) -> None:
    audio = write_audio_only(tmp_path / "a.mp4")
    with pytest.raises(NotAVideo):
        make_thumbnail(audio, tmp_path / "poster.jpg", 1.0)
    assert not (tmp_path / "poster.jpg").exists()


@pytest.fixture
def hls_dir(tmp_path: Path) -> Path:
    """3 s of the ladder in fMP4 HLS, as a finished broadcast leaves it."""
    out = tmp_path / "recording"
    writer = HlsLadderWriter(
        out,
        parse_ladder("180p:320x180@300,90p:160x90@150"),
        segment_seconds=1.0,
        fps=30,
        preset="veryfast",
        live=False,
    )
    writer.start()
    for index in range(90):
        writer.push_video(video_frame(index, 320, 180, capture_ms=index))
        writer.push_audio(audio_frame(index * 1600, samples=1600))
    writer.close()
    return out


def test_playlist_duration(hls_dir: Path) -> None:
    assert read_playlist_duration(hls_dir / "180p" / "index.m3u8") == pytest.approx(3.0)


def test_remux_makes_a_progressive_mp4_that_plays(hls_dir: Path) -> None:
    out = hls_dir / "recording.mp4"
    duration = remux_to_mp4(hls_dir, "180p", out)
    assert duration == pytest.approx(3.0, rel=0.1)
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # faststart: plays while downloading
    assert not (hls_dir / "recording.mp4.tmp").exists()
    with av.open(str(out)) as container:
        assert container.format.name.startswith("mov,mp4")
        frames = list(container.decode(video=0))
    with av.open(str(out)) as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
    assert [read_capture_ms(frame) for frame in frames] == list(range(90))
    assert frames[-1].time is not None
    assert frames[-1].time - frames[0].time == pytest.approx(89 / 30, abs=0.01)
    assert samples / 48_000 == pytest.approx(3.0, rel=0.1)
    info = probe_media(out)
    assert (info.width, info.height, info.has_audio) == (320, 180, True)
    assert info.duration_seconds == pytest.approx(3.0, rel=0.1)
    assert info.fps == pytest.approx(30.0)


def test_remux_refuses_a_playlist_naming_files_elsewhere(hls_dir: Path) -> None:
    playlist = hls_dir / "90p" / "index.m3u8"
    playlist.write_text(playlist.read_text().replace("seg_00001.m4s", "../180p/seg_00001.m4s"))
    with pytest.raises(ValueError, match="outside its folder"):
        remux_to_mp4(hls_dir, "90p", hls_dir / "low.mp4")
    assert not (hls_dir / "low.mp4").exists()


def test_frames_helpers_carry_time() -> None:
    """The shared synthetic media: barcodes read back at every size down the ladder."""
    frame = video_frame(7, 1280, 720, capture_ms=3_600_123)
    assert frame.time_base == Fraction(1, 90_000)
    assert frame.pts == 7 * 3000
    for width, height in ((1280, 720), (640, 360), (320, 180), (160, 90)):
        assert read_capture_ms(frame.reformat(width, height)) == 3_600_123
    grey = av.VideoFrame(320, 180, "yuv420p")
    for plane in grey.planes:
        plane.update(bytes([128]) * plane.buffer_size)
    assert read_capture_ms(grey) is None
    sound = audio_frame(960)
    assert (sound.samples, sound.sample_rate, sound.pts, sound.format.name) == (
        960,
        48_000,
        960,
        "s16",
    )


@pytest.mark.parametrize(
    ("container", "codec"),
    [("m4a", "aac"), ("ogg", "opus"), ("mp3", "mp3float"), ("wav", "pcm_s16le")],
)
def test_sound_alone_is_accepted_only_where_asked(
    tmp_path: Path, container: SoundContainer, codec: str
) -> None:
    path = write_sample_sound(tmp_path / "narration.bin", 2, container)
    info = probe_media(path, audio_only=True)
    assert (info.container, info.audio_codec) == (container, codec)
    assert (info.has_video, info.has_audio, info.width, info.fps) == (False, True, 0, None)
    assert info.duration_seconds == pytest.approx(2.0, rel=0.1)
    # A talk is a video: the same file is refused where sound alone is not enough.
    with pytest.raises(NotAVideo):
        probe_media(path)


def test_what_is_neither_sound_nor_video_is_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "notes.m4a"
    path.write_text("Slide 1: IL-6\n" * 50)
    with pytest.raises(NotAVideo, match=r"^The file is not audio or video we can read\.$"):
        probe_media(path, audio_only=True)
    png = write_png(tmp_path / "still.png")
    with pytest.raises(NotAVideo, match=r"M4A, MP3, Ogg or WAV audio\."):
        probe_media(png, audio_only=True)
