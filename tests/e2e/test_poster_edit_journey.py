"""A presenter edits their poster on its edit page, without any script of ours needed to
submit: a refused save keeps what they typed and says what is wrong beside the field; a
good one shows the abstract's Markdown rendered, on the edit page and on the poster page."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.people import ORGANIZER, SPEAKER, People, ok

pytestmark = pytest.mark.browser

ABSTRACT = """### Methods

We blocked IL-6R with **tocilizumab** and JAK1/2 with *baricitinib*.

- synovial fibroblasts
- monocytes

Data: [our repository](https://example.org/data)"""


def test_a_presenter_edits_the_abstract_and_sees_it_rendered(people: People) -> None:
    organizer = people.signed_in(ORGANIZER)
    token = ok(organizer.request.get("/api/v1/auth/csrf"), "csrf")["csrf_token"]
    board = f"E{secrets.token_hex(4)}"
    poster = ok(
        organizer.request.post(
            "/api/v1/posters",
            data={
                "board": board,
                "title": "IL-6 trans-signalling in the inflamed synovium",
                "abstract": "To be written.",
                "authors": [{"name": "Sam Speaker", "email": SPEAKER, "presenting": True}],
                "state": "published",
            },
            headers={"X-CSRF-Token": token},
        ),
        "poster creation",
    )

    presenter = people.signed_in(SPEAKER)
    presenter.goto(f"/posters/{poster['id']}")
    presenter.get_by_role("link", name="Edit your poster").click()
    expect(presenter.get_by_role("heading", name="Edit your poster")).to_be_visible()

    # A DOI that is none: refused, the typed abstract kept, the reason beside the field.
    abstract = presenter.get_by_label("Abstract", exact=True)
    abstract.fill(ABSTRACT)
    doi = presenter.get_by_label("DOI", exact=True)
    doi.fill("not a doi")
    presenter.get_by_label("Author row 2: name").fill("Ada Lovelace")
    presenter.get_by_label("Author row 2: affiliation").fill("Karolinska Institutet")
    # Reordered by the numbers: the new author first.
    presenter.get_by_label("Author row 2: position").fill("1")
    presenter.get_by_label("Author row 1: position").fill("2")
    presenter.get_by_role("button", name="Save changes").click()
    expect(doi).to_have_attribute("aria-invalid", "true")
    expect(doi).to_have_accessible_description(
        "Such as 10.1234/abc.5678; leave empty if there is none. "
        "A DOI looks like 10.1234/abc.5678 (10., a number, /, the rest)."
    )
    expect(presenter.get_by_role("alert").first).to_contain_text("Nothing was saved.")
    expect(presenter.get_by_label("Abstract", exact=True)).to_have_value(ABSTRACT)

    doi.fill("https://doi.org/10.5555/synovium.2021")
    presenter.get_by_role("button", name="Save changes").click()
    expect(presenter.get_by_test_id("edit-saved")).to_have_text("Your changes are saved.")
    preview = presenter.get_by_test_id("abstract-preview")
    expect(preview.locator("strong")).to_have_text("tocilizumab")
    expect(preview.locator("h3")).to_have_text("Methods")
    expect(presenter.get_by_label("DOI", exact=True)).to_have_value("10.5555/synovium.2021")

    presenter.get_by_role("link", name=f"Back to board {board}").click()
    shown = presenter.get_by_test_id("abstract")
    expect(shown.locator("h3")).to_have_text("Methods")
    expect(shown.locator("strong")).to_have_text("tocilizumab")
    expect(shown.locator("em")).to_have_text("baricitinib")
    expect(shown.locator("li")).to_have_text(["synovial fibroblasts", "monocytes"])
    expect(shown.get_by_role("link", name="our repository")).to_have_attribute(
        "href", "https://example.org/data"
    )
    expect(shown).not_to_contain_text("**")
    expect(presenter.get_by_test_id("authors").locator("li")).to_have_text(
        ["Ada Lovelace, Karolinska Institutet", "Sam Speaker (presenting)"]
    )
    expect(presenter.get_by_role("link", name="10.5555/synovium.2021")).to_have_attribute(
        "href", "https://doi.org/10.5555/synovium.2021"
    )
    assert people.errors == []
