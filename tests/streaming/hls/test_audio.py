"""Sound without a picture becomes one AAC rendition (streaming.hls.audio), through the same
transcode as talks (streaming.transcode)."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from streaming.hls.audio import audio_master_playlist
from streaming.hls.ladder import parse_ladder
from streaming.library.probe import read_playlist
from streaming.transcode import BadInput, transcode
from tests.streaming.frames import SoundContainer, write_sample_sound

LADDER = parse_ladder("180p:320x180@200,90p:160x90@100")


def test_the_master_playlist_names_one_aac_rendition() -> None:
    assert audio_master_playlist(128) == (
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"
        '#EXT-X-STREAM-INF:BANDWIDTH=140800,CODECS="mp4a.40.2"\n'
        "audio/index.m3u8\n"
    )


@pytest.mark.parametrize("container", ["m4a", "ogg", "mp3", "wav"])
def test_a_sound_file_transcodes_to_audio_segments(
    tmp_path: Path, container: SoundContainer
) -> None:
    source = write_sample_sound(tmp_path / f"n.{container}", 3.0, container)
    seen: list[tuple[float, float]] = []
    out = tmp_path / "recordings" / "7"
    result = transcode(
        source,
        out,
        ladder=LADDER,
        segment_seconds=1.0,
        fps=10,
        preset="ultrafast",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (result.thumbnail, result.mp4) == (False, True)
    assert result.duration == pytest.approx(3.0, abs=0.1)
    assert sorted(p.name for p in out.iterdir()) == ["audio", "master.m3u8", "recording.mp4"]
    assert not (tmp_path / "recordings" / ".7.partial").exists()
    durations = read_playlist(out / "audio" / "index.m3u8")
    assert len(durations) == 4  # three whole seconds and the encoder's last frames
    assert all(d == pytest.approx(1.0, abs=0.01) for d in durations[:3])
    assert "#EXT-X-ENDLIST" in (out / "audio" / "index.m3u8").read_text()
    with av.open(str(out / "recording.mp4")) as mp4:
        assert [(s.type, s.codec_context.name) for s in mp4.streams] == [("audio", "aac")]
        assert mp4.streams.audio[0].codec_context.sample_rate == 48_000
    done, total = seen[-1]
    assert done == total == pytest.approx(3.0, abs=0.1)


def test_a_file_that_is_no_media_is_bad_input(tmp_path: Path) -> None:
    source = tmp_path / "n.m4a"
    source.write_bytes(b"\0" * 4096)
    with pytest.raises(BadInput):
        transcode(
            source, tmp_path / "out", ladder=LADDER, segment_seconds=1, fps=10, preset="ultrafast"
        )
    assert not (tmp_path / "out").exists()
