"""The poster render job's child program: page 1 of a PDF to Deep Zoom tiles and a thumbnail.

``python -m posters.tiles.render --pdf FILE --out FOLDER --work FOLDER`` (run by the
``poster_tiles`` job kind, :mod:`posters.tiles.jobs`). It writes everything into ``--work`` and
renames that folder to ``--out`` at the end, so a render cut short leaves no half-written
tiles where the viewer looks.

Resolution: 300 dpi (an A0 poster becomes 9933 x 14043 px), or less so that the longer
side stays within 16,384 px (a poster larger than about 1.39 m on its longer side), which
is more than any screen zooms into usefully and bounds the work.

Memory stays bounded however large the page: no level is ever held whole. Each Deep Zoom
level is rendered by PDFium straight from the PDF at that level's size (vector text and
shapes stay sharp at every level, unlike downscaling a raster), in horizontal bands of a
few tile rows, and each band is cut into JPEG tiles and let go before the next.

Reports progress as JSON lines (``conference.jobs.child``). A PDF that cannot be read,
is encrypted or has no page exits with ``EXIT_BAD_INPUT`` after a last stderr line
``render-error: <what the presenter reads>``: retrying cannot help.

Fault injection: with ``CONFERENCE_RENDER_CRASH_AT_PERCENT=N`` in its environment the child
kills itself with SIGKILL once it has rendered N % of the pixels, as the OOM killer would;
the tests use it to show a crashed render is retried.
"""

from __future__ import annotations

import argparse
import ctypes
import math
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from conference.jobs.child import EXIT_BAD_INPUT, report_progress, report_result
from posters.tiles.files import DZI_NAME, THUMBNAIL_NAME, TILES_FOLDER

DPI = 300.0
MAX_SIDE = 16_384
TILE_SIZE = 254
OVERLAP = 1
JPEG_QUALITY = 85
THUMBNAIL_WIDTH = 480
# Pixels (3 bytes each) rendered at once: bands are cut to stay near this (about 36 MB).
BAND_PIXELS = 12_000_000
ERROR_MARKER = "render-error: "
CRASH_ENV = "CONFERENCE_RENDER_CRASH_AT_PERCENT"


class BadPdf(Exception):
    """A PDF no retry will render; its text is for the presenter."""


@dataclass(frozen=True)
class Level:
    """One Deep Zoom level: its number and size in pixels."""

    number: int
    width: int
    height: int

    @property
    def columns(self) -> int:
        return math.ceil(self.width / TILE_SIZE)

    @property
    def rows(self) -> int:
        return math.ceil(self.height / TILE_SIZE)


def full_size(width_pt: float, height_pt: float) -> tuple[int, int]:
    """The full-resolution image size for a page of this size in PDF points."""
    scale = min(DPI / 72.0, MAX_SIDE / max(width_pt, height_pt))
    return max(1, round(width_pt * scale)), max(1, round(height_pt * scale))


def levels(width: int, height: int) -> list[Level]:
    """Every Deep Zoom level of an image this size, 1x1 px (level 0) up to full size."""
    top = math.ceil(math.log2(max(width, height))) if max(width, height) > 1 else 0
    return [
        Level(n, math.ceil(width / 2 ** (top - n)), math.ceil(height / 2 ** (top - n)))
        for n in range(top + 1)
    ]


def dzi_xml(width: int, height: int) -> str:
    """The Deep Zoom descriptor of the tiles this module writes."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpg" '
        f'Overlap="{OVERLAP}" TileSize="{TILE_SIZE}">'
        f'<Size Width="{width}" Height="{height}"/></Image>\n'
    )


def open_page(path: Path) -> tuple[pdfium.PdfDocument, pdfium.PdfPage]:
    """The document and its first page; BadPdf with a clear reason otherwise."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_SUCCESS:
            # PDFium loads no document without a page, and says nothing went wrong.
            raise BadPdf("The PDF has no pages: export the poster's page again.") from exc
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise BadPdf(
                "The PDF is encrypted (protected by a password): upload it without a password."
            ) from exc
        raise BadPdf(
            "The PDF could not be read (the file is damaged or not a PDF): "
            "export it again and upload it."
        ) from exc
    if len(document) == 0:
        raise BadPdf("The PDF has no pages: export the poster's page again.")
    try:
        page = document[0]
    except pdfium.PdfiumError as exc:
        raise BadPdf("The PDF's first page could not be read: export it again.") from exc
    width, height = page.get_size()
    if not (width > 0 and height > 0):
        raise BadPdf("The PDF's first page has no size.")
    return document, page


def render_band(page: pdfium.PdfPage, width: int, height: int, top: int, rows: int) -> Image.Image:
    """Rows ``top`` to ``top + rows`` of the page drawn ``width`` x ``height`` px, as RGB."""
    bitmap = pdfium_c.FPDFBitmap_CreateEx(width, rows, pdfium_c.FPDFBitmap_BGR, None, 0)
    if not bitmap:
        raise MemoryError("PDFium could not allocate a bitmap")
    try:
        pdfium_c.FPDFBitmap_FillRect(bitmap, 0, 0, width, rows, 0xFFFFFFFF)
        flags = pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_REVERSE_BYTE_ORDER
        # The whole page maps to width x height; shifting it up by ``top`` leaves this band
        # in the bitmap, and PDFium draws only what falls inside it.
        pdfium_c.FPDF_RenderPageBitmap(bitmap, page.raw, 0, -top, width, height, 0, flags)
        stride = pdfium_c.FPDFBitmap_GetStride(bitmap)
        buffer = pdfium_c.FPDFBitmap_GetBuffer(bitmap)
        raw = ctypes.string_at(buffer, stride * rows)
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)
    return Image.frombuffer("RGB", (width, rows), raw, "raw", "RGB", stride, 1)


def bands(level: Level) -> Iterator[tuple[int, int]]:
    """Runs of tile rows ``(first, end)`` rendered together for ``level``."""
    per_band = max(1, BAND_PIXELS // (level.width * TILE_SIZE))
    for first in range(0, level.rows, per_band):
        yield first, min(level.rows, first + per_band)


def write_level(page: pdfium.PdfPage, level: Level, folder: Path, progress: Progress) -> None:
    """Every tile of ``level`` under ``folder/<level>/``."""
    out = folder / str(level.number)
    out.mkdir(parents=True)
    for first, end in bands(level):
        top = max(0, first * TILE_SIZE - OVERLAP)
        bottom = min(level.height, end * TILE_SIZE + OVERLAP)
        band = render_band(page, level.width, level.height, top, bottom - top)
        for row in range(first, end):
            y0 = max(0, row * TILE_SIZE - OVERLAP) - top
            y1 = min(level.height, (row + 1) * TILE_SIZE + OVERLAP) - top
            for column in range(level.columns):
                x0 = max(0, column * TILE_SIZE - OVERLAP)
                x1 = min(level.width, (column + 1) * TILE_SIZE + OVERLAP)
                tile = band.crop((x0, y0, x1, y1))
                tile.save(out / f"{column}_{row}.jpg", "JPEG", quality=JPEG_QUALITY)
        progress.done(level.width * (bottom - top))
        del band


class Progress:
    """Reports the share of pixels rendered, at most once per percent."""

    def __init__(self, total: int) -> None:
        self.total = max(1, total)
        self.count = 0
        self.reported = -1
        crash = os.environ.get(CRASH_ENV, "")
        self.crash_at = float(crash) if crash.replace(".", "", 1).isdigit() else None

    def done(self, pixels: int) -> None:
        self.count += pixels
        percent = min(99, int(99 * self.count / self.total))
        if self.crash_at is not None and percent >= self.crash_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if percent > self.reported:
            self.reported = percent
            report_progress(float(percent))


def render(pdf: Path, out: Path, work: Path) -> dict[str, int]:
    """Render ``pdf`` into ``work`` and move it to ``out``; the result for the job."""
    document, page = open_page(pdf)
    try:
        width, height = full_size(*page.get_size())
        shutil.rmtree(work, ignore_errors=True)
        (work / TILES_FOLDER).mkdir(parents=True)
        all_levels = levels(width, height)
        progress = Progress(sum(level.width * level.height for level in all_levels))
        for level in all_levels:
            write_level(page, level, work / TILES_FOLDER, progress)
        thumb_height = max(1, round(height * THUMBNAIL_WIDTH / width))
        thumbnail = render_band(page, THUMBNAIL_WIDTH, thumb_height, 0, thumb_height)
        thumbnail.save(work / THUMBNAIL_NAME, "JPEG", quality=JPEG_QUALITY)
        (work / DZI_NAME).write_text(dzi_xml(width, height), encoding="utf-8")
    finally:
        page.close()
        document.close()
    # A previous attempt of this job may have got as far as renaming.
    shutil.rmtree(out, ignore_errors=True)
    work.rename(out)
    return {"width": width, "height": height, "levels": len(all_levels)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posters.tiles.render")
    parser.add_argument("--pdf", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    report_progress(0.0)
    try:
        result = render(args.pdf, args.out, args.work)
    except BadPdf as exc:
        shutil.rmtree(args.work, ignore_errors=True)
        sys.stderr.write(f"{ERROR_MARKER}{exc}\n")
        return EXIT_BAD_INPUT
    report_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
