"""A previewed import file kept for its "Apply" on the console (as the program import does).

The file waits under ``VAR_DIR/imports/posters/`` with a random token bound to the
organizer who previewed it, so "Apply" imports exactly what was previewed without sending
it again (a zip of PDFs may be a few GB). Files older than a few hours are dropped.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import shutil
import time as clock
from pathlib import Path
from typing import IO, Literal

Kind = Literal["sheet", "zip"]
KEEP_SECONDS = 6 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _directory(var_dir: Path) -> Path:
    return var_dir / "imports" / "posters"


def _stage(var_dir: Path, user_id: int, kind: Kind, source: IO[bytes]) -> str:
    directory = _directory(var_dir)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        if old.stat().st_mtime < clock.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    source.seek(0)
    with (directory / f"{user_id}-{kind}-{token}").open("xb") as out:
        shutil.copyfileobj(source, out)
    return token


async def stage(var_dir: Path, *, user_id: int, kind: Kind, source: IO[bytes]) -> str:
    """Keep ``source`` for its "Apply"; the token that names it."""
    return await asyncio.to_thread(_stage, var_dir, user_id, kind, source)


def staged(var_dir: Path, *, user_id: int, kind: Kind, token: str) -> Path | None:
    """The file ``user_id`` previewed under ``token``; None if it has gone (expired,
    applied) or the token is not one of ours."""
    if not _TOKEN.match(token):
        return None
    path = _directory(var_dir) / f"{user_id}-{kind}-{token}"
    return path if path.is_file() else None


async def drop(path: Path) -> None:
    """Remove a previewed file once it is imported."""
    await asyncio.to_thread(path.unlink, missing_ok=True)
