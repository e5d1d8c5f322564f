"""A stage's live folder on disk: cleared before go-live, archived as a recording after.

Blocking file work; callers run these in a thread.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from streaming.probe import make_thumbnail, remux_to_mp4

logger = logging.getLogger(__name__)

MP4 = "recording.mp4"
POSTER = "poster.jpg"

ENDLIST = "#EXT-X-ENDLIST"
_EXTINF = re.compile(r"^#EXTINF:([0-9.]+)", re.MULTILINE)


@dataclass(frozen=True)
class Archived:
    """What a stopped broadcast left: its length and the extra files made from it."""

    duration_seconds: float | None
    has_mp4: bool = False
    has_thumbnail: bool = False


def clear_folder(folder: Path) -> None:
    """Remove whatever a previous broadcast left in ``folder`` and create it empty."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def rendition_playlists(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/index.m3u8"))


def close_playlists(folder: Path) -> float | None:
    """End every rendition playlist (a VOD from now on); the longest one's duration."""
    longest: float | None = None
    for playlist in rendition_playlists(folder):
        text = playlist.read_text()
        if ENDLIST not in text:
            # A crashed writer never wrote it; without it players wait for more segments.
            playlist.write_text(text.rstrip("\n") + f"\n{ENDLIST}\n")
        seconds = sum(float(value) for value in _EXTINF.findall(text))
        if seconds and (longest is None or seconds > longest):
            longest = seconds
    return longest


def archive(source: Path, target: Path | None, *, top_rendition: str) -> Archived:
    """Turn a stopped stage's folder into the recording at ``target`` (None: delete it),
    with an MP4 of ``top_rendition`` for download and a poster picture from it."""
    if not source.is_dir():
        return Archived(duration_seconds=None)
    if target is None:
        # The session may not be recorded: nothing of it stays once the stage stops.
        shutil.rmtree(source, ignore_errors=True)
        return Archived(duration_seconds=None)
    duration = close_playlists(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    # Same file system: a rename, so even an hours-long recording moves at once.
    os.replace(source, target)
    has_mp4 = has_thumbnail = False
    mp4 = target / MP4
    try:
        remux_to_mp4(target, top_rendition, mp4)
        has_mp4 = True
        make_thumbnail(mp4, target / POSTER, (duration or 0) / 10)
        has_thumbnail = True
    except Exception:
        # The HLS recording stands without them (a crash may leave a torn last segment).
        logger.warning("no MP4 or poster for %s", target, exc_info=True)
        (target / f"{MP4}.tmp").unlink(missing_ok=True)
    return Archived(duration_seconds=duration, has_mp4=has_mp4, has_thumbnail=has_thumbnail)
