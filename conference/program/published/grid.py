"""The program grid of one day: stages as columns, time running down, as an HTML table.

A table with ``rowspan`` places each session by time without inline styles (the CSP allows
none) and gives screen readers real row and column headers. Rows start at every session
boundary and every full hour, so the time column reads like a timetable. Sessions that
overlap on one stage (the organizer confirmed the warning) get side-by-side lanes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conference.program.published.program import SessionView, StageView

NO_STAGE = "Not on a stage"
# Row heights the stylesheet knows (minutes); a row gets the largest not above its length,
# so longer sessions look longer without inline styles.
HEIGHT_STEPS = (5, 10, 15, 20, 30, 45, 60, 90, 120)


def height_class(minutes: float) -> str:
    """The CSS class sizing a row of ``minutes`` (``m30``)."""
    step = max((s for s in HEIGHT_STEPS if s <= minutes), default=HEIGHT_STEPS[0])
    return f"m{step}"


@dataclass(frozen=True)
class Cell:
    """A session cell, or an empty stretch of a lane, ``rows`` rows tall."""

    session: SessionView | None
    rows: int
    stage_name: str


@dataclass(frozen=True)
class Column:
    name: str
    stage: StageView | None
    lanes: int


@dataclass(frozen=True)
class Row:
    starts_at: datetime
    cells: tuple[Cell, ...]
    # On a full hour of the display zone (drawn with a stronger line).
    on_the_hour: bool
    # Past midnight of the grid's day (a late session seen from another zone).
    next_day: bool
    # The row's length, rounded down to a step the stylesheet sizes rows by (``m30``).
    height_class: str


@dataclass(frozen=True)
class DayGrid:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


def _lanes(sessions: Sequence[SessionView]) -> list[list[SessionView]]:
    """Greedy interval partitioning: the fewest lanes in which no two sessions overlap."""
    lanes: list[list[SessionView]] = []
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.ends_at)):
        for lane in lanes:
            if lane[-1].ends_at <= session.starts_at:
                lane.append(session)
                break
        else:
            lanes.append([session])
    return lanes


def _hour_marks(first: datetime, last: datetime, zone: ZoneInfo) -> set[datetime]:
    """Every full hour (in ``zone``) from the hour ``first`` falls in up to ``last``."""
    start = first.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    marks = set()
    mark = start.astimezone(ZoneInfo("UTC"))
    while mark < last:
        marks.add(mark)
        mark += timedelta(hours=1)
    return marks


def build_grid(
    sessions: Sequence[SessionView], *, stages: Sequence[StageView], zone: str
) -> DayGrid | None:
    """The table for ``sessions`` (one day's, already filtered); None when there are none.

    Columns are the stages that have a session here, in the organizer's order, then a
    column for sessions without a stage.
    """
    if not sessions:
        return None
    by_stage: dict[str | None, list[SessionView]] = {}
    for session in sessions:
        by_stage.setdefault(session.stage.guid if session.stage else None, []).append(session)
    groups: list[tuple[str, StageView | None, list[list[SessionView]]]] = [
        (stage.name, stage, _lanes(by_stage[stage.guid]))
        for stage in stages
        if stage.guid in by_stage
    ]
    # A session may name a stage the snapshot no longer lists; treat it as stageless.
    known = {stage.guid for stage in stages}
    stageless = [s for key, group in by_stage.items() if key not in known for s in group]
    if stageless:
        groups.append((NO_STAGE, None, _lanes(stageless)))

    first = min(s.starts_at for s in sessions)
    last = max(s.ends_at for s in sessions)
    points = sorted(
        {s.starts_at for s in sessions}
        | {s.ends_at for s in sessions}
        | _hour_marks(first, last, ZoneInfo(zone))
    )
    index = {point: i for i, point in enumerate(points)}
    row_count = len(points) - 1

    # For each lane, the cell starting at each row (None where a taller cell covers it).
    lane_cells: list[list[Cell | None]] = []
    for name, _, lanes in groups:
        for lane in lanes:
            cells: list[Cell | None] = [None] * row_count
            covered = [False] * row_count
            for session in lane:
                top, bottom = index[session.starts_at], index[session.ends_at]
                cells[top] = Cell(session=session, rows=bottom - top, stage_name=name)
                for row in range(top, bottom):
                    covered[row] = True
            # Merge each run of free rows into one empty cell: fewer cells to read past.
            row = 0
            while row < row_count:
                if covered[row]:
                    row += 1
                    continue
                end = row
                while end < row_count and not covered[end]:
                    end += 1
                cells[row] = Cell(session=None, rows=end - row, stage_name=name)
                row = end
            lane_cells.append(cells)

    tz = ZoneInfo(zone)
    day = first.astimezone(tz).date()
    rows = tuple(
        Row(
            starts_at=points[r],
            cells=tuple(cell for cells in lane_cells if (cell := cells[r]) is not None),
            on_the_hour=points[r].astimezone(tz).minute == 0,
            next_day=points[r].astimezone(tz).date() > day,
            height_class=height_class((points[r + 1] - points[r]).total_seconds() / 60),
        )
        for r in range(row_count)
    )
    columns = tuple(
        Column(name=name, stage=stage, lanes=len(lanes)) for name, stage, lanes in groups
    )
    return DayGrid(columns=columns, rows=rows)
