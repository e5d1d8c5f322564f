"""The newer frab/c3voc "schedule2" form: events in one list, rooms and people referenced.

The hub and recent c3voc tools write a schedule whose events sit under
``schedule.events`` (not under ``schedule.conference.days[].rooms``), each naming its room
by GUID (``{"guid": …, "name": …}``), its track by name or ``{"slug": …}``, its people as
``participants`` described once in ``schedule.persons``, and its times as ISO 8601
``start``/``end`` with their UTC offsets. :func:`classic_events` rewrites each event in the
classic form that :mod:`conference.program.interop.frab_import` reads, so both forms go through the
same checks; problems name the schedule2 path (``schedule.events[3].room``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from conference.program.interop.plan import instant, normal_guid, refuse


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Ref(_Loose):
    guid: str | None = None
    name: str | None = None
    slug: str | None = None


class _Image(_Loose):
    url: str | None = None


class _Participant(_Loose):
    guid: str | None = None
    name: str | None = None
    public_name: str | None = None
    role: str | None = None


class _Person(_Participant):
    biography: str | None = None
    avatar: _Image | str | None = None


# Abstracts and descriptions may be one text or one per language ({"en": …, "de": …}).
_Text = str | dict[str, str | None] | None


class _Event(_Loose):
    guid: str | None = None
    code: str | None = None
    id: int | None = None
    start: str | None = None
    end: str | None = None
    duration: str | None = None  # deprecated in schedule2, still written by some tools
    room: _Ref | str | None = None
    title: str
    subtitle: str | None = None
    track: _Ref | str | None = None
    type: str | None = None
    abstract: _Text = None
    description: _Text = None
    do_not_record: bool | None = None
    participants: list[_Participant] = []
    persons: list[_Person] = []  # some generators keep frab's name inside events


_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class ClassicEvent:
    """One schedule2 event in the classic form, with its path and its room's name."""

    where: str
    room: str
    event: dict[str, Any]


def is_schedule2(schedule: dict[str, Any]) -> bool:
    """Whether a ``schedule`` object holds its events in the schedule2 list."""
    return "events" in schedule


def classic_events(schedule: dict[str, Any]) -> list[ClassicEvent]:
    """The events of a schedule2 ``schedule`` object (parsed JSON), in the classic form.

    Refuses (naming the path) an event whose room, times or people cannot be resolved.
    """
    raw_events = schedule.get("events")
    if not isinstance(raw_events, list):
        raise refuse("schedule.events", "must be a list of events")
    conference = schedule.get("conference")
    conference = conference if isinstance(conference, dict) else {}
    rooms = _rooms(conference.get("rooms"))
    tracks = _tracks(conference.get("tracks"))
    people = _people(schedule.get("persons"))
    found = []
    for i, raw in enumerate(raw_events):
        where = f"schedule.events[{i}]"
        event = _validate(_Event, raw, where)
        found.append(_classic(event, where, rooms=rooms, tracks=tracks, people=people))
    return found


def _validate(model: type[_M], raw: object, where: str) -> _M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        message = re.sub(r"a valid dictionary or instance of \w+", "a JSON object", error["msg"])
        raise refuse(where + path, message) from None


def _rooms(raw: object) -> dict[str, list[str]]:
    """Room names by GUID; a GUID given to several rooms keeps all their names."""
    names: dict[str, list[str]] = {}
    for room in raw if isinstance(raw, list) else []:
        if isinstance(room, dict) and isinstance(room.get("guid"), str):
            name = room.get("name")
            if isinstance(name, str) and name.strip():
                listed = names.setdefault(normal_guid(room["guid"]), [])
                if name.strip() not in listed:
                    listed.append(name.strip())
    return names


def _tracks(raw: object) -> dict[str, str]:
    """Track names by slug."""
    return {
        track["slug"]: track["name"]
        for track in (raw if isinstance(raw, list) else [])
        if isinstance(track, dict)
        and isinstance(track.get("slug"), str)
        and isinstance(track.get("name"), str)
    }


def _people(raw: object) -> dict[str, _Person]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise refuse("schedule.persons", "must be a list of people")
    people = {}
    for i, item in enumerate(raw):
        person = _validate(_Person, item, f"schedule.persons[{i}]")
        if person.guid:
            people[normal_guid(person.guid)] = person
    return people


def _text(value: _Text) -> str | None:
    """One text from a text or a text per language (English first, else the first given)."""
    if not isinstance(value, dict):
        return value
    given = [t for t in value.values() if t and t.strip()]
    return value.get("en") or (given[0] if given else None)


def _room(event: _Event, where: str, rooms: dict[str, list[str]]) -> str:
    ref = event.room
    if isinstance(ref, str):
        ref = _Ref(name=ref)
    if ref is None or not (ref.guid or ref.name):
        raise refuse(f"{where}.room", "missing: an event needs its room")
    named = (ref.name or "").strip()
    listed = rooms.get(normal_guid(ref.guid), []) if ref.guid else []
    if len(listed) == 1:  # the room list is the authority on a room's name
        return listed[0]
    if named:
        return named
    if listed:
        raise refuse(
            f"{where}.room",
            f"the room GUID {ref.guid} belongs to several rooms ({', '.join(listed)}): "
            "name the event's room",
        )
    raise refuse(f"{where}.room", f"no room with GUID {ref.guid} in schedule.conference.rooms")


def _track(event: _Event, tracks: dict[str, str]) -> str | None:
    ref = event.track
    if ref is None or isinstance(ref, str):
        return ref
    return ref.name or (tracks.get(ref.slug, ref.slug) if ref.slug else None)


def _person(participant: _Participant, people: dict[str, _Person]) -> dict[str, Any]:
    known = people.get(normal_guid(participant.guid)) if participant.guid else None
    avatar = known.avatar if known else None
    return {
        "guid": participant.guid,
        "name": participant.name or (known.name if known else None),
        "public_name": participant.public_name or (known.public_name if known else None),
        "biography": known.biography if known else None,
        "avatar": avatar.url if isinstance(avatar, _Image) else avatar,
    }


def _classic(
    event: _Event,
    where: str,
    *,
    rooms: dict[str, list[str]],
    tracks: dict[str, str],
    people: dict[str, _Person],
) -> ClassicEvent:
    if not event.start:
        raise refuse(f"{where}.start", "missing: an event needs its start with a UTC offset")
    instant(event.start, f"{where}.start")
    if event.end:
        instant(event.end, f"{where}.end")
    persons = [_person(p, people) for p in event.participants] + [
        _person(p, {normal_guid(p.guid): p} if p.guid else {}) for p in event.persons
    ]
    classic: dict[str, Any] = {
        "guid": event.guid or event.code,
        "id": event.id,
        "date": event.start,
        "end": event.end,
        "duration": event.duration,
        "title": event.title,
        "track": _track(event, tracks),
        "type": event.type,
        "abstract": _text(event.abstract),
        "description": _text(event.description),
        "do_not_record": event.do_not_record,
        "persons": persons,
    }
    return ClassicEvent(where=where, room=_room(event, where, rooms), event=classic)
