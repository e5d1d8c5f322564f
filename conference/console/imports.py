"""Organizer console page for importing a program (frab/pretalx JSON, CSV).

Upload a file and see what it would change (a dry run) or every problem in it; then
apply. The previewed file waits in the var directory under a random name bound to the
organizer, so "Apply" imports exactly what was previewed without sending it again.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from conference.accounts.models import User
from conference.console.web import ConsoleRoute, ConsoleUser, render
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.program.interop.csv_import import COLUMNS
from conference.program.interop.plan import ImportRefused
from conference.program.interop.service import ImportKind, apply_import, read_program
from conference.program.models import Meeting

router = APIRouter(prefix="/console/import", route_class=ConsoleRoute, include_in_schema=False)

KINDS = (".json", ".csv")
KEEP_SECONDS = 6 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


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


def _staging(ctx: Context) -> Path:
    return ctx.settings.var_dir / "imports"


def _stage(directory: Path, user: User, suffix: str, content: bytes) -> str:
    """Keep a previewed file for its "Apply"; files older than a few hours are dropped."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (directory / f"{user.id}-{token}{suffix}").write_bytes(content)
    return token


def _staged(directory: Path, user: User, token: str) -> tuple[Path, bytes] | None:
    if not _TOKEN.match(token):
        return None
    for suffix in KINDS:
        path = directory / f"{user.id}-{token}{suffix}"
        if path.is_file():
            return path, path.read_bytes()
    return None


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
    directory = _staging(ctx)
    token, staged_path = "", None
    if form.get("action") == "apply":
        staged = await asyncio.to_thread(_staged, directory, user, str(form.get("upload", "")))
        if staged is None:
            error = "That preview has expired or was already imported. Upload the file again."
            return _page(request, user, meeting, {"error": error}, status_code=422)
        staged_path, content = staged
        name, suffix, dry_run = str(form.get("filename", "")), staged_path.suffix, False
    else:
        upload = form.get("file")
        name = (upload.filename or "") if isinstance(upload, UploadFile) else ""
        suffix = Path(name).suffix.lower()
        if not isinstance(upload, UploadFile) or suffix not in KINDS:
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
        token = await asyncio.to_thread(_stage, directory, user, suffix, content)
    elif staged_path is not None:
        await asyncio.to_thread(staged_path.unlink, missing_ok=True)
    context: dict[str, Any] = {"diff": diff, "filename": name, "upload": token}
    return _page(request, user, meeting, context)
