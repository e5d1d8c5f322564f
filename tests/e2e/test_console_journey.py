"""The organizer's journey in the browser: create a session with a conflict, see the
warning, fix it, publish.

The demo data may hold a whole published program (with warnings of its own), so this
journey makes its own stage and sessions under unique names and looks only for its own
warning; when publishing asks to confirm other warnings, it confirms.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from conference.demo import DEMO_PASSWORD
from tests.e2e.browser import ACTION_TIMEOUT_MS

pytestmark = pytest.mark.browser

ORGANIZER = "organizer@demo.test"


def sign_in(page: Page) -> None:
    page.goto("/signin?next=/console")
    page.get_by_label("Email address").fill(ORGANIZER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Program console")


def console_menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Console").get_by_role("link", name=name).click()


def new_session(page: Page, title: str, stage: str, starts: str, ends: str) -> None:
    console_menu(page, "Sessions")
    page.get_by_role("link", name="New session").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Stage", exact=True).select_option(label=stage)
    page.get_by_label("Starts", exact=True).fill(starts)
    page.get_by_label("Ends", exact=True).fill(ends)
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status")).to_have_text("Session created.")


def test_organizer_fixes_a_conflict_and_publishes(page: Page) -> None:
    tag = uuid.uuid4().hex[:6]
    stage, first, second = f"E2E Hall {tag}", f"Interferons {tag}", f"Chemokines {tag}"
    overlap = f'"{first}" and "{second}" overlap on {stage}.'

    sign_in(page)
    expect(page.get_by_role("link", name="Console", exact=True)).to_be_visible()

    console_menu(page, "Stages")
    page.get_by_role("link", name="New stage").click()
    page.get_by_label("Name", exact=True).fill(stage)
    page.get_by_role("button", name="Create stage").click()
    expect(page.get_by_role("status")).to_have_text("The stage was created.")
    expect(page.get_by_role("link", name=stage, exact=True)).to_be_visible()

    # Two sessions on the same stage at overlapping times (meeting time, Europe/London).
    new_session(page, first, stage, "2021-10-18T09:00", "2021-10-18T10:00")
    expect(page.get_by_test_id("session-warnings")).to_have_text(
        re.compile("No warnings for this session")
    )
    new_session(page, second, stage, "2021-10-18T09:30", "2021-10-18T10:30")
    warnings = page.get_by_test_id("session-warnings")
    expect(warnings.get_by_role("heading")).to_have_text("1 warning for this session")
    expect(warnings).to_contain_text(overlap)
    expect(page.get_by_text("Mon 18 Oct, 09:30\u201310:30 (Europe/London)")).to_be_visible()

    # Fix it: start after the first session ends. Saving shows the warning gone.
    page.get_by_label("Starts", exact=True).fill("2021-10-18T10:00")
    page.get_by_label("Ends", exact=True).fill("2021-10-18T11:00")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status")).to_have_text("Session saved.")
    expect(page.get_by_test_id("session-warnings")).to_have_text(
        re.compile("No warnings for this session")
    )
    expect(page.get_by_text(overlap)).to_have_count(0)
    expect(page.get_by_text("Mon 18 Oct, 10:00\u201311:00 (Europe/London)")).to_be_visible()

    # Publish, confirming whatever warnings the rest of the program still has.
    console_menu(page, "Publish")
    expect(page.get_by_test_id("all-warnings")).not_to_contain_text(overlap)
    publish = page.get_by_role("button", name=re.compile(r"^Publish version \d+$"))
    number = int((publish.text_content() or "").rsplit(" ", 1)[1])
    page.get_by_label("Note for the changelog").fill(f"Journey {tag}")
    confirm = page.get_by_label(re.compile(r"I have reviewed the \d+ warnings? and want to"))
    if confirm.count():
        confirm.check()
    publish.click()
    expect(page.get_by_test_id("published")).to_contain_text(f"Version {number} published.")
    expect(page.get_by_test_id("published")).to_contain_text(re.compile(r"\b2 added\b"))
    versions = page.get_by_role("region", name="Published versions")
    expect(versions.get_by_role("row").nth(1)).to_contain_text(f"Journey {tag}")


def test_publishing_with_warnings_needs_the_box(page: Page) -> None:
    """A session without a stage is warned; publishing without ticking the box refuses."""
    tag = uuid.uuid4().hex[:6]
    title = f"Floating {tag}"
    sign_in(page)
    console_menu(page, "Sessions")
    page.get_by_role("link", name="New session").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Starts", exact=True).fill("2021-10-19T16:00")
    page.get_by_label("Ends", exact=True).fill("2021-10-19T17:00")
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_test_id("session-warnings")).to_contain_text(f'"{title}" has no stage.')

    console_menu(page, "Publish")
    button = page.get_by_role("button", name=re.compile(r"^Publish version \d+$"))
    label = button.text_content()
    button.click()
    expect(page.get_by_role("alert")).to_contain_text("tick the box to confirm")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was published.")
    # Nothing was published: the same version is still the next one.
    expect(page.get_by_role("button", name=re.compile(r"^Publish version \d+$"))).to_have_text(
        label or ""
    )

    # Clean up through the page, so the other journey's program has no extra warning.
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("link", name="Delete this session…").click()
    page.get_by_role("button", name="Delete session").click()
    expect(page.get_by_role("status")).to_have_text("Session deleted.")


def test_bulk_move_by_keyboard_without_javascript(browser: Browser, live_server: str) -> None:
    """The sessions list works with scripts off, driven from the keyboard alone."""
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        tag = uuid.uuid4().hex[:6]
        title = f"Keyboard {tag}"
        sign_in(page)
        console_menu(page, "Sessions")
        page.get_by_role("link", name="New session").click()
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label("Starts", exact=True).fill("2021-10-20T19:00")
        page.get_by_label("Ends", exact=True).fill("2021-10-20T19:30")
        page.get_by_label("Type").select_option(label="Break")  # a break needs no stage
        page.get_by_role("button", name="Create session").click()
        expect(page.get_by_test_id("session-warnings")).to_have_text(
            re.compile("No warnings for this session")
        )

        console_menu(page, "Sessions")
        page.get_by_label("Title contains").fill(tag)
        page.get_by_label("Title contains").press("Enter")
        tick = page.get_by_label(f"Tick \u201c{title}\u201d")
        tick.focus()
        page.keyboard.press("Space")
        expect(tick).to_be_checked()
        page.get_by_label("Shift by minutes").fill("-60")
        page.get_by_role("button", name="Apply to ticked sessions").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_have_text("Moved 1 session.")
        row = page.get_by_role("row").filter(has_text=title)
        expect(row).to_contain_text("Wed 20 Oct, 18:00\u201318:30")

        row.get_by_role("link", name=title).click()
        page.get_by_role("link", name="Delete this session…").click()
        page.get_by_role("button", name="Delete session").click()
        expect(page.get_by_role("status")).to_have_text("Session deleted.")
    finally:
        context.close()
