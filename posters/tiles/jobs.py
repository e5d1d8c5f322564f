"""The ``poster_tiles`` job kind: a poster's PDF becomes deep-zoom tiles and a thumbnail.

The core runner (:mod:`conference.jobs.runner`) claims, beats, retries and kills; the child
``python -m posters.tiles.render`` draws the tiles; this module says what the job's outcome means
for the poster. Each job renders into its own folder, named by the job's id
(``MEDIA_DIR/posters/<id>/<job id>/``): the id is the poster's ``render_version`` once it
succeeds, so versions only grow, two renders never share a folder (even two runners working
on one poster at once), and tile URLs change with every render.

A job belongs to one PDF (its SHA-256 is in the payload): when the presenter has uploaded
another PDF meanwhile, the old job's outcome is ignored and its folder removed. A broken,
encrypted or empty PDF fails at once (the child exits with ``EXIT_BAD_INPUT``) with a text
for the presenter in ``render_error``; a crash (a killed worker) is retried up to
``max_attempts``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from conference.jobs.kinds import ClaimedJob, JobKind
from conference.jobs.models import Job, JobState
from conference.settings import Settings
from posters.models import Poster, RenderState
from posters.tiles.files import poster_media, render_folder
from posters.tiles.render import ERROR_MARKER

POSTER_TILES = "poster_tiles"
MAX_RENDER_ERROR = 500


def subject(poster_id: int) -> str:
    """What a render job is about, as the jobs table names it (the channel's name too)."""
    return f"poster:{poster_id}"


def payload(*, poster_id: int, pdf_path: str, pdf_sha256: str) -> dict[str, Any]:
    """A render job's input: the poster, its PDF (under VAR_DIR) and which PDF it is."""
    return {"poster_id": poster_id, "pdf_path": pdf_path, "pdf_sha256": pdf_sha256}


def work_folder(media_root: Path, poster_id: int, job_id: int) -> Path:
    """Where a job writes before renaming into its render folder (hidden: never served)."""
    return poster_media(media_root, poster_id) / f".job-{job_id}"


async def drop_queued(db: AsyncSession, *, poster_id: int) -> None:
    """Forget renders of the poster still waiting (a new PDF replaces theirs); not committed.
    A running one finishes and is ignored: its PDF is no longer the poster's."""
    await db.execute(
        delete(Job).where(
            Job.subject == subject(poster_id),
            Job.kind == POSTER_TILES,
            Job.state == JobState.queued.value,
        )
    )


def render_error(error: str) -> str:
    """The presenter's text from a failed job's error (the child's marked line, if any)."""
    marked = error.rfind(ERROR_MARKER)
    if marked >= 0:
        return error[marked + len(ERROR_MARKER) :].strip()[:MAX_RENDER_ERROR]
    return (
        "The poster could not be rendered; try again or upload the PDF again. "
        f"({error.strip() or 'no reason given'})"
    )[:MAX_RENDER_ERROR]


def _this_pdf(job: ClaimedJob) -> list[Any]:
    """Conditions matching the poster only while its PDF is still the job's."""
    return [
        Poster.id == int(job.payload["poster_id"]),
        Poster.pdf_sha256 == str(job.payload["pdf_sha256"]),
    ]


def tiles_kind(settings: Settings) -> JobKind:
    """The kind main.py registers, for the directories of ``settings``."""
    # Jobs whose render became the poster's, between ``succeeded`` and ``cleanup`` (both
    # run in this process, one after the other, for the job being settled).
    applied: set[int] = set()

    def command(job: ClaimedJob) -> list[str]:
        poster_id = int(job.payload["poster_id"])
        return [
            sys.executable,
            "-m",
            "posters.tiles.render",
            "--pdf",
            str(settings.var_dir / str(job.payload["pdf_path"])),
            "--out",
            str(render_folder(settings.media_root, poster_id, job.id)),
            "--work",
            str(work_folder(settings.media_root, poster_id, job.id)),
        ]

    async def succeeded(db: AsyncSession, job: ClaimedJob, result: dict[str, Any]) -> None:
        found = await db.execute(
            update(Poster)
            .where(*_this_pdf(job))
            .values(
                render_state=RenderState.ready.value,
                render_progress=100.0,
                render_error="",
                render_version=job.id,
                image_width=int(result["width"]),
                image_height=int(result["height"]),
            )
            .execution_options(synchronize_session=False)
        )
        if found.rowcount == 1:  # type: ignore[attr-defined]
            applied.add(job.id)

    def cleanup(job: ClaimedJob, success: bool) -> None:
        """Remove older renders once a new one is the poster's; otherwise this job's own
        (half-written, failed, or of a PDF replaced meanwhile)."""
        poster_id = int(job.payload["poster_id"])
        media = poster_media(settings.media_root, poster_id)
        shutil.rmtree(work_folder(settings.media_root, poster_id, job.id), ignore_errors=True)
        if success and job.id in applied:
            applied.discard(job.id)
            for entry in media.iterdir() if media.is_dir() else ():
                # Only older versions: a newer render may be landing beside this one.
                if entry.name.isdigit() and int(entry.name) < job.id:
                    shutil.rmtree(entry, ignore_errors=True)
        else:
            shutil.rmtree(render_folder(settings.media_root, poster_id, job.id), True)

    return JobKind(
        name=POSTER_TILES,
        label="Poster tiles",
        command=command,
        succeeded=succeeded,
        failed=_render_failed,
        retried=_render_queued,
        progressed=_render_progressed,
        cleanup=cleanup,
        describe=_describe,
        program="poster renderer",
        max_attempts=3,
        # A rendering A0 poster reports after every band, well within a minute.
        stall_seconds=300.0,
    )


def _describe(payload: Mapping[str, Any], _subject: str) -> str:
    return f"Poster #{payload.get('poster_id', '?')}"


async def _render_failed(db: AsyncSession, job: ClaimedJob, error: str) -> None:
    await db.execute(
        update(Poster)
        .where(*_this_pdf(job))
        .values(
            render_state=RenderState.failed.value,
            render_progress=0.0,
            render_error=render_error(error),
        )
        .execution_options(synchronize_session=False)
    )


async def _render_queued(db: AsyncSession, job: ClaimedJob) -> None:
    await db.execute(
        update(Poster)
        .where(*_this_pdf(job))
        .values(render_state=RenderState.queued.value, render_progress=0.0, render_error="")
        .execution_options(synchronize_session=False)
    )


async def _render_progressed(db: AsyncSession, job: ClaimedJob, progress: float) -> None:
    await db.execute(
        update(Poster)
        .where(*_this_pdf(job))
        .where(Poster.render_state.in_([RenderState.queued.value, RenderState.rendering.value]))
        .values(render_state=RenderState.rendering.value, render_progress=progress)
        .execution_options(synchronize_session=False)
    )
