"""Writing a file so that readers see the old one or the new one, never a part of either.

Playlists are read by players while they are rewritten, captions and posters are served
while they are replaced, and a crash mid-write must not leave a truncated file behind:
every such write goes through :func:`write_atomically`. The bytes go to a hidden temporary
file beside the target (same folder, so the same file system), are flushed to disk, and
the temporary is renamed over the target, which POSIX and Windows do atomically. Hidden:
the media server never serves a dot-file, so a half-written temporary is never seen.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8), creating its folder if
    need be. Blocking: call it in a worker thread from async code."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per write: two writers of one file never share a temporary.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    content = data.encode() if isinstance(data, str) else data
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            # On disk before the rename: after a power cut the name holds the old
            # content or the new, not an empty file.
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
