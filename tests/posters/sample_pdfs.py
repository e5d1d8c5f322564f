"""PDFs made for the tests and the benchmark with fpdf2: a small poster, an encrypted one,
a broken one, one without a page (pypdfium2), and a realistic A0 poster (text, shapes and
large photographs)."""

from __future__ import annotations

import io
import itertools
import random
from datetime import UTC, datetime

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image, ImageDraw

A0_MM = (841.0, 1189.0)


SAMPLE_DATE = datetime(2021, 10, 17, 9, 0, tzinfo=UTC)


def small_pdf(*, width_mm: float = 200.0, height_mm: float = 300.0, title: str = "Poster") -> bytes:
    """A one-page poster: a title, a few lines and a coloured box."""
    pdf = FPDF(unit="mm", format=(width_mm, height_mm))
    # A fixed date: the same arguments give the same bytes, whenever they are made.
    pdf.set_creation_date(SAMPLE_DATE)
    pdf.add_page()
    pdf.set_font("helvetica", size=28)
    pdf.set_xy(10, 10)
    pdf.cell(text=title)
    pdf.set_fill_color(30, 90, 160)
    pdf.rect(10, 40, width_mm - 20, 60, style="F")
    pdf.set_font("helvetica", size=12)
    pdf.set_xy(10, 110)
    pdf.multi_cell(w=width_mm - 20, text="Interferon-gamma primes macrophages. " * 12)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A poster that opens only with a password."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=20)
    pdf.cell(text="Secret")
    pdf.set_encryption(owner_password="owner-secret", user_password="reader-secret")
    return bytes(pdf.output())


def broken_pdf() -> bytes:
    """Starts like a PDF, is not one."""
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage, no xref, no trailer\n"


def empty_pdf() -> bytes:
    """A well-formed PDF without a page."""
    out = io.BytesIO()
    pdfium.PdfDocument.new().save(out)
    return out.getvalue()


def _photo(width: int, height: int, seed: int) -> bytes:
    """A noisy picture that compresses like a photograph (JPEG)."""
    rng = random.Random(seed)
    image = Image.effect_noise((width, height), 60).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(120):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(20, width // 6)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def a0_poster() -> bytes:
    """A realistic A0 poster: title, author line, six columns of text, charts drawn as
    shapes, and two large photographs (3000 x 2000 px each)."""
    width, height = A0_MM
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_fill_color(20, 60, 120)
    pdf.rect(0, 0, width, 120, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("helvetica", "B", size=90)
    pdf.set_xy(30, 25)
    pdf.cell(text="IFN-gamma priming reshapes STAT1 kinetics")
    pdf.set_font("helvetica", size=48)
    pdf.set_xy(30, 80)
    pdf.cell(text="A. Lovelace, K. Tanaka, M. Curie - Karolinska Institutet, Osaka University")
    pdf.set_text_color(0, 0, 0)
    paragraph = (
        "Interferon-gamma primes macrophages for enhanced responses to TLR ligands. We "
        "measured STAT1 phosphorylation over time after priming, in single cells, and "
        "modelled the JAK-STAT cascade with feedback by SOCS1. "
    ) * 6
    column = (width - 80) / 3
    for index in range(3):
        x = 20 + index * (column + 20)
        pdf.set_font("helvetica", "B", size=40)
        pdf.set_xy(x, 140)
        pdf.cell(text=("Background", "Methods", "Results")[index])
        pdf.set_font("helvetica", size=22)
        pdf.set_xy(x, 165)
        pdf.multi_cell(w=column, text=paragraph)
        pdf.set_xy(x, 720)
        pdf.multi_cell(w=column, text=paragraph)
    # A bar chart and a line chart as vector shapes.
    rng = random.Random(7)
    for bar in range(24):
        value = rng.uniform(20, 180)
        pdf.set_fill_color(40 + bar * 8, 120, 200 - bar * 5)
        pdf.rect(30 + bar * 16, 1150 - value, 12, value, style="F")
    pdf.set_line_width(1.5)
    points = [(450 + i * 15, 1100 - 60 * (1 + (i % 7) / 3)) for i in range(25)]
    for start, end in itertools.pairwise(points):
        pdf.line(*start, *end)
    pdf.image(io.BytesIO(_photo(3000, 2000, 1)), x=30, y=450, w=380)
    pdf.image(io.BytesIO(_photo(3000, 2000, 2)), x=430, y=450, w=380)
    return bytes(pdf.output())
