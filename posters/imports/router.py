"""JSON API of poster imports (organizers): abstracts from CSV/XLSX, PDFs from a zip.

Both take the file as the request body or as the field ``file`` of a multipart form, and
only report what they would change unless ``apply=true``. A refused file answers 422 with
every problem in ``errors``; nothing is written then.
"""

from __future__ import annotations

import asyncio
import tempfile
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from conference.deps import Context, CurrentMeeting, DbSession, Organizer
from conference.program.interop.plan import ImportRefused, Problem
from conference.program.interop.router import refused
from posters.imports.pdfs import import_pdf_zip
from posters.imports.schemas import ImportReport
from posters.imports.service import import_abstracts_file

router = APIRouter(prefix="/api/v1/posters", tags=["posters: import"])

Apply = Annotated[
    bool, Query(description="Write the changes; without it, only report what would change.")
]
_REFUSED: dict[int | str, dict[str, Any]] = {
    413: {"description": "The file is over the configured size limit."},
    422: {"description": "The file cannot be imported; nothing was changed (see ``errors``)."},
}
_SPOOL_BYTES = 1_048_576


def _body(content_type: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    }


def _is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("multipart/form-data")


async def _form_file(request: Request) -> UploadFile:
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        raise ImportRefused([Problem("file", "attach the file as the form field 'file'")])
    return upload


@router.post(
    "/import",
    response_model=ImportReport,
    responses=_REFUSED,
    openapi_extra=_body("text/csv"),
)
async def import_posters(
    request: Request,
    _: Organizer,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    apply: Apply = False,
) -> ImportReport | JSONResponse:
    """Create or update posters by board from a CSV or XLSX file (docs/POSTER_IMPORT.md).

    Idempotent: importing the same file again reports every poster unchanged."""
    try:
        if _is_multipart(request):
            content = await (await _form_file(request)).read()
        else:
            content = await request.body()
        return await import_abstracts_file(
            db, ctx=ctx, meeting_id=meeting.id, content=content, dry_run=not apply
        )
    except ImportRefused as exc:
        return refused(exc)


@router.post(
    "/import-pdfs",
    response_model=ImportReport,
    responses=_REFUSED,
    openapi_extra=_body("application/zip"),
)
async def import_pdfs(
    request: Request,
    _: Organizer,
    ctx: Context,
    db: DbSession,
    meeting: CurrentMeeting,
    apply: Apply = False,
) -> ImportReport | JSONResponse:
    """Store posters' PDFs from a zip whose files are named by board (``P017.pdf``)."""
    try:
        if _is_multipart(request):
            upload = await _form_file(request)
            return await import_pdf_zip(
                db, ctx=ctx, meeting_id=meeting.id, source=upload.file, dry_run=not apply
            )
        # Kept on disk (in the var directory: /tmp may be memory), written a MiB at a time
        # from a worker thread: a zip of hundreds of posters is never held in memory.
        directory = ctx.settings.var_dir / "imports"
        await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory) as spool:
            pending: list[bytes] = []
            size = 0
            async for chunk in request.stream():
                pending.append(chunk)
                size += len(chunk)
                if size >= _SPOOL_BYTES:
                    await asyncio.to_thread(spool.write, b"".join(pending))
                    pending, size = [], 0
            await asyncio.to_thread(spool.write, b"".join(pending))
            spool.seek(0)
            return await import_pdf_zip(
                db, ctx=ctx, meeting_id=meeting.id, source=spool, dry_run=not apply
            )
    except ImportRefused as exc:
        return refused(exc)
