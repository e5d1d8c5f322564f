"""The demo posters' figure (a bar chart, a line plot or a pathway) and the colours and
text the whole poster shares, drawn with fpdf2's shapes from the listing's invented numbers.

fpdf2's built-in Helvetica covers Latin-1 only; text outside it is spelled the way it is
written in plain-text science (IL-1β as IL-1beta) so no font file has to ship.
"""

from __future__ import annotations

import math
import re
import unicodedata

from fpdf import FPDF

from posters.demo.listing import Figure

NAVY, ACCENT, INK, MUTED = (23, 48, 82), (31, 111, 178), (33, 37, 41), (95, 103, 115)
PALE, GRID = (236, 243, 250), (200, 208, 218)
PALETTE = ((31, 111, 178), (192, 57, 43), (42, 157, 143), (142, 68, 173), (211, 84, 0))
_SPELLED = {
    "γδ": "gamma-delta", "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta",
    "κ": "kappa", "λ": "lambda", "μ": "µ", "ω": "omega", "Δ": "delta", "\u0131": "i",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "\u2212": "-", "–": "-", "—": "-", "→": "->",
    "≥": ">=", "≤": "<=", "\u2018": "'", "\u2019": "'", "“": '"', "”": '"',
}  # fmt: skip
_SPELLED_RE = re.compile("|".join(sorted(map(re.escape, _SPELLED), key=len, reverse=True)))


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


def draw_figure(pdf: FPDF, figure: Figure, x: float, y: float, w: float, h: float) -> None:
    """Draw ``figure`` in a shaded box at (x, y), ``w`` wide and ``h`` high (mm)."""
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
    label_size = _label_size(pdf, figure.labels, slot - 2 - 2 * pdf.c_margin - 1)
    for i, (label, value) in enumerate(zip(figure.labels, values, strict=True)):
        bar_w, bar_h = slot * 0.62, plot_h * value / top
        bx = left + slot * i + (slot - bar_w) / 2
        pdf.set_fill_color(*PALETTE[i % len(PALETTE)])
        pdf.rect(bx, base - bar_h, bar_w, bar_h, "F")
        pdf.set_font("helvetica", "B", 18)
        pdf.set_text_color(*INK)
        pdf.set_xy(left + slot * i, base - bar_h - 9)
        pdf.cell(slot, 8, _number(value), align="C")
        pdf.set_font("helvetica", "", label_size)
        pdf.set_xy(left + slot * i + 1, base + 3)
        pdf.multi_cell(slot - 2, label_size * 0.4, latin(label), align="C")


def _label_size(pdf: FPDF, labels: tuple[str, ...], room: float) -> float:
    """The largest font size (16 pt at most) at which no word of a bar's label is cut."""
    size = 16.0
    pdf.set_font("helvetica", "", size)
    widest = max(pdf.get_string_width(word) for label in labels for word in latin(label).split())
    while size > 9 and widest * size / 16 > room:
        size -= 1
    return size


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
