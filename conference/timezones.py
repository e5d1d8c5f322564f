"""Time zones: validation, the list offered to users, and formatting instants in a zone."""

from __future__ import annotations

from datetime import datetime
from functools import cache
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


def format_instant(instant: datetime, zone: str, *, with_date: bool = True) -> str:
    """``Sun 17 Oct 2021, 13:00 BST`` for ``instant`` seen in ``zone``."""
    local = instant.astimezone(ZoneInfo(zone))
    abbreviation = local.tzname() or zone
    if with_date:
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {abbreviation}"
    return f"{local:%H:%M} {abbreviation}"


def format_day(instant: datetime, zone: str) -> str:
    local = instant.astimezone(ZoneInfo(zone))
    return f"{local:%A} {local.day} {local:%B %Y}"
