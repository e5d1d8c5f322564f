"""Importing a program into the draft: one format-neutral plan, applied in one transaction.

The frab/pretalx JSON reader (:mod:`conference.program.interop.frab_import`) and the CSV reader
(:mod:`conference.program.interop.csv_import`) both turn a file into a
:class:`~conference.program.interop.plan.ProgramSpec`; :func:`apply_import` matches it
against the meeting's draft by GUID (then by name), writes the difference and reports it.
A dry run computes the very same difference and rolls back. Imports add and update; they
never delete a session that the file does not mention.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from conference.errors import Conflict
from conference.program import bounds
from conference.program.interop.csv_import import read_csv
from conference.program.interop.frab_documents import load_json
from conference.program.interop.frab_import import read_schedule
from conference.program.interop.matching import match_people, match_stages, match_tracks
from conference.program.interop.plan import (
    ImportDiff,
    ImportRefused,
    Problem,
    ProgramSpec,
    SessionRef,
    SessionSpec,
    SessionUpdated,
    TalkSpec,
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

ImportKind = Literal["json", "csv"]

# Reading -----------------------------------------------------------------------------


def parse_program(content: bytes, *, kind: ImportKind, source: str) -> ProgramSpec:
    """A file as an import plan: frab/pretalx schedule JSON or CSV; :class:`ImportRefused`
    names what is wrong with it. ``source`` keys the GUIDs derived for entries without one."""
    if kind == "csv":
        return read_csv(content, source=source)
    return read_schedule(load_json(content), source=source)


async def read_program(content: bytes, *, kind: ImportKind, source: str) -> ProgramSpec:
    """:func:`parse_program` in a worker thread.

    Decoding and validating a schedule of thousands of events takes long enough to stall
    every other request and websocket of the process if it ran on the event loop.
    """
    return await asyncio.to_thread(parse_program, content, kind=kind, source=source)


# Applying ----------------------------------------------------------------------------


async def apply_import(
    db: AsyncSession, *, meeting: Meeting, program: ProgramSpec, dry_run: bool
) -> ImportDiff:
    """Bring the draft in line with ``program``, all or nothing; return the difference.

    The import runs in a transaction of its own, on its own session: a refusal or a dry
    run rolls back only that, and the caller's objects (the signed-in user, the meeting)
    stay loaded. A dry run makes the same changes and rolls them back, so what it
    reports is exactly what the import would do, database constraints included.
    """
    _check_times(meeting, program)
    diff = ImportDiff(dry_run=dry_run, warnings=[str(w) for w in program.warnings])
    async with AsyncSession(db.bind, expire_on_commit=False) as work:
        try:
            await _check_guids(work, meeting=meeting, program=program)
            stages = await match_stages(work, meeting, program, diff)
            tracks = await match_tracks(work, meeting, program, diff)
            people = await match_people(work, program, diff)
            await work.flush()  # the new stages, tracks and people get their ids
            await _sessions(work, meeting, program, diff, stages, tracks, people)
            await work.flush()
            if dry_run:
                await work.rollback()
            else:
                await work.commit()
        except IntegrityError as exc:
            await work.rollback()
            raise Conflict(
                "The import clashes with a change made meanwhile; nothing was imported. Try again."
            ) from exc
    return diff


def _check_times(meeting: Meeting, program: ProgramSpec) -> None:
    """Refuse a file placing anything outside the meeting's window (see ``bounds``)."""
    problems: list[Problem] = []
    for session in program.sessions:
        found = bounds.problem(meeting, session.starts_at, session.ends_at, what="the session")
        if found is not None:
            problems.append(Problem(session.where, found))
            continue
        for i, talk in enumerate(session.talks):
            if not bounds.representable(talk.starts_at):
                found = "the talk is out of range"
            else:
                ends = talk.starts_at + timedelta(minutes=talk.duration_minutes)
                found = bounds.problem(meeting, talk.starts_at, ends, what="the talk")
            if found is not None:
                problems.append(Problem(f"{session.where}.talks[{i}]", found))
    if problems:
        raise ImportRefused(problems)


async def _check_guids(db: AsyncSession, *, meeting: Meeting, program: ProgramSpec) -> None:
    """GUIDs are unique site-wide: refuse duplicates in the file and other meetings' GUIDs."""
    problems: list[Problem] = []
    seen: set[str] = set()
    talk_where: dict[str, str] = {}
    for spec in program.sessions:
        if spec.guid in seen:
            problems.append(Problem(spec.where, f"the session GUID {spec.guid} appears twice"))
            continue
        seen.add(spec.guid)
        for talk in spec.talks:
            if talk.guid in talk_where or talk.guid in seen:
                problems.append(Problem(spec.where, f"the talk GUID {talk.guid} appears twice"))
            talk_where.setdefault(talk.guid, spec.where)
    where = {s.guid: s.where for s in program.sessions}
    if where:
        taken = await db.scalars(
            select(ProgramSession.guid).where(
                ProgramSession.guid.in_(list(where)), ProgramSession.meeting_id != meeting.id
            )
        )
        problems += [
            Problem(where[g], f"the GUID {g} is a session of another meeting") for g in taken
        ]
    if talk_where:
        taken = await db.scalars(
            select(Talk.guid)
            .join(ProgramSession)
            .where(Talk.guid.in_(list(talk_where)), ProgramSession.meeting_id != meeting.id)
        )
        problems += [
            Problem(talk_where[g], f"the GUID {g} is a talk of another meeting") for g in taken
        ]
    if problems:
        raise ImportRefused(problems)


def _ids(keys: list[str], people: dict[str, Person]) -> list[int]:
    return list(dict.fromkeys(people[k].id for k in keys))


def _talk_state(talk: Talk) -> tuple[object, ...]:
    speakers = [s.person_id for s in sorted(talk.speakers, key=lambda s: s.position)]
    return (talk.title, talk.abstract, talk.starts_at, talk.duration_minutes, speakers)


def _spec_state(talk: TalkSpec, people: dict[str, Person]) -> tuple[object, ...]:
    speakers = _ids(talk.speakers, people)
    return (talk.title, talk.abstract, talk.starts_at, talk.duration_minutes, speakers)


def _link_people(links: list[Any], person_ids: list[int], make: type[Any]) -> list[Any]:
    """Chair/speaker links for ``person_ids`` in order, reusing the existing rows (a
    replaced row would be inserted before the old one is deleted, against the unique key)."""
    current = {link.person_id: link for link in links}
    kept = []
    for position, person_id in enumerate(person_ids):
        link = current.pop(person_id, None) or make(person_id=person_id)
        link.position = position
        kept.append(link)
    return kept


async def _sessions(
    db: AsyncSession,
    meeting: Meeting,
    program: ProgramSpec,
    diff: ImportDiff,
    stages: dict[str, Stage],
    tracks: dict[str, Track],
    people: dict[str, Person],
) -> None:
    """Create or update each session in the file, with its chairs and talks."""
    existing = (
        await db.scalars(
            select(ProgramSession)
            .where(ProgramSession.meeting_id == meeting.id)
            .options(
                selectinload(ProgramSession.chairs),
                selectinload(ProgramSession.talks).selectinload(Talk.speakers),
            )
        )
    ).all()
    by_guid = {s.guid: s for s in existing}
    placed: list[tuple[ProgramSession, SessionSpec]] = []
    for spec in program.sessions:
        values: dict[str, Any] = {
            "title": spec.title,
            "description": spec.description,
            "session_type": spec.session_type.value,
            "track_id": tracks[spec.track].id if spec.track else None,
            "stage_id": stages[spec.stage].id if spec.stage else None,
            "starts_at": spec.starts_at,
            "ends_at": spec.ends_at,
            "cme_accredited": spec.cme_accredited,
            "cme_minutes": spec.cme_minutes,
            "may_be_recorded": spec.may_be_recorded,
        }
        chair_ids = _ids(spec.chairs, people)
        session = by_guid.get(spec.guid)
        if session is None:
            session = ProgramSession(guid=spec.guid, meeting_id=meeting.id, chairs=[], talks=[])
            db.add(session)
            diff.sessions.added.append(SessionRef(guid=spec.guid, title=spec.title))
        else:
            fields = [_FIELDS.get(k, k) for k, v in values.items() if getattr(session, k) != v]
            if [c.person_id for c in sorted(session.chairs, key=lambda c: c.position)] != chair_ids:
                fields.append("chairs")
            now = {t.guid: _talk_state(t) for t in session.talks}
            recorded = {t.guid: t.may_be_recorded for t in session.talks}
            if now != {t.guid: _spec_state(t, people) for t in spec.talks} or any(
                t.may_be_recorded not in (None, recorded.get(t.guid, True)) for t in spec.talks
            ):
                fields.append("talks")
            if fields:
                diff.sessions.updated.append(
                    SessionUpdated(guid=spec.guid, title=spec.title, fields=fields)
                )
            else:
                diff.sessions.unchanged += 1
        for key, value in values.items():
            setattr(session, key, value)
        session.chairs = _link_people(session.chairs, chair_ids, SessionChair)
        placed.append((session, spec))
    media = _release_talks(existing, program, diff)
    # The talks that left their session are deleted before any is made again elsewhere
    # under the same (unique) GUID.
    await db.flush()
    for session, spec in placed:
        current = {t.guid: t for t in session.talks}
        for wanted in spec.talks:
            talk = current.get(wanted.guid)
            if talk is None:
                talk = Talk(guid=wanted.guid, prerecorded_media=media.get(wanted.guid), speakers=[])
                session.talks.append(talk)
            talk.title, talk.abstract = wanted.title, wanted.abstract
            talk.starts_at, talk.duration_minutes = wanted.starts_at, wanted.duration_minutes
            if wanted.may_be_recorded is not None:
                talk.may_be_recorded = wanted.may_be_recorded
            speaker_ids = _ids(wanted.speakers, people)
            talk.speakers = _link_people(talk.speakers, speaker_ids, TalkSpeaker)


_FIELDS = {"session_type": "type", "track_id": "track", "stage_id": "stage"}


def _release_talks(
    existing: Sequence[ProgramSession], program: ProgramSpec, diff: ImportDiff
) -> dict[str, str | None]:
    """Take out of their sessions the talks the file drops or places in another session.

    A session the file lists keeps exactly its listed talks; one it does not list only
    loses talks the file moves elsewhere. Returns the moved talks' pre-recorded media,
    which they keep in their new session.
    """
    home = {t.guid: spec.guid for spec in program.sessions for t in spec.talks}
    listed = {spec.guid for spec in program.sessions}
    media: dict[str, str | None] = {}
    for session in existing:
        keep = [
            t
            for t in session.talks
            if home.get(t.guid) == session.guid
            or (t.guid not in home and session.guid not in listed)
        ]
        if len(keep) == len(session.talks):
            continue
        media.update({t.guid: t.prerecorded_media for t in session.talks if t.guid in home})
        session.talks = keep
        if session.guid not in listed:
            diff.sessions.updated.append(
                SessionUpdated(guid=session.guid, title=session.title, fields=["talks"])
            )
    return media
