"""Script written into a poster (its abstract, title and author) and into a comment never
runs: not on the poster's page, not on its gallery card. The payloads would set a window
flag, open a dialog or log to the console; the test listens for all three, and checks the
text is shown escaped or removed.

(tests/e2e/test_poster_talk_journey.py checks a script comment arriving live; this one
covers what is stored and shown again, abstract and card included.)
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

from tests.e2e.people import ATTENDEE, ORGANIZER, People, ok

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned = 'script'; alert('script'); console.log('pwned')</script>"
IMAGE = "<img src=x onerror=\"window.__pwned = 'img'; alert('img'); console.log('pwned')\">"
LINK_MD = "[click me](javascript:window.__pwned='md-link';alert('md-link'))"
LINK_HTML = "<a href=\"javascript:window.__pwned='a';alert('a')\">click too</a>"
SVG = "<svg onload=\"window.__pwned = 'svg'; alert('svg')\"></svg>"
PAYLOAD = " ".join([SCRIPT, IMAGE, LINK_MD, LINK_HTML, SVG])


def watch(page: Page, seen: list[str]) -> None:
    """Record every dialog and console message of ``page`` (dismissing dialogs)."""

    def on_dialog(dialog: Dialog) -> None:
        seen.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if "pwned" in message.text:
            seen.append(f"console: {message.text}")

    page.on("dialog", on_dialog)
    page.on("console", on_console)


def assert_nothing_ran(page: Page, seen: list[str]) -> None:
    assert page.evaluate("window.__pwned") is None
    assert seen == []
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert page.locator("main img[src='x'], main svg[onload], main [onerror]").count() == 0


def test_script_in_a_poster_and_a_comment_never_runs(people: People) -> None:
    organizer = people.signed_in(ORGANIZER)
    token = ok(organizer.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    keyword = f"xss{secrets.token_hex(4)}"
    body: dict[str, Any] = {
        "board": f"E{secrets.token_hex(4)}",
        "title": f"IL-6 {SCRIPT}",
        "abstract": f"**Background.** {PAYLOAD}\n\n{LINK_MD}",
        "authors": [{"name": f"Eve {IMAGE}", "affiliation": SVG, "presenting": True}],
        "keywords": [keyword],
        "links": [{"label": IMAGE, "url": "https://example.org/"}],
        "state": "published",
    }
    poster = ok(
        organizer.request.post("/api/v1/posters", data=body, headers={"X-CSRF-Token": token}),
        "poster",
    )
    attendee = people.signed_in(ATTENDEE)
    seen: list[str] = []
    watch(attendee, seen)
    csrf = ok(attendee.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    ok(
        attendee.request.post(
            f"/api/v1/posters/{poster['id']}/comments",
            data={"body": PAYLOAD},
            headers={"X-CSRF-Token": csrf},
        ),
        "comment",
    )

    attendee.goto(f"/posters/{poster['id']}")
    comments = attendee.get_by_test_id("comments")
    expect(comments).to_contain_text(PAYLOAD)  # the comment is text, shown as written
    abstract = attendee.get_by_test_id("abstract")
    # Markdown shows raw HTML as text, and a javascript: link as the words written.
    expect(abstract).to_contain_text(SCRIPT)
    expect(abstract).to_contain_text(IMAGE)
    expect(abstract).to_contain_text(LINK_MD)
    expect(abstract).to_contain_text(LINK_HTML)
    expect(abstract.locator("strong")).to_have_text("Background.")
    expect(abstract.locator("a, script, img, svg")).to_have_count(0)
    expect(attendee.locator("#poster-title")).to_have_text(f"IL-6 {SCRIPT}")
    expect(attendee.get_by_test_id("authors")).to_contain_text(f"Eve {IMAGE}")
    expect(attendee.get_by_role("link", name=IMAGE)).to_have_attribute(
        "href", "https://example.org/"
    )
    assert_nothing_ran(attendee, seen)

    # The gallery's card of the poster, found by its keyword.
    attendee.goto(f"/posters?q={keyword}")
    card = attendee.get_by_test_id("poster-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_have_text(f"IL-6 {SCRIPT}")
    expect(card).to_contain_text(f"Eve {IMAGE}")
    assert_nothing_ran(attendee, seen)
    assert people.errors == []
