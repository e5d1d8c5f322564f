"""iCalendar output, parsed back with the icalendar library: times, zones, UIDs, sequences."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar, Event

from tests.factories import UserFactory, sign_in
from tests.program.factories import API
from tests.program.sample_program import ORGANIZER, Sample, become, publish_sample

pytestmark = pytest.mark.usefixtures("demo_meeting")

LONDON = ZoneInfo("Europe/London")
ICS = "text/calendar; charset=utf-8"


@pytest.fixture
async def sample(client: httpx.AsyncClient, users: UserFactory) -> Sample:
    return await publish_sample(client, users)


def parse(response: httpx.Response) -> Calendar:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == ICS
    return Calendar.from_ical(response.content)


def by_summary(calendar: Calendar) -> dict[str, Event]:
    return {str(event["SUMMARY"]): event for event in calendar.events}


def start(event: Event) -> datetime:
    value = event.start
    assert isinstance(value, datetime)
    return value


def end(event: Event) -> datetime:
    value = event.end
    assert isinstance(value, datetime)
    return value


async def test_session_ics(client: httpx.AsyncClient, sample: Sample) -> None:
    response = await client.get(f"/program/sessions/{sample.keynote}.ics")
    assert (
        response.headers["content-disposition"] == 'attachment; filename="interferon-keynote.ics"'
    )
    calendar = parse(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    [event] = calendar.events
    assert str(event["UID"]) == f"{sample.keynote}@testserver"
    assert str(event["SUMMARY"]) == "Interferon keynote"
    # Exact instants, written in the meeting's zone with its VTIMEZONE.
    assert start(event) == datetime(2021, 10, 18, 9, 0, tzinfo=LONDON)
    assert end(event) == datetime(2021, 10, 18, 10, 0, tzinfo=LONDON)
    assert str(start(event).tzinfo) == "Europe/London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert start(event).utcoffset() == timedelta(hours=1)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    assert calendar.get_missing_tzids() == set()
    assert str(event["LOCATION"]) == "Main Stage (Hall 1)"
    assert str(event["URL"]) == f"http://testserver/program/sessions/{sample.keynote}"
    assert event.sequence == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.DTSTAMP.tzinfo is not None  # UTC, the version's publication time
    assert str(event["DESCRIPTION"]) == (
        "The opening keynote.\n"
        "\n"
        "Plenary · Interferons\n"
        "CME accredited: 60 minutes\n"
        "Chairs: Chiara Chair (University of Glasgow)\n"
        "\n"
        "Talks (times in Europe/London):\n"
        "09:00\u201309:30 Type I interferon signalling\n"
        "  Ana Speaker (Cardiff University)\n"
        "\n"
        f"http://testserver/program/sessions/{sample.keynote}"
    )


async def test_meeting_ics_and_sequence_follow_versions(
    client: httpx.AsyncClient, sample: Sample
) -> None:
    response = await client.get("/program/meeting.ics")
    assert response.headers["content-disposition"] == 'attachment; filename="cytokines-2021.ics"'
    events = by_summary(parse(response))
    assert sorted(events) == ["Chemokine symposium", "Evening posters", "Interferon keynote"]
    posters = events["Evening posters"]
    assert start(posters) == datetime(2021, 10, 19, 17, 0, tzinfo=LONDON)
    assert start(posters).astimezone(ZoneInfo("Asia/Tokyo")) == datetime(
        2021, 10, 20, 1, 0, tzinfo=ZoneInfo("Asia/Tokyo")
    )
    assert str(posters["LOCATION"]) == "Stage B"
    assert {e.sequence for e in events.values()} == {1}

    shifted = await client.post(
        f"{API}/draft/sessions/bulk-shift",
        json={"session_ids": [sample.posters_id], "shift_minutes": 30},
    )
    assert shifted.status_code == 200
    assert (await client.post(f"{API}/publish", json={})).status_code == 201
    events = by_summary(parse(await client.get("/program/meeting.ics")))
    assert start(events["Evening posters"]) == datetime(2021, 10, 19, 17, 30, tzinfo=LONDON)
    assert {e.sequence for e in events.values()} == {2}
    # The UID stays the same across versions, so calendars update instead of duplicating.
    assert str(events["Evening posters"]["UID"]) == f"{sample.posters}@testserver"


async def test_ics_refusals(client: httpx.AsyncClient, users: UserFactory) -> None:
    assert (await client.get("/program/meeting.ics")).status_code == 404
    await publish_sample(client, users)
    missing = await client.get("/program/sessions/not-a-session.ics")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No published session not-a-session.", "code": "notfound"}


async def test_feed_marks_cancelled_starred_sessions(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample
) -> None:
    await become(client, users, time_zone="Asia/Tokyo")
    for guid in (sample.keynote, sample.posters):
        assert (await client.put(f"/api/v1/agenda/stars/{guid}")).status_code == 200
    page = (await client.get("/agenda", headers={"Accept": "text/html"})).text
    found = re.search(r'value="http://testserver(/agenda/feed/[^"]+)"', page)
    assert found is not None
    feed = found.group(1)

    response = await client.get(feed)
    assert response.headers["content-disposition"] == 'inline; filename="my-agenda.ics"'
    assert response.headers["cache-control"] == "private, max-age=300"
    calendar = parse(response)
    assert str(calendar["X-WR-CALNAME"]).startswith("My agenda · ")
    assert calendar.refresh_interval == timedelta(hours=1)
    assert sorted(by_summary(calendar)) == ["Evening posters", "Interferon keynote"]

    attendee = dict(client.cookies)
    client.cookies.clear()
    await sign_in(client, ORGANIZER)
    assert (await client.delete(f"{API}/draft/sessions/{sample.posters_id}")).status_code == 204
    assert (await client.post(f"{API}/publish", json={})).status_code == 201
    client.cookies.clear()
    client.cookies.update(attendee)

    events = by_summary(parse(await client.get(feed)))
    assert sorted(events) == ["Cancelled: Evening posters", "Interferon keynote"]
    cancelled = events["Cancelled: Evening posters"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == f"{sample.posters}@testserver"
    assert cancelled.sequence == 2
    assert start(cancelled) == datetime(2021, 10, 19, 17, 0, tzinfo=LONDON)


async def test_feed_refresh_is_an_rfc_7986_duration(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample
) -> None:
    await become(client, users, time_zone="Europe/London")
    assert (await client.put(f"/api/v1/agenda/stars/{sample.keynote}")).status_code == 200
    page = (await client.get("/agenda", headers={"Accept": "text/html"})).text
    found = re.search(r'value="http://testserver(/agenda/feed/[^"]+)"', page)
    assert found is not None
    response = await client.get(found.group(1))
    lines = response.text.splitlines()
    # RFC 7986 §5.7: REFRESH-INTERVAL carries VALUE=DURATION; the older X-PUBLISHED-TTL
    # is an ISO 8601 duration too (it was written as Python's "1:00:00").
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    calendar = parse(response)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar.refresh_interval == timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    # The meeting's public calendar is not a feed: it names no refresh interval.
    public = (await client.get("/program/meeting.ics")).text.splitlines()
    assert not [line for line in public if line.startswith(("REFRESH-INTERVAL", "X-PUBLISHED"))]
