"""Tiling a 1-page A0 poster at 300 dpi (issue 11, Performance): goals 10 s and 500 MB.

How: an A0 poster PDF is generated with fpdf2 (title band, three columns of text twice, a
bar chart and a line chart drawn as vectors, two 3000 x 2000 px photographs), then the
render job's child (``python -m posters.tiles.render``, exactly as the ``poster_tiles`` job runs
it) turns it into 9933 x 14043 px Deep Zoom tiles (254 px, 1 px overlap, JPEG q85) and a
thumbnail. The figures are the child's wall time, its CPU time (user + system: what the
render costs whatever else the machine is doing) and its peak resident memory (max RSS),
from ``os.wait4`` on that child alone.

Peers, in the same run, on the same page:
- PDFium rasterising the whole page at 300 dpi into one bitmap (what the job avoids: the
  memory a naive render needs before any tile is cut), saved as PPM for the next peer;
- ``vips dzsave`` of that rasterised image with the same tile size, overlap and quality
  (libvips' own Deep Zoom writer, the reference tiler); plus, when libvips has a PDF
  loader, ``vips dzsave poster.pdf[dpi=300]`` straight from the PDF.
``vips`` comes from Debian's libvips-tools (``make bench`` installs it when root); without
it those peers are skipped.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GOAL_SECONDS = 10.0
GOAL_MB = 500.0


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass(frozen=True)
class Measured:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    returncode: int


def measure(command: list[str]) -> Measured:
    """Run ``command`` to its end: wall time and the peak RSS of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 and process.stderr is not None:
        say(process.stderr.read().decode(errors="replace")[-500:])
    # Linux reports ru_maxrss in KiB.
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, cpu, usage.ru_maxrss / 1024, process.returncode)


RASTERISE = """
import sys
import pypdfium2 as pdfium
page = pdfium.PdfDocument(sys.argv[1])[0]
image = page.render(scale=300 / 72).to_pil()
image.save(sys.argv[2])
print(image.size)
"""


def vips_has_pdfload(vips: str) -> bool:
    found = subprocess.run([vips, "-l", "foreign"], capture_output=True, text=True, check=False)
    return "pdfload" in found.stdout


def row(name: str, found: Measured, note: str = "") -> None:
    status = "" if found.returncode == 0 else f" (exit {found.returncode})"
    say(
        f"| {name} | {found.seconds:.2f} s | {found.cpu_seconds:.2f} s | {found.peak_mb:.0f} MB |"
        f"{note}{status}"
    )


def run(repeat: int) -> bool:
    from tests.posters.sample_pdfs import a0_poster

    say("Poster tiles: a 1-page A0 PDF at 300 dpi (9933 x 14043 px) to Deep Zoom tiles")
    say(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    say(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    met = True
    with tempfile.TemporaryDirectory(prefix="bench-tiles-") as tmp:
        folder = Path(tmp)
        pdf = folder / "poster.pdf"
        pdf.write_bytes(a0_poster())
        say(f"PDF: {pdf.stat().st_size / 1e6:.1f} MB")
        say()
        say("| | wall | CPU (user + system) | peak memory (max RSS) |")
        say("|---|---|---|---|")
        best: Measured | None = None
        for attempt in range(repeat):
            out = folder / f"ours-{attempt}"
            found = measure(
                [
                    sys.executable,
                    "-m",
                    "posters.tiles.render",
                    "--pdf",
                    str(pdf),
                    "--out",
                    str(out),
                    "--work",
                    str(folder / f".work-{attempt}"),
                ]
            )
            tiles = sum(1 for _ in (out / "poster_files").rglob("*.jpg")) if out.exists() else 0
            row(
                f"posters.tiles.render (pypdfium2 + Pillow), run {attempt + 1}",
                found,
                f" {tiles} tiles",
            )
            if best is None or found.seconds < best.seconds:
                best = found
            shutil.rmtree(out, ignore_errors=True)
        assert best is not None
        met = best.returncode == 0 and best.seconds <= GOAL_SECONDS and best.peak_mb <= GOAL_MB

        image = folder / "poster.ppm"
        raster = measure([sys.executable, "-c", RASTERISE, str(pdf), str(image)])
        row("peer: PDFium, whole page in one bitmap (+ PPM write)", raster)
        vips = shutil.which("vips")
        if vips is None:
            say("| vips dzsave | skipped: `vips` not installed (apt-get install libvips-tools) |")
        else:
            version = subprocess.run([vips, "--version"], capture_output=True, text=True)
            tiler = ["--tile-size=254", "--overlap=1", "--suffix=.jpg[Q=85]"]
            found = measure([vips, "dzsave", str(image), str(folder / "vips"), *tiler])
            row(f"peer: {version.stdout.strip()} dzsave of that image", found)
            if vips_has_pdfload(vips):
                found = measure(
                    [vips, "dzsave", f"{pdf}[dpi=300]", str(folder / "vips-pdf"), *tiler]
                )
                row("peer: vips dzsave straight from the PDF (pdfload, dpi=300)", found)
    say()
    say(
        f"goal: <= {GOAL_SECONDS:.0f} s and <= {GOAL_MB:.0f} MB for posters.tiles.render: "
        + ("met" if met else "MISSED")
    )
    return met


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--repeat", type=int, default=2, help="runs of our render (fastest)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    options, _ = parser.parse_known_args(argv)
    met = run(options.repeat)
    return 1 if options.check and not met else 0
