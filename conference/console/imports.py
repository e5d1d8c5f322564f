"""Organizer console page for importing a program (frab/pretalx JSON, CSV).

Upload a file and see what it would change (a dry run) or every problem in it; then
apply. The previewed file waits in the var directory under a random name bound to the
organizer, so "Apply" imports exactly what was previewed without sending it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from conference.accounts.models import User
from conference.console import service
from conference.console.web import ConsoleRoute, ConsoleUser, render
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.program.interop.csv_import import COLUMNS
from conference.program.interop.plan import ImportRefused
from conference.program.interop.service import ImportKind, apply_import, read_program
from conference.program.models import Meeting

router = APIRouter(prefix="/console/import", route_class=ConsoleRoute, include_in_schema=False)


def _page(
    request: Request,
    user: User,
    meeting: Meeting,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    values = {"columns": COLUMNS, "diff": None, "problems": [], "error": None, **context}
    return render(
        request,
        "console/import.html",
        values,
        user=user,
        meeting=meeting,
        section="import",
        status_code=status_code,
    )


@router.get("", name="console_import")
async def import_page(request: Request, user: ConsoleUser, meeting: CurrentMeeting) -> Response:
    """The upload form."""
    return _page(request, user, meeting, {})


@router.post("")
async def import_submit(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Preview an uploaded file (action ``preview``) or apply a previewed one (``apply``)."""
    form = await request.form()
    directory = ctx.settings.var_dir / "imports"
    token, staged_path = "", None
    if form.get("action") == "apply":
        staged = await service.staged_import(
            directory, user=user, token=str(form.get("upload", ""))
        )
        if staged is None:
            error = "That preview has expired or was already imported. Upload the file again."
            return _page(request, user, meeting, {"error": error}, status_code=422)
        staged_path, content = staged
        name, suffix, dry_run = str(form.get("filename", "")), staged_path.suffix, False
    else:
        upload = form.get("file")
        name = (upload.filename or "") if isinstance(upload, UploadFile) else ""
        suffix = Path(name).suffix.lower()
        if not isinstance(upload, UploadFile) or suffix not in service.IMPORT_SUFFIXES:
            error = "Choose a schedule file ending in .json or .csv."
            return _page(request, user, meeting, {"error": error}, status_code=422)
        content, dry_run = await upload.read(), True
    try:
        kind: ImportKind = "csv" if suffix == ".csv" else "json"
        program = await read_program(content, kind=kind, source=meeting.slug)
        diff = await apply_import(db, meeting=meeting, program=program, dry_run=dry_run)
    except ImportRefused as exc:
        refusal: dict[str, Any] = {"problems": exc.problems, "filename": name}
        return _page(request, user, meeting, refusal, status_code=422)
    except ServiceError as exc:
        return _page(request, user, meeting, {"error": exc.detail}, status_code=exc.status_code)
    if dry_run and diff.change_count:
        token = await service.stage_import(directory, user=user, suffix=suffix, content=content)
    elif staged_path is not None:
        await service.drop_staged(staged_path)
    context: dict[str, Any] = {"diff": diff, "filename": name, "upload": token}
    return _page(request, user, meeting, context)
