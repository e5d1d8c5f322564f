"""The organizers' "Posters" console section: the meeting's posters, and their imports.

``/console/posters`` lists every poster (board, title, presenting author, state, PDF and
its rendering). ``/console/posters/import`` takes a CSV/XLSX of abstracts or a zip of PDFs:
an upload is previewed (a dry run, every problem listed), kept for a few hours, and
imported as previewed by "Apply" (``posters.imports.staging``), as the program import does.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import IO, Any, Protocol

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from starlette.datastructures import FormData, UploadFile

from conference.accounts.models import User
from conference.console.web import ConsoleRoute, ConsoleUser, render
from conference.context import AppContext
from conference.deps import Context, CurrentMeeting, DbSession
from conference.errors import ServiceError
from conference.extensions import ConsoleSection
from conference.program.interop.plan import ImportRefused
from conference.program.models import Meeting
from posters.imports import staging as import_staging
from posters.imports.pdfs import import_pdf_zip
from posters.imports.schemas import ImportReport
from posters.imports.service import import_abstracts_file
from posters.imports.sheet import COLUMNS
from posters.models import POSTER_STATE_LABELS, Poster, PosterState

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PAGE = "/console/posters"
IMPORT_PAGE = PAGE + "/import"
# The console's menu entry (main.py adds it), after Tracks.
CONSOLE_SECTION = ConsoleSection("posters", "Posters", PAGE, order=450)
EXPIRED = "That preview has expired or was already imported. Upload the file again."


@router.get(PAGE, name="console_posters")
async def posters_page(
    request: Request, user: ConsoleUser, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Every poster of the meeting by board, with its state and its PDF's rendering."""
    found = await db.scalars(
        select(Poster)
        .where(Poster.meeting_id == meeting.id)
        .options(selectinload(Poster.authors))
        .order_by(Poster.board_order, Poster.board)
    )
    context = {"posters": list(found), "state_labels": POSTER_STATE_LABELS, "states": PosterState}
    return render(
        request, "posters/console.html", context, user=user, meeting=meeting, section="posters"
    )


def _import_page(
    request: Request,
    user: User,
    meeting: Meeting,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    values: dict[str, Any] = {
        "columns": COLUMNS,
        "report": None,
        "problems": [],
        "error": None,
        "filename": "",
        "upload": "",
        **(context or {}),
    }
    return render(
        request,
        "posters/console_import.html",
        values,
        user=user,
        meeting=meeting,
        section="posters",
        status_code=status_code,
    )


@router.get(IMPORT_PAGE, name="console_posters_import")
async def import_page(request: Request, user: ConsoleUser, meeting: CurrentMeeting) -> Response:
    """The two upload forms: abstracts (CSV/XLSX) and PDFs (zip)."""
    return _import_page(request, user, meeting)


def _upload(form: FormData) -> UploadFile | None:
    upload = form.get("file")
    return upload if isinstance(upload, UploadFile) and upload.filename else None


async def _sheet(
    ctx: AppContext, db: AsyncSession, meeting: Meeting, source: IO[bytes], *, dry_run: bool
) -> ImportReport:
    content = await asyncio.to_thread(source.read)
    return await import_abstracts_file(
        db, ctx=ctx, meeting_id=meeting.id, content=content, dry_run=dry_run
    )


async def _zip(
    ctx: AppContext, db: AsyncSession, meeting: Meeting, source: IO[bytes], *, dry_run: bool
) -> ImportReport:
    return await import_pdf_zip(db, ctx=ctx, meeting_id=meeting.id, source=source, dry_run=dry_run)


class _Run(Protocol):
    async def __call__(
        self,
        ctx: AppContext,
        db: AsyncSession,
        meeting: Meeting,
        source: IO[bytes],
        *,
        dry_run: bool,
    ) -> ImportReport: ...


@dataclass(frozen=True)
class ImportFlow:
    """What differs between the two imports; the preview → staged file → apply flow is one."""

    staged_as: import_staging.Kind
    missing: str
    run: _Run


SHEET = ImportFlow("sheet", "Choose a CSV or XLSX file of posters.", _sheet)
PDFS = ImportFlow("zip", "Choose a zip file of PDFs.", _zip)


async def _submit(
    kind: ImportFlow,
    request: Request,
    user: User,
    ctx: AppContext,
    db: AsyncSession,
    meeting: Meeting,
) -> Response:
    """Preview an uploaded file (action ``preview``) and keep it, or apply a kept one."""
    form = await request.form()
    var_dir = ctx.settings.var_dir
    name = str(form.get("filename", ""))
    token = ""
    try:
        if form.get("action") == "apply":
            path = import_staging.staged(
                var_dir, user_id=user.id, kind=kind.staged_as, token=str(form.get("upload", ""))
            )
            if path is None:
                return _import_page(request, user, meeting, {"error": EXPIRED}, status_code=422)
            with path.open("rb") as source:
                report = await kind.run(ctx, db, meeting, source, dry_run=False)
            await import_staging.drop(path)
        else:
            upload = _upload(form)
            if upload is None:
                error = kind.missing
                return _import_page(request, user, meeting, {"error": error}, status_code=422)
            name = upload.filename or ""
            report = await kind.run(ctx, db, meeting, upload.file, dry_run=True)
            if report.change_count:
                token = await import_staging.stage(
                    var_dir, user_id=user.id, kind=kind.staged_as, source=upload.file
                )
    except ImportRefused as exc:
        refusal = {"problems": exc.problems, "filename": name}
        return _import_page(request, user, meeting, refusal, status_code=422)
    except ServiceError as exc:
        return _import_page(
            request, user, meeting, {"error": exc.detail}, status_code=exc.status_code
        )
    context = {"report": report, "filename": name, "upload": token}
    return _import_page(request, user, meeting, context)


@router.post(IMPORT_PAGE)
async def import_sheet(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Preview a CSV/XLSX of abstracts (action ``preview``) or apply a previewed one."""
    return await _submit(SHEET, request, user, ctx, db, meeting)


@router.post(IMPORT_PAGE + "-pdfs")
async def import_pdfs(
    request: Request, user: ConsoleUser, ctx: Context, db: DbSession, meeting: CurrentMeeting
) -> Response:
    """Preview a zip of PDFs named by board (action ``preview``) or apply a previewed one."""
    return await _submit(PDFS, request, user, ctx, db, meeting)
