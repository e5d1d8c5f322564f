"""A presenter uploads their poster's PDF on the poster's page and sees it become ready
(rendered by the job runner inside the demo server), with its thumbnail."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.people import LIVE_MS, ORGANIZER, SPEAKER, People, ok
from tests.posters.sample_pdfs import small_pdf

pytestmark = pytest.mark.browser

# Queued, claimed (the runner polls each second) and rendered at 300 dpi on a busy machine.
RENDER_MS = 90_000


def test_a_presenter_uploads_a_pdf_and_sees_it_ready(people: People) -> None:
    organizer = people.signed_in(ORGANIZER)
    token = ok(organizer.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    board = f"E{secrets.token_hex(4)}"
    poster = ok(
        organizer.request.post(
            "/api/v1/posters",
            data={
                "board": board,
                "title": "IL-6 trans-signalling in the inflamed synovium",
                "abstract": "Soluble IL-6R drives trans-signalling.",
                "authors": [{"name": "Sam Speaker", "email": SPEAKER, "presenting": True}],
            },
            headers={"X-CSRF-Token": token},
        ),
        "poster creation",
    )

    presenter = people.signed_in(SPEAKER)
    presenter.goto(f"/posters/{poster['id']}")
    section = presenter.get_by_role("region", name="Poster PDF")
    status = section.get_by_test_id("render-status")
    expect(status).to_have_text("No PDF yet.")
    section.get_by_label("Upload the PDF (one page)").set_input_files(
        {"name": "poster.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}
    )
    section.get_by_role("button", name="Upload", exact=True).click()
    expect(section.get_by_role("alert")).to_have_text("Uploaded.", timeout=LIVE_MS)
    # The page follows the render and shows the new render once it is ready.
    expect(status).to_contain_text("Ready", timeout=RENDER_MS)
    thumbnail = section.get_by_role("img", name="Thumbnail of the poster")
    expect(thumbnail).to_be_visible()
    assert (
        presenter.evaluate("document.querySelector('[data-testid=poster-thumbnail]').naturalWidth")
        == 480
    )
    expect(section.get_by_label("Replace the PDF (one page)")).to_be_visible()

    # Not a PDF: refused with its reason, the ready render kept.
    section.get_by_label("Replace the PDF (one page)").set_input_files(
        {"name": "poster.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
    )
    section.get_by_role("button", name="Upload", exact=True).click()
    expect(section.get_by_role("alert")).to_have_text(
        "The upload was refused: The file is not a PDF."
    )
    expect(status).to_contain_text("Ready")
    assert people.errors == []
