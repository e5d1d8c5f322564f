"""The attendee and studio pages: stages with their states, the stage page, the player on a
session's page, and who may open a stage's studio."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role
from conference.db.types import utcnow
from streaming.models import BroadcastState
from tests.factories import UserFactory, sign_in
from tests.program.factories import ProgramBuilder
from tests.streaming.recording_setup import add_broadcast, add_recording, client_of

pytestmark = pytest.mark.usefixtures("demo_meeting")

ORGANIZER = "organizer@example.org"
ATTENDEE = "attendee@example.org"
SPEAKER = "speaker@example.org"
OUTSIDER = "outsider@example.org"
HTML = {"Accept": "text/html"}


@dataclass
class Program:
    stage_id: int
    stage_slug: str
    other_stage_slug: str
    on_now: dict[str, Any]
    later: dict[str, Any]


async def publish(client: httpx.AsyncClient, users: UserFactory) -> Program:
    """Two stages; on "Main Stage" a session on now and one in two hours, whose talk the
    speaker (an account linked to a program person) gives. ``client`` stays the organizer."""
    await users.create(Role.organizer, email=ORGANIZER)
    await users.create(Role.attendee, email=ATTENDEE, time_zone="Asia/Tokyo")
    speaker = await users.create(Role.attendee, email=SPEAKER)
    await users.create(Role.attendee, email=OUTSIDER)
    await sign_in(client, ORGANIZER)
    build = ProgramBuilder(client)
    stage = await build.stage("Main Stage")
    other = await build.stage("Hall B")
    person = await build.person("Sam Speaker", user_id=speaker.id)
    now = utcnow().replace(microsecond=0)
    on_now = await build.session(
        "Interferon keynote",
        (now - timedelta(minutes=10)).isoformat(),
        (now + timedelta(minutes=50)).isoformat(),
        stage_id=stage["id"],
    )
    later = await build.session(
        "Cytokine storms",
        (now + timedelta(hours=2)).isoformat(),
        (now + timedelta(hours=3)).isoformat(),
        stage_id=stage["id"],
    )
    await build.talk(
        later["id"], "IL-6 in sepsis", later["starts_at"], 30, speaker_ids=[person["id"]]
    )
    published = await build.publish(confirm=True)
    assert published.status_code == 201, published.text
    return Program(stage["id"], stage["slug"], other["slug"], on_now, later)


def stage_card(html: str, slug: str) -> str:
    match = re.search(
        rf'<li class="panel stage-card" data-testid="stage-{slug}">.*?</li>', html, re.S
    )
    assert match, f"no card for {slug}"
    return match.group(0)


def state_of(card: str) -> str:
    match = re.search(r'data-testid="stage-state">([^<]+)<', card)
    assert match
    return match.group(1)


async def test_stages_page_lists_every_stage_with_its_state_and_now_and_next(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    await add_broadcast(app, stage_id=program.stage_id, state=BroadcastState.live)

    async with client_of(app) as anonymous:
        response = await anonymous.get("/stages", headers=HTML)
    assert response.status_code == 200
    main = stage_card(response.text, program.stage_slug)
    assert state_of(main) == "Live"
    assert f'href="/program/sessions/{program.on_now["guid"]}">Interferon keynote<' in main
    assert f'href="/program/sessions/{program.later["guid"]}">Cytokine storms<' in main
    hall = stage_card(response.text, program.other_stage_slug)
    assert state_of(hall) == "Off air"
    assert "Nothing scheduled" in hall
    assert "Nothing more" in hall
    # The navigation offers the page.
    assert '<a href="/stages" aria-current="page">Stages</a>' in response.text


async def test_a_stage_whose_broadcast_stopped_answering_is_off_air(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    await add_broadcast(
        app,
        stage_id=program.stage_id,
        state=BroadcastState.live,
        heartbeat_age=timedelta(minutes=5),
    )
    response = await client.get("/stages")
    assert state_of(stage_card(response.text, program.stage_slug)) == "Off air"


async def test_a_premiere_playing_now_shows_on_the_stages_page(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    await add_recording(
        app,
        stage_id=program.stage_id,
        premiere_at=utcnow() - timedelta(minutes=1),
        duration=600,
        session_guid=program.on_now["guid"],
    )
    response = await client.get("/stages")
    assert state_of(stage_card(response.text, program.stage_slug)) == "Premiere"


async def test_the_stage_page_has_the_player_and_the_live_panel_of_the_session_on_now(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    async with client_of(app, ATTENDEE) as attendee:
        response = await attendee.get(f"/stages/{program.stage_slug}", headers=HTML)
    assert response.status_code == 200
    html = response.text
    assert f'data-status-url="/api/v1/streaming/stages/{program.stage_slug}/status"' in html
    assert f'data-stage="{program.stage_slug}"' in html
    assert 'data-time-zone="Asia/Tokyo"' in html  # the viewer's zone for the slate
    assert '<script src="/static/vendor/hls/hls.min.js" defer></script>' in html
    assert f'data-session-guid="{program.on_now["guid"]}"' in html  # chat and Q&A beside it
    assert 'href="/studio/' not in html  # attendees have no studio


async def test_the_stage_page_asks_anonymous_visitors_to_sign_in(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    async with client_of(app) as anonymous:
        response = await anonymous.get(f"/stages/{program.stage_slug}", headers=HTML)
        missing = await anonymous.get("/stages/no-such-stage", headers=HTML)
    assert response.status_code == 200
    assert "data-player" not in response.text
    assert f'href="/signin?next=/stages/{program.stage_slug}"' in response.text
    assert missing.status_code == 404


async def test_the_hls_library_is_served_from_our_origin(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/vendor/hls/hls.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        ("text/javascript", "application/javascript")
    )
    assert "isSupported" in response.text


def watch_section(html: str) -> str:
    match = re.search(r'data-testid="where-to-watch">.*?</section>', html, re.S)
    assert match
    return match.group(0)


async def test_the_session_on_now_shows_its_stage_player(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    await add_broadcast(app, stage_id=program.stage_id, state=BroadcastState.live)
    async with client_of(app, ATTENDEE) as attendee:
        response = await attendee.get(f"/program/sessions/{program.on_now['guid']}")
    watch = watch_section(response.text)
    assert f'data-status-url="/api/v1/streaming/stages/{program.stage_slug}/status"' in watch
    assert "data-play-url" not in watch


async def test_a_later_session_offers_nothing_to_watch_until_it_has_recordings(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    guid = program.later["guid"]
    async with client_of(app, ATTENDEE) as attendee:
        before = watch_section((await attendee.get(f"/program/sessions/{guid}")).text)
        assert "data-player" not in before
        assert "Where to watch will appear here when streaming starts." in before

        hidden = await add_recording(
            app, stage_id=program.stage_id, session_guid=guid, published=False
        )
        still = watch_section((await attendee.get(f"/program/sessions/{guid}")).text)
        assert "data-player" not in still

        shown = await add_recording(app, stage_id=program.stage_id, session_guid=guid)
        after = watch_section((await attendee.get(f"/program/sessions/{guid}")).text)
    assert f'data-play-url="/api/v1/streaming/recordings/{shown}/play"' in after
    assert f"/recordings/{hidden}/" not in after
    assert "data-status-url" not in after


async def test_a_scheduled_premiere_is_announced_not_offered_on_demand(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    guid = program.later["guid"]
    recording = await add_recording(
        app,
        stage_id=program.stage_id,
        session_guid=guid,
        premiere_at=utcnow() + timedelta(hours=2),
        title="Pre-recorded IL-6",
    )
    async with client_of(app, ATTENDEE) as attendee:
        watch = watch_section((await attendee.get(f"/program/sessions/{guid}")).text)
    assert "Premiere: Pre-recorded IL-6 plays on" in watch
    assert f"/recordings/{recording}/play" not in watch


async def test_anonymous_visitors_are_asked_to_sign_in_to_watch(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    guid = program.on_now["guid"]
    async with client_of(app) as anonymous:
        watch = watch_section((await anonymous.get(f"/program/sessions/{guid}")).text)
    assert "data-player" not in watch
    assert f'href="/signin?next=/program/sessions/{guid}">Sign in to watch</a>' in watch


async def test_organizers_and_the_stages_speakers_open_the_studio(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    organizer_page = await client.get(f"/studio/{program.stage_slug}", headers=HTML)
    assert organizer_page.status_code == 200
    assert f'data-whip-url="/whip/{program.stage_slug}"' in organizer_page.text
    assert 'data-may-go-live="yes"' in organizer_page.text
    # Every session of the stage takes an upload from an organizer.
    assert organizer_page.text.count('<option value="" data-session') == 0
    assert f'<option value="{program.on_now["guid"]}">' in organizer_page.text
    assert f'<option value="{program.later["guid"]}">' in organizer_page.text

    async with client_of(app, SPEAKER) as speaker:
        page = await speaker.get(f"/studio/{program.stage_slug}", headers=HTML)
        elsewhere = await speaker.get(f"/studio/{program.other_stage_slug}", headers=HTML)
    assert page.status_code == 200
    # Only their own session is offered for uploads.
    assert f'<option value="{program.later["guid"]}">' in page.text
    assert f'<option value="{program.on_now["guid"]}">' not in page.text
    assert elsewhere.status_code == 403


async def test_the_studio_refuses_attendees_and_sends_the_anonymous_to_sign_in(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    program = await publish(client, users)
    async with client_of(app, OUTSIDER) as outsider:
        refused = await outsider.get(f"/studio/{program.stage_slug}", headers=HTML)
        missing = await outsider.get("/studio/no-such-stage", headers=HTML)
    assert refused.status_code == 403
    assert "data-studio" not in refused.text
    assert missing.status_code == 404
    async with client_of(app) as anonymous:
        redirected = await anonymous.get(f"/studio/{program.stage_slug}")
    assert redirected.status_code == 303
    assert redirected.headers["location"] == f"/signin?next=/studio/{program.stage_slug}"
