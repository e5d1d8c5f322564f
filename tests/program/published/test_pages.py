"""Attendee pages: program grid and list, filters and search, sessions, speakers, changes,
"now and next", all in the viewer's zone with a switch to the meeting's."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from conference.accounts.models import User
from conference.program.published import pages
from conference.program.published.program import SessionView
from tests.factories import UserFactory
from tests.program.factories import API
from tests.program.sample_program import Sample, become, publish_sample

pytestmark = pytest.mark.usefixtures("demo_meeting")

HTML = {"Accept": "text/html"}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the pages' "now" to an ISO instant."""

    def set_now(iso: str) -> None:
        instant = datetime.fromisoformat(iso)
        monkeypatch.setattr(pages, "current_time", lambda: instant.astimezone(UTC))

    set_now("2021-10-01T12:00:00+01:00")  # before the meeting unless a test says otherwise
    return set_now


@pytest.fixture
async def sample(client: httpx.AsyncClient, users: UserFactory) -> Sample:
    return await publish_sample(client, users)


async def signed_out(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/auth/logout")
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)


def grid_titles(html: str) -> list[str]:
    return re.findall(r'class="slot-title" href="[^"]*">([^<]+)</a>', html)


def grid_times(html: str) -> list[str]:
    return re.findall(r'<span class="slot-time"><time datetime="[^"]+">([^<]+)</time>', html)


def list_guids(html: str) -> list[str]:
    return re.findall(r'<li class="session-item[^"]*" id="s-([^"]+)"', html)


def list_times(html: str) -> list[str]:
    return re.findall(r'<p class="when"><time datetime="[^"]+">([^<]+)</time>', html)


def day_tabs(html: str) -> list[str]:
    nav = html.split('class="day-tabs"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<span class="day-long">([^<]+)</span>', nav)


def zone_note(html: str) -> str:
    note = html.split('data-testid="zone-note">', 1)[1].split("</p>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", note).split())


async def test_before_publication_the_program_says_so(client: httpx.AsyncClient) -> None:
    response = await client.get("/program", headers=HTML)
    assert response.status_code == 200
    assert "The program has not been published yet." in response.text
    assert (await client.get("/program/sessions/nope", headers=HTML)).status_code == 404
    assert (await client.get("/program/changes")).status_code == 200


async def test_anonymous_grid_in_meeting_zone(
    client: httpx.AsyncClient, sample: Sample, clock: Callable[[str], None]
) -> None:
    await signed_out(client)
    html = (await client.get("/program", headers=HTML)).text
    assert zone_note(html) == (
        "Times are shown in Europe/London (the meeting's time zone). "
        "Sign in to see times in your own zone."
    )
    assert day_tabs(html) == ["Monday 18 October", "Tuesday 19 October"]
    # Before the meeting the grid opens on its first day; columns in the organizer's order.
    assert grid_titles(html) == ["Interferon keynote", "Chemokine symposium"]
    assert grid_times(html) == ["09:00\u201310:00", "09:30\u201311:00"]
    header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.findall(r'<th scope="col"[^>]*>([^<]+)', header) == [
        "Time ",
        "Main Stage",
        "Stage B",
    ]
    # Row headers: every boundary and full hour, in the display zone.
    rows = re.findall(r'<th scope="row" class="time-col"><time [^>]*>([^<]+)</time>', html)
    assert rows == ["09:00", "09:30", "10:00"]
    assert '<td rowspan="2" class="slot track-0"' in html  # 09:00-10:00 spans two rows
    assert '<td rowspan="2" class="slot track-1"' in html  # 09:30-11:00 too
    assert re.findall(r'<tr class="([^"]+)">', html) == ["m30 hour", "m30", "m60 hour"]
    assert f'href="/program/sessions/{sample.keynote}"' in html

    second = (await client.get("/program?day=2021-10-19", headers=HTML)).text
    assert grid_titles(second) == ["Evening posters"]
    assert grid_times(second) == ["17:00\u201318:00"]


async def test_tokyo_viewer_sees_shifted_times_and_days(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample, clock: Callable[[str], None]
) -> None:
    await become(client, users, time_zone="Asia/Tokyo")
    html = (await client.get("/program", headers=HTML)).text
    assert zone_note(html) == (
        "Times are shown in Asia/Tokyo (your time zone). Show meeting time (Europe/London)"
    )
    # The evening posters (Tue 17:00 in London) fall on Wednesday 01:00 in Tokyo.
    assert day_tabs(html) == ["Monday 18 October", "Wednesday 20 October"]
    assert grid_times(html) == ["17:00\u201318:00", "17:30\u201319:00"]
    assert 'Time <abbr title="Asia/Tokyo">JST</abbr>' in html

    wednesday = (await client.get("/program?day=2021-10-20", headers=HTML)).text
    assert grid_titles(wednesday) == ["Evening posters"]
    assert grid_times(wednesday) == ["01:00\u201302:00"]
    assert (await client.get("/program?day=2021-10-19", headers=HTML)).text.count(
        "No sessions on this day."
    ) == 1

    listed = (await client.get("/program?view=list&day=all", headers=HTML)).text
    assert list_guids(listed) == [sample.keynote, sample.symposium, sample.posters]
    assert list_times(listed) == ["17:00\u201318:00", "17:30\u201319:00", "01:00\u201302:00"]
    assert re.findall(r'<h2 id="day-([0-9-]+)">', listed) == ["2021-10-18", "2021-10-20"]

    # The switch to meeting time, kept by the links of the page.
    meeting = (await client.get("/program?view=list&day=all&zone=meeting", headers=HTML)).text
    assert list_times(meeting) == ["09:00\u201310:00", "09:30\u201311:00", "17:00\u201318:00"]
    assert zone_note(meeting) == (
        "Times are shown in Europe/London (the meeting's time zone). Show my time (Asia/Tokyo)"
    )
    assert 'href="/program?view=list&amp;day=all">Show my time' in meeting
    assert f'href="/program/sessions/{sample.keynote}?zone=meeting"' in meeting


async def test_filters_and_search(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample, clock: Callable[[str], None]
) -> None:
    await signed_out(client)

    async def listed(query: str) -> list[str]:
        response = await client.get(f"/program?view=list&{query}", headers=HTML)
        assert response.status_code == 200, response.text
        return list_guids(response.text)

    everything = [sample.keynote, sample.symposium, sample.posters]
    assert await listed("day=all") == everything
    # Unfiltered, the list shows one day at a time, like the grid.
    assert await listed("") == [sample.keynote, sample.symposium]
    assert await listed("day=2021-10-18") == [sample.keynote, sample.symposium]
    assert await listed("track=chemokines") == [sample.symposium]
    assert await listed("type=poster_session") == [sample.posters]
    assert await listed("stage=stage-b") == [sample.symposium, sample.posters]
    assert await listed("q=keynote") == [sample.keynote]  # title
    assert await listed("q=stat1") == [sample.keynote]  # talk abstract
    assert await listed("q=bo+speaker") == [sample.symposium]  # speaker
    assert await listed("q=chiara") == [sample.keynote]  # chair
    assert await listed("q=nothing+like+this") == []
    assert await listed("track=interferons&stage=stage-b") == []

    clock("2021-10-18T09:45:00+01:00")
    assert await listed("now=1") == [sample.keynote, sample.symposium]
    clock("2021-10-18T10:15:00+01:00")
    assert await listed("now=1") == [sample.symposium]
    now_grid = (await client.get("/program?now=1", headers=HTML)).text
    assert grid_titles(now_grid) == ["Chemokine symposium"]

    # Starred only: asks anonymous visitors to sign in, filters for attendees.
    anonymous = (await client.get("/program?view=list&day=all&starred=1", headers=HTML)).text
    assert "Sign in to see only the sessions you starred." in anonymous
    assert list_guids(anonymous) == everything
    await become(client, users, time_zone="Europe/London")
    assert (await client.put(f"/api/v1/agenda/stars/{sample.posters}")).status_code == 200
    assert await listed("starred=1") == [sample.posters]


async def test_happening_now_across_midnight_and_day_counts(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample, clock: Callable[[str], None]
) -> None:
    # 15:30-16:30 in London is 23:30-00:30 in Tokyo: it starts on the Tokyo day before.
    late = await client.post(
        f"{API}/draft/sessions",
        json={
            "title": "Late session",
            "starts_at": "2021-10-18T15:30:00+01:00",
            "ends_at": "2021-10-18T16:30:00+01:00",
        },
    )
    assert late.status_code == 201
    publish = {"confirm_warnings": True}  # it has no stage
    assert (await client.post(f"{API}/publish", json=publish)).status_code == 201
    await become(client, users, time_zone="Asia/Tokyo")

    clock("2021-10-19T00:10:00+09:00")
    listed = (await client.get("/program?view=list&now=1", headers=HTML)).text
    assert list_guids(listed) == [late.json()["guid"]]
    grid = (await client.get("/program?now=1", headers=HTML)).text
    assert grid_titles(grid) == ["Late session"]
    assert grid_times(grid) == ["23:30\u201300:30 (next day)"]
    assert "Not on a stage" in grid

    # With a search on, the day tabs count the matches on each day.
    searched = (await client.get("/program?day=2021-10-18&q=posters", headers=HTML)).text
    assert grid_titles(searched) == []
    counts = re.findall(r'<span class="day-count">\((\d+)<span', searched)
    assert counts == ["0", "1"]  # Monday 18, Wednesday 20 (Tokyo)
    assert "No sessions on this day match your filters." in searched


async def test_bad_filter_values_are_named_and_ignored_with_422(
    client: httpx.AsyncClient, sample: Sample, clock: Callable[[str], None]
) -> None:
    response = await client.get(
        "/program?view=list&day=18-10-2021&track=nope&type=party&stage=attic&zone=mars",
        headers=HTML,
    )
    assert response.status_code == 422
    errors = response.text.split('data-testid="filter-errors">', 1)[1].split("</div>", 1)[0]
    assert re.findall(r"<li>([^<]+)</li>", errors) == [
        "Unknown time zone choice &#34;mars&#34;: use &#34;mine&#34; or &#34;meeting&#34;.",
        "&#34;18-10-2021&#34; is not a day: use YYYY-MM-DD. Showing every day.",
        "There is no track &#34;nope&#34;: showing all tracks.",
        "There is no session type &#34;party&#34; (known: plenary, symposium, workshop, "
        "poster_session, award_ceremony, industry_symposium, networking, break): "
        "showing all types.",
        "There is no stage &#34;attic&#34;: showing all stages.",
    ]
    assert list_guids(response.text) == [sample.keynote, sample.symposium, sample.posters]
    too_long = await client.get("/program?q=" + "x" * 201, headers=HTML)
    assert too_long.status_code == 422
    assert "The search is longer than 200 characters" in too_long.text
    assert (await client.get("/program?view=table", headers=HTML)).status_code == 422


async def test_session_page(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample, clock: Callable[[str], None]
) -> None:
    await become(client, users, time_zone="Asia/Tokyo")
    response = await client.get(f"/program/sessions/{sample.keynote}", headers=HTML)
    assert response.status_code == 200
    html = response.text
    when = html.split('data-testid="session-when">', 1)[1].split("</dd>", 1)[0]
    assert re.sub(r"<[^>]+>", "", when) == "Mon 18 Oct 2021, 17:00\u201318:00 JST"
    assert '<p class="eyebrow">Plenary · Interferons</p>' in html
    assert "Main Stage (Hall 1)" in html
    cme = html.split('data-testid="session-cme">', 1)[1].split("</dd>", 1)[0]
    assert cme == "Accredited: 60 minutes (1 credit)"
    assert f'<a href="/program/speakers/{sample.chiara}">Chiara Chair</a>' in html
    assert "<h3>Type I interferon signalling</h3>" in html
    assert re.findall(r'<p class="when"><time datetime="[^"]+">([^<]+)</time>', html) == [
        "17:00\u201317:30"
    ]
    assert f'<a href="/program/speakers/{sample.ana}">Ana Speaker</a>' in html
    assert "Where to watch will appear here when streaming starts." in html
    assert f'href="/program/sessions/{sample.keynote}.ics"' in html
    assert f'action="/program/sessions/{sample.keynote}/star"' in html

    meeting_time = await client.get(f"/program/sessions/{sample.keynote}?zone=meeting")
    assert "Mon 18 Oct 2021, 09:00\u201310:00 BST" in meeting_time.text

    missing = await client.get("/program/sessions/not-a-session", headers=HTML)
    assert missing.status_code == 404
    assert "There is no session at this address" in missing.text


async def test_session_page_lists_registered_watch_links(
    app: FastAPI, client: httpx.AsyncClient, sample: Sample
) -> None:
    async def watch(
        request: Request, db: AsyncSession, session: SessionView, user: User | None
    ) -> Markup | None:
        if session.guid != sample.keynote:
            return None
        return Markup('<a href="/stages/main">Watch on the Main Stage</a>')

    app.state.ctx.extensions.session_watch_links.append(watch)
    keynote = (await client.get(f"/program/sessions/{sample.keynote}")).text
    assert '<li><a href="/stages/main">Watch on the Main Stage</a></li>' in keynote
    assert "when streaming starts" not in keynote
    other = (await client.get(f"/program/sessions/{sample.symposium}")).text
    assert "Where to watch will appear here when streaming starts." in other


async def test_speaker_page(client: httpx.AsyncClient, sample: Sample) -> None:
    await signed_out(client)
    html = (await client.get(f"/program/speakers/{sample.ana}", headers=HTML)).text
    assert '<h1 id="speaker-h">Ana Speaker</h1>' in html
    assert '<p class="where">Cardiff University, GB</p>' in html
    assert "<p>Studies interferon signalling.</p><p>Loves STAT proteins.</p>" in html
    assert list_guids(html) == [sample.keynote]
    assert (
        '<p class="item-note">Speaks: “Type I interferon signalling”, 09:00\u201309:30</p>' in html
    )
    chair = (await client.get(f"/program/speakers/{sample.chiara}")).text
    assert "Chairs this session" in chair
    assert (await client.get("/program/speakers/nobody", headers=HTML)).status_code == 404


async def test_changes_page_shows_moves_in_viewer_zone(
    client: httpx.AsyncClient, users: UserFactory, sample: Sample
) -> None:
    moved = await client.patch(
        f"{API}/draft/sessions/{sample.symposium_id}",
        json={"starts_at": "2021-10-18T14:00:00+01:00", "ends_at": "2021-10-18T15:30:00+01:00"},
    )
    assert moved.status_code == 200, moved.text
    assert (await client.delete(f"{API}/draft/sessions/{sample.posters_id}")).status_code == 204
    # The talk stays at 09:30 (a warning the organizer confirms).
    publish = {"note": "Moves", "confirm_warnings": True}
    assert (await client.post(f"{API}/publish", json=publish)).status_code == 201

    await become(client, users, time_zone="Asia/Tokyo")
    html = (await client.get("/program/changes", headers=HTML)).text
    v2 = html.split('data-testid="version-2"', 1)[1].split("</section>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", "", v2).split())
    assert re.match(
        r"> Version 2 Published \w{3} \d+ \w{3} \d{4}, \d\d:\d\d JST · Moves Moved", text
    )
    assert (
        "Moved Chemokine symposium: from Mon 18 Oct 2021, 17:30\u201319:00 JST, Stage B → to "
        "Mon 18 Oct 2021, 22:00\u201323:30 JST, Stage B"
    ) in text
    assert "Cancelled Evening posters: was Wed 20 Oct 2021, 01:00\u201302:00 JST, Stage B" in text
    v1 = html.split('data-testid="version-1"', 1)[1].split("</section>", 1)[0]
    assert v1.count("<li>") == 3


async def test_home_now_and_next(
    client: httpx.AsyncClient, sample: Sample, clock: Callable[[str], None]
) -> None:
    await signed_out(client)

    async def section() -> str:
        html = (await client.get("/", headers=HTML)).text
        part = html.split('data-testid="now-and-next">', 1)[1].split("</section>", 1)[0]
        return " ".join(re.sub(r"<[^>]+>", " ", part).split())

    assert (await section()).startswith(
        "Now and next The meeting has not started yet: it begins Mon 18 Oct 2021, 09:00 BST. "
        "First on each stage: Main Stage Next Interferon keynote Mon 18 Oct 2021, 09:00 BST "
        "Stage B Next Chemokine symposium Mon 18 Oct 2021, 09:30 BST"
    )
    clock("2021-10-18T09:45:00+01:00")
    assert (await section()).startswith(
        "Now and next Main Stage Now Interferon keynote until 10:00 BST "
        "Nothing after this on Main Stage. "
        "Stage B Now Chemokine symposium until 11:00 BST "
        "Next Evening posters Tue 19 Oct 2021, 17:00 BST"
    )
    clock("2021-10-18T12:00:00+01:00")
    assert (await section()).startswith(
        "Now and next Nothing is on right now. Next on each stage: "
        "Stage B Next Evening posters Tue 19 Oct 2021, 17:00 BST"
    )
    clock("2021-10-21T12:00:00+01:00")
    assert (await section()) == (
        "Now and next The meeting is over: the last session ended Tue 19 Oct 2021, 18:00 BST. "
        "Thank you for joining us. The full program"
    )


async def test_track_colours_come_from_a_stylesheet(
    client: httpx.AsyncClient, sample: Sample
) -> None:
    response = await client.get("/program/tracks.css")
    assert response.headers["content-type"].startswith("text/css")
    assert response.text == ".track-0 { --track: #1f77b4; }\n.track-1 { --track: #2ca02c; }\n"
    page = (await client.get("/program")).text
    assert '<link rel="stylesheet" href="/program/tracks.css?v=1">' in page
    assert "style=" not in page  # the CSP forbids inline styles
