"""Reading a frab/c3voc schedule JSON document into an import plan.

Reads what pretalx and frab write (frab's integer ids, missing GUIDs, persons with only
``public_name``) into a :class:`~conference.program.interop.plan.ProgramSpec`. An event
from another system becomes a session holding one talk by the event's persons; an event
from our own export (:mod:`conference.program.interop.frab_export`) comes back exactly, from the
extras under ``conference.meta["cytokines-conference"]``.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from conference.program.interop.frab_documents import (
    DayDoc,
    Document,
    EventDoc,
    MetaSession,
    PersonDoc,
    json_path,
)
from conference.program.interop.frab_export import META_KEY
from conference.program.interop.frab_schedule2 import ClassicEvent, classic_events, is_schedule2
from conference.program.interop.plan import (
    MAX_NAME,
    MAX_PERSON_NAME,
    MAX_TEXT,
    MAX_TITLE,
    MAX_URL,
    PersonSpec,
    ProgramSpec,
    SessionSpec,
    StageSpec,
    TalkSpec,
    TrackSpec,
    clean_text,
    derived_guid,
    in_range,
    instant,
    normal_color,
    normal_guid,
    refuse,
    separate_shared_stage_guids,
    session_type_for,
)


def read_schedule(data: object, *, source: str) -> ProgramSpec:
    """A frab/pretalx schedule document (parsed JSON) as an import plan.

    ``source`` names the file's origin when the document does not (its conference URL
    or acronym); GUIDs derived for events without one are keyed on it. Anything wrong
    refuses the whole document, naming the first bad path.
    """
    if not isinstance(data, dict):
        raise refuse("", 'the document must be a JSON object holding a "schedule"')
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = re.sub(r"a valid dictionary or instance of \w+", "a JSON object", error["msg"])
        raise refuse(json_path(error["loc"]), message) from None
    # Checked by the validation above: a JSON object.
    schedule: dict[str, Any] = data["schedule"]
    later = classic_events(schedule) if is_schedule2(schedule) else []
    return _Reader(document, source).read(later)


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _duration(text: str, where: str) -> int:
    match = re.fullmatch(r"(\d{1,3}):([0-5]\d)(?::[0-5]\d)?", text.strip())
    if match is None:
        raise refuse(where, f"'{text}' is not a duration as HH:MM")
    return int(match.group(1)) * 60 + int(match.group(2))


class _Reader:
    def __init__(self, document: Document, source: str) -> None:
        self.conference = document.schedule.conference
        self.source = (
            self.conference.url
            or document.schedule.url
            or document.schedule.base_url
            or self.conference.acronym
            or source
        )
        meta = self.conference.meta
        self.ours = meta.ours if meta else None
        self.zone = _zone(self.conference.time_zone_name)
        self.spec = ProgramSpec()
        self.room_of_guid: dict[str, str] = {}

    def read(self, schedule2: list[ClassicEvent]) -> ProgramSpec:
        base = "schedule.conference"
        for i, doc in enumerate(self.conference.rooms):
            self._stage(doc.name, f"{base}.rooms[{i}].name", guid=doc.guid, slug=doc.slug)
        for guid in separate_shared_stage_guids(self.spec, "schedule.conference.rooms"):
            self.room_of_guid.pop(guid, None)
        for i, track in enumerate(self.conference.tracks):
            color = track.color or (track.colors or {}).get("light")
            self._track(track.name, f"{base}.tracks[{i}].name", track.slug, color)
        for d, day in enumerate(self.conference.days):
            for room, events in day.rooms.items():
                for e, event in enumerate(events):
                    self._session(event, day, room, f"{base}.days[{d}].rooms.{room}[{e}]")
        for item in schedule2:
            self._session(EventDoc.model_validate(item.event), DayDoc(), item.room, item.where)
        if not self.spec.sessions:
            # A form we do not read (or an empty file) must not look like a clean import.
            raise refuse(
                "schedule",
                "the file holds no events (looked in schedule.conference.days[].rooms and "
                "schedule.events): nothing to import",
            )
        return self.spec

    def _stage(
        self, name: str, where: str, *, guid: str | None = None, slug: str | None = None
    ) -> str:
        key = clean_text(name, where, MAX_NAME, required=True)
        if key not in self.spec.stages:
            normal = normal_guid(guid) if guid else None
            extra = self.ours.stages.get(guid or "") if self.ours else None
            self.spec.stages[key] = StageSpec(
                name=key, guid=normal, slug=slug, room=extra.room if extra else None
            )
            if normal:
                self.room_of_guid[normal] = key
        return key

    def _track(
        self, name: str | None, where: str, slug: str | None = None, color: str | None = None
    ) -> str:
        key = clean_text(name, where, MAX_NAME, required=True)
        if key not in self.spec.tracks:
            self.spec.tracks[key] = TrackSpec(name=key, slug=slug, color=normal_color(color))
        return key

    def _person(self, person: PersonDoc, where: str) -> str:
        name = clean_text(
            person.name or person.public_name, f"{where}.name", MAX_PERSON_NAME, required=True
        )
        if person.guid:
            guid = normal_guid(person.guid)
        else:
            local = next((v for v in (person.code, person.id) if v is not None), name)
            guid = derived_guid(self.source, "person", local)
        if guid not in self.spec.people:
            extra = self.ours.people.get(person.guid or "") if self.ours else None
            avatar = person.avatar or ""
            if not avatar.startswith(("https://", "http://")) or len(avatar) > MAX_URL:
                avatar = ""
            biography = person.biography
            if biography is not None:
                biography = clean_text(biography, f"{where}.biography", MAX_TEXT, strip=False)
            self.spec.people[guid] = PersonSpec(
                name=name,
                guid=guid,
                biography=biography,
                affiliation=extra.affiliation if extra else None,
                country=extra.country.upper() if extra else None,
                photo_url=extra.photo_url if extra else (avatar or None),
            )
        return guid

    def _start(self, event: EventDoc, day: DayDoc, where: str) -> datetime:
        if event.date:
            return instant(event.date, f"{where}.date")
        if event.start and day.on:
            clock = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", event.start.strip())
            if clock is None:
                raise refuse(f"{where}.start", f"'{event.start}' is not a time as HH:MM")
            if self.zone is None:
                raise refuse(
                    f"{where}.start",
                    f"'{event.start}' has no time zone: give the event a date with its UTC "
                    "offset, or the conference a time_zone_name",
                )
            local = time(int(clock.group(1)), int(clock.group(2)))
            return datetime.combine(day.on, local, self.zone)
        raise refuse(f"{where}.date", "missing: an event needs its date and time with a UTC offset")

    def _session(self, event: EventDoc, day: DayDoc, room: str, where: str) -> None:
        if event.guid:
            guid = normal_guid(event.guid)
        elif event.id is not None:
            guid = derived_guid(self.source, "event", event.id)
        else:
            raise refuse(f"{where}.guid", "an event needs a guid or an id")
        title = clean_text(event.title, f"{where}.title", MAX_TITLE, required=True)
        starts = in_range(self._start(event, day, where), f"{where}.date", str(day.on))
        if event.end:
            ends = instant(event.end, f"{where}.end")
        elif event.duration:
            ends = starts + timedelta(minutes=_duration(event.duration, f"{where}.duration"))
        else:
            raise refuse(f"{where}.duration", "missing: an event needs a duration or an end")
        if ends <= starts:
            raise refuse(f"{where}.duration", "an event must last at least one minute")
        persons = [self._person(p, f"{where}.persons[{j}]") for j, p in enumerate(event.persons)]
        track = self._track(event.track, f"{where}.track") if (event.track or "").strip() else None
        meta = self.ours.sessions.get(event.guid or "") if self.ours else None
        session = SessionSpec(
            guid=guid,
            title=title,
            where=where,
            starts_at=starts,
            ends_at=ends,
            session_type=session_type_for(event.type),
            track=track,
            may_be_recorded=not event.do_not_record,
        )
        if meta is None:
            text = "\n\n".join(
                t.strip() for t in (event.abstract, event.description) if t and t.strip()
            )
            session.description = clean_text(text, f"{where}.abstract", MAX_TEXT)
            session.stage = self._stage(room, f"{where}.room")
            minutes = int((ends - starts).total_seconds()) // 60
            if persons and minutes > 24 * 60:
                raise refuse(
                    f"{where}.duration", "an event with speakers must not last over 24 hours"
                )
            if persons:
                talk_guid = derived_guid(guid, "talk")
                session.talks = [
                    TalkSpec(talk_guid, title, session.description, starts, minutes, persons)
                ]
        else:
            self._ours(
                session,
                meta,
                event,
                room,
                f"schedule.conference.meta.{META_KEY}.sessions.{event.guid}",
            )
        self.spec.sessions.append(session)

    def _ours(
        self, session: SessionSpec, meta: MetaSession, event: EventDoc, room: str, where: str
    ) -> None:
        """Fill a session from our own export's extras: exact talks, chairs and CME."""
        where_abstract = f"{session.where}.abstract"
        session.description = clean_text(event.abstract, where_abstract, MAX_TEXT, strip=False)
        if meta.stage is None:
            session.stage = None
        else:
            known = self.room_of_guid.get(normal_guid(meta.stage))
            session.stage = known or self._stage(room, f"{session.where}.room")
        session.cme_accredited, session.cme_minutes = meta.cme_accredited, meta.cme_minutes
        session.chairs = [self._known(g, f"{where}.chairs[{i}]") for i, g in enumerate(meta.chairs)]
        for k, talk in enumerate(meta.talks):
            at = f"{where}.talks[{k}]"
            session.talks.append(
                TalkSpec(
                    guid=normal_guid(talk.guid),
                    title=clean_text(talk.title, f"{at}.title", MAX_TITLE, required=True),
                    abstract=clean_text(talk.abstract, f"{at}.abstract", MAX_TEXT, strip=False),
                    starts_at=instant(talk.starts_at, f"{at}.starts_at"),
                    duration_minutes=talk.duration_minutes,
                    speakers=[
                        self._known(g, f"{at}.speakers[{i}]") for i, g in enumerate(talk.speakers)
                    ],
                    may_be_recorded=talk.may_be_recorded,
                )
            )

    def _known(self, guid: str, where: str) -> str:
        key = normal_guid(guid)
        if key not in self.spec.people:
            raise refuse(where, f"no person {guid} among the event's persons")
        return key
