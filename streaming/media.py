"""Authorized media delivery: live and on-demand HLS files, and the tokens that open them.

``/streams/<stage>/...`` and ``/vod/<recording>/...`` serve files from MEDIA_DIR to holders
of a media token for that scope (cookie ``media_token`` or ``?token=``; 403 without). The
token is handed out, as an HttpOnly cookie whose Path is the scope, only by the stage
status and recording play endpoints below, which check who is asking; serving a segment
then needs no database, so in production nginx checks the same token itself and serves the
bytes (docs/PRODUCTION.md). The app's routes are the development path and the reference.
A playlist asked for with ``?token=`` lists its URIs with that token (``tokens.carry``;
nginx does the same with sub_filter), for players that keep no cookies. Tokens live
MEDIA_TOKEN_SECONDS (120 s): that is also how long a hidden recording stays open to one.

Caching: playlists are cached briefly (1 s live, 60 s on demand); segments and init
segments for a year as immutable (each broadcast names its own files, and a recording's
folder is its own). Every answer is ``private``: a shared cache that does not
check tokens must not hand token-gated bytes to others (docs/PRODUCTION.md, "CDN").
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any, BinaryIO

import anyio
from fastapi import APIRouter, Response
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.types import Receive, Scope, Send

from conference.accounts.models import Role
from conference.deps import (
    Context,
    CurrentMeeting,
    CurrentUser,
    DbSession,
    PathId,
    viewer,
)
from conference.errors import Forbidden, NotFound
from streaming import tokens
from streaming.deps import Runtime
from streaming.library import service as recordings
from streaming.models import Recording
from streaming.runtime import StreamingRuntime
from streaming.status import StageStatus, stage_by_slug, stage_status

router = APIRouter(tags=["streaming"])

# What may be served, by file name ending, and for how long browsers may keep it.
IMMUTABLE = "private, max-age=31536000, immutable"
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
}
LIVE_PLAYLIST_CACHE = "private, max-age=1"
VOD_PLAYLIST_CACHE = "private, max-age=60"
# Replaceable by organizers (captions, poster) or large and rarely fetched twice (MP4).
MUTABLE_CACHE = "private, max-age=60"
DOWNLOAD = "recording.mp4"
# A rewritten playlist is read whole: a 3-hour recording's is about 250 KB.
MAX_PLAYLIST_BYTES = 4 * 1024 * 1024
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# The internal location nginx names for X-Accel-Redirect (docs/nginx/conference.conf).
_ACCEL_PREFIX = re.compile(r"^/[A-Za-z0-9_-]{1,40}/$")
_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")


class MediaFileResponse(FileResponse):
    """A file sent from a descriptor opened before the answer is made.

    The HLS packager replaces playlists by renaming a new file over the old one; a path
    opened again after its size was taken may be the next version, longer or shorter than
    the Content-Length already sent. Size, ETag and bytes all come from this one open file,
    so every answer is one whole version, for ranges and HEAD alike.
    """

    # Fewer, larger reads: each read is a hop to a worker thread.
    chunk_size = 512 * 1024

    def __init__(self, fd: int, path: Path, info: os.stat_result, **kwargs: Any) -> None:
        super().__init__(path, stat_result=info, **kwargs)
        self._file: BinaryIO | None = os.fdopen(fd, "rb")

    def close(self) -> None:
        """Release the descriptor (also done once the answer is sent)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # "pathsend" would hand the server the path to open again: leave it out.
        extensions = {
            key: value
            for key, value in scope.get("extensions", {}).items()
            if key != "http.response.pathsend"
        }
        try:
            await super().__call__({**scope, "extensions": extensions}, receive, send)
        finally:
            self.close()

    @asynccontextmanager
    async def _open_file(self) -> AsyncIterator[anyio.AsyncFile[bytes]]:
        if self._file is None:
            raise RuntimeError("the file of this response was already sent")
        # Each answer reads it once (a range seeks first); closed by __call__.
        yield anyio.wrap_file(self._file)


def _open_below(base: Path, relative: str) -> tuple[Path, int, os.stat_result]:
    """The path, a read descriptor and the status of the regular file ``relative`` below
    ``base``; 404 if there is none inside it."""
    try:
        root = base.resolve(strict=True)
        target = (root / relative).resolve(strict=True)
        # Resolved, so a symbolic link pointing out of the folder is caught here too.
        if not target.is_relative_to(root):
            raise NotFound("Not found.")
        # O_NOFOLLOW: ``target`` is resolved, so a link put there since is refused.
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise NotFound("Not found.") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotFound("Not found.")
    return target, fd, info


def _safe_relative(path: str) -> str | None:
    """``path`` if it names a plain file below a scope's folder: no ``..``, no absolute or
    hidden parts, no backslashes; None otherwise."""
    if not path or len(path) > 300:
        return None
    parts = path.split("/")
    if len(parts) > 4 or not all(_PART.fullmatch(part) for part in parts):
        return None
    return path


def _cache_control(relative: str, *, live: bool) -> str:
    name = relative.rsplit("/", 1)[-1]
    if name.endswith(".m3u8"):
        return LIVE_PLAYLIST_CACHE if live else VOD_PLAYLIST_CACHE
    # Segment and init names carry the broadcast's id (live) or live in the recording's own
    # folder, so a name never comes back with other bytes.
    if name.endswith(".m4s") or (name.endswith(".mp4") and name != DOWNLOAD):
        return IMMUTABLE
    return MUTABLE_CACHE


async def _serve(
    request: Request, base: Path, relative: str, *, live: bool, carried: str | None
) -> Response:
    """The file ``relative`` below ``base`` (404 if it is not a regular file inside it); a
    playlist with ``carried`` (a verified ``?token=``) added to the URIs it lists."""
    content_type = CONTENT_TYPES.get(os.path.splitext(relative)[1])
    if content_type is None:
        raise NotFound("Not found.")
    target, fd, info = _open_below(base, relative)
    headers = {"Cache-Control": _cache_control(relative, live=live)}
    if relative == DOWNLOAD:
        headers["Content-Disposition"] = 'attachment; filename="recording.mp4"'
    if carried is not None and relative.endswith(".m3u8"):
        return await _playlist_with_token(request, fd, info, carried, headers=headers)
    response = MediaFileResponse(fd, target, info, headers=headers, media_type=content_type)
    etag = response.headers["etag"]
    if etag in (request.headers.get("if-none-match") or "").split(", "):
        response.close()
        return Response(status_code=304, headers={"ETag": etag, **headers})
    return response


async def _playlist_with_token(
    request: Request, fd: int, info: os.stat_result, token: str, *, headers: dict[str, str]
) -> Response:
    """A playlist asked for with ``?token=``: its URIs carry the token on, for players that
    keep no cookies. Read whole from the one descriptor (playlists are small); a single
    byte range of the rewritten text is served as for files (players that fetch playlists
    in ranges get the same answers with and without a query token)."""
    with os.fdopen(fd, "rb") as file:
        if info.st_size > MAX_PLAYLIST_BYTES:
            raise NotFound("Not found.")
        raw = await anyio.to_thread.run_sync(file.read, MAX_PLAYLIST_BYTES + 1)
    try:
        body = tokens.carry(raw.decode(), token).encode()
    except UnicodeDecodeError:
        raise NotFound("Not found.") from None
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
    headers = {
        **headers,
        "ETag": f'"{digest}"',
        "Accept-Ranges": "bytes",
        "Last-Modified": formatdate(info.st_mtime, usegmt=True),
    }
    if headers["ETag"] in (request.headers.get("if-none-match") or "").split(", "):
        return Response(status_code=304, headers=headers)
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if wanted is not None and (if_range is None or if_range == headers["ETag"]):
        span = _byte_range(wanted, len(body))
        if span is None:
            return Response(
                status_code=416, headers={**headers, "Content-Range": f"bytes */{len(body)}"}
            )
        if span != (0, len(body)):
            start, end = span
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{len(body)}"
            return Response(
                body[start:end],
                status_code=206,
                headers=headers,
                media_type=CONTENT_TYPES[".m3u8"],
            )
    # HEAD: the same headers, and the server leaves the body out.
    return Response(body, headers=headers, media_type=CONTENT_TYPES[".m3u8"])


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range ``header`` asks for, as [start, end) within ``size`` bytes; the whole
    body for what is not a single well-formed byte range (RFC 9110 lets a server ignore
    those); None when it lies wholly beyond the end (416)."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return 0, size
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first + last).isascii() or not (first or last):
        return 0, size
    if (first and not first.isdigit()) or (last and not last.isdigit()):
        return 0, size
    if not first:  # the last N bytes
        length = min(int(last), size)
        return (size - length, size) if length else None
    start = int(first)
    if start >= size:
        return None
    end = min(int(last) + 1, size) if last else size
    return (start, end) if end > start else (0, size)


def _authorize(request: Request, runtime: StreamingRuntime, scope: str) -> str | None:
    """Refuse (403) unless the request presents a token for ``scope``; the token if it
    came as ``?token=`` (playlists then carry it on), else None."""
    token, in_query = tokens.presented(request)
    if not tokens.verify(runtime.media_secret, scope, token, now=runtime.clock()):
        raise Forbidden("A valid media token is needed: reload the player.")
    return token if in_query else None


@router.api_route(
    "/streams/{stage_slug}/{path:path}", methods=["GET", "HEAD"], include_in_schema=False
)
async def live_file(request: Request, stage_slug: str, path: str, runtime: Runtime) -> Response:
    """A file of a stage's live output (token for ``streams/<stage>``)."""
    relative = _safe_relative(path)
    if relative is None or not _SLUG.fullmatch(stage_slug):
        raise NotFound("Not found.")
    carried = _authorize(request, runtime, tokens.stage_scope(stage_slug))
    folder = runtime.media_root / "streams" / stage_slug
    return await _serve(request, folder, relative, live=True, carried=carried)


@router.api_route(
    "/vod/{recording_id}/{path:path}", methods=["GET", "HEAD"], include_in_schema=False
)
async def vod_file(
    request: Request, recording_id: PathId, path: str, runtime: Runtime, ctx: Context
) -> Response:
    """A file of a recording (token for ``vod/<id>``); the MP4 only where downloads are
    allowed, checked against the database at each request."""
    relative = _safe_relative(path)
    if relative is None:
        raise NotFound("Not found.")
    carried = _authorize(request, runtime, tokens.recording_scope(recording_id))
    if relative == DOWNLOAD:
        async with ctx.db.session() as db:
            recording = await db.get(Recording, recording_id)
            if recording is None:
                raise NotFound("Not found.")
            if not (recording.allow_download and recording.has_mp4):
                raise Forbidden("This recording may not be downloaded.")
            if not recording.published:
                user = await viewer(request, ctx, db)
                if user is None or not user.has_role(Role.organizer):
                    raise Forbidden("This recording may not be downloaded.")
        accel = request.headers.get("x-media-accel", "")
        if _ACCEL_PREFIX.fullmatch(accel):
            # nginx asked (docs/PRODUCTION.md): it serves the bytes from its internal
            # location, with ranges; the app only decided.
            return Response(
                headers={
                    "X-Accel-Redirect": f"{accel}recordings/{recording_id}/{DOWNLOAD}",
                    "Content-Disposition": 'attachment; filename="recording.mp4"',
                    "Cache-Control": MUTABLE_CACHE,
                },
                media_type=CONTENT_TYPES[".mp4"],
            )
    base = recordings.recording_dir(runtime.media_root, recording_id)
    return await _serve(request, base, relative, live=False, carried=carried)


def grant(response: Response, *, runtime: StreamingRuntime, scope: str) -> datetime:
    """Set the ``media_token`` cookie for ``scope`` on ``response``; its expiry.

    Tokens are short-lived (MEDIA_TOKEN_SECONDS, 120 s by default) because they cannot be
    revoked: nginx checks them without the database, so a recording hidden or deleted stays
    open to a token handed out before for at most that long. Players renew them."""
    ttl = runtime.settings.media_token_seconds
    now = runtime.clock()
    token = tokens.issue(runtime.media_secret, scope, ttl_seconds=ttl, now=now)
    response.set_cookie(
        tokens.COOKIE,
        token,
        max_age=ttl,
        path=f"/{scope}/",
        httponly=True,
        samesite="lax",
        secure=runtime.settings.is_production,
    )
    # Tokens carry whole seconds; the answer says when this one stops working.
    return datetime.fromtimestamp(int(now) + ttl, UTC)


@router.get("/api/v1/streaming/stages/{slug}/status", response_model=StageStatus)
async def stage_status_endpoint(
    slug: str,
    response: Response,
    user: CurrentUser,
    meeting: CurrentMeeting,
    ctx: Context,
    db: DbSession,
    runtime: Runtime,
) -> StageStatus:
    """What the stage shows now, with a media token (cookie) for its live output and, when
    it offers one, for its recording. Players call it again before the token expires."""
    stage = await stage_by_slug(db, meeting_id=meeting.id, slug=slug)
    if stage is None:
        raise NotFound("There is no such stage.")
    payload = await stage_status(ctx, db, stage=stage)
    expires = grant(response, runtime=runtime, scope=tokens.stage_scope(stage.slug))
    if payload["recording"] is not None:
        scope = tokens.recording_scope(payload["recording"]["id"])
        grant(response, runtime=runtime, scope=scope)
    response.headers["Cache-Control"] = "no-store"
    return StageStatus.model_validate({**payload, "token_expires_at": expires})


@router.get("/api/v1/streaming/recordings/{recording_id}/play")
async def play_recording(
    recording_id: PathId,
    response: Response,
    user: CurrentUser,
    meeting: CurrentMeeting,
    ctx: Context,
    db: DbSession,
    runtime: Runtime,
) -> dict[str, Any]:
    """A recording's player data, with a media token (cookie) for it; 404 for attendees
    unless it is published and ready."""
    recording = await recordings.playable(
        db,
        meeting_id=meeting.id,
        recording_id=recording_id,
        user=user,
        owners=ctx.extensions.recording_owners,
    )
    info = await recordings.play_info(db, recording=recording)
    expires = grant(response, runtime=runtime, scope=tokens.recording_scope(recording.id))
    response.headers["Cache-Control"] = "no-store"
    return {**info, "token_expires_at": expires.isoformat()}
