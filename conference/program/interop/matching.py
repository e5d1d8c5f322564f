"""Matching an import plan's stages, tracks and people to the draft's rows.

Each is found by GUID or name (stages and tracks also by slug), updated with what the file
gives, or created; the changes are noted in the :class:`ImportDiff`. Part of
:func:`conference.program.interop.service.apply_import`, inside its transaction.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.limits import MAX_SLUG_LENGTH, SLUG_PATTERN
from conference.program.interop.plan import ImportDiff, ProgramSpec
from conference.program.models import Meeting, Person, Stage, Track, new_guid
from conference.program.schemas import slugify

_SLUG = re.compile(rf"^{SLUG_PATTERN}$")
DEFAULT_TRACK_COLOR = "#566172"


def _unique_slug(wanted: str | None, name: str, taken: set[str]) -> str:
    base = wanted if wanted and _SLUG.match(wanted) else slugify(name)
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: MAX_SLUG_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(slug)
    return slug


def _note(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


async def match_stages(
    db: AsyncSession, meeting: Meeting, program: ProgramSpec, diff: ImportDiff
) -> dict[str, Stage]:
    """Rooms become stages: matched by GUID, then name, then slug; others are created."""
    existing = (
        await db.scalars(
            select(Stage).where(Stage.meeting_id == meeting.id).order_by(Stage.position, Stage.id)
        )
    ).all()
    by_guid = {s.guid: s for s in existing}
    by_name: dict[str, Stage] = {}
    by_slug = {s.slug: s for s in existing}
    for row in existing:
        by_name.setdefault(row.name.casefold(), row)
    wanted = [s.guid for s in program.stages.values() if s.guid and s.guid not in by_guid]
    guids_taken = set(await db.scalars(select(Stage.guid).where(Stage.guid.in_(wanted))))
    slugs = set(by_slug)
    position = max((s.position for s in existing), default=-1) + 1
    found: dict[str, Stage] = {}
    for key, spec in program.stages.items():
        stage: Stage | None = (
            (by_guid.get(spec.guid) if spec.guid else None)
            or by_name.get(spec.name.casefold())
            or (by_slug.get(spec.slug) if spec.slug else None)
        )
        if stage is None:
            # A GUID held by another meeting's stage is not ours to reuse: make a new one.
            guid = spec.guid if spec.guid and spec.guid not in guids_taken else new_guid()
            stage = Stage(
                meeting_id=meeting.id,
                guid=guid,
                name=spec.name,
                slug=_unique_slug(spec.slug, spec.name, slugs),
                room=spec.room or "",
                position=position,
            )
            position += 1
            db.add(stage)
            by_name[spec.name.casefold()] = by_guid[guid] = stage
            _note(diff.stages.added, spec.name)
        else:
            changed = False
            if spec.guid == stage.guid and spec.name != stage.name:
                stage.name, changed = spec.name, True
            if spec.room is not None and spec.room != stage.room:
                stage.room, changed = spec.room, True
            if changed and spec.name not in diff.stages.added:
                _note(diff.stages.updated, spec.name)
        found[key] = stage
    return found


async def match_tracks(
    db: AsyncSession, meeting: Meeting, program: ProgramSpec, diff: ImportDiff
) -> dict[str, Track]:
    """Tracks are matched by name, then slug; a colour in the file is taken."""
    existing = (await db.scalars(select(Track).where(Track.meeting_id == meeting.id))).all()
    by_name: dict[str, Track] = {}
    for row in sorted(existing, key=lambda t: (t.position, t.id)):
        by_name.setdefault(row.name.casefold(), row)
    by_slug = {t.slug: t for t in existing}
    slugs = set(by_slug)
    position = max((t.position for t in existing), default=-1) + 1
    found: dict[str, Track] = {}
    for key, spec in program.tracks.items():
        track: Track | None = by_name.get(spec.name.casefold()) or (
            by_slug.get(spec.slug) if spec.slug else None
        )
        if track is None:
            track = Track(
                meeting_id=meeting.id,
                name=spec.name,
                slug=_unique_slug(spec.slug, spec.name, slugs),
                color=spec.color or DEFAULT_TRACK_COLOR,
                position=position,
            )
            position += 1
            db.add(track)
            by_name[spec.name.casefold()] = track
            _note(diff.tracks.added, spec.name)
        elif spec.color and spec.color != track.color.lower():
            track.color = spec.color
            if spec.name not in diff.tracks.added:
                _note(diff.tracks.updated, spec.name)
        found[key] = track
    return found


_PERSON_FIELDS = ("affiliation", "country", "biography", "photo_url")


async def match_people(
    db: AsyncSession, program: ProgramSpec, diff: ImportDiff
) -> dict[str, Person]:
    """People are matched by GUID, then by exact name; what the file gives is taken."""
    specs = list(program.people.values())
    guids = [p.guid for p in specs if p.guid]
    names = [p.name for p in specs]
    rows = (
        await db.scalars(
            select(Person)
            .where(or_(Person.guid.in_(guids), Person.name.in_(names)))
            .order_by(Person.id)
        )
    ).all()
    by_guid = {p.guid: p for p in rows}
    by_name: dict[str, Person] = {}
    for row in rows:
        by_name.setdefault(row.name, row)
    found: dict[str, Person] = {}
    for key, spec in program.people.items():
        person = (by_guid.get(spec.guid) if spec.guid else None) or by_name.get(spec.name)
        if person is None:
            person = Person(
                guid=spec.guid or new_guid(),
                name=spec.name,
                **{name: getattr(spec, name) or "" for name in _PERSON_FIELDS},
            )
            db.add(person)
            by_guid[person.guid] = by_name[spec.name] = person
            _note(diff.people.added, spec.name)
        else:
            changes = {n: getattr(spec, n) for n in _PERSON_FIELDS if getattr(spec, n) is not None}
            if spec.guid == person.guid:
                changes["name"] = spec.name
            changes = {n: v for n, v in changes.items() if getattr(person, n) != v}
            for name, value in changes.items():
                setattr(person, name, value)
            if changes and person.name not in diff.people.added:
                _note(diff.people.updated, person.name)
        found[key] = person
    return found
