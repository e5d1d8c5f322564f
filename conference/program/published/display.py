"""How the attendee pages show the program: the display zone, times in it, and links.

Every time on a program page is shown in one zone, which the page names. The viewer's own
zone is the default; ``?zone=meeting`` switches to the meeting's, and that choice travels
with the links between program pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from conference.timezones import (
    ZoneChoice,
    clock,
    day_label,
    display_zone,
    short_day,
    short_span,
    span,
    zone_abbreviation,
)

__all__ = ["Links", "Zones", "parse_zone_choice", "template_helpers"]


def parse_zone_choice(raw: str | None) -> tuple[ZoneChoice | None, str | None]:
    """(choice, None) for a valid ``zone`` parameter, else (None, a message for the page)."""
    if raw is None or raw == "":
        return None, None
    if raw == "mine":
        return "mine", None
    if raw == "meeting":
        return "meeting", None
    return None, f'Unknown time zone choice "{raw[:40]}": use "mine" or "meeting".'


@dataclass(frozen=True)
class Zones:
    """The zone a page shows times in, and what the zone switch offers."""

    zone: str
    meeting_zone: str
    user_zone: str | None
    choice: ZoneChoice | None

    @classmethod
    def for_viewer(
        cls, *, user_zone: str | None, meeting_zone: str, choice: ZoneChoice | None
    ) -> Zones:
        """The zones for a viewer (None: not signed in) and their ``zone=`` choice."""
        zone = display_zone(user_zone=user_zone, meeting_zone=meeting_zone, choice=choice)
        return cls(zone=zone, meeting_zone=meeting_zone, user_zone=user_zone, choice=choice)

    @property
    def is_meeting_zone(self) -> bool:
        """True when times are shown in the meeting's own zone."""
        return self.zone == self.meeting_zone

    @property
    def can_switch(self) -> bool:
        """Only a signed-in viewer whose zone differs from the meeting's has two to choose."""
        return self.user_zone is not None and self.user_zone != self.meeting_zone

    @property
    def param(self) -> dict[str, str]:
        """The query parameter that keeps an explicit choice of the meeting's zone."""
        return {"zone": "meeting"} if self.choice == "meeting" else {}


class Links:
    """Builds the page's links so filters, view and zone choice are kept or changed."""

    def __init__(self, path: str, params: Mapping[str, str], zones: Zones) -> None:
        self.path = path
        self.params = dict(params)
        self.zones = zones

    def here(self, **changes: Any) -> str:
        """This page with some parameters changed (``None`` or ``""`` removes one)."""
        merged: dict[str, Any] = {**self.params, **changes}
        return _with_query(self.path, merged)

    def to(self, path: str, **params: Any) -> str:
        """Another program page, keeping the viewer's choice of zone."""
        return _with_query(path, {**self.zones.param, **params})

    def session(self, guid: str) -> str:
        """A session's page."""
        return self.to(f"/program/sessions/{guid}")

    def speaker(self, guid: str) -> str:
        """A speaker's page."""
        return self.to(f"/program/speakers/{guid}")

    def zone_switch(self, choice: ZoneChoice) -> str:
        """This page in the viewer's own zone (``mine``) or the meeting's."""
        return self.here(zone=None if choice == "mine" else "meeting")


def _with_query(path: str, params: Mapping[str, Any]) -> str:
    kept = {key: str(value) for key, value in params.items() if value not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


def template_helpers(links: Links, zones: Zones) -> dict[str, Any]:
    """What every program template needs to show times and link onwards."""
    zone = zones.zone
    return {
        "zones": zones,
        "zone": zone,
        "links": links,
        "clock": lambda instant: clock(instant, zone),
        "span": lambda start, end: span(start, end, zone),
        "short_span": lambda start, end: short_span(start, end, zone),
        "short_day": lambda instant: short_day(instant, zone),
        "abbreviation": lambda instant: zone_abbreviation(instant, zone),
        "day_label": day_label,
    }
