"""People in the browser tests: the demo accounts, each signed in in a browser context of
their own, and what they do on a session's live panel."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from conference.demo import DEMO_PASSWORD
from tests.e2e.browser import ACTION_TIMEOUT_MS, BROWSER_TIME_ZONE

ATTENDEE = "attendee@demo.test"
SPEAKER = "speaker@demo.test"
ORGANIZER = "organizer@demo.test"
SESSION_TITLE = "Chemokines I: Gradients and guidance"
# Live updates cross two browsers and the server: allow them a little longer than a click.
LIVE_MS = 15_000


def ok(response: Any, what: str) -> Any:
    """The JSON of a successful API response (Playwright's); fails naming ``what`` if not."""
    assert response.ok, f"{what}: {response.status} {response.text()}"
    return response.json()


def signed_in(
    browser: Browser, base_url: str, email: str, *, viewport: dict[str, int] | None = None
) -> tuple[BrowserContext, str]:
    """A browser context of its own signed in as ``email`` (a demo account), and its CSRF
    token. It shows the browser's zone and waits ``ACTION_TIMEOUT_MS`` for every action."""
    options: dict[str, Any] = {"viewport": viewport} if viewport else {}
    context = browser.new_context(
        base_url=base_url, locale="en-GB", timezone_id=BROWSER_TIME_ZONE, **options
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    token = ok(context.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    ok(
        context.request.post(
            "/api/v1/auth/login",
            data={"email": email, "password": DEMO_PASSWORD},
            headers={"X-CSRF-Token": token},
        ),
        f"sign-in of {email}",
    )
    return context, str(token)


class People:
    """Browser contexts, one per person, closed at the end; page errors are collected."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.errors: list[str] = []

    def signed_in(self, email: str, *, width: int = 1280, height: int = 900) -> Page:
        """A page of a new context signed in as ``email``."""
        viewport = {"width": width, "height": height}
        context, _ = signed_in(self.browser, self.base_url, email, viewport=viewport)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{email}: {error}"))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def session_guid(page: Page) -> str:
    """The guid of the demo session the live tests meet in."""
    found = ok(
        page.request.get("/api/v1/program/sessions", params={"q": "Gradients and guidance"}),
        "session search",
    )
    guids = [s["guid"] for s in found if s["title"] == SESSION_TITLE]
    assert guids, f"no demo session titled {SESSION_TITLE!r}: {found}"
    guid: str = guids[0]
    return guid


def open_live(page: Page, guid: str) -> None:
    """Open the session page and wait until the panel has joined the session's channel."""
    page.goto(f"/program/sessions/{guid}")
    panel = page.get_by_test_id("session-live")
    expect(panel).to_be_visible()
    # The reaction buttons are enabled once subscribed to session:<guid>.
    expect(panel.get_by_role("button", name="Applause")).to_be_enabled(timeout=LIVE_MS)
    expect(panel.locator("[data-live-status]")).to_have_text("Connected.")


def chat(page: Page, text: str) -> None:
    """Send a chat message from the page's live panel."""
    box = page.get_by_label("Message", exact=True)
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")
