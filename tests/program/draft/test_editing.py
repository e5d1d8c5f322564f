from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role
from conference.program.service import current_meeting
from tests.factories import UserFactory, sign_in
from tests.program.factories import API, ProgramBuilder

pytestmark = pytest.mark.usefixtures("demo_meeting")

MON_9 = "2021-10-18T09:00:00+01:00"
MON_10 = "2021-10-18T10:00:00+01:00"


async def test_create_session_with_chairs_and_talks(builder: ProgramBuilder) -> None:
    stage = await builder.stage("Stage A", room="Assembly Room")
    track = await builder.track("Interferons", color="#7a1538")
    chair = await builder.person("Eleanor Chair", affiliation="Toronto")
    speaker = await builder.person("Sam Speaker")
    session = await builder.session(
        "Interferons in infection",
        MON_9,
        MON_10,
        stage_id=stage["id"],
        track_id=track["id"],
        chair_ids=[chair["id"]],
        session_type="symposium",
        cme_accredited=True,
        cme_minutes=60,
    )
    assert session["starts_at"] == "2021-10-18T08:00:00Z"
    assert [c["name"] for c in session["chairs"]] == ["Eleanor Chair"]
    updated = await builder.talk(
        session["id"], "Type I IFN", "2021-10-18T09:05:00+01:00", 20, speaker_ids=[speaker["id"]]
    )
    [talk] = updated["talks"]
    assert talk["speakers"] == [
        {"person_id": speaker["id"], "name": "Sam Speaker", "affiliation": ""}
    ]
    assert len(talk["guid"]) == 36


async def test_guid_survives_edits(builder: ProgramBuilder) -> None:
    session = await builder.session("Keynote", MON_9, MON_10)
    response = await builder.client.patch(
        f"{API}/draft/sessions/{session['id']}",
        json={
            "title": "Opening keynote",
            "starts_at": "2021-10-18T11:00:00+01:00",
            "ends_at": "2021-10-18T12:00:00+01:00",
        },
    )
    assert response.status_code == 200
    assert response.json()["guid"] == session["guid"]
    assert response.json()["title"] == "Opening keynote"


async def test_naive_time_is_refused(builder: ProgramBuilder) -> None:
    response = await builder.client.post(
        f"{API}/draft/sessions",
        json={"title": "No zone", "starts_at": "2021-10-18T09:00:00", "ends_at": MON_10},
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "starts_at"]
    assert error["msg"] == "Input should have timezone info"


async def test_end_before_start_is_refused(builder: ProgramBuilder) -> None:
    response = await builder.client.post(
        f"{API}/draft/sessions", json={"title": "Backwards", "starts_at": MON_10, "ends_at": MON_9}
    )
    assert response.status_code == 422
    session = await builder.session("Fine", MON_9, MON_10)
    patch = await builder.client.patch(
        f"{API}/draft/sessions/{session['id']}", json={"ends_at": "2021-10-18T08:00:00+01:00"}
    )
    assert patch.status_code == 422
    assert patch.json()["field"] == "ends_at"


async def test_unknown_references_are_refused(builder: ProgramBuilder) -> None:
    bad_stage = await builder.client.post(
        f"{API}/draft/sessions",
        json={"title": "X", "starts_at": MON_9, "ends_at": MON_10, "stage_id": 9999},
    )
    assert bad_stage.status_code == 422
    assert bad_stage.json() == {
        "detail": "No stage with id 9999.",
        "code": "invalidinput",
        "field": "stage_id",
    }
    bad_chair = await builder.client.post(
        f"{API}/draft/sessions",
        json={"title": "X", "starts_at": MON_9, "ends_at": MON_10, "chair_ids": [4242]},
    )
    assert bad_chair.status_code == 422
    assert (await builder.client.get(f"{API}/draft/sessions")).json() == []


async def test_unknown_ids_are_404(builder: ProgramBuilder) -> None:
    client = builder.client
    assert (await client.get(f"{API}/draft/sessions/999")).status_code == 404
    assert (await client.patch(f"{API}/draft/sessions/999", json={"title": "x"})).status_code == 404
    assert (await client.delete(f"{API}/draft/sessions/999")).status_code == 404
    assert (await client.patch(f"{API}/draft/talks/999", json={"title": "x"})).status_code == 404
    assert (await client.patch(f"{API}/stages/999", json={"name": "x"})).status_code == 404
    assert (await client.delete(f"{API}/tracks/999")).status_code == 404
    assert (await client.delete(f"{API}/people/999")).status_code == 404


async def test_duplicate_stage_slug_is_409(builder: ProgramBuilder) -> None:
    await builder.stage("Stage A")
    response = await builder.client.post(f"{API}/stages", json={"name": "Stage A"})
    assert response.status_code == 409
    assert response.json()["field"] == "slug"


async def test_duplicate_session_gets_new_guids(builder: ProgramBuilder) -> None:
    stage_a = await builder.stage("Stage A")
    stage_b = await builder.stage("Stage B")
    session = await builder.session("Workshop", MON_9, MON_10, stage_id=stage_a["id"])
    await builder.talk(session["id"], "Hands-on", "2021-10-18T09:10:00+01:00", 30)
    response = await builder.client.post(
        f"{API}/draft/sessions/{session['id']}/duplicate",
        json={"starts_at": "2021-10-19T14:00:00+01:00", "stage_id": stage_b["id"]},
    )
    assert response.status_code == 201
    copy = response.json()
    assert copy["guid"] != session["guid"]
    assert copy["stage_id"] == stage_b["id"]
    assert copy["starts_at"] == "2021-10-19T13:00:00Z"
    assert copy["ends_at"] == "2021-10-19T14:00:00Z"
    assert copy["talks"][0]["starts_at"] == "2021-10-19T13:10:00Z"


async def test_bulk_shift_moves_sessions_and_talks(builder: ProgramBuilder) -> None:
    stage = await builder.stage("Stage B")
    first = await builder.session("One", MON_9, MON_10)
    second = await builder.session("Two", MON_10, "2021-10-18T11:00:00+01:00")
    await builder.talk(first["id"], "T", MON_9, 15)
    response = await builder.client.post(
        f"{API}/draft/sessions/bulk-shift",
        json={
            "session_ids": [first["id"], second["id"]],
            "shift_minutes": 30,
            "stage_id": stage["id"],
        },
    )
    assert response.status_code == 200
    sessions = (await builder.client.get(f"{API}/draft/sessions")).json()
    assert [(s["title"], s["starts_at"], s["stage_id"]) for s in sessions] == [
        ("One", "2021-10-18T08:30:00Z", stage["id"]),
        ("Two", "2021-10-18T09:30:00Z", stage["id"]),
    ]
    assert sessions[0]["talks"][0]["starts_at"] == "2021-10-18T08:30:00Z"
    missing = await builder.client.post(
        f"{API}/draft/sessions/bulk-shift",
        json={"session_ids": [first["id"], 999], "shift_minutes": 5},
    )
    assert missing.status_code == 404
    unchanged = (await builder.client.get(f"{API}/draft/sessions")).json()
    assert unchanged[0]["starts_at"] == "2021-10-18T08:30:00Z"


async def test_deleting_a_stage_keeps_its_sessions(builder: ProgramBuilder) -> None:
    stage = await builder.stage("Doomed")
    session = await builder.session("Survivor", MON_9, MON_10, stage_id=stage["id"])
    assert (await builder.client.delete(f"{API}/stages/{stage['id']}")).status_code == 204
    got = (await builder.client.get(f"{API}/draft/sessions/{session['id']}")).json()
    assert got["stage_id"] is None


@pytest.mark.parametrize("role", [Role.attendee, Role.speaker, Role.exhibitor])
async def test_non_organizers_are_refused(
    client: httpx.AsyncClient, users: UserFactory, role: Role
) -> None:
    await users.create(role, email="not-organizer@example.org")
    await sign_in(client, "not-organizer@example.org")
    for method, path in [
        ("GET", "/draft/sessions"),
        ("POST", "/stages"),
        ("POST", "/draft/sessions"),
        ("GET", "/draft/warnings"),
        ("POST", "/publish"),
        ("POST", "/people"),
    ]:
        response = await client.request(method, f"{API}{path}", json={})
        assert response.status_code == 403, (method, path)


async def test_anonymous_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/draft/sessions")).status_code == 401


async def test_reordering_chairs_and_speakers(builder: ProgramBuilder) -> None:
    ann = await builder.person("Ann")
    bob = await builder.person("Bob")
    session = await builder.session("Panel", MON_9, MON_10, chair_ids=[ann["id"], bob["id"]])
    reordered = await builder.client.patch(
        f"{API}/draft/sessions/{session['id']}", json={"chair_ids": [bob["id"], ann["id"]]}
    )
    assert reordered.status_code == 200
    assert [c["name"] for c in reordered.json()["chairs"]] == ["Bob", "Ann"]
    with_talk = await builder.talk(
        session["id"], "Duo", MON_9, 20, speaker_ids=[ann["id"], bob["id"]]
    )
    talk_id = with_talk["talks"][0]["id"]
    swapped = await builder.client.patch(
        f"{API}/draft/talks/{talk_id}", json={"speaker_ids": [bob["id"], ann["id"]]}
    )
    assert swapped.status_code == 200
    assert [s["name"] for s in swapped.json()["talks"][0]["speakers"]] == ["Bob", "Ann"]


async def test_out_of_range_ids_are_422_not_500(builder: ProgramBuilder) -> None:
    huge = 99_999_999_999_999
    assert (await builder.client.get(f"{API}/draft/sessions/{huge}")).status_code == 422
    assert (await builder.client.get(f"{API}/draft/sessions/0")).status_code == 422
    body = {"title": "X", "starts_at": MON_9, "ends_at": MON_10, "stage_id": huge}
    assert (await builder.client.post(f"{API}/draft/sessions", json=body)).status_code == 422
    stage = {"name": "Far", "position": 10**12}
    assert (await builder.client.post(f"{API}/stages", json=stage)).status_code == 422


async def test_talk_may_be_recorded_reaches_the_published_snapshot(
    builder: ProgramBuilder, app: FastAPI
) -> None:
    stage = await builder.stage("Stage A")
    session = await builder.session("Mixed", MON_9, MON_10, stage_id=stage["id"])
    created = await builder.talk(session["id"], "Open", MON_9, 20)
    assert created["talks"][0]["may_be_recorded"] is True
    secret = await builder.talk(
        session["id"], "Unpublished data", "2021-10-18T09:20:00+01:00", 20, may_be_recorded=False
    )
    [open_talk, secret_talk] = secret["talks"]
    assert (open_talk["may_be_recorded"], secret_talk["may_be_recorded"]) == (True, False)
    patched = await builder.client.patch(
        f"{API}/draft/talks/{open_talk['id']}", json={"may_be_recorded": False}
    )
    assert [t["may_be_recorded"] for t in patched.json()["talks"]] == [False, False]
    patched = await builder.client.patch(
        f"{API}/draft/talks/{open_talk['id']}", json={"may_be_recorded": True}
    )
    assert [t["may_be_recorded"] for t in patched.json()["talks"]] == [True, False]
    assert (await builder.publish()).status_code == 201
    async with app.state.ctx.db.session() as db:
        meeting = await current_meeting(db)
        assert meeting is not None
        program = await app.state.ctx.programs.latest(db, meeting_id=meeting.id)
    assert program is not None
    [doc] = program.snapshot["sessions"]
    assert [t["may_be_recorded"] for t in doc["talks"]] == [True, False]
    view = program.by_guid[session["guid"]]
    assert [(t.title, t.may_be_recorded) for t in view.talks] == [
        ("Open", True),
        ("Unpublished data", False),
    ]
    page = await builder.client.get(f"/program/sessions/{session['guid']}")
    assert page.status_code == 200
    assert page.text.count("This talk will not be recorded.") == 1
