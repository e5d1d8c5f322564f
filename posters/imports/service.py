"""Importing posters' abstracts: a file's posters matched to the meeting's by board number.

:func:`read_posters` turns a CSV or XLSX file into rows (``posters.imports.sheet``, in a
worker thread); :func:`apply_poster_import` creates the posters on new boards and updates
those whose row differs, through ``posters.service.write_poster`` so the abstract's HTML
and the search text are derived as for any other edit. All or nothing, in a savepoint of
the caller's session; a dry run makes the same changes and rolls them back, so it reports
exactly what the import would do. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.accounts.models import User
from conference.context import AppContext
from conference.errors import Conflict
from conference.program.interop.plan import ImportRefused, Problem
from conference.program.models import SessionType
from conference.program.published.program import PublishedProgram
from posters import content
from posters.imports.schemas import ImportReport, ImportRow, Outcome
from posters.imports.sheet import PosterRow, PosterSheet, SessionChoice, read_sheet
from posters.models import Poster
from posters.schemas import PosterIn
from posters.service import write_poster
from posters.tiles.grants import tile_grants

# Columns compared one by one to tell an updated poster from an unchanged one.
_PLAIN = ("title", "abstract", "topic", "doi", "state", "session_guid")


def session_choices(program: PublishedProgram | None) -> dict[str, SessionChoice] | None:
    """The published program's sessions a row may name; None when nothing is published."""
    if program is None:
        return None
    return {
        s.guid.lower(): SessionChoice(s.guid, s.title, s.type == SessionType.poster_session)
        for s in program.sessions
    }


async def read_posters(content: bytes, *, program: PublishedProgram | None) -> PosterSheet:
    """The posters of a CSV or XLSX file, read in a worker thread (a workbook of 1,000
    abstracts takes long enough to stall every other request on the event loop)."""
    return await asyncio.to_thread(read_sheet, content, sessions=session_choices(program))


async def apply_poster_import(
    db: AsyncSession, *, meeting_id: int, sheet: PosterSheet, dry_run: bool
) -> ImportReport:
    """Create or update the file's posters by board, all or nothing; the difference.

    Runs in a savepoint of the caller's session (the request's, or the command line's) and
    commits it: a dry run or a refusal rolls back only the savepoint, and the caller's
    objects stay loaded."""
    report = ImportReport(kind="abstracts", dry_run=dry_run, warnings=sheet.warnings)
    try:
        async with db.begin_nested() as savepoint:
            existing = await _existing(db, meeting_id, [r.board for r in sheet.rows])
            accounts = await _accounts(db, [r.presenter_email for r in sheet.rows])
            for row in sheet.rows:
                poster = existing.get(row.board)
                if poster is None:
                    fields = PosterIn.model_validate(row.fields).model_dump(mode="json")
                    poster = Poster(meeting_id=meeting_id, authors=[], keywords=[])
                    db.add(poster)
                    await write_poster(db, poster, fields)
                    outcome, changed = Outcome.added, []
                else:
                    changed = _changed(poster, row, accounts)
                    outcome = Outcome.updated if changed else Outcome.unchanged
                    if changed:
                        await write_poster(db, poster, row.fields)
                report.rows.append(
                    ImportRow(
                        row=row.row,
                        board=row.board,
                        title=poster.title,
                        outcome=outcome,
                        fields=changed,
                    )
                )
            await db.flush()
            if dry_run:
                await savepoint.rollback()
        if not dry_run:
            await db.commit()
    except IntegrityError as exc:
        raise Conflict(
            "The import clashes with a change made meanwhile; nothing was imported. Try again."
        ) from exc
    return report


async def import_abstracts_file(
    db: AsyncSession, *, ctx: AppContext, meeting_id: int, content: bytes, dry_run: bool
) -> ImportReport:
    """The one way the console, the API and the command line import a CSV or XLSX file:
    read against the published program, applied (or a dry run), and, once posters changed,
    this process's grants to their tiles forgotten (a state may have changed who sees one)."""
    if not content:
        raise ImportRefused([Problem("file", "the file is empty")])
    program = await ctx.programs.latest(db, meeting_id=meeting_id)
    sheet = await read_posters(content, program=program)
    report = await apply_poster_import(db, meeting_id=meeting_id, sheet=sheet, dry_run=dry_run)
    if not dry_run and report.change_count:
        tile_grants(ctx).forget_all()
    return report


async def _existing(db: AsyncSession, meeting_id: int, boards: list[str]) -> dict[str, Poster]:
    if not boards:
        return {}
    found = await db.scalars(
        select(Poster)
        .where(Poster.meeting_id == meeting_id, Poster.board.in_(boards))
        .options(selectinload(Poster.authors), selectinload(Poster.keywords))
    )
    return {poster.board: poster for poster in found}


async def _accounts(db: AsyncSession, emails: list[str]) -> dict[str, int]:
    wanted = {email.casefold() for email in emails if email}
    if not wanted:
        return {}
    found = await db.execute(select(User.email, User.id).where(func.lower(User.email).in_(wanted)))
    return {email.casefold(): user_id for email, user_id in found}


def _changed(poster: Poster, row: PosterRow, accounts: dict[str, int]) -> list[str]:
    """The columns of ``row`` whose writing would change ``poster`` (none: unchanged)."""
    fields: dict[str, Any] = row.fields
    changed = [n for n in _PLAIN if n in fields and getattr(poster, n) != fields[n]]
    if "links" in fields and poster.links != fields["links"]:
        changed.append("links")
    if "keywords" in fields:
        labels = [label for _, label in content.clean_keywords(fields["keywords"])]
        if labels != [k.label for k in poster.keywords]:
            changed.append("keywords")
    if "authors" in fields:
        wanted = [
            (
                a["name"],
                a.get("affiliation", ""),
                bool(a.get("presenting")),
                accounts.get(a.get("email", "").casefold()),
            )
            for a in fields["authors"]
        ]
        now = [(a.name, a.affiliation, a.presenting, a.user_id) for a in poster.authors]
        presenter = accounts.get(row.presenter_email.casefold())
        if wanted != now or (presenter is not None and presenter != poster.presenter_id):
            changed.append("authors")
    return [{"session_guid": "session"}.get(n, n) for n in changed]
