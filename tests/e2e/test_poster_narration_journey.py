"""A presenter uploads a spoken narration (sound only) on their poster's page, sees it
processed by the server's job runner, and an attendee plays it with the poster page's
player: the <video> element learns its length and its time advances."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.people import ATTENDEE, LIVE_MS, ORGANIZER, SPEAKER, People, ok
from tests.streaming.frames import write_sample_sound

pytestmark = pytest.mark.browser

# Queued behind whatever render runs (the runner polls each second), then a few seconds of
# AAC to encode on a busy machine.
PROCESS_MS = 90_000
SECONDS = 6.0
VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:06.000\nRuxolitinib damps the storm.\n"


def test_a_presenter_s_narration_plays_on_the_poster_page(people: People, tmp_path: Path) -> None:
    organizer = people.signed_in(ORGANIZER)
    token = ok(organizer.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    poster = ok(
        organizer.request.post(
            "/api/v1/posters",
            data={
                "board": f"N{secrets.token_hex(4)}",
                "title": "JAK inhibitors in cytokine storm",
                "abstract": "Ruxolitinib damps the storm.",
                "authors": [{"name": "Sam Speaker", "email": SPEAKER, "presenting": True}],
                "state": "published",
            },
            headers={"X-CSRF-Token": token},
        ),
        "poster creation",
    )
    sound = write_sample_sound(tmp_path / "narration.m4a", SECONDS).read_bytes()

    presenter = people.signed_in(SPEAKER)
    presenter.goto(f"/posters/{poster['id']}")
    section = presenter.get_by_role("region", name="Narration", exact=True)
    status = section.get_by_test_id("narration-status")
    expect(status).to_have_text("No narration yet.")
    section.get_by_label("Upload a narration (audio or video)").set_input_files(
        {"name": "narration.m4a", "mimeType": "audio/mp4", "buffer": sound}
    )
    section.get_by_role("button", name="Upload narration").click()
    # The page follows the job, then reloads with the player once it is ready.
    expect(section.get_by_test_id("player")).to_be_visible(timeout=PROCESS_MS)
    expect(status).to_have_text("Ready: viewers of the poster can play the narration.")
    expect(section.get_by_label("Replace the narration (audio or video)")).to_be_visible()
    # Captions for those who cannot hear it: the page reloads and lists them.
    section.get_by_label("Captions (a WebVTT file)").set_input_files(
        {"name": "narration.vtt", "mimeType": "text/vtt", "buffer": VTT}
    )
    section.get_by_role("button", name="Add captions").click()
    expect(section.get_by_text("Captions: en (en).")).to_be_visible(timeout=LIVE_MS)

    attendee = people.signed_in(ATTENDEE)
    attendee.goto(f"/posters/{poster['id']}")
    section = attendee.get_by_role("region", name="Narration", exact=True)
    player = section.get_by_role(
        "region", name="Video player: Narration of board " + poster["board"], exact=False
    )
    expect(player).to_have_attribute("data-state", "vod")
    expect(section.get_by_label("Upload a narration (audio or video)")).to_have_count(0)
    play = player.locator("[data-player-play]")
    expect(play).to_be_enabled(timeout=LIVE_MS)
    expect(player.get_by_role("button", name="Captions")).to_be_visible()
    play.click()
    attendee.wait_for_function(
        """() => {
            const v = document.querySelector('[data-player-video]');
            return v.duration > 5 && v.duration < 7 && v.currentTime > 1 && !v.paused;
        }""",
        timeout=LIVE_MS,
    )
    assert people.errors == []
