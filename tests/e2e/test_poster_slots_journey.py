"""A presenter's live slot, seen in Tokyo time by an attendee whose browser is in Paris.

An organizer publishes a poster presented by the demo speaker (New York); the speaker adds
a slot starting now through the form on the poster's page, in their own zone; the demo
attendee (account zone Asia/Tokyo, browser zone Europe/Paris) opens the poster, sees the
slot in Tokyo time and "Live now: ask the presenter"; when the speaker opens the poster's
page, the attendee's page says "The presenter is here" without reloading.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.people import ATTENDEE, LIVE_MS, ORGANIZER, SPEAKER, People, ok

pytestmark = pytest.mark.browser


def test_a_live_slot_in_tokyo_time_and_the_presenter_arriving(people: People) -> None:
    organizer = people.signed_in(ORGANIZER)
    token = ok(organizer.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    board = f"S{uuid.uuid4().hex[:8]}"
    title = f"IFN-λ at the barrier {board}"
    poster = ok(
        organizer.request.post(
            "/api/v1/posters",
            data={
                "board": board,
                "title": title,
                "abstract": "Interferon lambda protects epithelia.",
                "authors": [
                    {"name": "Sam Speaker", "email": SPEAKER, "presenting": True},
                ],
                "state": "published",
            },
            headers={"X-CSRF-Token": token},
        ),
        "poster",
    )

    # The speaker adds a slot from now for 45 minutes, in New York time.
    speaker = people.signed_in(SPEAKER)
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=45)
    new_york = ZoneInfo("America/New_York")
    speaker.goto(f"/posters/{poster['id']}")
    form = speaker.get_by_role("form", name="Add a live slot")
    expect(form).to_contain_text("America/New_York")
    form.get_by_label("Starts").fill(f"{start.astimezone(new_york):%Y-%m-%dT%H:%M}")
    form.get_by_label("Ends").fill(f"{end.astimezone(new_york):%Y-%m-%dT%H:%M}")
    form.get_by_role("button", name="Add the slot").click()
    expect(speaker.get_by_test_id("slot")).to_have_count(1)
    # The speaker leaves for the gallery; their page says they left.
    speaker.goto("/posters")

    attendee = people.signed_in(ATTENDEE)
    attendee.goto(f"/posters/{poster['id']}")
    tokyo = ZoneInfo("Asia/Tokyo")
    expect(attendee.get_by_test_id("slots-zone")).to_have_text("Asia/Tokyo")
    # "Mon 7 Dec 2026, 17:00–17:45 JST", or both days named across midnight in Tokyo.
    first, last = start.astimezone(tokyo), end.astimezone(tokyo)
    expect(attendee.get_by_test_id("slot")).to_contain_text(
        re.compile(rf"{first.day} {first:%b %Y}, {first:%H:%M}.*{last:%H:%M} JST")
    )
    live = attendee.get_by_role("region", name="Live now: ask the presenter")
    expect(live).to_be_visible()
    status = attendee.get_by_test_id("presenter-status")
    expect(status).to_have_text("The presenter is not here at the moment.", timeout=LIVE_MS)

    speaker.goto(f"/posters/{poster['id']}")
    expect(status).to_have_text("The presenter is here", timeout=LIVE_MS)
    expect(attendee.get_by_role("form", name="Add a live slot")).to_have_count(0)
    assert people.errors == []
