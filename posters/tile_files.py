"""Serving a poster's deep-zoom files: ``/posters/<id>/tiles/<version>/<file>``.

Only to whoever may see the poster (``service.visible_poster``), only the files a render
writes (``posters.tiles``: the descriptor, the thumbnail, ``poster_files/<level>/<col>_<row>``
tiles), only for the poster's current render. The version is in the address, so the
answer may be cached for a year (privately: posters are for signed-in attendees).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from conference.deps import Context, CurrentMeeting, CurrentUser, DbSession, PathId
from conference.errors import NotFound
from conference.limits import MAX_ID
from posters import service, tiles
from posters.models import RenderState

router = APIRouter(include_in_schema=False)

_FILE = re.compile(
    rf"({re.escape(tiles.DZI_NAME)}|{re.escape(tiles.THUMBNAIL_NAME)}"
    rf"|{re.escape(tiles.TILES_FOLDER)}/\d{{1,2}}/\d{{1,6}}_\d{{1,6}}\.(jpg|jpeg|png|webp))"
)
MEDIA_TYPES = {
    "dzi": "application/xml",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


@router.get("/posters/{poster_id}/tiles/{version}/{name:path}", name="poster_tile")
async def tile_file(
    poster_id: PathId,
    version: Annotated[int, Path(ge=1, le=MAX_ID)],
    name: Annotated[str, Path(max_length=80)],
    ctx: Context,
    db: DbSession,
    user: CurrentUser,
    meeting: CurrentMeeting,
) -> FileResponse:
    """One file of the poster's current render; 404 for anything else."""
    if not _FILE.fullmatch(name):
        raise NotFound("There is no such file.")
    poster = await service.visible_poster(
        db, meeting_id=meeting.id, poster_id=poster_id, viewer=user
    )
    if poster.render_state != RenderState.ready or poster.render_version != version:
        raise NotFound("There is no such file.")
    path = tiles.render_folder(ctx.settings.media_root, poster.id, version) / name
    if not path.is_file():
        raise NotFound("There is no such file.")
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[name.rsplit(".", 1)[-1]],
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )
