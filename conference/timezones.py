"""Time zones: validation, the list offered to users, the zone a viewer sees, and how an
instant is written in a zone."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones


@cache
def zone_names() -> tuple[str, ...]:
    """IANA zone names offered to users (the legacy aliases like ``US/Pacific`` left out)."""
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    }
    names.add("UTC")
    return tuple(sorted(names))


def is_valid_zone(name: str) -> bool:
    return name in zone_names() or name in available_timezones()


# Instants in a zone ------------------------------------------------------------------
#
# Every page shows times in one zone and says which (DESIGN.md): these are the only
# formats, for the program pages, the streaming pages, the console and the templates'
# ``instant`` and ``day`` filters alike.

ZoneChoice = Literal["mine", "meeting"]


def display_zone(
    *, user_zone: str | None, meeting_zone: str, choice: ZoneChoice | None = None
) -> str:
    """The zone a page shows times in: the viewer's own unless they ask for the meeting's.

    Visitors who are not signed in have no zone of their own and see the meeting's.
    """
    if choice == "meeting" or user_zone is None:
        return meeting_zone
    return user_zone


def local(instant: datetime, zone: str) -> datetime:
    """``instant`` as a wall-clock time in ``zone``."""
    return instant.astimezone(ZoneInfo(zone))


def zone_abbreviation(instant: datetime, zone: str) -> str:
    """``JST``, ``BST``; zones without a letter abbreviation give their offset (``+0530``)."""
    return local(instant, zone).tzname() or zone


def clock(instant: datetime, zone: str) -> str:
    """``17:00``: the wall-clock time of ``instant`` in ``zone``."""
    return f"{local(instant, zone):%H:%M}"


def short_day(instant: datetime, zone: str) -> str:
    """``Mon 18 Oct``."""
    moment = local(instant, zone)
    return f"{moment:%a} {moment.day} {moment:%b}"


def day_label(day: date) -> str:
    """``Monday 18 October``, for day tabs and headings."""
    return f"{day:%A} {day.day} {day:%B}"


def _day_and_clock(moment: datetime) -> str:
    """``Sun 17 Oct 2021, 13:00`` for a wall-clock time."""
    return f"{moment:%a} {moment.day} {moment:%b %Y}, {moment:%H:%M}"


def format_instant(instant: datetime, zone: str, *, with_date: bool = True) -> str:
    """``Sun 17 Oct 2021, 13:00 BST`` for ``instant`` seen in ``zone``."""
    moment = local(instant, zone)
    abbreviation = moment.tzname() or zone
    if with_date:
        return f"{_day_and_clock(moment)} {abbreviation}"
    return f"{moment:%H:%M} {abbreviation}"


def format_day(instant: datetime, zone: str) -> str:
    """``Sunday 17 October 2021``."""
    moment = local(instant, zone)
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def span(start: datetime, end: datetime, zone: str) -> str:
    """``Mon 18 Oct 2021, 17:00-18:30 JST``; a span across midnight names both days."""
    first, last = local(start, zone), local(end, zone)
    abbreviation = first.tzname() or zone
    head = _day_and_clock(first)
    if first.date() == last.date():
        return f"{head}\u2013{last:%H:%M} {abbreviation}"
    return f"{head} {abbreviation} \u2013 {_day_and_clock(last)} {last.tzname() or zone}"


def short_span(start: datetime, end: datetime, zone: str) -> str:
    """``17:00-18:30``, with ``(next day)`` when the end falls on the next day in ``zone``."""
    first, last = local(start, zone), local(end, zone)
    text = f"{first:%H:%M}\u2013{last:%H:%M}"
    if last.date() != first.date():
        text += " (next day)"
    return text
