"""Cutting a do-not-record talk out of a live recording's playlists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streaming.ingest import live_files

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
HEADER = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-TARGETDURATION:2",
    "#EXT-X-MEDIA-SEQUENCE:1",
    '#EXT-X-MAP:URI="b7-init.mp4"',
]


def _rendition(folder: Path, lengths: list[float], *, dated: bool = False) -> Path:
    """A closed media playlist with one file per segment, named seg_01.m4s and on."""
    folder.mkdir(parents=True)
    (folder / "b7-init.mp4").write_bytes(b"init")
    lines = list(HEADER)
    clock = START
    for n, seconds in enumerate(lengths, start=1):
        if dated:
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{clock.isoformat(timespec='milliseconds')}")
        lines += [f"#EXTINF:{seconds:.3f},", f"seg_{n:02}.m4s"]
        (folder / f"seg_{n:02}.m4s").write_bytes(b"x")
        clock += timedelta(seconds=seconds)
    (folder / "index.m3u8").write_text("\n".join([*lines, live_files.ENDLIST]) + "\n")
    return folder / "index.m3u8"


def _body(playlist: Path) -> list[str]:
    """The playlist below its header: segment names and DISCONTINUITY marks."""
    return [
        line
        for line in playlist.read_text().splitlines()[len(HEADER) :]
        if not line.startswith(("#EXTINF", "#EXT-X-PROGRAM-DATE-TIME"))
    ]


def _at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


@pytest.mark.parametrize("dated", [False, True])
def test_segments_overlapping_a_window_are_cut(tmp_path: Path, dated: bool) -> None:
    # Ten 2-second segments: seg_01 covers [0, 2), seg_02 [2, 4), ... seg_10 [18, 20).
    playlist = _rendition(tmp_path / "720p", [2.0] * 10, dated=dated)
    # [3, 7) touches seg_02..seg_04; [16, 18) exactly seg_09 (seg_10 starts at its end).
    windows = [(_at(3), _at(7)), (_at(16), _at(18))]
    left = live_files.cut_windows(playlist, started_at=START, windows=windows)
    assert left == pytest.approx(12.0)
    assert _body(playlist) == [
        "seg_01.m4s",
        "#EXT-X-DISCONTINUITY",
        "seg_05.m4s",
        "seg_06.m4s",
        "seg_07.m4s",
        "seg_08.m4s",
        "#EXT-X-DISCONTINUITY",
        "seg_10.m4s",
        live_files.ENDLIST,
    ]
    assert playlist.read_text().splitlines()[: len(HEADER)] == HEADER
    assert sorted(p.name for p in playlist.parent.glob("seg_*")) == [
        f"seg_{n:02}.m4s" for n in (1, 5, 6, 7, 8, 10)
    ]
    assert (playlist.parent / "b7-init.mp4").exists()


def test_program_date_time_wins_over_the_start_of_the_broadcast(tmp_path: Path) -> None:
    playlist = _rendition(tmp_path / "360p", [2.0] * 4, dated=True)
    # The broadcast row says it started a minute earlier; the playlist's own clock counts.
    left = live_files.cut_windows(
        playlist, started_at=START - timedelta(minutes=1), windows=[(_at(0), _at(4))]
    )
    assert left == pytest.approx(4.0)
    # Cut at the start: nothing precedes, so no discontinuity is needed.
    assert _body(playlist) == ["seg_03.m4s", "seg_04.m4s", live_files.ENDLIST]


def test_no_overlap_leaves_the_playlist_alone(tmp_path: Path) -> None:
    playlist = _rendition(tmp_path / "720p", [1.5, 2.0])
    before = playlist.read_text()
    left = live_files.cut_windows(playlist, started_at=START, windows=[(_at(3.5), _at(60))])
    assert left == pytest.approx(3.5)
    assert playlist.read_text() == before


def test_archive_cuts_every_rendition_and_reports_the_shorter_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "streams" / "main"
    _rendition(source / "720p", [2.0] * 5)
    _rendition(source / "360p", [2.0] * 5)
    remuxed: list[list[str]] = []

    def fake_remux(hls_dir: Path, rendition: str, out_mp4: Path) -> float:
        remuxed.append(_body(hls_dir / rendition / "index.m3u8"))
        raise RuntimeError("no real media here")

    monkeypatch.setattr(live_files, "remux_to_mp4", fake_remux)
    target = tmp_path / "recordings" / "3"
    archived = live_files.archive(
        source,
        target,
        top_rendition="720p",
        started_at=START,
        unrecorded=[(_at(4), _at(6))],
    )
    assert archived.trimmed
    assert archived.duration_seconds == pytest.approx(8.0)
    expected = ["seg_01.m4s", "seg_02.m4s", "#EXT-X-DISCONTINUITY", "seg_04.m4s", "seg_05.m4s"]
    for rendition in ("720p", "360p"):
        assert _body(target / rendition / "index.m3u8") == [*expected, live_files.ENDLIST]
    # The MP4 is made from the cut playlist, after the cut.
    assert remuxed == [[*expected, live_files.ENDLIST]]
