"""Program times stay near the meeting's dates: refused on every way in (422), and stored
data already out of range never breaks a public page."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from conference.program.models import ProgramSession, Talk
from tests.program.factories import API, ProgramBuilder

pytestmark = pytest.mark.usefixtures("demo_meeting")

MON_9 = "2021-10-18T09:00:00+01:00"
MON_10 = "2021-10-18T10:00:00+01:00"
FAR = "9999-12-31T09:00:00+00:00"


async def test_session_and_talk_times_are_kept_near_the_meeting(builder: ProgramBuilder) -> None:
    client = builder.client
    cases = [
        ({"starts_at": FAR, "ends_at": "9999-12-31T10:00:00+00:00"}, "starts_at"),
        ({"starts_at": "2090-01-01T09:00:00Z", "ends_at": "2090-01-01T10:00:00Z"}, "starts_at"),
        ({"starts_at": "2019-10-01T09:00:00Z", "ends_at": "2019-10-01T10:00:00Z"}, "starts_at"),
        ({"starts_at": MON_9, "ends_at": "2021-10-19T09:01:00+01:00"}, "ends_at"),
    ]
    for times, field in cases:
        response = await client.post(f"{API}/draft/sessions", json={"title": "Out", **times})
        assert response.status_code == 422, times
        assert response.json()["field"] == field
    # A year either side of the meeting is fine, and 24 hours exactly.
    edge = await builder.session("Edge", "2020-10-17T09:00:00Z", "2020-10-18T09:00:00Z")
    # So is today, however far the meeting is: rehearsals and late additions happen now.
    now = datetime.now(UTC).replace(microsecond=0)
    await builder.session("Rehearsal", now.isoformat(), (now + timedelta(hours=1)).isoformat())
    session = await builder.session("Keynote", MON_9, MON_10)
    moved = await client.patch(
        f"{API}/draft/sessions/{session['id']}",
        json={"starts_at": FAR, "ends_at": "9999-12-31T10:00:00+00:00"},
    )
    assert moved.status_code == 422
    far_talk = {"title": "Far", "starts_at": FAR, "duration_minutes": 1440}
    talk = await client.post(f"{API}/draft/sessions/{session['id']}/talks", json=far_talk)
    assert talk.status_code == 422
    assert talk.json()["field"] == "starts_at"
    updated = await builder.talk(session["id"], "Near", MON_9, 30)
    [near] = updated["talks"]
    patched = await client.patch(f"{API}/draft/talks/{near['id']}", json={"starts_at": FAR})
    assert patched.status_code == 422
    # Shifting and duplicating refuse to leave the window, and move nothing then.
    shift = {"session_ids": [session["id"], edge["id"]], "shift_minutes": -7 * 24 * 60}
    shifted = await client.post(f"{API}/draft/sessions/bulk-shift", json=shift)
    assert shifted.status_code == 422
    assert f"Session {edge['id']}" in shifted.json()["detail"]
    again = (await client.get(f"{API}/draft/sessions/{session['id']}")).json()
    assert again["starts_at"] == "2021-10-18T08:00:00Z"
    copy = await client.post(
        f"{API}/draft/sessions/{session['id']}/duplicate", json={"starts_at": FAR}
    )
    assert copy.status_code == 422


async def test_imports_refuse_times_far_from_the_meeting(builder: ProgramBuilder) -> None:
    client = builder.client
    event = {
        "guid": "6f2c3c1e-0d5e-4c44-9d0a-3c1a1d9b1f00",
        "id": 1,
        "title": "Far away",
        "date": "9999-12-31T23:00:00-12:00",
        "duration": "99:00",
        "room": "Hall",
        "persons": [],
    }
    document = {
        "schedule": {
            "version": "1",
            "conference": {
                "title": "X",
                "days": [{"index": 1, "date": "9999-12-31", "rooms": {"Hall": [event]}}],
            },
        }
    }
    response = await client.post(f"{API}/import", json=document)
    assert response.status_code == 422, response.text
    assert "out of range" in response.json()["detail"]
    event["date"] = "2090-06-01T09:00:00+00:00"
    event["duration"] = "01:00"
    response = await client.post(f"{API}/import", json=document)
    assert response.status_code == 422, response.text
    assert "must take place between" in response.json()["detail"]
    csv = (
        "session_title,session_start,session_end,talk_title,talk_start,talk_duration_minutes\n"
        "Far,2021-10-18T09:00:00+01:00,2021-10-18T10:00:00+01:00,"
        f"Late,{FAR},30\n"
        f"Farther,{FAR},9999-12-31T10:00:00+00:00,,,\n"
    )
    upload = await client.post(
        f"{API}/import/csv", files={"file": ("program.csv", csv.encode(), "text/csv")}
    )
    assert upload.status_code == 422, upload.text
    assert (await client.get(f"{API}/draft/sessions")).json() == []


async def test_deeply_nested_import_is_refused(builder: ProgramBuilder) -> None:
    for depth in (100, 50_000):
        body = "[" * depth + "]" * depth
        response = await builder.client.post(
            f"{API}/import", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, depth
        assert "nests more than" in response.json()["detail"]


async def test_stored_out_of_range_times_never_break_public_pages(
    builder: ProgramBuilder, app: FastAPI, client: httpx.AsyncClient
) -> None:
    stage = await builder.stage("Main Stage")
    fine = await builder.session("Keynote", MON_9, MON_10, stage_id=stage["id"])
    await builder.talk(fine["id"], "Good talk", MON_9, 30)
    far = await builder.session("Far", MON_9, MON_10, stage_id=stage["id"])
    long = await builder.session("Long", MON_9, MON_10, stage_id=stage["id"])
    await builder.talk(far["id"], "Far talk", MON_9, 30)

    # Rows written before the bounds existed (or around them): year 9999 with a day-long
    # talk, and a session lasting a thousand years.
    async with app.state.ctx.db.session() as db:
        far_row = await db.get(ProgramSession, far["id"])
        long_row = await db.get(ProgramSession, long["id"])
        assert far_row is not None
        assert long_row is not None
        far_row.starts_at = datetime(9999, 12, 31, 9, tzinfo=UTC)
        far_row.ends_at = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
        long_row.ends_at = datetime(3021, 10, 18, 9, tzinfo=UTC)
        talk = await db.scalar(select(Talk).where(Talk.session_id == far["id"]))
        assert talk is not None
        talk.starts_at = datetime(9999, 12, 31, 9, tzinfo=UTC)
        talk.duration_minutes = 24 * 60
        await db.commit()
    published = await builder.publish(confirm=True)
    assert published.status_code == 201, published.text

    for path in (
        "/",
        "/program",
        "/program?day=2021-10-18",
        "/program/changes",
        f"/program/sessions/{fine['guid']}",
        f"/program/sessions/{far['guid']}",
        f"/program/sessions/{long['guid']}",
        "/program/meeting.ics",
        f"/program/sessions/{fine['guid']}.ics",
        f"{API}/sessions",
        f"{API}/schedule.json",
        f"{API}/changelog",
        "/agenda",
    ):
        response = await client.get(path, headers={"accept": "text/html"})
        assert response.status_code < 500, path
    shown = (await client.get(f"{API}/sessions")).json()
    assert [s["title"] for s in shown] == ["Keynote"]
    assert (await client.get(f"/program/sessions/{far['guid']}")).status_code == 404
    schedule = json.dumps((await client.get(f"{API}/schedule.json")).json())
    assert "Far talk" not in schedule
    assert "Good talk" in schedule
