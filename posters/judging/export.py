"""The judging ranking and the people's choice as CSV and XLSX files for organizers.

One row per judge's score (a poster without scores has one row with the judge's columns
empty), so a spreadsheet can sort and filter freely. Text a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed
with an apostrophe: a comment or title must never run as a formula on an organizer's
machine (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from openpyxl import Workbook

from posters.judging.models import CRITERIA
from posters.judging.service import ChoiceRow, RankingRow

RANKING_HEADER = (
    "rank",
    "board",
    "title",
    "topic",
    "mean total",
    "scores",
    "judge",
    *CRITERIA,
    "total",
    "comment",
)
CHOICE_HEADER = ("rank", "board", "title", "votes")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def guard(value: Cell) -> Cell:
    """A cell's value, with text that starts like a formula made plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def ranking_rows(rows: Sequence[RankingRow]) -> Iterator[tuple[Cell, ...]]:
    """The ranking's rows (header excluded), guarded."""
    for row in rows:
        poster = (
            row.rank,
            row.poster.board,
            row.poster.title,
            row.poster.topic,
            row.mean_total,
            row.scores,
        )
        scored = [line for line in row.judges if line.assignment.scored]
        if not scored:
            yield tuple(guard(v) for v in (*poster, *([None] * (len(CRITERIA) + 3))))
        for line in scored:
            a = line.assignment
            marks = tuple(getattr(a, name) for name in CRITERIA)
            yield tuple(guard(v) for v in (*poster, line.judge_name, *marks, a.total, a.comment))


def choice_rows(rows: Sequence[ChoiceRow]) -> Iterator[tuple[Cell, ...]]:
    for row in rows:
        values = (row.rank, row.poster.board, row.poster.title, row.poster.vote_count)
        yield tuple(guard(v) for v in values)


def ranking_csv(rows: Sequence[RankingRow]) -> str:
    """The ranking as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RANKING_HEADER)
    writer.writerows(ranking_rows(rows))
    return out.getvalue()


def ranking_xlsx(rows: Sequence[RankingRow], choice: Sequence[ChoiceRow]) -> bytes:
    """The ranking and the people's choice as a workbook of two sheets."""
    book = Workbook(write_only=True)
    judged = book.create_sheet("Judging")
    judged.append(RANKING_HEADER)
    for values in ranking_rows(rows):
        judged.append(values)
    voted = book.create_sheet("People's choice")
    voted.append(CHOICE_HEADER)
    for values in choice_rows(choice):
        voted.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
