"""Panels: who may join, real panelists over loopback (netns) seeing and hearing each other,
a full panel, leaving, the layout, and the panel going live on its stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import expect, sync_playwright

from conference.accounts.models import Role
from conference.demo import DEMO_PASSWORD
from streaming.panel.compositor import Rect, grid_rects
from streaming.panel.rooms import MAX_PANELISTS
from tests import services
from tests.e2e.browser import CHROMIUM_ARGS, MEDIA_ARGS
from tests.factories import UserFactory, csrf, sign_in
from tests.program.factories import ProgramBuilder, organizer_client
from tests.servers import start_demo_server
from tests.streaming.panel_client import OUT_H, OUT_W, SDP, Panelist, http_for, shows
from tests.waiting import wait_until

RED, GREEN, BLUE = (81, 90, 240), (145, 54, 34), (41, 240, 110)
GARBAGE_OFFER = "v=0\r\nthis is not a session description\r\nm=video\r\n"
# Parses, but has no audio: a panel offer sends and receives both.
VIDEO_ONLY_OFFER = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
)


def url(slug: str, tail: str = "") -> str:
    return f"/api/v1/streaming/stages/{slug}/panel{tail}"


async def make_panel_program(
    http: httpx.AsyncClient, users: UserFactory, emails: dict[str, str]
) -> dict[str, Any]:
    """A stage with one published session: ``emails["chair"]`` chairs it, the others
    speak in its talk. ``http`` ends signed in as the organizer."""
    await organizer_client(http, users)
    builder = ProgramBuilder(http)
    stage = await builder.stage("Panel Stage")
    people: dict[str, int] = {}
    for role, email in emails.items():
        user = await users.create(email=email, name=role.title())
        people[role] = (await builder.person(role.title(), user_id=user.id))["id"]
    session = await builder.session(
        "Interferon panel",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=stage["id"],
        chair_ids=[people["chair"]],
    )
    speakers = [pid for role, pid in people.items() if role != "chair"]
    await builder.talk(
        session["id"], "Discussion", "2021-10-18T09:00:00+01:00", 60, speaker_ids=speakers
    )
    assert (await builder.publish(confirm=True)).status_code == 201
    return stage


# Refusals without media ---------------------------------------------------------------


@pytest.fixture
async def stage(client: httpx.AsyncClient, users: UserFactory, demo_meeting: None) -> Any:
    emails = {"chair": "chair@example.org", "speaker": "speaker@example.org"}
    return await make_panel_program(client, users, emails)


async def test_anonymous_gets_401_and_unknown_stage_404(
    app: FastAPI, client: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 50002))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as anon:
        await csrf(anon)
        assert (await anon.post(url(stage["slug"]), content="v=0", headers=SDP)).status_code == 401
        assert (await anon.get(url(stage["slug"]))).status_code == 401
    response = await client.post(url("no-such-stage"), content="v=0", headers=SDP)
    assert response.status_code == 404


async def test_people_not_on_the_stages_sessions_get_403(
    client: httpx.AsyncClient, users: UserFactory, stage: dict[str, Any]
) -> None:
    await users.create(email="attendee@example.org")
    await sign_in(client, "attendee@example.org")
    slug = stage["slug"]
    assert (await client.post(url(slug), content="v=0", headers=SDP)).status_code == 403
    assert (await client.get(url(slug))).status_code == 403
    assert (await client.put(url(slug, "/layout"), json={"layout": "grid"})).status_code == 403
    assert (await client.post(url(slug, "/live"))).status_code == 403


async def test_speakers_join_but_only_chairs_direct(
    client: httpx.AsyncClient, stage: dict[str, Any]
) -> None:
    slug = stage["slug"]
    await sign_in(client, "speaker@example.org")
    state = (await client.get(url(slug))).json()
    assert state == {
        "stage": slug,
        "layout": "grid",
        "live": False,
        "active": None,
        "max_panelists": MAX_PANELISTS,
        "may_direct": False,
        "panelists": [],
    }
    assert (await client.put(url(slug, "/layout"), json={"layout": "speaker"})).status_code == 403
    assert (await client.delete(url(slug, "/live"))).status_code == 403
    await sign_in(client, "chair@example.org")
    assert (await client.get(url(slug))).json()["may_direct"] is True
    # Nobody on the panel yet: nothing to lay out, nothing to put live.
    assert (await client.put(url(slug, "/layout"), json={"layout": "speaker"})).status_code == 404
    assert (await client.post(url(slug, "/live"))).status_code == 409
    assert (await client.delete(url(slug, "/live"))).status_code == 404
    assert (await client.delete(url(slug, "/nobody"))).status_code == 404


async def test_bad_offers_are_refused(client: httpx.AsyncClient, stage: dict[str, Any]) -> None:
    slug = stage["slug"]
    await sign_in(client, "speaker@example.org")
    assert (await client.post(url(slug), content="v=0")).status_code == 415
    for offer in (GARBAGE_OFFER, VIDEO_ONLY_OFFER, "v=0\r\n" + "a=x\r\n" * 20_000):
        response = await client.post(url(slug), content=offer, headers=SDP)
        assert response.status_code == 422, response.text
    bad_utf8 = b"v=0\r\n\xff\xfe"
    assert (await client.post(url(slug), content=bad_utf8, headers=SDP)).status_code == 422
    response = await client.put(url(slug, "/layout"), json={"layout": "mosaic"})
    assert response.status_code in (403, 422)  # a speaker: refused before or at validation


# Real panelists (netns) ----------------------------------------------------------------


@pytest.mark.netns
async def test_panelists_see_and_hear_each_other(live_app: FastAPI) -> None:
    users = UserFactory(live_app)
    emails = {"chair": "chair@example.org", "speaker": "s1@example.org", "guest": "s2@example.org"}
    async with http_for(live_app, 50001) as organizer:
        stage = await make_panel_program(organizer, users, emails)
    slug = stage["slug"]
    # Only the first panelist speaks: the others hear them, they hear (almost) nothing.
    panelists = [
        Panelist(RED, amplitude=8000),
        Panelist(GREEN, amplitude=0),
        Panelist(BLUE, amplitude=0),
    ]
    clients = [http_for(live_app, 50010 + i) for i in range(3)]
    try:
        for http, email, panelist in zip(clients, emails.values(), panelists, strict=True):
            await sign_in(http, email)
            response = await panelist.join(http, slug)
            assert response.status_code == 201, response.text
            assert response.headers["content-type"].startswith("application/sdp")
            assert response.headers["location"].startswith(url(slug, "/"))

        tiles = grid_rects(3, OUT_W, OUT_H)
        colours = [RED, GREEN, BLUE]

        def everyone_sees_everyone() -> bool:
            return all(
                shows(p.picture, colour, tile)
                for p in panelists
                for colour, tile in zip(colours, tiles, strict=True)
            )

        await wait_until(everyone_sees_everyone, "each panelist to see all three tiles")
        for panelist in panelists:
            assert panelist.picture is not None
            assert (panelist.picture.width, panelist.picture.height) == (OUT_W, OUT_H)
        # One shared H.264 encoder serves all three (the offers had VP8 first).
        room = live_app.state.streaming.panels.room(slug)
        assert list(room.encoders) == ["h264"]
        await wait_until(
            lambda: all(len(p.audio_levels) >= 50 for p in panelists), "a second of audio"
        )
        # Let the levels settle past the start: 30 more chunks (0.6 s of audio) each, so the
        # 25 that ``recent_level`` averages all came after the first second.
        settled = [len(p.audio_levels) + 30 for p in panelists]
        await wait_until(
            lambda: all(len(p.audio_levels) >= n for p, n in zip(panelists, settled, strict=True)),
            "the levels to settle",
        )
        assert panelists[1].recent_level() > 1500
        assert panelists[2].recent_level() > 1500
        assert panelists[0].recent_level() < 300  # mix-minus: not their own voice

        state = (await clients[0].get(url(slug))).json()
        assert [p["name"] for p in state["panelists"]] == ["Chair", "Speaker", "Guest"]
        assert state["active"] == state["panelists"][0]["id"]

        # The chair switches to the speaker view: the first panelist fills the top.
        response = await clients[0].put(url(slug, "/layout"), json={"layout": "speaker"})
        assert response.status_code == 200
        assert response.json()["layout"] == "speaker"
        main = Rect(OUT_W // 2 - 4, OUT_H // 3 - 4, 8, 8)
        await wait_until(lambda: shows(panelists[1].picture, RED, main), "the speaker view")
        await clients[0].put(url(slug, "/layout"), json={"layout": "grid"})

        # A speaker may not remove someone else; the guest leaves; the grid shrinks to two.
        assert panelists[2].location is not None
        response = await clients[1].delete(panelists[2].location)
        assert response.status_code == 403
        assert (await panelists[2].leave(clients[2])).status_code == 204
        two = grid_rects(2, OUT_W, OUT_H)
        await wait_until(
            lambda: all(
                shows(p.picture, RED, two[0]) and shows(p.picture, GREEN, two[1])
                for p in panelists[:2]
            ),
            "the grid of two",
        )
        state = (await clients[0].get(url(slug))).json()
        assert len(state["panelists"]) == 2

        # The panel goes live on its stage: the composed picture feeds the HLS ladder.
        response = await clients[0].post(url(slug, "/live"))
        assert response.status_code == 201, response.text
        assert (await clients[0].post(url(slug, "/live"))).status_code == 409
        media_root: Path = live_app.state.ctx.settings.media_root
        playlist = media_root / "streams" / slug / "180p" / "index.m3u8"
        await wait_until(
            lambda: playlist.exists() and ".m4s" in playlist.read_text(), "a live segment"
        )
        assert (await clients[0].get(url(slug))).json()["live"] is True
        assert (await clients[0].delete(url(slug, "/live"))).status_code == 204
        assert (await clients[0].get(url(slug))).json()["live"] is False
    finally:
        for panelist in panelists:
            await panelist.close()
        for http in clients:
            await http.aclose()


@pytest.mark.netns
async def test_the_ninth_panelist_is_refused(live_app: FastAPI) -> None:
    users = UserFactory(live_app)
    # Offers that never connect still hold seats until ICE gives up, which is enough here.
    offer_source = Panelist(RED)
    offer = await offer_source.offer()
    try:
        async with http_for(live_app, 50020) as http:
            slug = (await ProgramBuilder(await organizer_client(http, users)).stage())["slug"]
            for index in range(MAX_PANELISTS + 1):
                email = f"organizer{index}@example.org"
                await users.create(Role.organizer, email=email)
                await sign_in(http, email)
                response = await http.post(url(slug), content=offer, headers=SDP)
                expected = 201 if index < MAX_PANELISTS else 409
                assert response.status_code == expected, (index, response.text)
            # A panelist joining again (a reloaded page) gets their seat back, not a second.
            await sign_in(http, "organizer0@example.org")
            response = await http.post(url(slug), content=offer, headers=SDP)
            assert response.status_code == 201
            assert len((await http.get(url(slug))).json()["panelists"]) == MAX_PANELISTS
    finally:
        await offer_source.close()


# Chromium on the panel (browser, netns) --------------------------------------------------

BROWSER_STAGE = "plenary-hall"
PANEL_PLAYS = """() => {
    const v = document.querySelector('[data-panel-view]');
    return v && v.videoWidth === 1280 && v.videoHeight === 720 && v.currentTime > 1;
}"""


@pytest.mark.browser
@pytest.mark.netns
def test_chromium_joins_the_panel_and_plays_the_shared_encode(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """static/js/panel.js in Debian Chromium (fake camera): it joins, decodes the one
    shared H.264 encode of the composed panel, sees itself listed, and leaves."""
    var_dir = tmp_path_factory.mktemp("panel-browser")
    server = start_demo_server(
        var_dir,
        name="panel-browser",
        ice_interfaces="lo",
        stream_fps="15",
        stream_preset="ultrafast",
    )
    try:
        server.wait_healthy()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=services.chromium_path(),
                headless=True,
                args=CHROMIUM_ARGS + MEDIA_ARGS,
            )
            try:
                context = browser.new_context(base_url=server.url)
                context.set_default_timeout(30_000)
                token = context.request.get("/api/v1/auth/csrf").json()["csrf_token"]
                response = context.request.post(
                    "/api/v1/auth/login",
                    data={"email": "organizer@demo.test", "password": DEMO_PASSWORD},
                    headers={"X-CSRF-Token": token},
                )
                assert response.ok, response.text()
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(f"/studio/{BROWSER_STAGE}")
                expect(page.get_by_test_id("studio-panel")).to_be_visible()
                join = page.get_by_role("button", name="Join the panel")
                expect(join).to_be_enabled()
                join.click()
                page.wait_for_function(PANEL_PLAYS, timeout=30_000)
                expect(page.locator("[data-panel-status]")).to_have_text("You are on the panel.")
                expect(page.locator("[data-panel-people] li")).to_have_count(1)
                page.get_by_role("button", name="Leave").click()
                expect(page.locator("[data-panel-people] li")).to_have_count(0)
                assert errors == []
            finally:
                browser.close()
    finally:
        server.stop()
