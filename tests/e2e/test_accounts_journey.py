"""Accounts in the browser: register, sign in and out, and see the meeting in one's own zone.

The demo meeting opens on 17 Oct 2021 at 13:00 Europe/London (12:00 UTC) and closes on
20 Oct 2021 at 18:30 Europe/London (17:30 UTC).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from conference.demo import DEMO_PASSWORD
from tests.e2e.browser import BROWSER_TIME_ZONE
from tests.e2e.people import ATTENDEE
from tests.mailbox import wait_for_confirmation_link

pytestmark = pytest.mark.browser


def zone_note(page: Page) -> Locator:
    return page.get_by_test_id("zone-note")


def opens_at(page: Page) -> Locator:
    return page.get_by_test_id("opens-at")


def closes_at(page: Page) -> Locator:
    return page.get_by_test_id("closes-at")


def account_link(page: Page, name: str) -> Locator:
    return page.get_by_role("banner").get_by_role("link", name=name, exact=True)


def sign_out_button(page: Page) -> Locator:
    return page.get_by_role("banner").get_by_role("button", name="Sign out")


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/signin")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_signed_out(page: Page) -> None:
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(banner.get_by_role("link", name="Register", exact=True)).to_be_visible()
    expect(sign_out_button(page)).to_have_count(0)


def unique_email() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}@example.org"


def register(
    page: Page, outbox: Path, *, email: str, name: str, password: str, time_zone: str
) -> None:
    """Fill in the form, then follow the mailed link and confirm (signed in after)."""
    page.goto("/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Affiliation", exact=True).fill("Kyoto University")
    page.get_by_label("Country", exact=True).select_option("JP")
    page.get_by_label("Show times in this time zone").select_option(time_zone)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox", level=1)).to_be_visible()
    # In development mail goes to the outbox, and the page says so.
    expect(page.get_by_test_id("outbox-note")).to_contain_text(str(outbox))
    expect_signed_out(page)
    page.goto(wait_for_confirmation_link(outbox, email))
    expect(page.get_by_text(f"for {email}")).to_be_visible()
    page.get_by_label("The password you chose when registering").fill(password)
    page.get_by_role("button", name="Confirm my registration").click()


def test_register_and_see_the_meeting_in_my_zone(
    page: Page, live_server: str, live_outbox: Path
) -> None:
    email, name, password = unique_email(), "Aiko Tanaka", "a-long-test-passphrase"

    page.goto("/register")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    # The page guesses the browser's zone; the user overrides it.
    zone_select = page.get_by_label("Show times in this time zone")
    expect(zone_select).to_have_value(BROWSER_TIME_ZONE)

    register(page, live_outbox, email=email, name=name, password=password, time_zone="Asia/Tokyo")

    expect(page).to_have_url(f"{live_server}/")
    expect(account_link(page, name)).to_be_visible()
    expect(account_link(page, name)).to_have_attribute("href", "/account")
    expect(zone_note(page)).to_contain_text("Times are shown in Asia/Tokyo (your time zone)")
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 21:00 JST")
    expect(closes_at(page)).to_have_text("Thu 21 Oct 2021, 02:30 JST")
    expect(opens_at(page).locator("time")).to_have_attribute(
        "datetime", re.compile(r"^2021-10-17T12:00:00(\+00:00|Z)?$")
    )

    page.get_by_role("link", name="Show meeting time (Europe/London)").click()
    expect(page).to_have_url(f"{live_server}/?zone=meeting")
    expect(zone_note(page)).to_contain_text(
        "Times are shown in Europe/London (the meeting's time zone)"
    )
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 13:00 BST")
    expect(closes_at(page)).to_have_text("Wed 20 Oct 2021, 18:30 BST")
    page.get_by_role("link", name="Show my time (Asia/Tokyo)").click()
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 21:00 JST")

    sign_out_button(page).click()
    expect(page).to_have_url(f"{live_server}/")
    expect_signed_out(page)
    # Signed out, the page shows the meeting's own zone.
    expect(zone_note(page)).to_contain_text("Times are shown in Europe/London")
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 13:00 BST")

    sign_in(page, email, password)
    expect(page).to_have_url(f"{live_server}/")
    expect(account_link(page, name)).to_be_visible()
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 21:00 JST")


def test_demo_attendee_signs_in_and_sees_tokyo_time(page: Page, live_server: str) -> None:
    sign_in(page, ATTENDEE, DEMO_PASSWORD)

    expect(page).to_have_url(f"{live_server}/")
    expect(sign_out_button(page)).to_be_visible()
    expect(zone_note(page)).to_contain_text("Times are shown in Asia/Tokyo")
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 21:00 JST")
    expect(closes_at(page)).to_have_text("Thu 21 Oct 2021, 02:30 JST")


def test_sign_in_with_the_keyboard_only(page: Page, live_server: str) -> None:
    page.goto("/signin")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # it shows itself when focused
    expect(skip_link).to_have_attribute("href", "#main")

    email = page.get_by_label("Email address")
    for _ in range(20):  # past the header's links, to the form
        page.keyboard.press("Tab")
        if email.evaluate("element => element === document.activeElement"):
            break
    expect(email).to_be_focused()
    page.keyboard.type(ATTENDEE)

    page.keyboard.press("Tab")
    password = page.get_by_label("Password")
    expect(password).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server}/")
    expect(sign_out_button(page)).to_be_visible()
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 21:00 JST")


def test_skip_link_moves_focus_to_the_main_content(page: Page) -> None:
    page.goto("/signin")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def test_wrong_password_is_refused(page: Page, live_server: str) -> None:
    sign_in(page, ATTENDEE, "not-the-password")

    expect(page).to_have_url(f"{live_server}/signin")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).not_to_be_empty()
    expect(page.get_by_label("Email address")).to_have_value(ATTENDEE)
    expect(page.get_by_label("Password")).to_have_value("")
    expect_signed_out(page)

    page.goto("/")
    expect_signed_out(page)
    expect(zone_note(page)).to_contain_text("Times are shown in Europe/London")


def test_change_my_time_zone_on_the_account_page(
    page: Page, live_server: str, live_outbox: Path
) -> None:
    email, name, password = unique_email(), "Maria Rossi", "another-test-passphrase"
    register(page, live_outbox, email=email, name=name, password=password, time_zone="Asia/Tokyo")
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 21:00 JST")

    account_link(page, name).click()
    expect(page).to_have_url(f"{live_server}/account")
    expect(page.get_by_role("heading", name="My account", level=1)).to_be_visible()
    zone = page.get_by_label("Show times in this time zone")
    # The account page shows the saved zone, not the browser's guess.
    expect(zone).to_have_value("Asia/Tokyo")
    zone.select_option("America/New_York")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_label("Show times in this time zone")).to_have_value("America/New_York")

    page.goto("/")
    expect(zone_note(page)).to_contain_text("Times are shown in America/New_York")
    expect(opens_at(page)).to_have_text("Sun 17 Oct 2021, 08:00 EDT")
    expect(closes_at(page)).to_have_text("Wed 20 Oct 2021, 13:30 EDT")
