"""A demo poster drawn as a one-page A1 portrait PDF with fpdf2.

The layout is a conference poster's: a title band with the board number, the authors and
their affiliations, the abstract's sections in two columns, a figure drawn from the
listing's invented numbers in the third, keywords, DOI and links, and the meeting's name
in the footer. The creation date is fixed, so the same poster gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from posters.demo.figures import ACCENT, INK, MUTED, NAVY, PALE, draw_figure, latin
from posters.demo.listing import DemoPoster

PAGE_W, PAGE_H = 594.0, 841.0  # A1 portrait, in mm
PAGE_SIZE_POINTS = (PAGE_W * 72 / 25.4, PAGE_H * 72 / 25.4)
MARGIN, GAP = 22.0, 14.0
FOOTER_H = 34.0
PT = 25.4 / 72  # one point in mm
CREATED = datetime(2021, 10, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class PosterSheet:
    """What goes on one poster's PDF."""

    poster: DemoPoster
    meeting_name: str
    session_title: str


def sections(abstract: str) -> list[tuple[str, str]]:
    """(heading, plain text) of each ``### Heading`` part of a Markdown abstract."""
    parts = []
    for chunk in re.split(r"^### ", abstract, flags=re.MULTILINE):
        if chunk.strip():
            heading, _, body = chunk.partition("\n")
            parts.append((heading.strip(), " ".join(body.replace("*", "").split())))
    return parts


def render_poster(sheet: PosterSheet) -> bytes:
    """The poster's PDF: one A1 portrait page."""
    poster = sheet.poster
    pdf = FPDF(orientation="portrait", unit="mm", format=(PAGE_W, PAGE_H))
    pdf.set_creation_date(CREATED)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title(latin(poster.title))
    pdf.set_subject(latin(sheet.meeting_name))
    pdf.set_author(latin(", ".join(a.name for a in poster.authors)))
    pdf.add_page()
    y = _title_band(pdf, sheet)
    y = _authors(pdf, poster, y + 12)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.line(MARGIN, y + 8, PAGE_W - MARGIN, y + 8)
    top, bottom = y + 22, PAGE_H - FOOTER_H - 14
    col_w = (PAGE_W - 2 * MARGIN - 2 * GAP) / 3
    xs = [MARGIN + i * (col_w + GAP) for i in range(3)]
    parts = sections(poster.abstract)
    columns = [parts[:2], parts[2:]]
    size = _fitting_size(pdf, columns, col_w, bottom - top)
    for x, column in zip(xs, columns, strict=False):
        _text_column(pdf, x, top, col_w, column, size, measure=False)
    figure_h = (bottom - top) * 0.66
    if poster.figure is not None:
        draw_figure(pdf, poster.figure, xs[2], top, col_w, figure_h)
    _details(pdf, poster, xs[2], top + figure_h + 14, col_w)
    _footer(pdf, sheet)
    return bytes(pdf.output())


def _title_band(pdf: FPDF, sheet: PosterSheet) -> float:
    badge_w = 104.0
    text_w = PAGE_W - 2 * MARGIN - badge_w - GAP
    title = latin(sheet.poster.title)
    size, line_h, title_h = 56.0, 23.0, 0.0
    for size, line_h in ((56, 23), (48, 20), (42, 17.5), (36, 15)):
        pdf.set_font("helvetica", "B", size)
        title_h = _height(pdf, text_w, line_h, title)
        if title_h <= 3 * line_h:
            break
    band_h = max(MARGIN + 16 + title_h + 16, MARGIN + 72)
    pdf.set_fill_color(*NAVY)
    pdf.rect(0, 0, PAGE_W, band_h, "F")
    pdf.set_text_color(*PALE)
    pdf.set_font("helvetica", "", 20)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(text_w, 9, latin(f"{sheet.session_title}  |  {sheet.poster.topic}"))
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("helvetica", "B", size)
    pdf.set_xy(MARGIN, MARGIN + 16)
    pdf.multi_cell(text_w, line_h, title, align="L")
    bx = PAGE_W - MARGIN - badge_w
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(bx, MARGIN, badge_w, 60, "F", round_corners=True, corner_radius=6)
    pdf.set_text_color(*MUTED)
    pdf.set_font("helvetica", "B", 18)
    pdf.set_xy(bx, MARGIN + 6)
    pdf.cell(badge_w, 10, "BOARD", align="C")
    pdf.set_text_color(*NAVY)
    pdf.set_font("helvetica", "B", 54)
    pdf.set_xy(bx, MARGIN + 22)
    pdf.cell(badge_w, 30, latin(sheet.poster.board), align="C")
    return band_h


def _authors(pdf: FPDF, poster: DemoPoster, y: float) -> float:
    affiliations: list[str] = []
    for author in poster.authors:
        for place in author.affiliation.split("; "):
            if place not in affiliations:
                affiliations.append(place)
    pdf.set_text_color(*INK)
    pdf.set_xy(MARGIN, y)
    for i, author in enumerate(poster.authors):
        numbers = ",".join(str(affiliations.index(p) + 1) for p in author.affiliation.split("; "))
        pdf.set_font("helvetica", "B" if author.presenting else "", 30)
        pdf.write(13, latin(author.name))
        pdf.char_vpos = "SUP"
        pdf.write(13, numbers)
        pdf.char_vpos = "LINE"
        pdf.write(13, ", " if i < len(poster.authors) - 1 else "")
    pdf.ln(15)
    pdf.set_text_color(*MUTED)
    pdf.set_font("helvetica", "", 22)
    for i, place in enumerate(affiliations):
        pdf.char_vpos = "SUP"
        pdf.write(9, str(i + 1))
        pdf.char_vpos = "LINE"
        pdf.write(9, latin(place) + ("    " if i < len(affiliations) - 1 else ""))
    pdf.ln(9)
    pdf.set_font("helvetica", "I", 16)
    pdf.write(8, "Presenting author in bold.")
    pdf.ln(8)
    return pdf.get_y()


def _height(pdf: FPDF, w: float, line_h: float, text: str) -> float:
    height = pdf.multi_cell(w, line_h, text, dry_run=True, output=MethodReturnValue.HEIGHT)
    assert isinstance(height, float | int)
    return float(height)


def _fitting_size(pdf: FPDF, columns: list[list[tuple[str, str]]], w: float, room: float) -> float:
    """The largest body font size at which every text column fits its room."""
    size = 44.0
    while size > 20:
        heights = [_text_column(pdf, 0, 0, w, c, size, measure=True) for c in columns]
        if max(heights) <= room:
            break
        size -= 2
    return size


def _text_column(
    pdf: FPDF,
    x: float,
    y: float,
    w: float,
    parts: list[tuple[str, str]],
    size: float,
    *,
    measure: bool,
) -> float:
    """Draw (or only measure) the column's sections; returns the height they take."""
    start, line_h = y, size * PT * 1.4
    for heading, text in parts:
        head_h = (size + 8) * PT * 1.5
        if not measure:
            pdf.set_font("helvetica", "B", size + 8)
            pdf.set_text_color(*ACCENT)
            pdf.set_xy(x, y)
            pdf.cell(w, head_h, latin(heading))
            pdf.set_draw_color(*ACCENT)
            pdf.set_line_width(0.6)
            pdf.line(x, y + head_h, x + w, y + head_h)
        y += head_h + 4
        lines = _wrap(pdf, latin(text), w, size)
        if not measure:
            pdf.set_font("helvetica", "", size)
            pdf.set_text_color(*INK)
            for i, line in enumerate(lines):
                # text() takes the baseline: about 0.8 of the font size below the line top.
                pdf.text(x, y + i * line_h + size * PT * 0.95, line)
        y += (len(lines) + 1) * line_h
    return y - start


def _wrap(pdf: FPDF, text: str, w: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``w`` at ``size`` points of Helvetica.

    Widths are measured once per word at 1 pt and scaled: fpdf2's own line breaking
    measures character by character, which made the demo's 60 posters take seconds."""
    space = _word_width(pdf, " ") * size
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        width = _word_width(pdf, word) * size
        if current and used + space + width > w:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + width
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


_WIDTHS: dict[str, float] = {}


def _word_width(pdf: FPDF, word: str) -> float:
    """The width of ``word`` in regular Helvetica at 1 pt, in mm."""
    width = _WIDTHS.get(word)
    if width is None:
        pdf.set_font("helvetica", "", 100)
        width = _WIDTHS[word] = float(pdf.get_string_width(word)) / 100
    return width


def _details(pdf: FPDF, poster: DemoPoster, x: float, y: float, w: float) -> None:
    rows: list[tuple[str, str, str]] = [("Keywords", "; ".join(poster.keywords), "")]
    if poster.doi:
        rows.append(("DOI", poster.doi, f"https://doi.org/{poster.doi}"))
    rows += [("Link", f"{label}: {url}", url) for label, url in poster.links]
    presenter = next((a.name for a in poster.authors if a.presenting), poster.authors[0].name)
    rows.append(("Presenting author", presenter, ""))
    for heading, text, link in rows:
        pdf.set_font("helvetica", "B", 22)
        pdf.set_text_color(*ACCENT)
        pdf.set_xy(x, y)
        pdf.cell(w, 10, heading)
        pdf.set_font("helvetica", "", 18)
        pdf.set_text_color(*INK)
        pdf.set_xy(x, y + 11)
        pdf.multi_cell(w, 8, latin(text), align="L", link=link or None)
        y = pdf.get_y() + 6


def _footer(pdf: FPDF, sheet: PosterSheet) -> None:
    top = PAGE_H - FOOTER_H
    pdf.set_fill_color(*NAVY)
    pdf.rect(0, top, PAGE_W, FOOTER_H, "F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("helvetica", "", 17)
    pdf.set_xy(MARGIN, top + FOOTER_H / 2 - 5)
    pdf.cell(PAGE_W - 2 * MARGIN - 90, 10, latin(sheet.meeting_name))
    pdf.set_font("helvetica", "B", 22)
    pdf.set_xy(PAGE_W - MARGIN - 90, top + FOOTER_H / 2 - 5)
    pdf.cell(90, 10, latin(f"Board {sheet.poster.board}"), align="R")
