"""An attendee in Tokyo: the program in their zone, a star, My agenda, and the session's .ics.

The test publishes its own session first, through the organizer JSON API (as the demo
organizer), so it does not depend on what the demo program holds: a session on a stage of
its own on Wed 20 Oct 2021, 16:00-16:45 in London (BST, UTC+1), which is Thu 21 Oct,
00:00-00:45 in Tokyo (JST, UTC+9): the day itself shifts across midnight.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import APIRequestContext, Browser, Page, expect

from conference.demo import DEMO_PASSWORD
from tests.e2e.people import ORGANIZER, ok
from tests.mailbox import wait_for_confirmation_link

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")


def publish_session(api: APIRequestContext, title: str) -> str:
    """Sign in as the demo organizer, add ``title`` on a new stage, publish; its GUID."""
    token = ok(api.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    headers = {"X-CSRF-Token": token}
    ok(
        api.post(
            "/api/v1/auth/login",
            data={"email": ORGANIZER, "password": DEMO_PASSWORD},
            headers=headers,
        ),
        "organizer sign-in",
    )
    suffix = title.rsplit(" ", 1)[-1]
    stage = ok(
        api.post("/api/v1/program/stages", data={"name": f"E2E Stage {suffix}"}, headers=headers),
        "stage",
    )
    speaker = ok(
        api.post(
            "/api/v1/program/people",
            data={"name": f"Aiko Tanaka {suffix}", "affiliation": "Kyoto University"},
            headers=headers,
        ),
        "person",
    )
    session = ok(
        api.post(
            "/api/v1/program/draft/sessions",
            data={
                "title": title,
                "starts_at": "2021-10-20T16:00:00+01:00",
                "ends_at": "2021-10-20T16:45:00+01:00",
                "session_type": "symposium",
                "stage_id": stage["id"],
            },
            headers=headers,
        ),
        "session",
    )
    ok(
        api.post(
            f"/api/v1/program/draft/sessions/{session['id']}/talks",
            data={
                "title": "Interferon lambda at barrier surfaces",
                "starts_at": "2021-10-20T16:00:00+01:00",
                "duration_minutes": 45,
                "speaker_ids": [speaker["id"]],
            },
            headers=headers,
        ),
        "talk",
    )
    # Other browser tests may leave the shared draft with warnings; publish regardless.
    ok(
        api.post(
            "/api/v1/program/publish",
            data={"confirm_warnings": True, "note": "Browser test session"},
            headers=headers,
        ),
        "publish",
    )
    guid: str = session["guid"]
    return guid


def register_in_tokyo(page: Page, outbox: Path) -> None:
    email = f"e2e-{uuid.uuid4().hex[:12]}@example.org"
    page.goto("/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("a-long-test-passphrase")
    page.get_by_label("Full name", exact=True).fill("Kenji Sato")
    page.get_by_label("Affiliation", exact=True).fill("Osaka University")
    page.get_by_label("Country", exact=True).select_option("JP")
    page.get_by_label("Show times in this time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox", level=1)).to_be_visible()
    page.goto(wait_for_confirmation_link(outbox, email))
    page.get_by_label("The password you chose when registering").fill("a-long-test-passphrase")
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_visible()


def test_tokyo_attendee_stars_a_session_and_takes_it_along(
    browser: Browser, page: Page, live_server: str, live_outbox: Path, tmp_path: Path
) -> None:
    title = f"Barrier immunity {uuid.uuid4().hex[:8]}"
    organizer = browser.new_context(base_url=live_server)
    try:
        guid = publish_session(organizer.request, title)
    finally:
        organizer.close()

    register_in_tokyo(page, live_outbox)
    page.get_by_role("banner").get_by_role("link", name="Program", exact=True).click()
    expect(page.get_by_role("heading", name="Program", level=1)).to_be_visible()
    expect(page.get_by_test_id("zone-note")).to_contain_text(
        "Times are shown in Asia/Tokyo (your time zone)"
    )

    # In Tokyo the session is on Thursday, just after midnight.
    days = page.get_by_role("navigation", name="Days, in Asia/Tokyo")
    days.get_by_role("link", name="Thursday 21 October").click()
    grid = page.get_by_test_id("program-grid")
    cell = grid.get_by_role("cell").filter(has=page.get_by_role("link", name=title))
    expect(cell).to_contain_text("00:00\u201300:45")
    expect(grid.get_by_role("columnheader", name=re.compile("E2E Stage"))).to_be_visible()

    # The list view, searched by title, agrees.
    page.get_by_role("navigation", name="Program view").get_by_role("link", name="List").click()
    page.get_by_label("Search").fill(title)
    page.get_by_role("button", name="Apply").click()
    item = page.locator(f"#s-{guid}")
    expect(item).to_contain_text("00:00\u201300:45")
    expect(page.get_by_role("heading", name="Thursday 21 October", level=2)).to_be_visible()

    item.get_by_role("link", name=title).click()
    expect(page).to_have_url(f"{live_server}/program/sessions/{guid}")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    when = page.get_by_test_id("session-when")
    expect(when).to_have_text("Thu 21 Oct 2021, 00:00\u201300:45 JST")
    page.get_by_role("link", name="Show meeting time (Europe/London)").click()
    expect(when).to_have_text("Wed 20 Oct 2021, 16:00\u201316:45 BST")
    page.get_by_role("link", name="Show my time (Asia/Tokyo)").click()
    expect(when).to_have_text("Thu 21 Oct 2021, 00:00\u201300:45 JST")
    expect(page.get_by_test_id("where-to-watch")).to_contain_text(
        "Where to watch will appear here when streaming starts."
    )

    star = page.get_by_role("button", name=re.compile(r"^Add to my agenda"))
    star.click()
    expect(page.get_by_role("button", name=re.compile(r"^Remove from my agenda"))).to_be_visible()

    page.get_by_role("banner").get_by_role("link", name="My agenda").click()
    expect(page).to_have_url(f"{live_server}/agenda")
    expect(page.get_by_role("heading", name="My agenda", level=1)).to_be_visible()
    starred = page.locator(f"#s-{guid}")
    expect(starred).to_contain_text(title)
    expect(starred).to_contain_text("00:00\u201300:45")
    expect(page.get_by_role("heading", name="Thursday 21 October", level=2)).to_be_visible()
    expect(page.get_by_label("Your personal calendar address")).to_have_value(
        re.compile(rf"^{re.escape(live_server)}/agenda/feed/\d+-[0-9a-f]{{32}}\.ics$")
    )

    starred.get_by_role("link", name=title).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    calendar = Calendar.from_ical(saved.read_bytes())
    [event] = calendar.events
    assert str(event["SUMMARY"]) == title
    assert str(event["UID"]) == f"{guid}@127.0.0.1"
    start, end = event.start, event.end
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    assert start == datetime(2021, 10, 20, 16, 0, tzinfo=LONDON)
    assert end == datetime(2021, 10, 20, 16, 45, tzinfo=LONDON)
    assert str(start.tzinfo) == "Europe/London"
    assert start.astimezone(ZoneInfo("Asia/Tokyo")).isoformat() == "2021-10-21T00:00:00+09:00"
    assert str(event["URL"]) == f"{live_server}/program/sessions/{guid}"
    assert "Interferon lambda at barrier surfaces" in str(event["DESCRIPTION"])
