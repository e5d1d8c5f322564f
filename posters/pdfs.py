"""A poster's PDF on disk: checked by content, written atomically, one file per version.

The PDF lives at ``VAR_DIR/posters/<poster id>/<sha256 prefix>.pdf``: a new PDF is a new
file, so a render job reading the old one is never handed half of the new one.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from conference.errors import InvalidInput
from conference.files import write_atomically
from posters.models import Poster, RenderState

# Every PDF starts with this within its first 1,024 bytes (ISO 32000-1, 7.5.2).
PDF_MAGIC = b"%PDF-"


def posters_root(var_dir: Path) -> Path:
    """Where posters' files live."""
    return var_dir / "posters"


def looks_like_pdf(data: bytes) -> bool:
    """True if ``data`` starts like a PDF file (readers accept the header up to 1 KiB in)."""
    return PDF_MAGIC in data[:1024]


async def save_pdf(db: AsyncSession, *, var_dir: Path, poster: Poster, data: bytes) -> None:
    """Keep ``data`` as the poster's PDF and mark its tiles as to be rendered again.

    InvalidInput (422) when the bytes are not a PDF; nothing is written then."""
    if not looks_like_pdf(data):
        raise InvalidInput("The file is not a PDF.", field="pdf")
    digest = hashlib.sha256(data).hexdigest()
    relative = Path("posters") / str(poster.id) / f"{digest[:16]}.pdf"
    await asyncio.to_thread(write_atomically, var_dir / relative, data)
    poster.pdf_path = relative.as_posix()
    poster.pdf_bytes = len(data)
    poster.pdf_sha256 = digest
    poster.render_state = RenderState.queued
    poster.render_progress = 0.0
    poster.render_error = ""
    await db.flush()
