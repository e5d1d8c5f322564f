"""A poster's video room in Chromium: the presenter and an attendee meet in it.

The demo speaker presents a published poster and has a slot on now. Two Chromiums, one
whose fake camera films solid red (the speaker's) and one solid blue (the attendee's), open
the poster's page: the speaker joins the room from the live region with the keyboard, the
attendee sees "1 person" in it and joins too; each page then shows the room's composed
picture with a red tile and a blue tile (so each receives the other's camera), its decoded
frames and received audio keep increasing and carry sound (mix-minus: what each hears is
the other), both pages list the two people, and the attendee leaves. Server and Chromium run
in a private network namespace (SQLite, the memory hub, ICE on loopback).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from streaming.panel.compositor import grid_rects
from tests import services
from tests.e2e.browser import CHROMIUM_ARGS, MEDIA_ARGS
from tests.e2e.people import ATTENDEE, LIVE_MS, ORGANIZER, SPEAKER, ok, signed_in
from tests.servers import start_demo_server
from tests.waiting import block_until

pytestmark = pytest.mark.browser

# Camera pictures as video-range YUV (BT.601): red and blue.
RED, BLUE = (81, 90, 240), (41, 240, 110)
CAMERA_W, CAMERA_H = 320, 180
# The room's composed picture (streaming.panel.rooms.PanelManager.room_size).
ROOM_W, ROOM_H = 854, 480
# Waits that span ICE, DTLS, the first keyframe and a decoder start (ms).
MEDIA_MS = 30_000

# [r, g, b] of the received picture at the relative points ``at`` ([[x, y], ...]).
COLOURS_AT = """at => {
    const v = document.querySelector('[data-room-view]');
    if (!v || v.readyState < 2 || v.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const g = canvas.getContext('2d');
    g.drawImage(v, 0, 0);
    return at.map(([x, y]) => Array.from(
        g.getImageData(Math.round(x * canvas.width), Math.round(y * canvas.height), 1, 1).data
    ).slice(0, 3));
}"""
# What has arrived on the room's connection so far.
RECEIVED = """async () => {
    const pc = document.querySelector('[data-poster-room]').connection;
    const found = {frames: 0, audioBytes: 0, audioEnergy: 0};
    if (!pc) return found;
    (await pc.getStats()).forEach(r => {
        if (r.type !== 'inbound-rtp') return;
        if (r.kind === 'video') found.frames = r.framesDecoded || 0;
        if (r.kind === 'audio') {
            found.audioBytes = r.bytesReceived || 0;
            found.audioEnergy = r.totalAudioEnergy || 0;
        }
    });
    return found;
}"""


def write_y4m(path: Path, colour: tuple[int, int, int], frames: int = 10) -> Path:
    """A short Y4M clip of one colour, which Chromium loops as its fake camera."""
    y, u, v = colour
    quarter = CAMERA_W * CAMERA_H // 4
    picture = bytes([y]) * (4 * quarter) + bytes([u]) * quarter + bytes([v]) * quarter
    header = f"YUV4MPEG2 W{CAMERA_W} H{CAMERA_H} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + (b"FRAME\n" + picture) * frames)
    return path


def is_red(rgb: list[int]) -> bool:
    return rgb[0] > 170 and rgb[1] < 90 and rgb[2] < 90


def is_blue(rgb: list[int]) -> bool:
    return rgb[0] < 90 and rgb[1] < 90 and rgb[2] > 170


def tile_centres() -> list[list[float]]:
    """The centres of the two tiles of the room's grid, relative to the picture."""
    return [
        [(r.x + r.width / 2) / ROOM_W, (r.y + r.height / 2) / ROOM_H]
        for r in grid_rects(2, ROOM_W, ROOM_H)
    ]


def launch(playwright: Any, camera: Path) -> Browser:
    browser: Browser = playwright.chromium.launch(
        executable_path=services.chromium_path(),
        headless=True,
        args=[*CHROMIUM_ARGS, *MEDIA_ARGS, f"--use-file-for-fake-video-capture={camera}"],
    )
    return browser


def received(page: Page) -> dict[str, float]:
    found: dict[str, float] = page.evaluate(RECEIVED)
    return found


def receives_media(page: Page, who: str) -> None:
    """Frames decoded and audio bytes keep increasing on ``page``'s room connection, and
    the audio it receives carries sound (the other person's: it never hears itself)."""

    def started() -> dict[str, float] | None:
        found = received(page)
        return found if found["frames"] > 0 and found["audioBytes"] > 0 else None

    first = block_until(started, f"{who}'s first frames and audio")

    def flowing() -> bool:
        found = received(page)
        return (
            found["frames"] > first["frames"] + 10
            and found["audioBytes"] > first["audioBytes"]
            and found["audioEnergy"] > 0
        )

    block_until(flowing, f"{who} to keep receiving pictures and sound")


def sees_red_and_blue(page: Page, centres: list[list[float]]) -> bool:
    """The left tile of the received picture is red and the right one blue."""
    found: list[list[int]] | None = page.evaluate(COLOURS_AT, centres)
    return found is not None and is_red(found[0]) and is_blue(found[1])


@pytest.mark.netns
def test_the_presenter_and_an_attendee_meet_in_the_posters_video_room(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    var_dir = tmp_path_factory.mktemp("poster-room")
    red = write_y4m(var_dir / "red.y4m", RED)
    blue = write_y4m(var_dir / "blue.y4m", BLUE)
    server = start_demo_server(
        var_dir / "server",
        name="poster-room",
        ice_interfaces="lo",
        stream_fps="15",
        stream_preset="ultrafast",
    )
    errors: list[str] = []
    try:
        server.wait_healthy()
        with sync_playwright() as playwright:
            speakers_browser, attendees_browser = launch(playwright, red), launch(playwright, blue)
            try:
                organizer, token = signed_in(speakers_browser, server.url, ORGANIZER)
                poster = ok(
                    organizer.request.post(
                        "/api/v1/posters",
                        data={
                            "board": "VR1",
                            "title": "Face to face about IL-6 trans-signalling",
                            "abstract": "Soluble IL-6R in the room.",
                            "authors": [
                                {"name": "Sam Speaker", "email": SPEAKER, "presenting": True}
                            ],
                            "state": "published",
                        },
                        headers={"X-CSRF-Token": token},
                    ),
                    "poster",
                )
                speaker, speaker_token = signed_in(speakers_browser, server.url, SPEAKER)
                start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
                ok(
                    speaker.request.post(
                        f"/api/v1/posters/{poster['id']}/slots",
                        data={
                            "starts_at": start.isoformat(),
                            "ends_at": (start + timedelta(minutes=45)).isoformat(),
                        },
                        headers={"X-CSRF-Token": speaker_token},
                    ),
                    "a slot on now",
                )

                presenter = speaker.new_page()
                presenter.on("pageerror", lambda error: errors.append(f"presenter: {error}"))
                presenter.goto(f"/posters/{poster['id']}")
                live = presenter.get_by_role("region", name="Live now: ask the presenter")
                room = live.get_by_role("group", name="Video room")
                expect(room.get_by_test_id("room-count")).to_have_text(
                    "0 people are in the video room (at most 6)."
                )
                # With the keyboard: focus the button and press Enter.
                room.get_by_role("button", name="Join the video room").focus()
                presenter.keyboard.press("Enter")
                expect(room.get_by_test_id("room-status")).to_have_text(
                    "You are in the video room.", timeout=MEDIA_MS
                )
                expect(room.get_by_role("button", name="Leave the video room")).to_be_focused()

                attendee_context, _ = signed_in(attendees_browser, server.url, ATTENDEE)
                attendee = attendee_context.new_page()
                attendee.on("pageerror", lambda error: errors.append(f"attendee: {error}"))
                attendee.goto(f"/posters/{poster['id']}")
                other_room = attendee.get_by_role("group", name="Video room")
                expect(other_room.get_by_test_id("room-count")).to_have_text(
                    "1 person is in the video room (at most 6)."
                )
                expect(other_room.get_by_role("listitem")).to_have_text(["Sam Speaker"])
                other_room.get_by_role("button", name="Join the video room").click()
                expect(other_room.get_by_test_id("room-status")).to_have_text(
                    "You are in the video room.", timeout=MEDIA_MS
                )
                expect(other_room.get_by_role("listitem")).to_have_text(
                    ["Sam Speaker", "Aiko Attendee (you)"]
                )
                expect(room.get_by_test_id("room-count")).to_have_text(
                    "2 people are in the video room (at most 6).", timeout=LIVE_MS
                )
                expect(room.get_by_role("listitem")).to_have_text(
                    ["Sam Speaker (you)", "Aiko Attendee"]
                )

                # Each sees the presenter's red camera and the attendee's blue one, side by
                # side in the one composed picture the room encodes for both.
                centres = tile_centres()
                for page, who in ((presenter, "the presenter"), (attendee, "the attendee")):
                    block_until(
                        functools.partial(sees_red_and_blue, page, centres),
                        f"{who} to see the red and the blue camera",
                    )
                    receives_media(page, who)

                other_room.get_by_role("button", name="Leave the video room").click()
                expect(other_room.get_by_test_id("room-status")).to_have_text(
                    "You left the video room."
                )
                expect(other_room.get_by_role("button", name="Join the video room")).to_be_focused()
                expect(room.get_by_test_id("room-count")).to_have_text(
                    "1 person is in the video room (at most 6).", timeout=LIVE_MS
                )
            finally:
                speakers_browser.close()
                attendees_browser.close()
    finally:
        server.stop()
    assert errors == []
