"""A poster's PDF on disk: checked by content, written atomically, one file per version.

The PDF lives at ``VAR_DIR/posters/<poster id>/<sha256 prefix>.pdf``: a new PDF is a new
file, so a render job reading the old one is never handed half of the new one. Keeping a
PDF queues its render job in the same transaction (:mod:`posters.tiles.jobs`).

Uploads are checked by content only here (``%PDF-`` in the first KiB); whether PDFium can
read the file is found out by the render job in its own process, so a malicious or broken
PDF never runs the PDF parser inside the web process, and a damaged or encrypted PDF
leaves a clear error on its poster.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from conference.errors import InvalidInput
from conference.files import write_atomically
from conference.jobs.kinds import JobKinds
from conference.jobs.models import Job, JobPriority
from conference.jobs.service import enqueue
from conference.web.limits import BodyTooLarge
from posters.models import Poster, RenderState
from posters.tiles import jobs as render_jobs
from posters.tiles.files import poster_media

# Every PDF starts with this within its first 1,024 bytes (ISO 32000-1, 7.5.2).
PDF_MAGIC = b"%PDF-"
HEAD_BYTES = 1024
# Uploads are written in pieces this large, each in a worker thread.
WRITE_BUFFER_BYTES = 1 << 20


def posters_root(var_dir: Path) -> Path:
    """Where posters' files live."""
    return var_dir / "posters"


def looks_like_pdf(data: bytes) -> bool:
    """True if ``data`` starts like a PDF file (readers accept the header up to 1 KiB in)."""
    return PDF_MAGIC in data[:1024]


def pdf_relative(poster_id: int, digest: str) -> Path:
    """Where a poster's PDF of this SHA-256 is kept, relative to VAR_DIR."""
    return Path("posters") / str(poster_id) / f"{digest[:16]}.pdf"


async def save_pdf(
    db: AsyncSession,
    *,
    var_dir: Path,
    poster: Poster,
    data: bytes,
    jobs: JobKinds,
    priority: JobPriority = JobPriority.normal,
) -> Job:
    """Keep ``data`` as the poster's PDF and queue its render (``poster_tiles``) in the same
    transaction; flushed, not committed. Commit, then wake the runner
    (``ctx.job_runner.wake()``). ``jobs`` is the app's registry (``ctx.jobs``); imports
    queue with ``JobPriority.bulk`` so a presenter's own upload is rendered first.

    InvalidInput (422) when the bytes are not a PDF; nothing is written then."""
    if not looks_like_pdf(data):
        raise InvalidInput("The file is not a PDF.", field="pdf")
    digest = hashlib.sha256(data).hexdigest()
    relative = pdf_relative(poster.id, digest)
    await asyncio.to_thread(write_atomically, var_dir / relative, data)
    return await adopt_pdf(
        db,
        poster=poster,
        relative=relative,
        size=len(data),
        digest=digest,
        jobs=jobs,
        priority=priority,
    )


async def adopt_pdf(
    db: AsyncSession,
    *,
    poster: Poster,
    relative: Path,
    size: int,
    digest: str,
    jobs: JobKinds,
    priority: JobPriority = JobPriority.normal,
) -> Job:
    """Make a PDF already on disk the poster's and queue its render (not committed)."""
    poster.pdf_path = relative.as_posix()
    poster.pdf_bytes = size
    poster.pdf_sha256 = digest
    poster.render_state = RenderState.queued
    poster.render_progress = 0.0
    poster.render_error = ""
    await render_jobs.drop_queued(db, poster_id=poster.id)
    job = await enqueue(
        db,
        kind=jobs.get(render_jobs.POSTER_TILES),
        payload=render_jobs.payload(
            poster_id=poster.id, pdf_path=poster.pdf_path, pdf_sha256=digest
        ),
        subject=render_jobs.subject(poster.id),
        priority=priority,
    )
    await db.flush()
    return job


@dataclass(frozen=True)
class ReceivedPdf:
    """An uploaded PDF on disk under its final name, not yet the poster's."""

    relative: Path
    size: int
    digest: str


async def receive_pdf(
    chunks: AsyncIterator[bytes], *, var_dir: Path, poster_id: int, max_bytes: int
) -> ReceivedPdf:
    """Stream an upload to disk, hashing it: over ``max_bytes`` → 413, not a PDF → 422, and
    on any refusal or error (a client gone mid-way) nothing is left behind."""
    folder = posters_root(var_dir) / str(poster_id)
    folder.mkdir(parents=True, exist_ok=True)
    # Hidden and unique: never mistaken for a poster's PDF, never shared by two uploads.
    part = folder / f".upload-{uuid.uuid4().hex}.part"
    hasher = hashlib.sha256()
    head = b""
    size = 0
    try:
        with part.open("xb") as handle:
            pending: list[bytes] = []
            pending_bytes = 0
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise BodyTooLarge(max_bytes)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                hasher.update(chunk)
                pending.append(chunk)
                pending_bytes += len(chunk)
                if pending_bytes >= WRITE_BUFFER_BYTES:
                    await asyncio.to_thread(handle.write, b"".join(pending))
                    pending, pending_bytes = [], 0
            await asyncio.to_thread(handle.write, b"".join(pending))
        if not looks_like_pdf(head):
            raise InvalidInput("The file is not a PDF.", field="pdf")
        digest = hasher.hexdigest()
        relative = pdf_relative(poster_id, digest)
        part.replace(var_dir / relative)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return ReceivedPdf(relative, size, digest)


def discard_pdf(var_dir: Path, received: ReceivedPdf, *, keep: str) -> None:
    """Remove a received PDF that did not become the poster's (unless it is the file the
    poster already had: the same bytes uploaded again)."""
    if received.relative.as_posix() != keep:
        (var_dir / received.relative).unlink(missing_ok=True)


def forget_pdf(var_dir: Path, *, previous: str, current: str) -> None:
    """Remove the poster's previous PDF once another is committed in its place (a render of
    it still running keeps reading it: an open file outlives its name)."""
    if previous and previous != current:
        (var_dir / previous).unlink(missing_ok=True)


def remove_poster_files(*, var_dir: Path, media_root: Path, poster_id: int) -> None:
    """Remove a deleted poster's files: its PDFs (``VAR_DIR/posters/<id>/``) and its renders
    (``MEDIA_DIR/posters/<id>/``). Call once the deletion is committed. A render still
    running for it removes its own folder when it ends (its poster is gone: never applied)."""
    shutil.rmtree(posters_root(var_dir) / str(poster_id), ignore_errors=True)
    shutil.rmtree(poster_media(media_root, poster_id), ignore_errors=True)
