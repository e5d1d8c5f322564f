"""The program page is rendered once per version, day, zone and filters, and shared: each
viewer still sees their own stars and CSRF token, and a new version is shown at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conference.program.published import pages
from tests.factories import UserFactory, csrf
from tests.program.factories import API, ProgramBuilder
from tests.program.sample_program import Sample, become, publish_sample

pytestmark = pytest.mark.usefixtures("demo_meeting")

BODY = "program/_program_body.html"


@pytest.fixture
def renders(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses the program's main part was rendered for (not taken from the cache)."""
    seen: list[str] = []
    real = app.state.ctx.pages.fragment

    def counted(request: Any, name: str, context: dict[str, Any], **kwargs: Any) -> str:
        if name == BODY:
            seen.append(str(request.url.path) + "?" + str(request.url.query))
        html: str = real(request, name, context, **kwargs)
        return html

    monkeypatch.setattr(app.state.ctx.pages, "fragment", counted)
    instant = datetime.fromisoformat("2021-10-18T08:00:00+01:00").astimezone(UTC)
    monkeypatch.setattr(pages, "current_time", lambda: instant)
    return seen


def starred_guids(html: str) -> list[str]:
    return re.findall(r'<li class="session-item [^"]*is-starred[^"]*" id="s-([^"]+)"', html)


def star_forms(html: str) -> list[tuple[str, str]]:
    """(guid, csrf token) of each star form on the page."""
    return re.findall(
        r'data-guid="([^"]+)">\s*<input type="hidden" name="csrf_token" value="([^"]+)">', html
    )


async def test_viewers_share_one_render_with_their_own_stars_and_tokens(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, renders: list[str]
) -> None:
    sample = await publish_sample(client, users)
    await become(client, users, time_zone="Europe/London")
    starred = await client.put(f"/api/v1/agenda/stars/{sample.keynote}")
    assert starred.status_code in (200, 201), starred.text
    first_token = await csrf(client)
    first = await client.get("/program?view=list")
    await become(client, users, time_zone="Europe/London")
    second_token = await csrf(client)
    second = await client.get("/program?view=list")

    assert (first.status_code, second.status_code) == (200, 200)
    assert renders == ["/program?view=list"]
    assert starred_guids(first.text) == [sample.keynote]
    assert starred_guids(second.text) == []
    assert star_forms(first.text) == [
        (sample.keynote, first_token),
        (sample.symposium, first_token),
    ]
    assert star_forms(second.text) == [
        (sample.keynote, second_token),
        (sample.symposium, second_token),
    ]
    assert 'value="0"' in first.text
    assert 'value="0"' not in second.text
    assert "\x00" not in first.text + second.text

    # Another day, view or zone is its own render; asking again is not.
    await client.get("/program?view=list&day=2021-10-19")
    await client.get("/program?view=list&zone=meeting")
    await client.get("/program?view=list")
    assert renders == [
        "/program?view=list",
        "/program?view=list&day=2021-10-19",
        "/program?view=list&zone=meeting",
    ]


async def test_happening_now_and_starred_only_are_rendered_per_request(
    client: httpx.AsyncClient, users: UserFactory, renders: list[str]
) -> None:
    await publish_sample(client, users)
    await become(client, users, time_zone="Europe/London")
    for _ in range(2):
        assert (await client.get("/program?now=1")).status_code == 200
        assert (await client.get("/program?view=list&starred=1")).status_code == 200
    assert renders == ["/program?now=1", "/program?view=list&starred=1"] * 2


async def test_a_new_version_is_shown_at_once(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, renders: list[str]
) -> None:
    sample: Sample = await publish_sample(client, users)
    assert "Interferon keynote" in (await client.get("/program")).text
    renamed = await client.patch(
        f"{API}/draft/sessions/{sample.keynote_id}", json={"title": "Opening keynote"}
    )
    assert renamed.status_code == 200, renamed.text
    # The draft is not shown until it is published.
    assert "Interferon keynote" in (await client.get("/program")).text
    published = await ProgramBuilder(client).publish(confirm=True)
    assert published.status_code == 201, published.text
    html = (await client.get("/program")).text
    assert "Opening keynote" in html
    assert "Interferon keynote" not in html
    assert renders == ["/program?", "/program?"]
    assert len(app.state.ctx.program_pages) == 1
