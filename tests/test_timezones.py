"""How instants are written in a zone (conference/timezones.py): one set of formats for the
program pages, the streaming pages, the console and the templates' filters."""

from __future__ import annotations

from datetime import UTC, date, datetime

from conference import timezones
from conference.console.web import LocalTimes

# 17 Oct 2021, 12:00 UTC: 13:00 in London (BST), 21:00 in Tokyo, 17:30 in Kolkata.
NOON = datetime(2021, 10, 17, 12, 0, tzinfo=UTC)
EVENING = datetime(2021, 10, 17, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
PAST_MIDNIGHT = datetime(2021, 10, 17, 15, 30, tzinfo=UTC)  # 00:30 on the 18th in Tokyo


def test_an_instant_and_its_day() -> None:
    assert timezones.format_instant(NOON, "Europe/London") == "Sun 17 Oct 2021, 13:00 BST"
    assert timezones.format_instant(NOON, "Asia/Tokyo", with_date=False) == "21:00 JST"
    assert timezones.format_instant(NOON, "Asia/Kolkata") == "Sun 17 Oct 2021, 17:30 IST"
    assert timezones.format_day(PAST_MIDNIGHT, "Asia/Tokyo") == "Monday 18 October 2021"
    assert timezones.clock(NOON, "Asia/Tokyo") == "21:00"
    assert timezones.short_day(PAST_MIDNIGHT, "Asia/Tokyo") == "Mon 18 Oct"
    assert timezones.day_label(date(2021, 10, 18)) == "Monday 18 October"
    assert timezones.zone_abbreviation(NOON, "Asia/Kabul") == "+0430"


def test_spans_name_the_second_day_only_when_there_is_one() -> None:
    assert timezones.span(NOON, EVENING, "Asia/Tokyo") == "Sun 17 Oct 2021, 21:00\u201323:30 JST"
    assert (
        timezones.span(NOON, PAST_MIDNIGHT, "Asia/Tokyo")
        == "Sun 17 Oct 2021, 21:00 JST \u2013 Mon 18 Oct 2021, 00:30 JST"
    )
    assert timezones.short_span(NOON, EVENING, "Asia/Tokyo") == "21:00\u201323:30"
    assert timezones.short_span(NOON, PAST_MIDNIGHT, "Asia/Tokyo") == "21:00\u201300:30 (next day)"


def test_the_console_writes_times_as_the_site_does() -> None:
    times = LocalTimes("Asia/Tokyo")
    assert times.full(NOON) == timezones.format_instant(NOON, "Asia/Tokyo")
    assert times.clock(NOON) == "21:00"
    assert times.day(PAST_MIDNIGHT) == "Mon 18 Oct"
    assert times.input(NOON) == "2021-10-17T21:00"
    assert times.span(NOON, PAST_MIDNIGHT) == "Sun 17 Oct, 21:00\u2013Mon 18 Oct, 00:30"


def test_the_viewer_sees_their_own_zone_unless_they_ask_for_the_meetings() -> None:
    london, tokyo = "Europe/London", "Asia/Tokyo"
    assert timezones.display_zone(user_zone=tokyo, meeting_zone=london) == tokyo
    assert timezones.display_zone(user_zone=tokyo, meeting_zone=london, choice="mine") == tokyo
    assert timezones.display_zone(user_zone=tokyo, meeting_zone=london, choice="meeting") == london
    assert timezones.display_zone(user_zone=None, meeting_zone=london, choice="mine") == london
