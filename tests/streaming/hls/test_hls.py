"""The HLS ladder writer: playlists, segments that decode, keyframes, timing, failures."""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import av
import pytest

from streaming.hls.ladder import parse_ladder
from streaming.hls.writer import HlsError, HlsResult, codecs_of, h264_level
from streaming.library.probe import read_playlist
from tests.streaming.frames import read_capture_ms, video_frame
from tests.streaming.hls_writing import FPS, LADDER, push_media, writer_for

SECONDS = 4


def open_segment(folder: Path, segment: str) -> av.container.InputContainer:
    """A segment is playable on its own after the init section."""
    data = (folder / "init.mp4").read_bytes() + (folder / segment).read_bytes()
    return av.open(io.BytesIO(data), mode="r")


@dataclass
class Decoded:
    frames: list[av.VideoFrame]
    keyframe_first: bool
    audio_samples: int
    codecs: tuple[str, str | None]


def decode_segment(folder: Path, segment: str) -> Decoded:
    with open_segment(folder, segment) as container:
        names = (
            container.streams.video[0].codec_context.name,
            container.streams.audio[0].codec_context.name if container.streams.audio else None,
        )
        frames = list(container.decode(video=0))
    samples = 0
    if names[1] is not None:
        with open_segment(folder, segment) as container:
            samples = sum(frame.samples for frame in container.decode(audio=0))
    return Decoded(frames, frames[0].key_frame, samples, names)


def segments_of(folder: Path) -> list[str]:
    text = (folder / "index.m3u8").read_text()
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def encoded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, HlsResult, list[int]]:
    """One 4 s encode of the two-rendition ladder, shared by the checks below."""
    out = tmp_path_factory.mktemp("hls") / "stage"
    writer = writer_for(out)
    writer.start()
    captured = push_media(writer, seconds=SECONDS)
    return out, writer.close(), captured


def test_master_playlist_lists_every_rendition(encoded: tuple[Path, HlsResult, list[int]]) -> None:
    out, _, _ = encoded
    lines = (out / "master.m3u8").read_text().splitlines()
    assert lines[:3] == ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    assert lines[3:] == [
        "#EXT-X-STREAM-INF:BANDWIDTH=470800,RESOLUTION=320x180,FRAME-RATE=30.000,"
        'CODECS="avc1.64000d,mp4a.40.2"',
        "180p/index.m3u8",
        "#EXT-X-STREAM-INF:BANDWIDTH=305800,RESOLUTION=160x90,FRAME-RATE=30.000,"
        'CODECS="avc1.64000b,mp4a.40.2"',
        "90p/index.m3u8",
    ]


def test_master_codecs_match_what_is_encoded(encoded: tuple[Path, HlsResult, list[int]]) -> None:
    out, _, _ = encoded
    for rendition in LADDER:
        init = (out / rendition.name / "init.mp4").read_bytes()
        at = init.index(b"avcC") + 4  # configurationVersion, profile, compatibility, level
        profile, compatibility, level = init[at + 1], init[at + 2], init[at + 3]
        assert (
            f"avc1.{profile:02x}{compatibility:02x}{level:02x}"
            == codecs_of(rendition, FPS, audio=True).split(",")[0]
        )


def test_segments_decode_with_the_right_codecs_sizes_and_keyframes(
    encoded: tuple[Path, HlsResult, list[int]],
) -> None:
    out, result, _ = encoded
    for rendition in LADDER:
        folder = out / rendition.name
        segments = segments_of(folder)
        assert segments == [f"seg_{n:05d}.m4s" for n in range(1, SECONDS + 1)]
        total_samples = 0
        for segment in segments:
            decoded = decode_segment(folder, segment)
            assert decoded.codecs == ("h264", "aac")
            assert decoded.keyframe_first
            assert {(f.width, f.height) for f in decoded.frames} == {
                (rendition.width, rendition.height)
            }
            assert len(decoded.frames) == FPS  # one second each
            total_samples += decoded.audio_samples
        # Audio covers the video (within an AAC frame and the encoder's priming).
        assert abs(total_samples / 48_000 - SECONDS) < 0.1
    assert result.segments == SECONDS
    assert result.duration_seconds == pytest.approx(SECONDS, abs=0.01)
    assert [(r.name, r.frames_encoded, r.frames_dropped) for r in result.renditions] == [
        ("180p", SECONDS * FPS, 0),
        ("90p", SECONDS * FPS, 0),
    ]


def test_playlist_durations_and_endlist(encoded: tuple[Path, HlsResult, list[int]]) -> None:
    out, _, _ = encoded
    for rendition in LADDER:
        text = (out / rendition.name / "index.m3u8").read_text()
        assert text.rstrip().endswith("#EXT-X-ENDLIST")
        assert "#EXT-X-PLAYLIST-TYPE:EVENT" in text
        assert '#EXT-X-MAP:URI="init.mp4"' in text
        durations = read_playlist(out / rendition.name / "index.m3u8")
        assert all(abs(d - 1.0) <= 0.1 for d in durations[:-1])
        assert 0 < durations[-1] <= 1.1


def test_capture_times_survive_the_encode(encoded: tuple[Path, HlsResult, list[int]]) -> None:
    out, _, captured = encoded
    seen = {
        rendition.name: [
            read_capture_ms(frame)
            for segment in segments_of(out / rendition.name)
            for frame in decode_segment(out / rendition.name, segment).frames
        ]
        for rendition in LADDER
    }
    assert seen["180p"] == captured
    # 160x90 leaves 4-pixel blocks: nearly all still read, none read wrong.
    readable = [ms for ms in seen["90p"] if ms is not None]
    assert len(readable) >= 0.95 * len(captured)
    assert set(readable) <= set(captured)


def test_levels() -> None:
    assert h264_level(1280, 720, 30, 2500) == ("3.1", 0x1F)
    assert h264_level(640, 360, 30, 800) == ("3", 0x1E)
    assert h264_level(1920, 1080, 30, 5000) == ("4", 0x28)
    assert h264_level(1280, 720, 60, 4000) == ("3.2", 0x20)
    with pytest.raises(ValueError, match=r"No H\.264 level"):
        h264_level(8192, 8192, 60, 1000)


def test_live_mode_drops_when_the_queue_is_full(tmp_path: Path) -> None:
    """Pushing never waits: what does not fit in the queue is dropped and counted."""
    ladder = parse_ladder("360p:640x360@800")
    writer = writer_for(tmp_path / "live", ladder=ladder, live=True, queue_frames=2)
    writer.start()
    frames = [video_frame(i, 640, 360, capture_ms=i) for i in range(10)]
    pushed = 150
    for index in range(pushed):  # far faster than x264 encodes 360p
        frame = frames[index % len(frames)]
        frame.pts = index * 3000
        writer.push_video(frame)
    stats = writer.stats.renditions[0]
    assert stats.frames_dropped > 0
    assert stats.frames_in + stats.frames_dropped == pushed
    result = writer.close()
    (outcome,) = result.renditions
    assert outcome.frames_dropped == stats.frames_dropped
    # Every queued frame was encoded (or was off the frame-rate grid); segment boundaries
    # lost to drops got the previous picture again.
    assert outcome.frames_encoded - outcome.frames_filled + outcome.frames_skipped == (
        stats.frames_in
    )
    assert writer.stats.frames_dropped == stats.frames_dropped


def test_blocking_mode_waits_instead_of_dropping(tmp_path: Path) -> None:
    writer = writer_for(tmp_path / "vod", queue_frames=2)
    writer.start()
    push_media(writer, seconds=1)
    result = writer.close()
    assert [(r.frames_encoded, r.frames_dropped) for r in result.renditions] == [(30, 0), (30, 0)]


def test_live_timestamps_are_rebased_and_video_only_gets_silence(tmp_path: Path) -> None:
    """aiortc's clocks start anywhere: the output starts at 0, with a silent audio track."""
    writer = writer_for(tmp_path / "live", live=True, queue_frames=10_000)
    writer.start()
    captured = push_media(writer, seconds=2, audio=False, video_offset=123_456_789)
    result = writer.close()
    assert result.duration_seconds == pytest.approx(2.0, abs=0.05)
    folder = tmp_path / "live" / "180p"
    first = decode_segment(folder, "seg_00001.m4s")
    assert first.codecs == ("h264", "aac")
    assert read_capture_ms(first.frames[0]) == captured[0]
    with av.open(str(folder / "index.m3u8")) as container:
        assert container.streams.video[0].codec_context.name == "h264"
    samples = sum(decode_segment(folder, s).audio_samples for s in segments_of(folder))
    assert abs(samples / 48_000 - 2.0) < 0.1


def test_audio_only_gets_black_video(tmp_path: Path) -> None:
    writer = writer_for(tmp_path / "radio", live=True, queue_frames=10_000)
    writer.start()
    push_media(writer, seconds=3, video=False, audio_offset=987_654)
    result = writer.close()
    assert result.segments == 3
    for rendition in LADDER:
        folder = tmp_path / "radio" / rendition.name
        durations = read_playlist(folder / "index.m3u8")
        assert all(abs(d - 1.0) <= 0.1 for d in durations[:-1])
        decoded = decode_segment(folder, "seg_00002.m4s")
        assert decoded.keyframe_first
        assert {(f.width, f.height) for f in decoded.frames} == {
            (rendition.width, rendition.height)
        }
        assert read_capture_ms(decoded.frames[0]) is None  # black, no barcode
        assert decoded.audio_samples > 40_000


def test_without_audio_the_stream_and_codecs_omit_it(tmp_path: Path) -> None:
    """``audio=False``; and a 4:3 source is letterboxed into the 16:9 rendition."""
    ladder = parse_ladder("180p:320x180@300")
    writer = writer_for(tmp_path / "mute", ladder=ladder, audio=False)
    writer.start()
    push_media(writer, seconds=2, width=240, height=180)
    writer.close()
    master = (tmp_path / "mute" / "master.m3u8").read_text()
    assert 'CODECS="avc1.64000d"' in master
    decoded = decode_segment(tmp_path / "mute" / "180p", "seg_00001.m4s")
    assert decoded.codecs == ("h264", None)
    frame = decoded.frames[0]
    assert (frame.width, frame.height) == (320, 180)
    luma = bytes(frame.planes[0])
    row = luma[90 * frame.planes[0].line_size : 90 * frame.planes[0].line_size + 320]
    assert max(row[:36]) < 40  # black bars, 40 px each side
    assert max(row[-36:]) < 40
    assert max(row[60:260]) > 100  # the picture


def test_failure_in_an_encoder_surfaces_in_push_and_close(tmp_path: Path) -> None:
    writer = writer_for(tmp_path / "bad", preset="no-such-preset")
    writer.start()
    with pytest.raises(HlsError, match="failed"):
        push_media(writer, seconds=2)
    assert writer.failed
    assert writer.stats.failed
    with pytest.raises(HlsError, match="Encoding failed for 180p, 90p") as first:
        writer.close()
    assert isinstance(first.value.__cause__, av.FFmpegError)
    assert first.value.result is not None
    with pytest.raises(HlsError) as again:  # idempotent: the same answer
        writer.close()
    assert again.value is first.value


def test_live_failure_never_raises_in_push(tmp_path: Path) -> None:
    """A broken rendition does not stop the other one; close() reports it."""
    (tmp_path / "half" / "90p" / "init.mp4").mkdir(parents=True)  # cannot be written
    writer = writer_for(tmp_path / "half", live=True, queue_frames=10_000)
    writer.start()
    push_media(writer, seconds=2)
    with pytest.raises(HlsError, match="Encoding failed for 90p:") as failure:
        writer.close()
    assert failure.value.result is not None
    good, bad = failure.value.result.renditions
    assert (good.name, good.segments, bad.name, bad.segments) == ("180p", 2, "90p", 0)
    assert (tmp_path / "half" / "180p" / "index.m3u8").read_text().endswith("#EXT-X-ENDLIST\n")


def test_close_is_idempotent_and_pushes_after_close_are_ignored(tmp_path: Path) -> None:
    writer = writer_for(tmp_path / "twice", ladder=parse_ladder("90p:160x90@150"))
    writer.start()
    push_media(writer, seconds=1, width=160, height=90)
    first = writer.close()
    writer.push_video(video_frame(99, 160, 90, capture_ms=0))
    assert writer.close() == first
    assert first.renditions[0].frames_encoded == 30


def test_close_from_another_thread_while_pushing(tmp_path: Path) -> None:
    """The ingest closes from a worker thread while the event loop may still push."""
    writer = writer_for(tmp_path / "race", ladder=parse_ladder("90p:160x90@150"), live=True)
    writer.start()
    results: list[HlsResult] = []
    closer = threading.Thread(target=lambda: results.append(writer.close()))
    for index in range(30):
        if index == 15:
            closer.start()
        writer.push_video(video_frame(index, 160, 90, capture_ms=index))
    closer.join()
    assert results[0].renditions[0].frames_encoded >= 1
    playlist = (tmp_path / "race" / "90p" / "index.m3u8").read_text()
    assert re.search(r"#EXT-X-ENDLIST\s*$", playlist)


def test_a_timestamp_jump_in_a_file_is_not_filled(tmp_path: Path) -> None:
    """A broken file's pts leaping an hour ahead continues the output, it adds no hour."""
    writer = writer_for(tmp_path / "jump", ladder=parse_ladder("90p:160x90@150"))
    writer.start()
    push_media(writer, seconds=1, width=160, height=90)
    hour_later = 3600 * 90_000
    push_media(
        writer, seconds=1, width=160, height=90, video_offset=hour_later, audio_offset=3600 * 48_000
    )
    result = writer.close()
    assert result.duration_seconds == pytest.approx(2.0, abs=0.1)
    assert result.renditions[0].frames_encoded == 60
