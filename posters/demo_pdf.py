"""A demo poster drawn as a one-page A1 portrait PDF with fpdf2.

The layout is a conference poster's: a title band with the board number, the authors and
their affiliations, the abstract's sections in two columns, a figure drawn from the
listing's invented numbers in the third, keywords, DOI and links, and the meeting's name
in the footer. The creation date is fixed, so the same poster gives the same bytes.

fpdf2's built-in Helvetica covers Latin-1 only; text outside it is spelled the way it is
written in plain-text science (IL-1β as IL-1beta) so no font file has to ship.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from posters.demo_listing import DemoPoster, Figure

PAGE_W, PAGE_H = 594.0, 841.0  # A1 portrait, in mm
PAGE_SIZE_POINTS = (PAGE_W * 72 / 25.4, PAGE_H * 72 / 25.4)
MARGIN, GAP = 22.0, 14.0
FOOTER_H = 34.0
PT = 25.4 / 72  # one point in mm
NAVY, ACCENT, INK, MUTED = (23, 48, 82), (31, 111, 178), (33, 37, 41), (95, 103, 115)
PALE, GRID = (236, 243, 250), (200, 208, 218)
PALETTE = ((31, 111, 178), (192, 57, 43), (42, 157, 143), (142, 68, 173), (211, 84, 0))
CREATED = datetime(2021, 10, 1, 9, 0, tzinfo=UTC)

_SPELLED = {
    "γδ": "gamma-delta", "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta",
    "κ": "kappa", "λ": "lambda", "μ": "µ", "ω": "omega", "Δ": "delta", "\u0131": "i",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "\u2212": "-", "–": "-", "—": "-", "→": "->",
    "≥": ">=", "≤": "<=", "\u2018": "'", "\u2019": "'", "“": '"', "”": '"',
}  # fmt: skip
_SPELLED_RE = re.compile("|".join(sorted(map(re.escape, _SPELLED), key=len, reverse=True)))


@dataclass(frozen=True)
class PosterSheet:
    """What goes on one poster's PDF."""

    poster: DemoPoster
    meeting_name: str
    session_title: str


def latin(text: str) -> str:
    """``text`` in the characters the PDF's built-in font has."""
    text = _SPELLED_RE.sub(lambda match: _SPELLED[match.group()], text)
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if ord(c) < 256 and not unicodedata.combining(c)))
    return "".join(out)


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
        _figure(pdf, poster.figure, xs[2], top, col_w, figure_h)
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


def _figure(pdf: FPDF, figure: Figure, x: float, y: float, w: float, h: float) -> None:
    pdf.set_fill_color(*PALE)
    pdf.rect(x, y, w, h, "F", round_corners=True, corner_radius=5)
    pdf.set_font("helvetica", "B", 26)
    pdf.set_text_color(*NAVY)
    pdf.set_xy(x + 8, y + 6)
    pdf.cell(w - 16, 10, "Figure 1")
    pdf.set_font("helvetica", "I", 20)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(x + 8, y + 18)
    pdf.multi_cell(w - 16, 8.5, latin(figure.caption), align="L")
    inner_y = pdf.get_y() + 12
    area = (x + 8, inner_y, w - 16, y + h - 8 - inner_y)
    if figure.kind == "bar":
        _bars(pdf, figure, *area)
    elif figure.kind == "line":
        _lines(pdf, figure, *area)
    else:
        _pathway(pdf, figure, *area)


def _nice_top(value: float) -> float:
    """A round axis maximum just above ``value``."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value * 1.05))
    steps = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
    return next(step * power for step in steps if step * power >= value * 1.05)


def _number(value: float) -> str:
    return f"{value:g}"


def _axes(
    pdf: FPDF, unit: str, top: float, x: float, y: float, w: float, h: float
) -> tuple[float, float, float, float]:
    """Grid, tick labels and the unit; returns the plot's (left, baseline, width, height)."""
    left, plot_w, plot_h, base = x + 30, w - 34, h, y + h
    pdf.set_font("helvetica", "", 18)
    pdf.set_line_width(0.3)
    for i in range(5):
        ty = base - plot_h * i / 4
        pdf.set_draw_color(*GRID)
        pdf.line(left, ty, left + plot_w, ty)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(left - 28, ty - 4)
        pdf.cell(25, 8, _number(round(top * i / 4, 6)), align="R")
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.6)
    pdf.line(left, base, left + plot_w, base)
    pdf.line(left, base, left, base - plot_h)
    with pdf.rotation(90, x - 4, base):
        pdf.set_font("helvetica", "", 18)
        pdf.set_xy(x - 4, base - 6)
        pdf.cell(plot_h, 8, latin(unit), align="C")
    return left, base, plot_w, plot_h


def _bars(pdf: FPDF, figure: Figure, x: float, y: float, w: float, h: float) -> None:
    values = figure.series[0][1]
    top = _nice_top(max(values))
    left, base, plot_w, plot_h = _axes(pdf, figure.unit, top, x, y + 10, w, h - 64)
    slot = plot_w / len(values)
    for i, (label, value) in enumerate(zip(figure.labels, values, strict=True)):
        bar_w, bar_h = slot * 0.62, plot_h * value / top
        bx = left + slot * i + (slot - bar_w) / 2
        pdf.set_fill_color(*PALETTE[i % len(PALETTE)])
        pdf.rect(bx, base - bar_h, bar_w, bar_h, "F")
        pdf.set_font("helvetica", "B", 18)
        pdf.set_text_color(*INK)
        pdf.set_xy(left + slot * i, base - bar_h - 9)
        pdf.cell(slot, 8, _number(value), align="C")
        pdf.set_font("helvetica", "", 16)
        pdf.set_xy(left + slot * i + 1, base + 3)
        pdf.multi_cell(slot - 2, 6.5, latin(label), align="C")


def _lines(pdf: FPDF, figure: Figure, x: float, y: float, w: float, h: float) -> None:
    legend_h = 10 * len(figure.series)
    pdf.set_font("helvetica", "", 18)
    for i, (name, _) in enumerate(figure.series):
        pdf.set_draw_color(*PALETTE[i % len(PALETTE)])
        pdf.set_line_width(1.4)
        ly = y + 4 + 10 * i
        pdf.line(x + 30, ly, x + 46, ly)
        pdf.set_text_color(*INK)
        pdf.set_xy(x + 49, ly - 4)
        pdf.cell(w - 51, 8, latin(name))
    top = _nice_top(max(max(ys) for _, ys in figure.series))
    plot_y = y + legend_h + 8
    left, base, plot_w, plot_h = _axes(pdf, figure.unit, top, x, plot_y, w, h - legend_h - 36)
    step = plot_w / max(len(figure.labels) - 1, 1)
    pdf.set_font("helvetica", "", 18)
    pdf.set_text_color(*MUTED)
    for i, label in enumerate(figure.labels):
        pdf.set_xy(left + step * i - 10, base + 2)
        pdf.cell(20, 8, latin(label), align="C")
    pdf.set_xy(left, base + 12)
    pdf.cell(plot_w, 8, latin(figure.x_unit), align="C")
    for i, (_, ys) in enumerate(figure.series):
        colour = PALETTE[i % len(PALETTE)]
        points = [(left + step * j, base - plot_h * v / top) for j, v in enumerate(ys)]
        pdf.set_draw_color(*colour)
        pdf.set_fill_color(*colour)
        pdf.set_line_width(1.2)
        pdf.polyline(points)
        for px, py in points:
            pdf.circle(px, py, 2.4, "F")


def _pathway(pdf: FPDF, figure: Figure, x: float, y: float, w: float, h: float) -> None:
    steps = figure.labels
    gap = 16.0
    box_h = min(34.0, (h - gap * (len(steps) - 1)) / len(steps))
    box_w = w * 0.8
    bx = x + (w - box_w) / 2
    for i, step in enumerate(steps):
        by = y + i * (box_h + gap)
        shade = 1 - i / max(len(steps) * 1.6, 1)
        pdf.set_fill_color(*(int(c * shade + 255 * (1 - shade) * 0.2) for c in ACCENT))
        pdf.rect(bx, by, box_w, box_h, "F", round_corners=True, corner_radius=4)
        pdf.set_text_color(255, 255, 255)
        pdf.set_font("helvetica", "B", 20)
        pdf.set_xy(bx + 4, by + box_h / 2 - 5)
        pdf.cell(box_w - 8, 10, latin(step), align="C")
        if i < len(steps) - 1:
            ax, ay = x + w / 2, by + box_h
            pdf.set_draw_color(*INK)
            pdf.set_fill_color(*INK)
            pdf.set_line_width(1.0)
            pdf.line(ax, ay + 2, ax, ay + gap - 6)
            pdf.polygon(
                [(ax - 4, ay + gap - 7), (ax + 4, ay + gap - 7), (ax, ay + gap - 1)], style="F"
            )


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
