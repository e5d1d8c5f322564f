"""The program as one JSON-ready document, typed.

The draft program is read from the tables into this shape; publishing freezes it as a
:class:`~conference.program.models.ProgramVersion`. Conflict checks, the changelog, the
attendee pages and every export read this shape, so they all see the same program.

Its shape is typed in :mod:`conference.program.documents`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import subqueryload

from conference.program.documents import (
    Changelog,
    ContentField,
    PersonDoc,
    PlacedDoc,
    PlacementDoc,
    SessionDoc,
    Snapshot,
    TalkDoc,
)
from conference.program.models import (
    Meeting,
    Person,
    ProgramSession,
    SessionChair,
    Stage,
    Talk,
    TalkSpeaker,
    Track,
)

SNAPSHOT_FORMAT = 1


def _person(person: Person) -> PersonDoc:
    return {
        "guid": person.guid,
        "name": person.name,
        "affiliation": person.affiliation,
        "country": person.country,
        "biography": person.biography,
        "photo_url": person.photo_url,
    }


async def draft_snapshot(db: AsyncSession, *, meeting: Meeting) -> Snapshot:
    """The current draft of ``meeting``'s program, in a fixed number of queries."""
    stages = (
        await db.scalars(
            select(Stage).where(Stage.meeting_id == meeting.id).order_by(Stage.position, Stage.id)
        )
    ).all()
    tracks = (
        await db.scalars(
            select(Track).where(Track.meeting_id == meeting.id).order_by(Track.position, Track.id)
        )
    ).all()
    sessions = (
        await db.scalars(
            select(ProgramSession)
            .where(ProgramSession.meeting_id == meeting.id)
            # subqueryload, not selectinload: selectin sends one statement per 500 parents,
            # so a big program would cost more queries than a small one.
            .options(
                subqueryload(ProgramSession.chairs).joinedload(SessionChair.person),
                subqueryload(ProgramSession.talks)
                .subqueryload(Talk.speakers)
                .joinedload(TalkSpeaker.person),
            )
            .order_by(ProgramSession.starts_at, ProgramSession.id)
        )
    ).all()
    stage_guid = {stage.id: stage.guid for stage in stages}
    stage_position = {stage.id: index for index, stage in enumerate(stages)}
    track_slug = {track.id: track.slug for track in tracks}
    people: dict[str, PersonDoc] = {}
    session_docs: list[SessionDoc] = []
    ordered = sorted(
        sessions,
        key=lambda s: (s.starts_at, stage_position.get(s.stage_id or -1, 1_000_000), s.id),
    )
    for session in ordered:
        for chair in session.chairs:
            people.setdefault(chair.person.guid, _person(chair.person))
        talks: list[TalkDoc] = []
        for talk in session.talks:
            for speaker in talk.speakers:
                people.setdefault(speaker.person.guid, _person(speaker.person))
            talks.append(
                {
                    "guid": talk.guid,
                    "title": talk.title,
                    "abstract": talk.abstract,
                    "starts_at": talk.starts_at.isoformat(),
                    "duration_minutes": talk.duration_minutes,
                    "may_be_recorded": talk.may_be_recorded,
                    "speakers": [speaker.person.guid for speaker in talk.speakers],
                }
            )
        session_docs.append(
            {
                "guid": session.guid,
                "title": session.title,
                "description": session.description,
                "type": session.session_type,
                "track": track_slug.get(session.track_id) if session.track_id else None,
                "stage": stage_guid.get(session.stage_id) if session.stage_id else None,
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
                "cme_accredited": session.cme_accredited,
                "cme_minutes": session.cme_minutes,
                "may_be_recorded": session.may_be_recorded,
                "chairs": [chair.person.guid for chair in session.chairs],
                "talks": talks,
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "meeting": {
            "slug": meeting.slug,
            "name": meeting.name,
            "short_name": meeting.short_name,
            "time_zone": meeting.time_zone,
            "starts_on": meeting.starts_on.isoformat(),
            "ends_on": meeting.ends_on.isoformat(),
            "website": meeting.website,
            "description": meeting.description,
        },
        "stages": [
            {"guid": s.guid, "name": s.name, "slug": s.slug, "room": s.room} for s in stages
        ],
        "tracks": [{"slug": t.slug, "name": t.name, "color": t.color} for t in tracks],
        "people": people,
        "sessions": session_docs,
    }


# What "changed" compares; time and stage make "moved".
_CONTENT: tuple[ContentField, ...] = (
    "title",
    "description",
    "type",
    "track",
    "chairs",
    "talks",
    "cme_accredited",
    "cme_minutes",
    "may_be_recorded",
)


def _moved(old: SessionDoc, new: SessionDoc) -> bool:
    return (old["starts_at"], old["ends_at"], old["stage"]) != (
        new["starts_at"],
        new["ends_at"],
        new["stage"],
    )


def changelog(previous: Snapshot | None, current: Snapshot) -> Changelog:
    """What was added, moved (old and new time and stage), changed and cancelled."""
    before = {s["guid"]: s for s in previous["sessions"]} if previous else {}
    after = {s["guid"]: s for s in current["sessions"]}
    stage_names = {
        st["guid"]: st["name"]
        for snap in ((previous, current) if previous else (current,))
        for st in snap["stages"]
    }

    def where(session: SessionDoc) -> PlacementDoc:
        return {
            "starts_at": session["starts_at"],
            "ends_at": session["ends_at"],
            "stage": stage_names.get(session["stage"]) if session["stage"] else None,
        }

    def placed(guid: str, session: SessionDoc) -> PlacedDoc:
        return {"guid": guid, "title": session["title"], **where(session)}

    log: Changelog = {"added": [], "moved": [], "changed": [], "cancelled": []}
    for guid, session in after.items():
        old = before.get(guid)
        if old is None:
            log["added"].append(placed(guid, session))
            continue
        if _moved(old, session):
            log["moved"].append(
                {"guid": guid, "title": session["title"], "old": where(old), "new": where(session)}
            )
        fields = [key for key in _CONTENT if old.get(key) != session.get(key)]
        if fields:
            log["changed"].append({"guid": guid, "title": session["title"], "fields": fields})
    for guid, session in before.items():
        if guid not in after:
            log["cancelled"].append(placed(guid, session))
    return log


def change_counts(log: Changelog) -> dict[str, int]:
    """How many sessions a changelog added, moved, changed and cancelled."""
    return {
        "added": len(log["added"]),
        "moved": len(log["moved"]),
        "changed": len(log["changed"]),
        "cancelled": len(log["cancelled"]),
    }
