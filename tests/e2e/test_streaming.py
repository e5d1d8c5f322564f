"""Streaming in a real browser.

The journey: an organizer in Chromium (fake camera and microphone) goes live from the
studio page over WHIP; an attendee in a second browser context watches the stage page and
its video time advances; the studio stops; the attendee's player switches to the replay
by itself and that plays too. WebRTC stays on loopback inside a private network namespace.

The player: keyboard, quality and captions on a recording uploaded (and transcoded by the
server's worker) at the start of the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests import services
from tests.e2e.browser import CHROMIUM_ARGS, MEDIA_ARGS
from tests.e2e.people import ATTENDEE, ORGANIZER, signed_in
from tests.servers import start_demo_server
from tests.streaming.frames import write_sample_video
from tests.waiting import block_until

pytestmark = pytest.mark.browser

STAGE = "plenary-hall"
# Chromium's fake devices; loopback candidates for the in-namespace peer connection.
# Waits that span an encode, a playlist and a player start (ms).
MEDIA_MS = 30_000
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:30.000\nSubtitles for the sample talk\n"


@pytest.fixture(scope="module")
def streaming_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo-seeded server with a small, fast ladder and 1 s segments (SQLite, memory hub,
    ICE on loopback only)."""
    server = start_demo_server(
        tmp_path_factory.mktemp("e2e-streaming"),
        name="e2e-streaming",
        inline_worker="true",  # the uploaded recording is transcoded
        ice_interfaces="lo",
        stream_ladder="360p:640x360@800,180p:320x180@300",
        stream_segment_seconds="1",
        stream_preset="ultrafast",
    )
    try:
        server.wait_healthy()
        yield server.url
    finally:
        server.stop()


def video_time(page: Page) -> float:
    value: Any = page.evaluate("document.querySelector('[data-player-video]').currentTime")
    return float(value)


def wait_for_playback(page: Page, *, source_prefix: str) -> None:
    """Until the player plays ``source_prefix...`` and its video time has advanced by 1 s."""
    page.wait_for_function(
        """prefix => {
            const root = document.querySelector('[data-player]');
            const v = root && root.querySelector('video');
            return root && root.player && root.player.source
                && root.player.source.startsWith(prefix) && v.currentTime > 0.2 && !v.paused;
        }""",
        arg=source_prefix,
        timeout=MEDIA_MS,
    )
    start = video_time(page)
    page.wait_for_function(
        "t => document.querySelector('[data-player-video]').currentTime > t + 1",
        arg=start,
        timeout=MEDIA_MS,
    )


def schedule_session_now(context: BrowserContext, token: str) -> str:
    """As the organizer, put a session on the stage from 10 minutes ago for an hour and
    publish it (the demo meeting's own sessions are in 2021); its GUID."""
    stage_id = next(
        stage["id"]
        for stage in context.request.get("/api/v1/program/stages").json()
        if stage["slug"] == STAGE
    )
    now = datetime.now(UTC).replace(microsecond=0)
    created = context.request.post(
        "/api/v1/program/draft/sessions",
        data={
            "title": "Late-breaking cytokine signalling",
            "session_type": "plenary",
            "stage_id": stage_id,
            "starts_at": (now - timedelta(minutes=10)).isoformat(),
            "ends_at": (now + timedelta(minutes=50)).isoformat(),
        },
        headers={"X-CSRF-Token": token},
    )
    assert created.status == 201, created.text()
    published = context.request.post(
        "/api/v1/program/publish",
        data={"note": "Late-breaking session", "confirm_warnings": True},
        headers={"X-CSRF-Token": token},
    )
    assert published.status == 201, published.text()
    return str(created.json()["guid"])


@pytest.mark.netns
def test_go_live_from_the_studio_watch_it_then_the_replay(streaming_server: str) -> None:
    executable = services.chromium_path()
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS + MEDIA_ARGS
        )
        try:
            organizer, token = signed_in(browser, streaming_server, ORGANIZER)
            session_guid = schedule_session_now(organizer, token)
            studio = organizer.new_page()
            studio.on("pageerror", lambda error: errors.append(f"studio: {error}"))
            studio.goto(f"/studio/{STAGE}")
            go_live = studio.get_by_role("button", name="Go live", exact=True)
            expect(go_live).to_be_enabled()  # the fake camera is open
            go_live.click()
            expect(studio.get_by_test_id("studio-state")).to_have_text("Live", timeout=MEDIA_MS)

            attendee, _ = signed_in(browser, streaming_server, ATTENDEE)
            watcher = attendee.new_page()
            watcher.on("pageerror", lambda error: errors.append(f"attendee: {error}"))
            # The session's own page plays its stage while the session is on.
            watcher.goto(f"/program/sessions/{session_guid}")
            expect(watcher.get_by_role("heading", level=1)).to_have_text(
                "Late-breaking cytokine signalling"
            )
            wait_for_playback(watcher, source_prefix=f"/streams/{STAGE}/")
            player = watcher.get_by_test_id("player")
            expect(player).to_have_attribute("data-state", "live")
            expect(player.locator("[data-player-live]")).to_be_visible()
            expect(player.locator("[data-player-behind]")).to_contain_text("s behind live")
            # The studio counts the attendee (the studio itself is not a viewer).
            expect(studio.get_by_test_id("studio-viewers")).to_have_text("1", timeout=MEDIA_MS)
            expect(studio.locator('[data-stat="fps"]')).to_contain_text("fps")

            studio.get_by_role("button", name="Stop", exact=True).click()
            expect(studio.get_by_test_id("studio-state")).to_have_text("Off air")

            # No reload: the stage's state event (or the player's own check) brings the
            # replay, which starts playing where the viewer was watching.
            wait_for_playback(watcher, source_prefix="/vod/")
            expect(player).to_have_attribute("data-state", "ended")
            expect(player.locator("[data-player-live]")).to_be_hidden()
            organizer.close()
            attendee.close()
        finally:
            browser.close()
    assert errors == []


# The player on a recording -----------------------------------------------------------


def upload_recording(context: BrowserContext, token: str, video: Path, session_guid: str) -> int:
    """Upload ``video`` for the session as the organizer, wait for the server's worker to
    transcode it, attach English captions; the recording's id."""
    accepted = context.request.post(
        f"/api/v1/streaming/uploads?session={session_guid}&title=Sample%20talk",
        data=video.read_bytes(),
        headers={"X-CSRF-Token": token, "Content-Type": "video/mp4"},
    )
    assert accepted.status == 202, accepted.text()
    job_id = accepted.json()["job_id"]
    recording_id = int(accepted.json()["recording_id"])
    seen: list[dict[str, Any]] = []

    def transcoded() -> bool:
        job: dict[str, Any] = context.request.get(f"/api/v1/streaming/jobs/{job_id}").json()
        seen.append(job)
        assert job["state"] != "failed", job
        return bool(job["state"] == "done")

    block_until(transcoded, lambda: f"the transcode to finish: {seen[-1]}", interval=0.5)
    captions = context.request.put(
        f"/api/v1/streaming/recordings/{recording_id}/captions/en?label=English",
        data=VTT,
        headers={"X-CSRF-Token": token, "Content-Type": "text/vtt"},
    )
    assert captions.ok, captions.text()
    return recording_id


def test_the_player_answers_the_keyboard_and_offers_qualities_and_captions(
    browser: Browser, streaming_server: str, tmp_path: Path
) -> None:
    video = write_sample_video(tmp_path / "talk.mp4", 12, 320, 180, fps=15)
    context, token = signed_in(browser, streaming_server, ORGANIZER)
    errors: list[str] = []
    try:
        sessions = context.request.get(f"/api/v1/program/sessions?stage={STAGE}").json()
        session_guid = sessions[0]["guid"]
        recording_id = upload_recording(context, token, video, session_guid)

        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"/program/sessions/{session_guid}")
        player = page.get_by_test_id("player")
        expect(player).to_have_attribute(
            "data-play-url", f"/api/v1/streaming/recordings/{recording_id}/play"
        )
        expect(player).to_have_attribute("data-state", "vod")
        play = player.locator("[data-player-play]")
        expect(play).to_be_enabled()

        # k plays, k pauses.
        player.focus()
        page.keyboard.press("k")
        wait_for_playback(page, source_prefix=f"/vod/{recording_id}/")
        expect(play).to_have_attribute("aria-label", "Pause")
        page.keyboard.press("k")
        expect(play).to_have_attribute("aria-label", "Play")
        assert page.evaluate("document.querySelector('[data-player-video]').paused") is True

        # Arrows seek five seconds on demand.
        before = video_time(page)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "t => document.querySelector('[data-player-video]').currentTime >= t + 4.5",
            arg=before,
        )
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            "t => document.querySelector('[data-player-video]').currentTime <= t + 0.5",
            arg=before,
        )

        # m mutes and unmutes, and says so.
        mute = player.locator("[data-player-mute]")
        muted_before = page.evaluate("document.querySelector('[data-player-video]').muted")
        page.keyboard.press("m")
        expect(mute).to_have_attribute("aria-pressed", "false" if muted_before else "true")
        page.keyboard.press("m")
        expect(mute).to_have_attribute("aria-pressed", "true" if muted_before else "false")

        # Two renditions and Auto; picking one pins hls.js to it.
        quality = player.locator("[data-player-quality]")
        expect(quality.locator("option")).to_have_count(3)
        expect(quality.locator("option").first).to_have_text("Auto")
        values = quality.locator("option").evaluate_all("options => options.map(o => o.value)")
        assert values == ["-1", "0", "1"]
        quality.select_option("1")
        page.wait_for_function(
            "document.querySelector('[data-player]').player.hls.currentLevel === 1"
        )
        quality.select_option("-1")
        page.wait_for_function(
            "document.querySelector('[data-player]').player.hls.autoLevelEnabled === true"
        )

        # c shows the captions uploaded for it, and hides them again.
        captions = player.locator("[data-player-captions]")
        expect(captions).to_be_visible()
        player.focus()
        page.keyboard.press("c")
        expect(captions).to_have_attribute("aria-pressed", "true")
        assert (
            page.evaluate("document.querySelector('[data-player-video]').textTracks[0].mode")
            == "showing"
        )
        assert (
            page.evaluate("document.querySelector('[data-player-video]').textTracks[0].label")
            == "English"
        )
        page.keyboard.press("c")
        expect(captions).to_have_attribute("aria-pressed", "false")
    finally:
        context.close()
    assert errors == []
