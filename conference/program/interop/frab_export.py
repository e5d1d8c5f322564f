"""Our published program as a frab/c3voc schedule JSON document.

The document follows ../shared/interop/frab-schedule.schema.json: each of our sessions is
an event on its stage's room, its chairs and speakers are the event's persons. An event
has no place for talks, so they are listed in the event's ``description`` for other
readers, and carried exactly (with what else frab cannot say: chairs, CME, a stage's
physical room, affiliations) under ``conference.meta["cytokines-conference"]``, which lets
our own export come back in unchanged (see :mod:`conference.program.interop.frab_import`).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from conference.program.interop.plan import normal_guid
from conference.program.published.program import PersonView, PublishedProgram, SessionView
from conference.program.schemas import slugify

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
META_KEY = "cytokines-conference"
META_FORMAT = 1
NO_STAGE_ROOM = "Unassigned"
_FRAB_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
_FRAB_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def frab_acronym(slug: str) -> str:
    """Our meeting slug in the schema's acronym form (``cytokines-2021`` → ``cytokines_2021``)."""
    return re.sub(r"[^a-z0-9_]", "_", slug.lower()).ljust(4, "_")


def event_id(guid: str) -> int:
    """A stable positive integer for the deprecated, still required, event ``id``."""
    return uuid.UUID(normal_guid(guid)).int % 2_000_000_000 + 1


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _person(person: PersonView) -> dict[str, Any]:
    # name without an integer id: the schema's Person is oneOf frab's and pretalx's shapes.
    doc: dict[str, Any] = {
        "guid": person.guid,
        "name": person.name,
        "public_name": person.name,
        "biography": person.biography or None,
    }
    if person.photo_url.startswith(("https://", "http://")):
        doc["avatar"] = person.photo_url
    return doc


def _listing(session: SessionView, zone: ZoneInfo) -> str | None:
    """Chairs and talks in words, for readers that know nothing of our talks."""
    lines = []
    if session.chairs:
        lines += ["Chairs: " + ", ".join(p.name for p in session.chairs), ""]
    if session.talks:
        lines.append("Talks:")
    for talk in session.talks:
        who = ", ".join(
            p.name + (f" ({p.affiliation})" if p.affiliation else "") for p in talk.speakers
        )
        start, end = talk.starts_at.astimezone(zone), talk.ends_at.astimezone(zone)
        lines.append(f"{start:%H:%M}-{end:%H:%M} {talk.title}" + (f", by {who}" if who else ""))
    return "\n".join(lines) or None


def _event(
    session: SessionView, *, room: str, acronym: str, base: str, zone: ZoneInfo
) -> dict[str, Any]:
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    number = event_id(session.guid)
    slug = f"{acronym}-{number}-{slugify(session.title)}"[:100].rstrip("-_")
    return {
        "guid": session.guid,
        "id": number,
        "date": start.isoformat(),
        "start": f"{start:%H:%M}",
        "end": end.isoformat(),
        "duration": _hhmm(int((session.ends_at - session.starts_at).total_seconds()) // 60),
        "room": room,
        "slug": slug,
        "url": f"{base}/program/sessions/{session.guid}",
        "title": session.title,
        "subtitle": None,
        "track": session.track.name if session.track else None,
        "type": session.type.value,
        "language": "en",
        "abstract": session.description or None,
        "description": _listing(session, zone),
        "do_not_record": not session.may_be_recorded,
        "persons": [_person(p) for p in session.people],
        "links": [],
    }


def _meta(program: PublishedProgram) -> dict[str, Any]:
    """What frab has no field for, exactly as we hold it."""
    return {
        "format": META_FORMAT,
        "program_version": program.number,
        "stages": {s.guid: {"room": s.room} for s in program.stages},
        "people": {
            p.guid: {"affiliation": p.affiliation, "country": p.country, "photo_url": p.photo_url}
            for p in program.people.values()
        },
        "sessions": {
            s.guid: {
                "stage": s.stage.guid if s.stage else None,
                "cme_accredited": s.cme_accredited,
                "cme_minutes": s.cme_minutes,
                "chairs": [p.guid for p in s.chairs],
                "talks": [
                    {
                        "guid": t.guid,
                        "title": t.title,
                        "abstract": t.abstract,
                        "starts_at": t.starts_at.astimezone(program.zone).isoformat(),
                        "duration_minutes": int((t.ends_at - t.starts_at).total_seconds()) // 60,
                        "speakers": [p.guid for p in t.speakers],
                        "may_be_recorded": t.may_be_recorded,
                    }
                    for t in s.talks
                ],
            }
            for s in program.sessions
        },
    }


def export_schedule(program: PublishedProgram, *, base_url: str, generator: str) -> dict[str, Any]:
    """The published ``program`` as a frab/c3voc schedule document.

    Days are the meeting's days in its zone, plus any day a session falls on outside them
    (published with a warning), so that no session is left out.
    """
    meeting = program.meeting
    zone, base = program.zone, base_url.rstrip("/")
    acronym = frab_acronym(meeting["slug"])
    dates = sorted(
        set(program.days()) | {s.starts_at.astimezone(zone).date() for s in program.sessions}
    )
    rooms: dict[date, dict[str, list[dict[str, Any]]]] = {
        d: {s.name: [] for s in program.stages} for d in dates
    }
    for session in program.sessions:
        room = session.stage.name if session.stage else NO_STAGE_ROOM
        day = rooms[session.starts_at.astimezone(zone).date()]
        event = _event(session, room=room, acronym=acronym, base=base, zone=zone)
        day.setdefault(room, []).append(event)
    conference: dict[str, Any] = {
        "acronym": acronym,
        "title": meeting["name"],
        "start": dates[0].isoformat(),
        "end": dates[-1].isoformat(),
        "daysCount": len(dates),
        "timeslot_duration": "00:05",
        "url": meeting["website"] or f"{base}/",
        "tracks": [
            {"name": t.name, "color": t.color}
            | ({"slug": t.slug} if _FRAB_SLUG.match(t.slug) else {})
            for t in program.tracks
        ],
        "rooms": [
            {"name": s.name, "guid": s.guid, "type": "lecturehall" if s.room else "online"}
            | ({"slug": s.slug} if _FRAB_SLUG.match(s.slug) else {})
            for s in program.stages
        ],
        "days": [
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": datetime.combine(day, time(0), zone).isoformat(),
                "day_end": datetime.combine(day + timedelta(days=1), time(0), zone).isoformat(),
                "rooms": rooms[day],
            }
            for index, day in enumerate(dates, start=1)
        ],
        "meta": {META_KEY: _meta(program)},
    }
    if meeting["description"]:
        conference["description"] = meeting["description"]
    if _FRAB_ZONE.match(program.time_zone):
        conference["time_zone_name"] = program.time_zone
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": META_KEY, "version": generator},
        "schedule": {
            "version": str(program.number),
            "base_url": f"{base}/",
            "conference": conference,
        },
    }
