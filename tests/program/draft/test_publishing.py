from __future__ import annotations

import httpx
import pytest

from tests.program.factories import API, ProgramBuilder

pytestmark = pytest.mark.usefixtures("demo_meeting")


async def codes(builder: ProgramBuilder) -> list[str]:
    return [w["code"] for w in (await builder.client.get(f"{API}/draft/warnings")).json()]


async def test_each_conflict_is_warned(builder: ProgramBuilder) -> None:
    stage = await builder.stage("Stage A")
    person = await builder.person("Busy Person")
    a = await builder.session(
        "A",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=stage["id"],
        chair_ids=[person["id"]],
    )
    b = await builder.session(
        "B", "2021-10-18T09:30:00+01:00", "2021-10-18T10:30:00+01:00", stage_id=stage["id"]
    )
    await builder.talk(
        b["id"], "Talk by busy", "2021-10-18T09:30:00+01:00", 20, speaker_ids=[person["id"]]
    )
    await builder.talk(a["id"], "Overrun", "2021-10-18T09:50:00+01:00", 20)
    await builder.session("Nowhere", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00")
    await builder.session(
        "Too late", "2021-10-22T09:00:00+01:00", "2021-10-22T10:00:00+01:00", stage_id=stage["id"]
    )
    await builder.session(
        "Coffee", "2021-10-18T12:00:00+01:00", "2021-10-18T12:30:00+01:00", session_type="break"
    )
    warnings = (await builder.client.get(f"{API}/draft/warnings")).json()
    assert sorted((w["code"], w["message"]) for w in warnings) == [
        ("no_stage", '"Nowhere" has no stage.'),
        (
            "outside_meeting_days",
            '"Too late" is outside the meeting days (17 Oct to 20 Oct 2021, Europe/London).',
        ),
        ("person_overlap", 'Busy Person is in two overlapping sessions: "A" and "B".'),
        ("stage_overlap", '"A" and "B" overlap on Stage A.'),
        ("talk_outside_session", 'The talk "Overrun" runs outside its session "A".'),
    ]


async def test_back_to_back_is_not_an_overlap(builder: ProgramBuilder) -> None:
    stage = await builder.stage("Stage A")
    await builder.session(
        "A", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=stage["id"]
    )
    await builder.session(
        "B", "2021-10-18T10:00:00+01:00", "2021-10-18T11:00:00+01:00", stage_id=stage["id"]
    )
    assert await codes(builder) == []


async def test_publish_with_warnings_needs_confirmation(builder: ProgramBuilder) -> None:
    await builder.session("Nowhere", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00")
    refused = await builder.publish()
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("The draft program has 1 warning(s).")
    assert (await builder.client.get(f"{API}/versions")).json() == []
    confirmed = await builder.publish(confirm=True, note="first")
    assert confirmed.status_code == 201
    assert confirmed.json()["number"] == 1
    assert confirmed.json()["changes"] == {"added": 1, "moved": 0, "changed": 0, "cancelled": 0}


async def test_attendees_see_only_the_published_program(builder: ProgramBuilder, app) -> None:
    stage = await builder.stage("Stage A")
    draft = await builder.session(
        "Draft only", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=stage["id"]
    )
    assert (await builder.client.get(f"{API}/sessions")).status_code == 404
    assert (await builder.publish()).status_code == 201
    await builder.session(
        "Added later",
        "2021-10-18T11:00:00+01:00",
        "2021-10-18T12:00:00+01:00",
        stage_id=stage["id"],
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as anon:
        titles = [s["title"] for s in (await anon.get(f"{API}/sessions")).json()]
        assert titles == ["Draft only"]
        one = await anon.get(f"{API}/sessions/{draft['guid']}")
        assert one.json()["stage"] == "stage-a"
        assert (await anon.get(f"{API}/sessions/not-a-guid")).status_code == 404


async def test_changelog_lists_added_moved_changed_cancelled(builder: ProgramBuilder) -> None:
    stage = await builder.stage("Stage A")
    keep = await builder.session(
        "Keep", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=stage["id"]
    )
    move = await builder.session(
        "Move", "2021-10-18T10:00:00+01:00", "2021-10-18T11:00:00+01:00", stage_id=stage["id"]
    )
    drop = await builder.session(
        "Drop", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00", stage_id=stage["id"]
    )
    assert (await builder.publish()).status_code == 201
    client = builder.client
    await client.patch(
        f"{API}/draft/sessions/{move['id']}",
        json={"starts_at": "2021-10-19T10:00:00+01:00", "ends_at": "2021-10-19T11:00:00+01:00"},
    )
    await client.patch(f"{API}/draft/sessions/{keep['id']}", json={"title": "Kept, renamed"})
    await client.delete(f"{API}/draft/sessions/{drop['id']}")
    await builder.session(
        "New", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00", stage_id=stage["id"]
    )
    second = await builder.publish(note="Moved a session")
    assert second.json()["changes"] == {"added": 1, "moved": 1, "changed": 1, "cancelled": 1}
    [latest, first] = (await client.get(f"{API}/changelog")).json()
    assert first["number"] == 1
    assert latest["note"] == "Moved a session"
    assert [a["title"] for a in latest["added"]] == ["New"]
    assert latest["moved"] == [
        {
            "guid": move["guid"],
            "title": "Move",
            "old": {
                "starts_at": "2021-10-18T09:00:00+00:00",
                "ends_at": "2021-10-18T10:00:00+00:00",
                "stage": "Stage A",
            },
            "new": {
                "starts_at": "2021-10-19T09:00:00+00:00",
                "ends_at": "2021-10-19T10:00:00+00:00",
                "stage": "Stage A",
            },
        }
    ]
    assert latest["changed"] == [
        {"guid": keep["guid"], "title": "Kept, renamed", "fields": ["title"]}
    ]
    assert [c["title"] for c in latest["cancelled"]] == ["Drop"]


async def test_published_filters_and_search(builder: ProgramBuilder) -> None:
    stage = await builder.stage("Stage A")
    track = await builder.track("Chemokines")
    speaker = await builder.person("Ganes Sen")
    a = await builder.session(
        "Chemokine signalling",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=stage["id"],
        track_id=track["id"],
    )
    await builder.talk(
        a["id"], "CXCL10 in lupus", "2021-10-18T09:00:00+01:00", 20, speaker_ids=[speaker["id"]]
    )
    await builder.session(
        "Poster session 1",
        "2021-10-19T09:00:00+01:00",
        "2021-10-19T10:00:00+01:00",
        stage_id=stage["id"],
        session_type="poster_session",
    )
    assert (await builder.publish()).status_code == 201

    async def titles(**params: str) -> list[str]:
        response = await builder.client.get(f"{API}/sessions", params=params)
        assert response.status_code == 200, response.text
        return [s["title"] for s in response.json()]

    assert await titles(day="2021-10-18") == ["Chemokine signalling"]
    assert await titles(track="chemokines") == ["Chemokine signalling"]
    assert await titles(type="poster_session") == ["Poster session 1"]
    assert await titles(q="lupus cxcl10") == ["Chemokine signalling"]
    assert await titles(q="ganes") == ["Chemokine signalling"]
    assert await titles(q="nothing-matches") == []
    assert (
        await builder.client.get(f"{API}/sessions", params={"type": "party"})
    ).status_code == 422
