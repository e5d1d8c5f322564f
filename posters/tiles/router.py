"""A poster's PDF upload (``PUT /api/v1/posters/<id>/pdf``) and its rendered files.

The upload takes the raw PDF as the body (not a multipart form: the app-wide CSRF check
would parse a form into memory; the poster page sends the file with ``fetch`` and the
``X-CSRF-Token`` header). It is streamed to disk against ``max_poster_pdf_bytes`` (413),
checked by content (422), and only then becomes the poster's, with its render job queued
in the same transaction. A refusal leaves neither a file nor a changed row.

Rendered files are served at ``/posters/<id>/tiles/<version>/`` (``poster.dzi``,
``poster_files/<level>/<column>_<row>.jpg``, ``thumbnail.jpg``) to whoever may see the
poster (404 otherwise, 401 to visitors). The version is in the address, so each file is
cached for a year, privately (access is checked). A viewer zooming fetches dozens of tiles a
second: once a viewer has been let in to a render, further tiles of it are served for a
while without asking the database (the app's ``posters.tiles.grants``), so serving a tile
costs a file read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request, status
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from sqlalchemy import select

from conference.db.types import utcnow
from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, PathId, viewer
from conference.errors import NotFound, Unauthenticated
from conference.limits import MAX_ID
from conference.web.csrf import SESSION_COOKIE
from posters import service
from posters.models import Poster, RenderState
from posters.schemas import PosterOut
from posters.tiles import pdfs
from posters.tiles.files import DZI_NAME, THUMBNAIL_NAME, TILES_FOLDER, render_folder
from posters.tiles.grants import tile_grants

api = APIRouter(prefix="/api/v1/posters", tags=["posters"])
files = APIRouter(include_in_schema=False)

RENDER_PATH = "/posters/{poster_id}/tiles/{version}"
CACHE_CONTROL = "private, max-age=31536000, immutable"
# A Deep Zoom level of a 16k image is at most 15; columns and rows at most 65.
TileNumber = Annotated[int, PathParam(ge=0, le=10_000)]
Version = Annotated[int, PathParam(ge=1, le=MAX_ID)]


@api.put(
    "/{poster_id}/pdf",
    response_model=PosterOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses={413: {"description": "Over max_poster_pdf_bytes"}},
)
async def upload_pdf(
    poster_id: PathId,
    request: Request,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    user: CurrentUser,
) -> PosterOut:
    """Replace the poster's PDF with the body (its presenter until the deadline, or
    organizers); 202 with the poster, its render queued. 413 over the size limit, 422 when
    the body is not a PDF."""
    meeting_id = meeting.id
    before = await service.editable_poster(
        db, meeting_id=meeting_id, poster_id=poster_id, actor=user, now=utcnow()
    )
    # The same bytes uploaded again land on this very file: never removed on a refusal.
    keep = before.pdf_path
    # Hold no database connection while a large body trickles in.
    await db.close()
    var_dir = ctx.settings.var_dir
    received = await pdfs.receive_pdf(
        request.stream(),
        var_dir=var_dir,
        poster_id=poster_id,
        max_bytes=ctx.settings.max_poster_pdf_bytes,
    )
    try:
        # Asked again: the deadline may have passed, or the poster gone, meanwhile.
        poster = await service.editable_poster(
            db, meeting_id=meeting_id, poster_id=poster_id, actor=user, now=utcnow()
        )
        keep = poster.pdf_path
        await pdfs.adopt_pdf(
            db,
            poster=poster,
            relative=received.relative,
            size=received.size,
            digest=received.digest,
            jobs=ctx.jobs,
        )
        await db.commit()
    except BaseException:
        pdfs.discard_pdf(var_dir, received, keep=keep)
        raise
    pdfs.forget_pdf(var_dir, previous=keep, current=poster.pdf_path)
    ctx.job_runner.wake()
    return service.poster_out(poster)


async def _render_path(
    request: Request, ctx: Context, db: DbSession, poster_id: int, version: int
) -> Path:
    """The folder of a render the viewer may see; 401 for visitors, 404 otherwise."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    key = (cookie, poster_id, version)
    grants = tile_grants(ctx)
    if not (cookie and grants.allows(key)):
        user = await viewer(request, ctx, db)
        if user is None:
            raise Unauthenticated("Please sign in.")
        poster = await db.scalar(select(Poster).where(Poster.id == poster_id))
        if (
            poster is None
            or not service.may_see(poster, user)
            or poster.render_state != RenderState.ready
            or poster.render_version != version
        ):
            raise NotFound("There is no poster image at this address.")
        grants.grant(key)
    return render_folder(ctx.settings.media_root, poster_id, version)


def _file(path: Path, media_type: str) -> FileResponse:
    if not path.is_file():
        raise NotFound("There is no poster image at this address.")
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": CACHE_CONTROL})


@files.get(f"{RENDER_PATH}/{DZI_NAME}")
async def dzi(
    poster_id: PathId, version: Version, request: Request, ctx: Context, db: DbSession
) -> FileResponse:
    """The poster's Deep Zoom descriptor."""
    folder = await _render_path(request, ctx, db, poster_id, version)
    return _file(folder / DZI_NAME, "application/xml")


@files.get(f"{RENDER_PATH}/{THUMBNAIL_NAME}")
async def thumbnail(
    poster_id: PathId, version: Version, request: Request, ctx: Context, db: DbSession
) -> FileResponse:
    """The poster's picture for the gallery."""
    folder = await _render_path(request, ctx, db, poster_id, version)
    return _file(folder / THUMBNAIL_NAME, "image/jpeg")


@files.get(f"{RENDER_PATH}/{TILES_FOLDER}/{{level:int}}/{{column:int}}_{{row:int}}.jpg")
async def tile(
    poster_id: PathId,
    version: Version,
    level: TileNumber,
    column: TileNumber,
    row: TileNumber,
    request: Request,
    ctx: Context,
    db: DbSession,
) -> FileResponse:
    """One deep-zoom tile (the path's parts match digits only, so no path leaves the
    folder; anything else is no route: 404)."""
    folder = await _render_path(request, ctx, db, poster_id, version)
    return _file(folder / TILES_FOLDER / str(level) / f"{column}_{row}.jpg", "image/jpeg")
