"""Atomic file writes (conference/files.py): readers see the old file or the new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from conference import files


def test_text_and_bytes_replace_the_file_and_leave_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "captions" / "en.vtt"
    files.write_atomically(target, "WEBVTT\n\n00:00.000 --> 00:01.000\nCaf\u00e9\n")
    assert target.read_bytes() == "WEBVTT\n\n00:00.000 --> 00:01.000\nCaf\u00e9\n".encode()
    files.write_atomically(target, b"WEBVTT\n")
    assert target.read_bytes() == b"WEBVTT\n"
    assert [p.name for p in target.parent.iterdir()] == ["en.vtt"]


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "master.m3u8"
    target.write_text("#EXTM3U\nold\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("conference.files.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomically(target, "#EXTM3U\nnew\n")
    assert target.read_text() == "#EXTM3U\nold\n"
    assert [p.name for p in tmp_path.iterdir()] == ["master.m3u8"]
