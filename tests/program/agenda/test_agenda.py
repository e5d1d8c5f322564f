"""The personal agenda: stars (JSON and forms), overlaps, My agenda, the secret feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from icalendar import Calendar

from conference.accounts.models import User
from conference.program.agenda import service as agenda
from tests.factories import UserFactory, sign_in
from tests.program.factories import API
from tests.program.sample_program import ORGANIZER, Sample, become, publish_sample

pytestmark = pytest.mark.usefixtures("demo_meeting")

HTML = {"Accept": "text/html"}
STARS = "/api/v1/agenda/stars"


@pytest.fixture
async def sample(client: httpx.AsyncClient, users: UserFactory) -> Sample:
    sample = await publish_sample(client, users)
    await become(client, users, time_zone="Asia/Tokyo")
    return sample


def feed_path(html: str) -> str:
    found = re.search(r'value="(http://testserver(/agenda/feed/[^"]+\.ics))"', html)
    assert found is not None
    return found.group(2)


async def test_star_and_unstar_through_the_api(client: httpx.AsyncClient, sample: Sample) -> None:
    put = await client.put(f"{STARS}/{sample.keynote}")
    assert put.status_code == 200
    assert put.json() == {"session_guid": sample.keynote, "starred": True}
    assert (await client.put(f"{STARS}/{sample.keynote}")).status_code == 200  # idempotent
    assert (await client.put(f"{STARS}/{sample.symposium}")).status_code == 200

    agenda = (await client.get("/api/v1/agenda")).json()
    assert agenda["version"] == 1
    assert [(s["guid"], s["overlaps_with"]) for s in agenda["sessions"]] == [
        (sample.keynote, [sample.symposium]),
        (sample.symposium, [sample.keynote]),
    ]
    assert agenda["sessions"][0]["starts_at"] == "2021-10-18T08:00:00Z"
    assert agenda["overlap_count"] == 1
    assert agenda["gone"] == []

    assert (await client.delete(f"{STARS}/{sample.keynote}")).status_code == 204
    assert (await client.delete(f"{STARS}/{sample.keynote}")).status_code == 204  # idempotent
    agenda = (await client.get("/api/v1/agenda")).json()
    assert [(s["guid"], s["overlaps_with"]) for s in agenda["sessions"]] == [(sample.symposium, [])]
    assert agenda["overlap_count"] == 0


async def test_star_refusals(client: httpx.AsyncClient, sample: Sample) -> None:
    unknown = await client.put(f"{STARS}/not-a-session")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "No published session not-a-session.", "code": "notfound"}
    assert (await client.delete(f"{STARS}/not-a-session")).status_code == 404
    assert (await client.put(f"{STARS}/{'x' * 65}")).status_code == 422
    assert (await client.get("/api/v1/agenda")).json()["sessions"] == []

    # Without the CSRF header the cookie alone is not enough.
    token = client.headers.pop("X-CSRF-Token")
    assert (await client.put(f"{STARS}/{sample.keynote}")).status_code == 403
    client.headers["X-CSRF-Token"] = token

    await client.post("/api/v1/auth/logout")
    client.cookies.clear()
    assert (await client.put(f"{STARS}/{sample.keynote}")).status_code in (401, 403)
    assert (await client.get("/api/v1/agenda")).status_code == 401


async def test_a_draft_session_cannot_be_starred(client: httpx.AsyncClient, sample: Sample) -> None:
    # An organizer adds a session to the draft but does not publish it.
    client.cookies.clear()
    await sign_in(client, ORGANIZER)
    draft = await client.post(
        f"{API}/draft/sessions",
        json={
            "title": "Secret draft",
            "starts_at": "2021-10-18T12:00:00+01:00",
            "ends_at": "2021-10-18T13:00:00+01:00",
        },
    )
    assert draft.status_code == 201
    assert (await client.put(f"{STARS}/{draft.json()['guid']}")).status_code == 404


async def test_agenda_page_needs_sign_in(client: httpx.AsyncClient, sample: Sample) -> None:
    await client.post("/api/v1/auth/logout")
    client.cookies.clear()
    for headers in (HTML, {}):
        response = await client.get("/agenda", headers=headers)
        assert response.status_code == 303
        assert response.headers["location"] == "/signin?next=/agenda"
    reset = await client.post("/agenda/feed/reset", headers={"X-CSRF-Token": "nope"})
    assert reset.status_code == 403


async def test_my_agenda_highlights_overlaps(client: httpx.AsyncClient, sample: Sample) -> None:
    empty = (await client.get("/agenda", headers=HTML)).text
    assert "You have not starred any sessions yet." in empty
    assert re.search(r'href="/agenda" aria-current="page">My agenda</a>', empty)  # in the nav

    for guid in (sample.keynote, sample.symposium, sample.posters):
        assert (await client.put(f"{STARS}/{guid}")).status_code == 200
    html = (await client.get("/agenda", headers=HTML)).text
    summary = html.split('data-testid="overlap-summary">', 1)[1].split("</section>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", "", summary).split())
    assert text == (
        "⚠ 1 overlap in your agenda You cannot attend all of these live; the recordings may "
        "help. “Interferon keynote” (Mon 18 Oct, 17:00\u201318:00) overlaps “Chemokine "
        "symposium” (Mon 18 Oct, 17:30\u201319:00)"
    )
    items = re.findall(r'<li class="session-item([^"]*)" id="s-([^"]+)"', html)
    assert [(guid, "is-overlap" in classes) for classes, guid in items] == [
        (sample.keynote, True),
        (sample.symposium, True),
        (sample.posters, False),
    ]
    assert re.findall(r'<p class="overlap-note">([^<]+)</p>', html) == [
        "Overlaps with: Chemokine symposium",
        "Overlaps with: Interferon keynote",
    ]
    # Days in the viewer's zone: the posters are on Wednesday in Tokyo.
    assert re.findall(r'<h2 id="day-([0-9-]+)">', html) == ["2021-10-18", "2021-10-20"]


async def test_star_form_on_the_session_page(client: httpx.AsyncClient, sample: Sample) -> None:
    page = (await client.get(f"/program/sessions/{sample.keynote}", headers=HTML)).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    assert "Add to my agenda" in page
    form = {"csrf_token": csrf.group(1), "starred": "1", "next": "/program?view=list"}
    client.headers.pop("X-CSRF-Token")
    starred = await client.post(f"/program/sessions/{sample.keynote}/star", data=form)
    assert starred.status_code == 303
    assert starred.headers["location"] == "/program?view=list"
    page = (await client.get(f"/program/sessions/{sample.keynote}", headers=HTML)).text
    assert "Remove from my agenda" in page

    # Off-site "next" goes back to the session instead; "starred=0" unstars.
    unstar = {**form, "starred": "0", "next": "https://evil.example/"}
    response = await client.post(f"/program/sessions/{sample.keynote}/star", data=unstar)
    assert response.headers["location"] == f"/program/sessions/{sample.keynote}"
    client.headers["X-CSRF-Token"] = csrf.group(1)
    assert (await client.get("/api/v1/agenda")).json()["sessions"] == []

    client.headers.pop("X-CSRF-Token")
    missing = await client.post("/program/sessions/nope/star", data=form, headers=HTML)
    assert missing.status_code == 404
    forged = await client.post(
        f"/program/sessions/{sample.keynote}/star", data={**form, "csrf_token": "forged"}
    )
    assert forged.status_code == 403


async def test_stars_survive_republishing_and_cancellations_are_explained(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample
) -> None:
    for guid in (sample.keynote, sample.posters):
        assert (await client.put(f"{STARS}/{guid}")).status_code == 200
    attendee_cookies = dict(client.cookies)
    attendee_token = client.headers["X-CSRF-Token"]

    # The organizer moves the keynote and cancels the posters, then republishes.
    client.cookies.clear()
    await sign_in(client, ORGANIZER)
    shifted = await client.post(
        f"{API}/draft/sessions/bulk-shift",
        json={"session_ids": [sample.keynote_id], "shift_minutes": 60},
    )
    assert shifted.status_code == 200, shifted.text
    assert (await client.delete(f"{API}/draft/sessions/{sample.posters_id}")).status_code == 204
    assert (await client.post(f"{API}/publish", json={"confirm_warnings": True})).status_code == 201

    client.cookies.clear()
    client.cookies.update(attendee_cookies)
    client.headers["X-CSRF-Token"] = attendee_token
    agenda = (await client.get("/api/v1/agenda")).json()
    assert agenda["version"] == 2
    assert [(s["guid"], s["starts_at"]) for s in agenda["sessions"]] == [
        (sample.keynote, "2021-10-18T09:00:00Z")
    ]
    assert agenda["gone"] == [
        {"session_guid": sample.posters, "title": "Evening posters", "cancelled_in_version": 2}
    ]
    html = (await client.get("/agenda", headers=HTML)).text
    gone = html.split('data-testid="gone-stars">', 1)[1].split("</section>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", gone).split())
    assert text.startswith(
        "No longer in the program “Evening posters” was cancelled in version 2 "
        "(it was Wed 20 Oct 2021, 01:00\u201302:00 JST)."
    )
    # The star on the cancelled session can still be removed.
    assert (await client.delete(f"{STARS}/{sample.posters}")).status_code == 204
    assert (await client.get("/api/v1/agenda")).json()["gone"] == []


async def test_feed_is_secret_and_revocable(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, sample: Sample
) -> None:
    assert (await client.put(f"{STARS}/{sample.symposium}")).status_code == 200
    path = feed_path((await client.get("/agenda", headers=HTML)).text)
    assert re.fullmatch(r"/agenda/feed/\d+-[0-9a-f]{32}\.ics", path)

    # Calendar apps carry no cookie.
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    anonymous = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    async with anonymous:
        feed = await anonymous.get(path)
        assert feed.status_code == 200
        assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
        events = Calendar.from_ical(feed.content).events
        assert [str(e["UID"]) for e in events] == [f"{sample.symposium}@testserver"]

        user_id, mac = path.removeprefix("/agenda/feed/").removesuffix(".ics").split("-")
        for bad in (
            f"{user_id}-{'0' * 32}",  # forged
            f"{int(user_id) + 1}-{mac}",  # someone else's id with my mac
            "nonsense",
            f"{user_id}-",
            "9" * 70,
            # Beyond the database's integer column (PostgreSQL refuses such a parameter).
            f"99999999999-{mac}",
            f"{user_id}-{mac.upper()}",
            # Other scripts' digits pass isdigit() and int() reads them (as the same id);
            # "²" passes isdigit() and int() refuses it; non-ASCII in the MAC made
            # compare_digest raise.
            f"{user_id.translate(ARABIC_INDIC)}-{mac}",
            f"{user_id.translate(FULLWIDTH)}-{mac}",
            f"{user_id}\u00b2-{mac}",
            f"\u00b2-{mac}",
            f"{user_id}-{mac[:-1]}\u00e9",
            f"{user_id}-{mac[:-1]}\u0661",
        ):
            assert (await anonymous.get(f"/agenda/feed/{bad}.ics")).status_code == 404, bad

        # Resetting revokes the old address at once; the new one works.
        page = (await client.get("/agenda", headers=HTML)).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf is not None
        reset = await client.post("/agenda/feed/reset", data={"csrf_token": csrf.group(1)})
        assert reset.status_code == 303
        assert reset.headers["location"] == "/agenda?feed=reset"
        after = (await client.get("/agenda?feed=reset", headers=HTML)).text
        assert "Your calendar feed has a new address." in after
        new_path = feed_path(after)
        assert new_path != path
        assert (await anonymous.get(path)).status_code == 404
        assert (await anonymous.get(new_path)).status_code == 200
        # A second reset revokes the second address too.
        await client.post("/agenda/feed/reset", data={"csrf_token": csrf.group(1)})
        assert (await anonymous.get(new_path)).status_code == 404


ARABIC_INDIC = str.maketrans(
    "0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
)
FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + n) for n in range(10)))


def test_a_reused_account_id_gets_a_different_feed_address() -> None:
    # SQLite may give a new account the id of a deleted one; its old address must not work.
    first = datetime(2021, 10, 1, 9, 0, 0, 123456, tzinfo=UTC)
    second = datetime(2021, 10, 2, 9, 0, tzinfo=UTC)
    secret = "s" * 40
    old = agenda.feed_token(secret, user_id=7, created_at=first, generation=1)
    assert old != agenda.feed_token(secret, user_id=7, created_at=second, generation=1)
    assert old != agenda.feed_token(secret, user_id=7, created_at=first, generation=2)
    assert old != agenda.feed_token("t" * 40, user_id=7, created_at=first, generation=1)
    assert old == agenda.feed_token(secret, user_id=7, created_at=first, generation=1)


async def test_agenda_export_for_my_data(
    app: FastAPI, client: httpx.AsyncClient, sample: Sample
) -> None:
    assert (await client.put(f"{STARS}/{sample.keynote}")).status_code == 200
    me = (await client.get("/api/v1/me")).json()
    async with app.state.ctx.db.session() as db:
        user = await db.get(User, me["id"])
        assert user is not None
        exported = await agenda.export_user_agenda(db, user)
    assert [s["session_guid"] for s in exported["starred_sessions"]] == [sample.keynote]
    assert exported["calendar_feed_generation"] == 1
