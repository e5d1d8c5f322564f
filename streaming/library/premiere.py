"""Premieres ("simulive"): a ready recording plays as live from its ``premiere_at``.

The recording's files stay as they are; the app generates live-looking playlists over them:

- ``GET /vod/<id>/premiere/master.m3u8``: the recording's master playlist (its variant URIs
  are relative, so they lead to the generated rendition playlists below);
- ``GET /vod/<id>/premiere/<rendition>/index.m3u8``: an EVENT playlist listing only the
  segments whose start time is at or before ``now - premiere_at``, each with its
  EXT-X-PROGRAM-DATE-TIME (``premiere_at`` + offset), so every player sits at the same point
  of the talk, as with a live stream; segment and init URIs point at the real files
  (``../../<rendition>/seg_00001.m4s``), which nginx or the app serves as for any recording.
  Once the whole talk has played, the playlist is complete with EXT-X-ENDLIST: the same URL
  goes on as on demand.

Before ``premiere_at`` both answer 404 with the start time in the message (players are only
started once the stage's status says "premiere"); an empty playlist would make players spin.
Access needs the recording's media token (scope ``vod/<id>``, cookie or ``?token=``), as every
file under ``/vod/<id>/``; a token given as ``?token=`` is carried onto the URIs inside, for
players that do not keep cookies. Playlists are cached for one second at most.
"""

from __future__ import annotations

import math
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import APIRouter, Request, Response

from conference.db.types import utcnow
from conference.deps import DbSession, PathId
from conference.errors import Forbidden, NotFound
from streaming import tokens
from streaming.deps import Runtime
from streaming.models import Recording, premiere_window

router = APIRouter(tags=["streaming: premieres"])

PLAYLIST_TYPE = "application/vnd.apple.mpegurl"
CACHE_CONTROL = "private, max-age=1"
_RENDITION = re.compile(r"^[a-z0-9]{1,16}$")


# Playlists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    duration: float
    uri: str


@dataclass(frozen=True)
class MediaPlaylist:
    """What a generated playlist needs from a recording's rendition playlist."""

    map_uri: str | None
    segments: tuple[Segment, ...]
    media_sequence: int

    @property
    def target_duration(self) -> int:
        return max((math.ceil(s.duration) for s in self.segments), default=1)


def parse_media_playlist(text: str) -> MediaPlaylist:
    """The init URI and segments of an HLS media playlist (the subset our writer produces)."""
    map_uri: str | None = None
    segments: list[Segment] = []
    sequence = 0
    duration: float | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-MAP:"):
            found = re.search(r'URI="([^"]+)"', line)
            map_uri = found.group(1) if found else None
        elif line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(line.partition(":")[2] or 0)
        elif line.startswith("#EXTINF:"):
            duration = float(line.partition(":")[2].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append(Segment(duration, line))
            duration = None
    return MediaPlaylist(map_uri, tuple(segments), sequence)


def premiere_playlist(
    source: MediaPlaylist,
    *,
    rendition: str,
    premiere_at: datetime,
    now: datetime,
    token_query: str = "",
) -> str:
    """The live-looking playlist of ``rendition`` at ``now``: segments that have started."""
    elapsed = (now - premiere_at).total_seconds()
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{source.target_duration}",
        f"#EXT-X-MEDIA-SEQUENCE:{source.media_sequence}",
        "#EXT-X-PLAYLIST-TYPE:EVENT",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    if source.map_uri:
        lines.append(f'#EXT-X-MAP:URI="{_real(rendition, source.map_uri, token_query)}"')
    start = 0.0
    listed = 0
    for segment in source.segments:
        if start > elapsed:
            break
        instant = premiere_at + timedelta(seconds=start)
        lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{_iso(instant)}")
        lines.append(f"#EXTINF:{segment.duration:.3f},")
        lines.append(_real(rendition, segment.uri, token_query))
        start += segment.duration
        listed += 1
    if listed == len(source.segments) and elapsed >= start:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _real(rendition: str, uri: str, token_query: str) -> str:
    """``uri`` (relative to the rendition's folder) as seen from the premiere folder."""
    return f"../../{rendition}/{uri}{token_query}"


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _PlaylistCache:
    """Parsed rendition playlists, keyed by file identity (a recording's files never change
    once ready, and every viewer asks every second)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, int, int], MediaPlaylist] = OrderedDict()

    def get(self, path: Path) -> MediaPlaylist:
        stat = os.stat(path)
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        found = self.items.get(key)
        if found is None:
            found = parse_media_playlist(path.read_text())
            self.items[key] = found
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return found


_cache = _PlaylistCache()


# Routes -------------------------------------------------------------------------------


async def _premiering(
    request: Request, runtime: Runtime, db: DbSession, recording_id: int
) -> tuple[Recording, datetime, str | None, Path]:
    """The recording, now, the token to carry into playlists (if given as ``?token=``) and
    the recording's folder; 403/404 unless a premiere the token opens has started."""
    token, in_query = tokens.presented(request)
    scope = tokens.recording_scope(recording_id)
    if not tokens.verify(runtime.media_secret, scope, token, now=runtime.clock()):
        raise Forbidden("A valid media token for this recording is needed.")
    recording = await db.get(Recording, recording_id)
    window = premiere_window(recording) if recording is not None else None
    if recording is None or window is None:
        raise NotFound("This recording has no premiere.")
    now = utcnow()
    if now < window[0]:
        raise NotFound(f"The premiere starts at {_iso(window[0])}.")
    carried = token if in_query and token is not None else None
    return recording, now, carried, runtime.media_root / recording.media_path


def _playlist(body: str) -> Response:
    return Response(body, media_type=PLAYLIST_TYPE, headers={"Cache-Control": CACHE_CONTROL})


@router.get("/vod/{recording_id}/premiere/master.m3u8")
async def premiere_master(
    recording_id: PathId, request: Request, runtime: Runtime, db: DbSession
) -> Response:
    """The master playlist of a premiere that has started."""
    _, _, carried, folder = await _premiering(request, runtime, db, recording_id)
    try:
        master = (folder / "master.m3u8").read_text()
    except OSError:
        raise NotFound("This recording's files are missing.") from None
    return _playlist(tokens.carry(master, carried) if carried else master)


@router.get("/vod/{recording_id}/premiere/{rendition}/index.m3u8")
async def premiere_rendition(
    recording_id: PathId, rendition: str, request: Request, runtime: Runtime, db: DbSession
) -> Response:
    """A rendition playlist of a premiere as it stands now (see the module's docstring)."""
    recording, now, carried, folder = await _premiering(request, runtime, db, recording_id)
    assert recording.premiere_at is not None  # checked by premiere_window
    if not _RENDITION.match(rendition):
        raise NotFound("No such rendition.")
    try:
        source = _cache.get(folder / rendition / "index.m3u8")
    except (OSError, ValueError):
        raise NotFound("No such rendition.") from None
    body = premiere_playlist(
        source,
        rendition=rendition,
        premiere_at=recording.premiere_at,
        now=now,
    )
    return _playlist(tokens.carry(body, carried) if carried else body)
