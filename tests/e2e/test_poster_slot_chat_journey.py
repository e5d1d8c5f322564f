"""The chat with the presenter during a live slot: an attendee and the presenter each see
the other's message live.

An organizer publishes a poster presented by the demo speaker, who sets a slot starting
now; the demo attendee and the speaker open the poster's page, where the live region
shows the chat. The attendee asks (Enter in the labelled field), the speaker sees the
question without reloading and answers (the Send button), and the attendee sees the
answer; text is shown as text, never as markup.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.people import ATTENDEE, LIVE_MS, ORGANIZER, SPEAKER, People, ok

pytestmark = pytest.mark.browser


def csrf(page: Page) -> dict[str, str]:
    return {"X-CSRF-Token": ok(page.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]}


def test_an_attendee_and_the_presenter_chat_during_a_live_slot(people: People) -> None:
    organizer = people.signed_in(ORGANIZER)
    board = f"C{uuid.uuid4().hex[:8]}"
    poster = ok(
        organizer.request.post(
            "/api/v1/posters",
            data={
                "board": board,
                "title": f"STAT1 at the blood-brain barrier {board}",
                "abstract": "Interferon gamma signals across the endothelium.",
                "authors": [{"name": "Sam Speaker", "email": SPEAKER, "presenting": True}],
                "state": "published",
            },
            headers=csrf(organizer),
        ),
        "poster",
    )
    speaker = people.signed_in(SPEAKER)
    start = datetime.now(UTC).replace(microsecond=0)
    ok(
        speaker.request.post(
            f"/api/v1/posters/{poster['id']}/slots",
            data={
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(minutes=30)).isoformat(),
            },
            headers=csrf(speaker),
        ),
        "slot",
    )
    speaker.goto(f"/posters/{poster['id']}")
    attendee = people.signed_in(ATTENDEE)
    attendee.goto(f"/posters/{poster['id']}")

    region = attendee.get_by_role("region", name="Live now: ask the presenter")
    log = attendee.get_by_role("list", name="Chat with the presenter")
    expect(log).to_have_attribute("aria-live", "polite")
    field = region.get_by_label("Your message")
    expect(field).to_be_visible(timeout=LIVE_MS)
    field.fill("Does <b>STAT1</b> reach the nucleus?")
    field.press("Enter")
    expect(field).to_have_value("")
    expect(log.get_by_role("listitem")).to_have_count(1)

    heard = speaker.get_by_role("list", name="Chat with the presenter").get_by_role("listitem")
    expect(heard).to_have_count(1, timeout=LIVE_MS)
    expect(heard).to_contain_text("Aiko Attendee")
    expect(heard).to_contain_text("Does <b>STAT1</b> reach the nucleus?")
    reply = speaker.get_by_label("Your message")
    reply.fill("Within minutes, yes.")
    speaker.get_by_role("button", name="Send").click()

    answers = log.get_by_role("listitem")
    expect(answers).to_have_count(2, timeout=LIVE_MS)
    expect(answers.nth(1)).to_contain_text("Within minutes, yes.")
    expect(answers.nth(1)).to_contain_text("(presenter)")
    # Text stays text: no element came from the message.
    expect(log.locator("b")).to_have_count(0)
    assert people.errors == []
