"""The console's menu: entries registered by the packages that own the pages."""

from __future__ import annotations

import re

from fastapi import FastAPI

from conference.extensions import ConsoleSection
from tests.console.pages import Console

MENU_ENTRY = re.compile(r'<li><a href="([^"]*)"( aria-current="page")?>([^<]*)</a></li>')


async def menu(console: Console, path: str) -> list[tuple[str, str, bool]]:
    """(label, path, current) of each menu entry on the page at ``path``."""
    page = await console.get(path)
    assert page.status_code == 200, page.text
    nav = page.text.split('<nav class="console-menu" aria-label="Console">')[1].split("</nav>")[0]
    return [(label, href, bool(current)) for href, current, label in MENU_ENTRY.findall(nav)]


async def test_every_console_page_shows_the_same_menu_with_its_own_entry_current(
    console: Console,
) -> None:
    entries = [
        ("Overview", "/console"),
        ("Sessions", "/console/sessions"),
        ("Stages", "/console/stages"),
        ("Tracks", "/console/tracks"),
        ("Posters", "/console/posters"),
        ("Announcements", "/console/announcements"),
        ("Streaming", "/console/streaming"),
        ("Jobs", "/console/jobs"),
        ("People", "/console/people"),
        ("Judging", "/console/judging"),
        ("Import", "/console/import"),
        ("Publish", "/console/publish"),
    ]
    for label, path in entries:
        assert await menu(console, path) == [
            (each, each_path, each == label) for each, each_path in entries
        ]


async def test_a_package_adds_its_section_where_its_order_puts_it(
    console: Console, app: FastAPI
) -> None:
    app.state.ctx.extensions.console_sections.append(
        ConsoleSection("certificates", "Certificates", "/console/certificates", order=640)
    )
    labels = [label for label, _, _ in await menu(console, "/console/people")]
    assert labels[5:10] == ["Announcements", "Streaming", "Certificates", "Jobs", "People"]
