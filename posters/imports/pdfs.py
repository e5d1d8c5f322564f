"""Posters' PDFs in bulk: a zip whose files are named by board number (``P017.pdf``).

Every member is checked before anything is written: its path stays inside the zip's
folder, its name is a board of the meeting (once), and its content is a PDF. A zip bomb is
refused by counting what is actually decompressed, never trusting the sizes the zip
declares: each member is streamed with a byte cap, a ratio cap and a cap on the whole.
Any problem refuses the whole zip (every problem listed); otherwise each new or changed
PDF is stored through ``posters.tiles.pdfs.save_pdf``, in one transaction. A dry run only scans.
"""

from __future__ import annotations

import asyncio
import hashlib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.context import AppContext
from conference.jobs.kinds import JobKinds
from conference.jobs.models import JobPriority
from conference.program.interop.plan import ImportRefused, Problem
from posters.imports.schemas import ImportReport, ImportRow, Outcome
from posters.models import Poster
from posters.tiles.pdfs import looks_like_pdf, save_pdf

MAX_MEMBERS = 2_000
# One poster's PDF, decompressed (an A0 poster with its figures is rarely over 50 MB).
MAX_PDF_BYTES = 256 * 1_048_576
# Everything decompressed from one zip.
MAX_TOTAL_BYTES = 8 * 1024 * 1_048_576
# PDFs are mostly compressed streams already: a member that inflates more than this many
# times over (once past RATIO_FROM bytes) is a bomb, not a poster.
MAX_RATIO = 50
RATIO_FROM = 1_048_576
CHUNK = 1_048_576
_IGNORED_FOLDERS = ("__MACOSX/",)


@dataclass(frozen=True)
class _Board:
    poster_id: int
    board: str
    title: str
    sha256: str


@dataclass(frozen=True)
class _Entry:
    member: str
    board: _Board
    sha256: str


class _Bomb(Exception):
    pass


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> Iterator[bytes]:
    """The member's bytes in chunks; _Bomb past ``budget`` bytes or the ratio cap."""
    read = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            read += len(chunk)
            if read > budget:
                raise _Bomb(f"unpacks to more than {budget // 1_048_576} MiB")
            if read > RATIO_FROM and read > MAX_RATIO * max(info.compress_size, 1):
                raise _Bomb(f"inflates more than {MAX_RATIO} times: a zip bomb")
            yield chunk


def _name_problem(name: str) -> str | None:
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
        return "the path leads outside the zip's folder"
    return None


def _scan(source: IO[bytes], boards: dict[str, _Board]) -> tuple[list[_Entry], list[str]]:
    """Every PDF of the zip with the poster it goes to, or ImportRefused."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused([Problem("file", "the file is not a zip archive")]) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ImportRefused([Problem("file", f"the zip has over {MAX_MEMBERS} files")])
        by_key = {key.casefold(): board for key, board in boards.items()}
        problems: list[Problem] = []
        warnings: list[str] = []
        entries: list[_Entry] = []
        seen: dict[int, str] = {}
        total = 0
        for info in members:
            name = info.filename
            bad_path = _name_problem(name)
            if bad_path:
                problems.append(Problem(name, bad_path))
                continue
            base = name.rsplit("/", 1)[-1]
            if info.is_dir():
                continue
            if name.startswith(_IGNORED_FOLDERS) or base.startswith("."):
                warnings.append(f"{name} was ignored")
                continue
            if not base.lower().endswith(".pdf") or len(base) == 4:
                problems.append(Problem(name, "name each file by its board, as P017.pdf"))
                continue
            key = base[:-4]
            board = boards.get(key) or by_key.get(key.casefold())
            if board is None:
                problems.append(Problem(name, f"no poster is on board {key}"))
                continue
            if board.poster_id in seen:
                problems.append(
                    Problem(name, f"board {board.board} is also {seen[board.poster_id]}")
                )
                continue
            seen[board.poster_id] = name
            if info.flag_bits & 0x1:
                problems.append(Problem(name, "the file is encrypted"))
                continue
            digest = hashlib.sha256()
            head = b""
            budget = min(MAX_PDF_BYTES, MAX_TOTAL_BYTES - total)
            try:
                for chunk in _stream(archive, info, budget):
                    if len(head) < 1024:
                        head += chunk[: 1024 - len(head)]
                    digest.update(chunk)
                    total += len(chunk)
            except _Bomb as exc:
                problems.append(Problem(name, f"refused: the file {exc}"))
                continue
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
                problems.append(Problem(name, "the file is damaged in the zip"))
                continue
            if not looks_like_pdf(head):
                problems.append(Problem(name, "the file is not a PDF"))
                continue
            entries.append(_Entry(member=name, board=board, sha256=digest.hexdigest()))
    if problems:
        raise ImportRefused(problems)
    if not entries:
        raise ImportRefused([Problem("file", "the zip holds no PDF")])
    return entries, warnings


def _read(source: IO[bytes], member: str) -> bytes:
    """One member, checked already by :func:`_scan`, read whole again (with the same cap)."""
    with zipfile.ZipFile(source) as archive:
        return b"".join(_stream(archive, archive.getinfo(member), MAX_PDF_BYTES))


async def store_pdf(
    db: AsyncSession, *, var_dir: Path, poster: Poster, data: bytes, jobs: JobKinds
) -> None:
    """Keep one imported PDF: the one place the import hands a PDF to the posters' store
    (which queues the rendering of its tiles)."""
    await save_pdf(
        db, var_dir=var_dir, poster=poster, data=data, jobs=jobs, priority=JobPriority.bulk
    )


async def apply_pdf_import(
    db: AsyncSession,
    *,
    meeting_id: int,
    var_dir: Path,
    source: IO[bytes],
    dry_run: bool,
    jobs: JobKinds,
) -> ImportReport:
    """Store the zip's PDFs on their posters and commit ``db`` (ImportRefused: nothing
    stored); the report.

    ``source``: the zip, a seekable binary file. Scanning and reading run in a worker
    thread; PDFs already stored (same SHA-256) are left alone, so a second import of the
    same zip changes nothing."""
    found = await db.execute(
        select(Poster.id, Poster.board, Poster.title, Poster.pdf_sha256).where(
            Poster.meeting_id == meeting_id
        )
    )
    boards = {board: _Board(pid, board, title, sha) for pid, board, title, sha in found}
    entries, warnings = await asyncio.to_thread(_scan, source, boards)
    report = ImportReport(kind="pdfs", dry_run=dry_run, warnings=warnings)
    changed: list[_Entry] = []
    for entry in entries:
        board = entry.board
        if entry.sha256 == board.sha256:
            outcome = Outcome.unchanged
        else:
            outcome = Outcome.updated if board.sha256 else Outcome.added
            changed.append(entry)
        report.rows.append(
            ImportRow(
                file=entry.member,
                board=board.board,
                title=board.title,
                outcome=outcome,
                fields=["pdf"] if outcome == Outcome.updated else [],
            )
        )
    if dry_run or not changed:
        return report
    written: list[Path] = []
    try:
        # A savepoint in the caller's session (the request's, or the command line's): a
        # refusal midway rolls back only the import's rows.
        async with db.begin_nested():
            for entry in changed:
                poster = await db.get(Poster, entry.board.poster_id)
                if poster is None:  # deleted meanwhile: the import is refused whole
                    raise ImportRefused([Problem(entry.member, "the poster was deleted meanwhile")])
                before = poster.pdf_path
                data = await asyncio.to_thread(_read, source, entry.member)
                await store_pdf(db, var_dir=var_dir, poster=poster, data=data, jobs=jobs)
                if poster.pdf_path and poster.pdf_path != before:
                    written.append(var_dir / poster.pdf_path)
        await db.commit()
    except BaseException:
        # Nothing half-written: the rows roll back, and the files they would have named
        # go with them.
        await asyncio.to_thread(_remove, written)
        raise
    return report


async def import_pdf_zip(
    db: AsyncSession, *, ctx: AppContext, meeting_id: int, source: IO[bytes], dry_run: bool
) -> ImportReport:
    """The one way the console, the API and the command line import a zip of PDFs:
    :func:`apply_pdf_import` with the app's settings and job kinds, then the job runner
    woken for the new PDFs' tiles."""
    report = await apply_pdf_import(
        db,
        meeting_id=meeting_id,
        var_dir=ctx.settings.var_dir,
        source=source,
        dry_run=dry_run,
        jobs=ctx.jobs,
    )
    if not dry_run:
        ctx.job_runner.wake()
    return report


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
