"""iCalendar (RFC 5545) for the published program: one session, the meeting, a personal feed.

Times are written in the meeting's zone with its VTIMEZONE, so a calendar shows the event
at the right instant wherever its user is, and the file still reads sensibly to a person.
Each event's UID is ``<session guid>@<host>`` (stable across versions, so re-importing
updates rather than duplicates), and SEQUENCE is the program's version number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration
from starlette.responses import Response

from conference.program.agenda.service import GoneStar
from conference.program.published.program import PublishedProgram, SessionView

PRODID = "-//Cytokines meeting platform//Program//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"
# Calendar apps poll a subscription; this is how often we suggest they do.
FEED_REFRESH = timedelta(hours=1)


def host_of(base_url: str) -> str:
    """The host that qualifies UIDs, from the site's base URL."""
    return urlsplit(base_url).hostname or "localhost"


def _description(session: SessionView, program: PublishedProgram, url: str) -> str:
    zone = program.zone
    lines: list[str] = []
    if session.description:
        lines += [session.description, ""]
    lines.append(f"{session.type_label}" + (f" · {session.track.name}" if session.track else ""))
    if session.cme_accredited:
        lines.append(f"CME accredited: {session.cme_minutes} minutes")
    if session.chairs:
        chairs = "; ".join(_person(p.name, p.affiliation) for p in session.chairs)
        lines.append(f"Chairs: {chairs}")
    if session.talks:
        lines += ["", f"Talks (times in {program.time_zone}):"]
        for talk in session.talks:
            start = talk.starts_at.astimezone(zone)
            end = talk.ends_at.astimezone(zone)
            lines.append(f"{start:%H:%M}\u2013{end:%H:%M} {talk.title}")
            if talk.speakers:
                lines.append(
                    "  " + "; ".join(_person(p.name, p.affiliation) for p in talk.speakers)
                )
    lines += ["", url]
    return "\n".join(lines)


def _person(name: str, affiliation: str) -> str:
    return f"{name} ({affiliation})" if affiliation else name


def session_event(
    session: SessionView, *, program: PublishedProgram, base_url: str, host: str
) -> Event:
    """The VEVENT of one published session."""
    url = f"{base_url}/program/sessions/{session.guid}"
    location = ""
    if session.stage is not None:
        location = session.stage.name + (f" ({session.stage.room})" if session.stage.room else "")
    event = Event.new(
        uid=f"{session.guid}@{host}",
        summary=session.title,
        start=session.starts_at.astimezone(program.zone),
        end=session.ends_at.astimezone(program.zone),
        stamp=program.published_at,
        sequence=program.number,
        description=_description(session, program, url),
        location=location or None,
        url=url,
        categories=[session.type_label] + ([session.track.name] if session.track else []),
    )
    event.add("status", "CONFIRMED")
    return event


def cancelled_event(gone: GoneStar, *, program: PublishedProgram, host: str) -> Event | None:
    """A CANCELLED VEVENT for a starred session a later version removed, if its time is known.

    Subscribed calendars then mark the event cancelled instead of keeping a stale entry.
    """
    if gone.starts_at is None or gone.ends_at is None:
        return None
    event = Event.new(
        uid=f"{gone.guid}@{host}",
        summary=f"Cancelled: {gone.title or 'session'}",
        start=gone.starts_at.astimezone(program.zone),
        end=gone.ends_at.astimezone(program.zone),
        stamp=program.published_at,
        sequence=program.number,
    )
    event.add("status", "CANCELLED")
    return event


def calendar(
    sessions: Iterable[SessionView],
    *,
    program: PublishedProgram,
    base_url: str,
    name: str,
    calendar_uid: str,
    gone: Iterable[GoneStar] = (),
    refresh: timedelta | None = None,
) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) holding ``sessions`` and cancellations of ``gone``."""
    host = host_of(base_url)
    events = [
        session_event(session, program=program, base_url=base_url, host=host)
        for session in sessions
    ]
    for item in gone:
        cancelled = cancelled_event(item, program=program, host=host)
        if cancelled is not None:
            events.append(cancelled)
    cal = Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name=name,
        uid=f"{calendar_uid}@{host}",
        url=base_url + "/program",
        subcomponents=events,
    )
    if refresh is not None:
        # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL (icalendar leaves it out).
        cal.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
        # Older clients (Outlook, Apple Calendar) read this instead; a bare timedelta would
        # be written as a Python "1:00:00", not the ISO 8601 duration they expect.
        cal.add("x-published-ttl", vDuration(refresh))
    # The zone's definition for the years the events fall in (a bounded VTIMEZONE).
    years = [e.start.year for e in events if isinstance(e.start, datetime)] or [
        program.first_day.year
    ]
    cal.add_missing_timezones(
        first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1)
    )
    return bytes(cal.to_ical())


def ics_response(
    body: bytes, *, filename: str, attachment: bool = True, private: bool = False
) -> Response:
    """``text/calendar`` with a file name; private feeds are not kept by shared caches."""
    disposition = "attachment" if attachment else "inline"
    return Response(
        content=body,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "private, max-age=300" if private else "public, max-age=300",
        },
    )
