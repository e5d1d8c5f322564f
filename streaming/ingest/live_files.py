"""A stage's live folder on disk: cleared before go-live, archived as a recording after.

Blocking file work; callers run these in a thread.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conference.files import write_atomically
from streaming.library.probe import make_thumbnail, remux_to_mp4

logger = logging.getLogger(__name__)

MP4 = "recording.mp4"
POSTER = "poster.jpg"

ENDLIST = "#EXT-X-ENDLIST"
_EXTINF = re.compile(r"^#EXTINF:([0-9.]+)", re.MULTILINE)
DISCONTINUITY = "#EXT-X-DISCONTINUITY"
_PROGRAM_DATE_TIME = "#EXT-X-PROGRAM-DATE-TIME:"
# Tags that belong to the next segment rather than to the whole playlist.
_SEGMENT_TAGS = ("#EXTINF:", _PROGRAM_DATE_TIME, DISCONTINUITY)

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class Archived:
    """What a stopped broadcast left: its length and the extra files made from it."""

    duration_seconds: float | None
    has_mp4: bool = False
    has_thumbnail: bool = False
    # Segments of do-not-record talks were cut out, so ``duration_seconds`` is what is left.
    trimmed: bool = False


def clear_folder(folder: Path) -> None:
    """Remove whatever a previous broadcast left in ``folder`` and create it empty."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def remove_folder(folder: Path) -> None:
    """Delete a broadcast's folder and whatever it holds (nothing is kept of it)."""
    shutil.rmtree(folder, ignore_errors=True)


def rendition_playlists(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/index.m3u8"))


def _lists_a_segment(playlist: Path) -> bool:
    try:
        text = playlist.read_text()
    except FileNotFoundError:  # the muxer writes it with the first segment
        return False
    return any(line.strip() and not line.startswith("#") for line in text.splitlines())


def every_rendition_has_segment(folder: Path, renditions: Sequence[str]) -> bool:
    """Whether each rendition's playlist lists a segment: a player can start on any."""
    return all(_lists_a_segment(folder / name / "index.m3u8") for name in renditions)


def has_segments(folder: Path) -> bool:
    """Whether any rendition in ``folder`` wrote a segment (the broadcast had media)."""
    return any(_lists_a_segment(playlist) for playlist in rendition_playlists(folder))


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


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def cut_windows(playlist: Path, *, started_at: datetime, windows: Sequence[Window]) -> float:
    """Remove from a media playlist the segments that overlap any ``[start, end)`` window,
    delete their files and mark each cut with ``#EXT-X-DISCONTINUITY``; returns the seconds
    left. A segment's wall time is ``#EXT-X-PROGRAM-DATE-TIME`` where the playlist has it,
    else ``started_at`` plus the durations of the segments before it."""
    folder = playlist.parent
    out: list[str] = []
    pending: list[str] = []  # the tags of the segment being read
    clock, seconds = started_at, 0.0
    kept_any = cut_since_kept = False
    removed: list[Path] = []
    for line in playlist.read_text().splitlines():
        if line.startswith("#"):
            if pending or line.startswith(_SEGMENT_TAGS):
                pending.append(line)
            else:
                out.append(line)  # a playlist tag (header, or the ENDLIST after the last)
            continue
        if not line.strip():
            continue
        length = 0.0
        for tag in pending:
            if tag.startswith("#EXTINF:"):
                length = float(tag.removeprefix("#EXTINF:").split(",", 1)[0])
            elif tag.startswith(_PROGRAM_DATE_TIME):
                clock = _instant(tag.removeprefix(_PROGRAM_DATE_TIME))
        start, end = clock, clock + timedelta(seconds=length)
        clock = end
        if any(a < end and start < b for a, b in windows):
            removed.append(folder / line)
            cut_since_kept = True
        else:
            if cut_since_kept and kept_any and DISCONTINUITY not in pending:
                out.append(DISCONTINUITY)
            out.extend(pending)
            out.append(line)
            seconds += length
            kept_any, cut_since_kept = True, False
        pending = []
    if not removed:
        return seconds
    out.extend(pending)
    write_atomically(playlist, "\n".join(out) + "\n")
    for file in removed:
        if file.resolve().parent == folder.resolve():  # names from our own playlist
            file.unlink(missing_ok=True)
    return seconds


def archive(
    source: Path,
    target: Path | None,
    *,
    top_rendition: str,
    started_at: datetime | None = None,
    unrecorded: Sequence[Window] = (),
) -> Archived:
    """Turn a stopped stage's folder into the recording at ``target`` (None: delete it),
    with an MP4 of ``top_rendition`` for download and a poster picture from it.

    ``unrecorded`` are the time windows of the session's do-not-record talks (the
    broadcast went live at ``started_at``): their segments are cut from the recording.
    The live stream showed those talks; only what stays on demand leaves them out."""
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
    trimmed = bool(unrecorded) and started_at is not None
    if trimmed and started_at is not None:
        left = [
            cut_windows(playlist, started_at=started_at, windows=unrecorded)
            for playlist in rendition_playlists(target)
        ]
        duration = max(left, default=0.0) or None
    has_mp4 = has_thumbnail = False
    mp4 = target / MP4
    try:
        # Follows the (cut) playlist, so the download leaves the same talks out.
        remux_to_mp4(target, top_rendition, mp4)
        has_mp4 = True
        make_thumbnail(mp4, target / POSTER, (duration or 0) / 10)
        has_thumbnail = True
    except Exception:
        # The HLS recording stands without them (a crash may leave a torn last segment).
        logger.warning("no MP4 or poster for %s", target, exc_info=True)
        (target / f"{MP4}.tmp").unlink(missing_ok=True)
    return Archived(
        duration_seconds=duration, has_mp4=has_mp4, has_thumbnail=has_thumbnail, trimmed=trimmed
    )
