"""Two attendees on one poster's page: one comments and votes, the other sees the comment
and the count arrive live; a comment carrying script is shown as text and runs nothing."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.people import ATTENDEE, LIVE_MS, ORGANIZER, SPEAKER, People, ok
from tests.posters.factories import poster_body

pytestmark = pytest.mark.browser

EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def open_poster(page: Page, poster_id: int) -> None:
    page.goto(f"/posters/{poster_id}")
    # The page's socket has subscribed to poster:<id> (and replayed what it missed).
    expect(page.locator("[data-poster-talk][data-live='on']")).to_be_attached(timeout=LIVE_MS)


def test_an_attendee_comments_and_votes_and_another_sees_it_live(people: People) -> None:
    organizer = people.signed_in(ORGANIZER)
    token = ok(organizer.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    tag = uuid.uuid4().hex[:6]
    body = poster_body(f"E{tag}", title=f"IL-6 trans-signalling in sepsis ({tag})")
    body["state"] = "published"
    poster = ok(
        organizer.request.post("/api/v1/posters", data=body, headers={"X-CSRF-Token": token}),
        "poster",
    )
    a = people.signed_in(ATTENDEE)
    b = people.signed_in(SPEAKER)
    open_poster(a, poster["id"])
    open_poster(b, poster["id"])
    expect(b.get_by_test_id("vote-count")).to_have_text("0")

    text = f"Did you see the same with tocilizumab? ({tag})"
    a.get_by_label("Your comment").fill(text)
    a.get_by_role("button", name="Post comment").click()
    expect(b.get_by_test_id("comments")).to_contain_text(text, timeout=LIVE_MS)
    expect(b.get_by_test_id("comment-count")).to_have_text("1")

    # Script in a comment arrives as text, live and after a reload, and never runs.
    a.get_by_label("Your comment").fill(EVIL)
    a.get_by_role("button", name="Post comment").click()
    b_comments = b.get_by_test_id("comments")
    expect(b_comments).to_contain_text(EVIL, timeout=LIVE_MS)
    expect(b_comments.locator("script, img")).to_have_count(0)
    assert b.evaluate("window.__pwned") is None
    b.reload()
    expect(b.get_by_test_id("comments")).to_contain_text(EVIL)
    expect(b.get_by_test_id("comments").locator("script, img")).to_have_count(0)
    assert b.evaluate("window.__pwned") is None
    assert a.evaluate("window.__pwned") is None
    expect(b.locator("[data-poster-talk][data-live='on']")).to_be_attached(timeout=LIVE_MS)

    # A votes; B's count follows; A can take it back.
    a.get_by_test_id("vote-button").click()
    expect(a.get_by_test_id("vote-button")).to_have_text("Withdraw my vote")
    expect(b.get_by_test_id("vote-count")).to_have_text("1", timeout=LIVE_MS)
    a.get_by_test_id("vote-button").click()
    expect(a.get_by_test_id("vote-button")).to_have_text("Vote for this poster")
    expect(b.get_by_test_id("vote-count")).to_have_text("0", timeout=LIVE_MS)
    assert people.errors == []
