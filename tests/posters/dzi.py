"""A small real Deep Zoom image for a poster, made with Pillow, where the renderer would
write one (``posters.tiles.files.render_folder``), so tests open the viewer without rendering
a PDF. (The real renderer, with pypdfium2, is another part's.)"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

from posters.tiles import files as tiles

TILE_SIZE = 254
OVERLAP = 1


def poster_image(width: int, height: int, title: str) -> Image.Image:
    """A poster-like picture: a title band, columns of "text" blocks, a figure."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, height // 8), fill=(20, 60, 120))
    draw.text((width // 40, height // 30), title, fill="white")
    column = width // 3
    for c in range(3):
        for r in range(12):
            top = height // 6 + r * height // 16
            draw.rectangle(
                (c * column + 20, top, (c + 1) * column - 20, top + height // 40),
                fill=(60 + 40 * c, 60, 60),
            )
    draw.ellipse((width // 2, height // 2, width * 3 // 4, height * 3 // 4), outline="red", width=8)
    return image


def write_dzi(folder: Path, image: Image.Image) -> None:
    """``image`` as ``poster.dzi``, ``poster_files/<level>/<col>_<row>.jpg`` and the
    thumbnail, in ``folder``."""
    width, height = image.size
    top = math.ceil(math.log2(max(width, height)))
    files = folder / tiles.TILES_FOLDER
    for level in range(top + 1):
        scale = 2 ** (top - level)
        size = (max(1, math.ceil(width / scale)), max(1, math.ceil(height / scale)))
        resized = image.resize(size, Image.Resampling.LANCZOS)
        (files / str(level)).mkdir(parents=True, exist_ok=True)
        for col in range(math.ceil(size[0] / TILE_SIZE)):
            for row in range(math.ceil(size[1] / TILE_SIZE)):
                left = col * TILE_SIZE - (OVERLAP if col else 0)
                upper = row * TILE_SIZE - (OVERLAP if row else 0)
                right = min(size[0], (col + 1) * TILE_SIZE + OVERLAP)
                lower = min(size[1], (row + 1) * TILE_SIZE + OVERLAP)
                tile = resized.crop((left, upper, right, lower))
                tile.save(files / str(level) / f"{col}_{row}.jpg", quality=80)
    (folder / tiles.DZI_NAME).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpg" '
        f'Overlap="{OVERLAP}" TileSize="{TILE_SIZE}"><Size Width="{width}" Height="{height}"/>'
        "</Image>\n"
    )
    thumbnail = image.copy()
    thumbnail.thumbnail((480, 480))
    thumbnail.save(folder / tiles.THUMBNAIL_NAME, quality=80)


def make_tiles(
    media_root: Path, poster_id: int, *, width: int = 1200, height: int = 900
) -> dict[str, object]:
    """Write version 1 of the poster's tiles; the columns to set on the poster."""
    folder = tiles.render_folder(media_root, poster_id, 1)
    write_dzi(folder, poster_image(width, height, f"Poster {poster_id}"))
    return {
        "render_state": "ready",
        "render_version": 1,
        "render_progress": 1.0,
        "image_width": width,
        "image_height": height,
    }
