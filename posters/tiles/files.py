"""Where a poster's deep-zoom tiles and thumbnail live, and their addresses.

A render writes ``MEDIA_DIR/posters/<id>/<render version>/``: ``poster.dzi`` (the Deep
Zoom descriptor), ``poster_files/<level>/<column>_<row>.jpg`` (the tiles) and
``thumbnail.jpg``. The version is in every address, so each can be cached for ever and a
new PDF never shows old tiles. They are served at ``/posters/<id>/tiles/<version>/...`` to
whoever may see the poster.
"""

from __future__ import annotations

from pathlib import Path

from posters.models import Poster, RenderState

DZI_NAME = "poster.dzi"
TILES_FOLDER = "poster_files"
THUMBNAIL_NAME = "thumbnail.jpg"


def poster_media(media_root: Path, poster_id: int) -> Path:
    """Every render of a poster (removed with the poster)."""
    return media_root / "posters" / str(poster_id)


def render_folder(media_root: Path, poster_id: int, version: int) -> Path:
    """The files of one render of a poster."""
    return poster_media(media_root, poster_id) / str(version)


def base_url(poster: Poster) -> str | None:
    """The address of the poster's current render, or None before one is ready."""
    if poster.render_state != RenderState.ready or poster.render_version < 1:
        return None
    return f"/posters/{poster.id}/tiles/{poster.render_version}"


def dzi_url(poster: Poster) -> str | None:
    """The Deep Zoom descriptor the viewer opens, or None before tiles exist."""
    base = base_url(poster)
    return f"{base}/{DZI_NAME}" if base else None


def thumbnail_url(poster: Poster) -> str | None:
    """The gallery's picture of the poster, or None before one exists."""
    base = base_url(poster)
    return f"{base}/{THUMBNAIL_NAME}" if base else None
