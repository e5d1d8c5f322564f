"""Program interchange: frab/c3voc schedule JSON export and import, CSV import.

``GET /api/v1/program/schedule.json`` is public (it is the published program); the imports
are for organizers and write the draft, which they then review and publish.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from conference.deps import Context, CurrentMeeting, DbSession, Organizer
from conference.errors import NotFound
from conference.program.interop.frab_export import export_schedule
from conference.program.interop.plan import ImportDiff, ImportRefused, Problem
from conference.program.interop.service import apply_import, read_program

router = APIRouter(prefix="/api/v1/program", tags=["program: interchange"])

SCHEDULE_MAX_AGE = 60
DryRun = Annotated[
    bool, Query(description="Only report what the import would change; write nothing.")
]
_REFUSED: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "The file cannot be imported; nothing was changed. ``detail`` names "
        "the first bad path (JSON) or every bad row (CSV), ``errors`` lists them all."
    }
}


@router.get(
    "/schedule.json",
    responses={200: {"content": {"application/json": {}}}, 304: {"description": "Unchanged"}},
)
async def schedule_json(
    request: Request, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """The published program as frab/c3voc schedule JSON (404 until it is published)."""
    program = await ctx.programs.latest(db, meeting_id=meeting.id)
    if program is None:
        raise NotFound("The program has not been published yet.")
    etag = f'"schedule-{meeting.id}-v{program.number}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={SCHEDULE_MAX_AGE}"}
    known = {
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    }
    if etag in known or "*" in known:
        return Response(status_code=304, headers=headers)
    # A published version never changes: its export is encoded once, kept on the view.
    body = program.encoded.get("frab")
    if body is None:
        document = export_schedule(
            program, base_url=ctx.settings.base_url, generator=request.app.version
        )
        body = json.dumps(document, ensure_ascii=False).encode()
        program.encoded["frab"] = body
    return Response(body, media_type="application/json", headers=headers)


def refused(exc: ImportRefused) -> JSONResponse:
    """The 422 answer for a refused import: the usual detail and field, and every problem."""
    body = {
        "detail": exc.detail,
        "code": exc.code,
        "field": exc.field,
        "errors": [p.as_dict() for p in exc.problems],
    }
    return JSONResponse(body, status_code=422)


@router.post(
    "/import",
    response_model=ImportDiff,
    responses=_REFUSED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def import_schedule(
    request: Request,
    _: Organizer,
    db: DbSession,
    meeting: CurrentMeeting,
    dry_run: DryRun = False,
) -> ImportDiff | JSONResponse:
    """Import a frab/c3voc schedule JSON document (ours, pretalx's, frab's) into the draft.

    Idempotent: sessions, talks, stages and people are matched by GUID, so importing the
    same document again changes nothing. One transaction: any problem changes nothing.
    """
    try:
        program = await read_program(await request.body(), kind="json", source=meeting.slug)
        return await apply_import(db, meeting=meeting, program=program, dry_run=dry_run)
    except ImportRefused as exc:
        return refused(exc)


@router.post(
    "/import/csv",
    response_model=ImportDiff,
    responses=_REFUSED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    },
)
async def import_csv(
    request: Request,
    _: Organizer,
    db: DbSession,
    meeting: CurrentMeeting,
    dry_run: DryRun = False,
) -> ImportDiff | JSONResponse:
    """Import sessions and talks from CSV (docs/CSV_IMPORT.md): a text/csv body, or a
    multipart form with the file in ``file``. Every bad row is reported; any changes nothing."""
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            upload = (await request.form()).get("file")
            if upload is None or isinstance(upload, str):
                raise ImportRefused([Problem("file", "attach the CSV file as the field 'file'")])
            content = await upload.read()
        else:
            content = await request.body()
        program = await read_program(content, kind="csv", source=meeting.slug)
        return await apply_import(db, meeting=meeting, program=program, dry_run=dry_run)
    except ImportRefused as exc:
        return refused(exc)
