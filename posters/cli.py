"""``conference posters``: importing posters' abstracts and PDFs from the command line.

The same imports as the console and the API (docs/POSTER_IMPORT.md), into the current
meeting: a dry run unless ``--apply`` is given. ``conference.main.cli_groups`` builds this
group with the one way the command line opens the app's context (settings, database).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.context import AppContext
from conference.errors import ServiceError
from conference.program.interop.plan import ImportRefused
from conference.program.models import Meeting
from conference.program.service import current_meeting
from posters.imports.pdfs import import_pdf_zip
from posters.imports.service import import_abstracts_file

OpenContext = Callable[[], AbstractAsyncContextManager[AppContext]]
T = TypeVar("T")

ApplyOption = Annotated[
    bool, typer.Option("--apply", help="Write the changes (without it: only show them).")
]


def build_app(open_context: OpenContext) -> typer.Typer:
    """The ``posters`` command group; ``open_context`` yields a migrated app context."""
    app = typer.Typer(help="Import posters' abstracts and PDFs.", no_args_is_help=True)

    def run(work: Callable[[AppContext, AsyncSession, Meeting], Awaitable[list[str]]]) -> None:
        async def main() -> list[str]:
            async with open_context() as ctx, ctx.db.session() as db:
                meeting = await current_meeting(db)
                if meeting is None:
                    raise ServiceError("No meeting has been set up yet (see `conference demo`).")
                return await work(ctx, db, meeting)

        try:
            lines = asyncio.run(main())
        except ImportRefused as exc:
            typer.secho("Nothing was imported:", fg="red", err=True)
            for problem in exc.problems:
                typer.secho(f"  {problem}", fg="red", err=True)
            raise typer.Exit(1) from exc
        except ServiceError as exc:
            typer.secho(exc.detail, fg="red", err=True)
            raise typer.Exit(1) from exc
        except (OSError, SQLAlchemyError) as exc:
            typer.secho(f"Import failed: {exc}", fg="red", err=True)
            raise typer.Exit(1) from exc
        for line in lines:
            typer.echo(line)

    @app.command("import")
    def import_abstracts(
        file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file of posters.")],
        apply: ApplyOption = False,
    ) -> None:
        """Create or update posters by board from a CSV or XLSX file."""

        async def work(ctx: AppContext, db: AsyncSession, meeting: Meeting) -> list[str]:
            _check_size(file, ctx.settings.max_import_bytes)
            content = await asyncio.to_thread(file.read_bytes)
            report = await import_abstracts_file(
                db, ctx=ctx, meeting_id=meeting.id, content=content, dry_run=not apply
            )
            return report.lines()

        run(work)

    @app.command("import-pdfs")
    def import_pdfs(
        file: Annotated[Path, typer.Argument(help="A .zip of PDFs named by board (P017.pdf).")],
        apply: ApplyOption = False,
    ) -> None:
        """Store posters' PDFs from a zip whose files are named by board number."""

        async def work(ctx: AppContext, db: AsyncSession, meeting: Meeting) -> list[str]:
            _check_size(file, ctx.settings.max_poster_zip_bytes)
            with file.open("rb") as source:
                report = await import_pdf_zip(
                    db, ctx=ctx, meeting_id=meeting.id, source=source, dry_run=not apply
                )
            return report.lines()

        run(work)

    return app


def _check_size(path: Path, limit: int) -> None:
    """The same size limit as an upload of the file (the setting names it)."""
    if path.stat().st_size > limit:
        raise ServiceError(f"{path} is over the limit of {limit} bytes.")
