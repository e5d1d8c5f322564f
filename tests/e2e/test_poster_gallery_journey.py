"""An attendee searches the poster gallery for a keyword, opens the poster, zooms it with
the keyboard in the viewer, bookmarks it and finds it in My agenda.

The test makes its own poster through the organizer JSON API (as the demo organizer), with
a keyword no other poster has, then writes a small real Deep Zoom image for it where the
renderer would (tests/posters/dzi.py) and marks its render ready in the server's database.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.people import ATTENDEE, LIVE_MS, ORGANIZER, People, ok, signed_in
from tests.posters.dzi import make_tiles

pytestmark = pytest.mark.browser

# The viewer's current zoom, as poster_viewer.js keeps it on its frame.
ZOOM_JS = "Number(document.querySelector('[data-poster-viewer]').dataset.zoom)"


def publish_poster(browser: Browser, live_server: str, keyword: str, title: str) -> int:
    """A published poster with ``keyword``, made by the demo organizer; its id."""
    context, token = signed_in(browser, live_server, ORGANIZER)
    try:
        created = ok(
            context.request.post(
                "/api/v1/posters",
                data={
                    "board": f"E{uuid.uuid4().hex[:6]}",
                    "title": title,
                    "abstract": "**Background.** IL-1β and a keyboard-zoomable poster.",
                    "authors": [
                        {
                            "name": "Aiko Tanaka",
                            "affiliation": "Kyoto University",
                            "presenting": True,
                        }
                    ],
                    "topic": "Inflammasome",
                    "keywords": [keyword, "NLRP3"],
                    "state": "published",
                },
                headers={"X-CSRF-Token": token},
            ),
            "poster",
        )
    finally:
        context.close()
    return int(created["id"])


def make_ready(var_dir: Path, poster_id: int) -> None:
    """Tiles where the renderer writes them, and the poster's render marked ready."""
    columns = make_tiles(var_dir / "media", poster_id, width=1600, height=1200)
    database = sqlite3.connect(var_dir / "conference.db", timeout=30)
    try:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        database.execute(
            f"UPDATE posters SET {assignments} WHERE id = ?",
            [*columns.values(), poster_id],
        )
        database.commit()
    finally:
        database.close()


def zoom(page: Page) -> float:
    value = page.locator("[data-poster-viewer]").get_attribute("data-zoom")
    return float(value) if value else 0.0


def test_search_open_zoom_bookmark_and_find_in_my_agenda(
    browser: Browser, live_server: str, live_var_dir: Path, people: People
) -> None:
    keyword = f"zoomkey{uuid.uuid4().hex[:6]}"
    title = f"Keyboard zoom of an inflammasome poster {keyword[-6:]}"
    poster_id = publish_poster(browser, live_server, keyword, title)
    make_ready(live_var_dir, poster_id)
    console_errors: list[str] = []

    page = people.signed_in(ATTENDEE)
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto("/posters")
    search = page.get_by_role("searchbox", name="Search posters")
    search.fill(keyword)
    search.press("Enter")
    expect(page.get_by_test_id("gallery-total")).to_have_text("1 poster.")
    card = page.get_by_test_id("poster-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_have_text(title)
    expect(card.locator("img.thumb")).to_be_visible()
    # The address holds the search: it can be shared.
    assert f"q={keyword}" in page.url

    card.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    frame = page.locator("[data-poster-viewer]")
    expect(frame).to_have_attribute("data-state", "open", timeout=LIVE_MS)
    canvas = page.get_by_role("application", name=re.compile("^Poster "))
    expect(canvas).to_have_attribute("aria-describedby", "poster-viewer-keys poster-abstract")
    home = float(frame.get_attribute("data-home-zoom") or "0")
    assert home > 0

    # Into the viewer with the keyboard: from the last toolbar button, Tab reaches the canvas.
    page.get_by_role("button", name="Full screen").focus()
    page.keyboard.press("Tab")
    expect(canvas).to_be_focused()
    for _ in range(3):
        page.keyboard.press("+")
    page.wait_for_function(
        f"(home) => {ZOOM_JS} > home * 1.05",
        arg=home,
        timeout=LIVE_MS,
    )
    zoomed = zoom(page)
    assert zoomed > home
    page.keyboard.press("ArrowRight")
    page.keyboard.press("0")
    # Home: the whole poster again (OpenSeadragon animates there).
    page.wait_for_function(
        f"(home) => Math.abs({ZOOM_JS} - home) < home * 0.02", arg=home, timeout=LIVE_MS
    )
    # The toolbar's buttons do the same for those who do not use the keys.
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(f"(home) => {ZOOM_JS} > home * 1.2", arg=home, timeout=LIVE_MS)
    page.get_by_role("button", name="Whole poster").click()
    page.wait_for_function(
        f"(home) => Math.abs({ZOOM_JS} - home) < home * 0.02", arg=home, timeout=LIVE_MS
    )

    page.get_by_test_id("bookmark").click()
    expect(page.get_by_test_id("bookmark")).to_contain_text("Remove bookmark")

    page.goto("/agenda")
    bookmarks = page.get_by_test_id("poster-bookmarks")
    expect(bookmarks.get_by_role("link", name=title)).to_be_visible()
    bookmarks.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    assert people.errors == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
