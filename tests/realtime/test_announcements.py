"""Announcements: the organizer API, the meeting channel, scheduling exactly once, pages."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from conference.accounts.models import Role
from conference.realtime import announcements_service
from conference.realtime.models import Announcement, ChannelEvent
from tests.realtime.live_session import ORGANIZER, publish_session, signed_in
from tests.realtime.sockets import connect, receive

API = "/api/v1/announcements"
ATTENDEE = "attendee@example.org"


def iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def count_events(client: TestClient, type: str) -> int:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def count() -> int:
        async with ctx.db.session() as db:
            query = select(func.count()).select_from(ChannelEvent).where(ChannelEvent.type == type)
            return int(await db.scalar(query) or 0)

    found: int = client.portal.call(count)  # type: ignore[union-attr]
    return found


def banners_of(client: TestClient) -> list[dict[str, Any]]:
    """What pages would show now (conference.realtime.announcements.page_banners)."""
    return announcements_service.board(client.app.state.ctx).banners()  # type: ignore[attr-defined]


def move(client: TestClient, announcement_id: int, **times: datetime) -> None:
    """Shift an announcement's times (as if the clock had moved on)."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]

    async def shift() -> None:
        async with ctx.db.session() as db:
            await db.execute(
                update(Announcement).where(Announcement.id == announcement_id).values(**times)
            )
            await db.commit()

    client.portal.call(shift)  # type: ignore[union-attr]


def test_refusals(live: TestClient) -> None:
    body = {"message": "Coffee", "ends_at": iso(timedelta(hours=1))}
    anonymous = live.post(API, json=body)
    assert anonymous.status_code in (401, 403)  # no CSRF cookie or no session: refused
    assert live.get(API + "/active").json() == {"announcements": []}
    signed_in(live, ATTENDEE)
    assert live.post(API, json=body).status_code == 403
    assert live.get(API).status_code == 403
    signed_in(live, ORGANIZER, Role.organizer)
    assert live.post(API + "/1/end").status_code == 404
    for bad in [
        {"message": "x", "ends_at": "2030-01-01T10:00:00"},  # naive
        {"message": "x", "starts_at": "2030-01-01T10:00:00", "ends_at": "2030-01-01T11:00:00Z"},
        {"message": "x", "starts_at": iso(timedelta(hours=2)), "ends_at": iso(timedelta(hours=1))},
        {"message": "x", "ends_at": iso(timedelta(hours=-1))},  # already over
        {"message": "", "ends_at": iso(timedelta(hours=1))},
        {"message": "x" * 501, "ends_at": iso(timedelta(hours=1))},
        {"message": "x", "level": "urgent", "ends_at": iso(timedelta(hours=1))},
        {"message": "x"},
    ]:
        response = live.post(API, json=bad)
        assert response.status_code == 422, (bad, response.text)
    assert live.get(API).json() == {"announcements": []}
    assert count_events(live, "announcement") == 0


def test_send_now_reaches_everyone_and_ends(live: TestClient, sockets: ExitStack) -> None:
    signed_in(live, ATTENDEE)
    listener = connect(sockets, live, "meeting")
    signed_in(live, ORGANIZER, Role.organizer)
    ends = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    created = live.post(
        API,
        json={"message": " Lunch is served ", "level": "important", "ends_at": ends.isoformat()},
    )
    assert created.status_code == 201, created.text
    item = created.json()
    number = item["announcement_id"]
    assert (item["message"], item["level"], item["status"]) == (
        "Lunch is served",
        "important",
        "active",
    )
    frame = receive(listener)
    assert frame["type"] == "announcement"
    assert frame["channel"] == "meeting"
    assert isinstance(frame["id"], int)
    assert frame["data"] == {
        "announcement_id": number,
        "message": "Lunch is served",
        "level": "important",
        "ends_at": ends.isoformat(),
    }
    # Latecomers: the API (for anyone) and the page banner.
    live.cookies.clear()
    active = live.get(API + "/active").json()["announcements"]
    assert [a["announcement_id"] for a in active] == [number]
    banners = banners_of(live)
    assert [(b["announcement_id"], b["message"]) for b in banners] == [(number, "Lunch is served")]
    ctx = live.app.state.ctx  # type: ignore[attr-defined]
    html = ctx.pages.templates.get_template("realtime/_banner.html").render(banners=banners)
    assert 'role="status"' in html
    home = live.get("/", headers={"Accept": "text/html"}).text
    assert "Lunch is served" in home  # every page carries the active banners
    assert "Lunch is served" in html
    assert "Important:" in html

    signed_in(live, ORGANIZER, Role.organizer)
    ended = live.post(f"{API}/{number}/end")
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
    frame = receive(listener)
    assert (frame["type"], frame["data"]) == ("announcement.ended", {"announcement_id": number})
    assert live.post(f"{API}/{number}/end").status_code == 409
    assert live.get(API + "/active").json() == {"announcements": []}
    assert banners_of(live) == []
    assert [a["status"] for a in live.get(API).json()["announcements"]] == ["ended"]
    # Nothing more for the scheduler to do: sent once, ended once.
    assert live.portal.call(announcements_service.publish_due, ctx) == []  # type: ignore[union-attr]
    assert (count_events(live, "announcement"), count_events(live, "announcement.ended")) == (1, 1)


def test_scheduled_is_published_once_when_due(live: TestClient, sockets: ExitStack) -> None:
    ctx = live.app.state.ctx  # type: ignore[attr-defined]
    signed_in(live, ORGANIZER, Role.organizer)
    listener = connect(sockets, live, "meeting")
    body = {
        "message": "Posters open",
        "starts_at": iso(timedelta(hours=1)),
        "ends_at": iso(timedelta(hours=2)),
    }
    item = live.post(API, json=body).json()
    number = item["announcement_id"]
    assert item["status"] == "scheduled"
    assert live.portal.call(announcements_service.publish_due, ctx) == []  # type: ignore[union-attr]
    assert live.get(API + "/active").json() == {"announcements": []}

    move(live, number, starts_at=datetime.now(UTC) - timedelta(seconds=1))

    async def race() -> list[list[int]]:
        # Two schedulers (as in two processes) at the same moment: one sends it.
        return list(
            await asyncio.gather(
                announcements_service.publish_due(ctx), announcements_service.publish_due(ctx)
            )
        )

    results = live.portal.call(race)  # type: ignore[union-attr]
    assert sorted(results) == [[], [number]]
    frame = receive(listener)
    assert (frame["type"], frame["data"]["announcement_id"]) == ("announcement", number)
    assert count_events(live, "announcement") == 1
    scheduler = announcements_service.scheduler(ctx)
    assert live.portal.call(scheduler.run_once) == []  # type: ignore[union-attr]
    assert [b["announcement_id"] for b in banners_of(live)] == [number]

    # Its end time passes: ended is announced once, too.
    move(live, number, ends_at=datetime.now(UTC) - timedelta(seconds=1))
    assert live.portal.call(scheduler.run_once) == [number]  # type: ignore[union-attr]
    assert live.portal.call(scheduler.run_once) == []  # type: ignore[union-attr]
    frame = receive(listener)
    assert (frame["type"], frame["data"]) == ("announcement.ended", {"announcement_id": number})
    assert banners_of(live) == []


def test_cancelling_a_scheduled_one_sends_nothing(live: TestClient) -> None:
    ctx = live.app.state.ctx  # type: ignore[attr-defined]
    signed_in(live, ORGANIZER, Role.organizer)
    body = {
        "message": "Later",
        "starts_at": iso(timedelta(hours=1)),
        "ends_at": iso(timedelta(hours=2)),
    }
    number = live.post(API, json=body).json()["announcement_id"]
    cancelled = live.post(f"{API}/{number}/end").json()
    assert cancelled["status"] == "ended"
    move(live, number, starts_at=datetime.now(UTC) - timedelta(seconds=1))
    assert live.portal.call(announcements_service.publish_due, ctx) == []  # type: ignore[union-attr]
    assert (count_events(live, "announcement"), count_events(live, "announcement.ended")) == (0, 0)


def test_console_page(live: TestClient) -> None:
    publish_session(live)  # seeds the meeting (Europe/London) and signs in the organizer
    page = live.get("/console/announcements")
    assert page.status_code == 200
    assert "New announcement" in page.text
    token = live.headers["X-CSRF-Token"]
    refused = live.post(
        "/console/announcements",
        data={
            "csrf_token": token,
            "message": "Hi",
            "level": "info",
            "when": "now",
            "ends_at": "soon",
        },
    )
    assert refused.status_code == 422
    assert "Enter the end as" in refused.text
    sent = live.post(
        "/console/announcements",
        data={
            "csrf_token": token,
            "message": "Keynote starts in 5 minutes",
            "level": "info",
            "when": "later",
            "starts_at": "2030-06-01T09:00",
            "ends_at": "2030-06-01T10:00",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    listed = live.get(API).json()["announcements"]
    # 09:00 in London in June is 08:00 UTC.
    assert [(a["starts_at"], a["ends_at"], a["status"]) for a in listed] == [
        ("2030-06-01T08:00:00+00:00", "2030-06-01T09:00:00+00:00", "scheduled")
    ]
    assert "Keynote starts in 5 minutes" in live.get("/console/announcements").text
    ended = live.post(
        f"/console/announcements/{listed[0]['announcement_id']}/end",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    assert live.get(API).json()["announcements"][0]["status"] == "ended"
    signed_in(live, ATTENDEE)
    assert live.get("/console/announcements").status_code == 403
