"""The typed snapshot and changelog: what is stored is exactly the typed JSON, and versions
stored before a field existed still load, render and export."""

from __future__ import annotations

import json
import types
from typing import (
    Any,
    Literal,
    NotRequired,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.program.documents import Changelog, Snapshot
from conference.program.models import Meeting, ProgramVersion
from conference.program.service import current_meeting
from conference.program.snapshot import draft_snapshot
from tests.factories import UserFactory
from tests.program.factories import API, ProgramBuilder, organizer_client

pytestmark = pytest.mark.usefixtures("demo_meeting")

MON_9 = "2021-10-18T09:00:00+01:00"
MON_10 = "2021-10-18T10:00:00+01:00"


def problems(value: object, hint: object, path: str = "$") -> list[str]:
    """Where ``value`` (decoded JSON) departs from the type ``hint``; empty if it conforms."""
    origin, args = get_origin(hint), get_args(hint)
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        fields = get_type_hints(hint, include_extras=True)
        found: list[str] = []
        for key, field in fields.items():
            optional = get_origin(field) is NotRequired
            if key not in value:
                found += [] if optional else [f"{path}.{key}: missing"]
                continue
            found += problems(
                value[key], get_args(field)[0] if optional else field, f"{path}.{key}"
            )
        found += [f"{path}.{key}: not in the type" for key in value if key not in fields]
        return found
    if origin in (Union, types.UnionType):
        return [] if any(not problems(value, arg, path) for arg in args) else [f"{path}: {value!r}"]
    if origin is Literal:
        return [] if value in args else [f"{path}: {value!r} not one of {args}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return [p for i, item in enumerate(value) for p in problems(item, args[0], f"{path}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        return [p for k, item in value.items() for p in problems(item, args[1], f"{path}.{k}")]
    if hint is type(None):
        return [] if value is None else [f"{path}: {value!r} is not null"]
    assert hint in (str, int, bool), hint
    wrong = not isinstance(value, hint) or (hint is int and isinstance(value, bool))
    return [f"{path}: {value!r} is not {hint.__name__}"] if wrong else []


@pytest.fixture
async def builder(client: httpx.AsyncClient, users: UserFactory) -> ProgramBuilder:
    return ProgramBuilder(await organizer_client(client, users))


async def fill(builder: ProgramBuilder) -> dict[str, Any]:
    """A stage, a track, a chair and a speaker, a session with a talk; the session."""
    stage = await builder.stage("Stage A", room="Hall 1")
    track = await builder.track("Interferons")
    chair = await builder.person("Ada Chair", affiliation="Uni A", country="GB")
    speaker = await builder.person("Bo Speaker")
    session = await builder.session(
        "Signalling",
        MON_9,
        MON_10,
        stage_id=stage["id"],
        track_id=track["id"],
        chair_ids=[chair["id"]],
    )
    await builder.talk(session["id"], "JAK-STAT", MON_9, 20, speaker_ids=[speaker["id"]])
    return session


async def versions(app: FastAPI) -> list[ProgramVersion]:
    async with app.state.ctx.db.session() as db:
        return list(await db.scalars(select(ProgramVersion).order_by(ProgramVersion.number.asc())))


async def test_the_stored_version_is_the_typed_json_of_the_draft(
    builder: ProgramBuilder, app: FastAPI
) -> None:
    await fill(builder)
    async with app.state.ctx.db.session() as db:
        meeting = await current_meeting(db)
        assert meeting is not None
        draft = await draft_snapshot(db, meeting=meeting)
    assert problems(draft, Snapshot) == []
    assert (await builder.publish()).status_code == 201
    await builder.session("Later", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00")
    assert (await builder.publish(confirm=True)).status_code == 201

    first, second = await versions(app)
    # Read back from the database: the same JSON that was built, and it has the typed shape.
    assert first.snapshot == json.loads(json.dumps(draft))
    for version in (first, second):
        assert problems(version.snapshot, Snapshot) == []
        assert problems(version.changelog, Changelog) == []
    assert [s["title"] for s in second.changelog["added"]] == ["Later"]
    assert second.changelog["added"][0]["stage"] is None
    assert (second.changelog["moved"], second.changelog["changed"]) == ([], [])


async def test_a_version_stored_before_talks_had_the_recording_flag_still_loads(
    builder: ProgramBuilder, app: FastAPI, client: httpx.AsyncClient
) -> None:
    session = await fill(builder)
    assert (await builder.publish()).status_code == 201
    # Rewrite the stored version as publishing wrote it before the flag existed.
    async with app.state.ctx.db.session() as db:
        [version] = await db.scalars(select(ProgramVersion))
        old = json.loads(json.dumps(version.snapshot))
        for doc in old["sessions"]:
            for talk in doc["talks"]:
                del talk["may_be_recorded"]
        version.snapshot = old
        await db.commit()
        meeting = await db.scalar(select(Meeting))
        assert meeting is not None
        program = await app.state.ctx.programs.latest(db, meeting_id=meeting.id)
    assert program is not None
    assert problems(program.snapshot, Snapshot) == []
    [talk] = program.by_guid[str(session["guid"])].talks
    assert (talk.title, talk.may_be_recorded) == ("JAK-STAT", True)

    page = await client.get(f"/program/sessions/{session['guid']}")
    assert page.status_code == 200
    assert "JAK-STAT" in page.text
    exported = (await client.get(f"{API}/schedule.json")).json()
    meta = exported["schedule"]["conference"]["meta"]["cytokines-conference"]
    assert meta["sessions"][session["guid"]]["talks"][0]["may_be_recorded"] is True

    # Publishing over it compares the old shape with the new: the talks count as changed.
    assert (await builder.publish()).status_code == 201
    latest = (await versions(app))[-1]
    assert [(c["title"], c["fields"]) for c in latest.changelog["changed"]] == [
        ("Signalling", ["talks"])
    ]
    assert (await client.get("/program/changes")).status_code == 200
