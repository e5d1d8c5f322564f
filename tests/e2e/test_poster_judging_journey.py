"""A judge scores a poster on the judge's page, and the organizer sees the score in the
ranking on the console's Judging page.

The journey makes its own poster (a unique board, authors at an affiliation nobody else
has) and assigns the demo attendee to it through the API; it looks only at that poster.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.people import ATTENDEE, ORGANIZER, People, ok

pytestmark = pytest.mark.browser


def test_a_judge_scores_and_the_organizer_sees_the_ranking(people: People) -> None:
    tag = uuid.uuid4().hex[:8]
    board = f"J{tag}"
    title = f"SOCS1 restrains IFN-γ signalling in microglia ({tag})"
    organizer = people.signed_in(ORGANIZER)
    judge = people.signed_in(ATTENDEE)
    organizer.goto("/console/judging")
    token = organizer.context.request.get("/api/v1/auth/csrf").json()["csrf_token"]
    headers = {"X-CSRF-Token": token}
    poster = ok(
        organizer.request.post(
            "/api/v1/posters",
            data={
                "board": board,
                "title": title,
                "authors": [{"name": "Mia Berg", "affiliation": f"Judging Lab {tag}"}],
                "topic": "IFN signalling",
                "state": "published",
            },
            headers=headers,
        ),
        "create the poster",
    )
    judge_id = ok(judge.request.get("/api/v1/me"), "the judge's account")["id"]
    ok(
        organizer.request.put(f"/api/v1/posters/{poster['id']}/judges/{judge_id}", headers=headers),
        "assign the judge",
    )

    judge.goto("/posters/judging")
    expect(judge.get_by_role("heading", level=1)).to_have_text("Poster judging")
    item = judge.locator(f'[data-testid="judging-item"][data-board="{board}"]')
    expect(item.get_by_role("link", name=title)).to_be_visible()
    for criterion, mark in (
        ("Content", "5"),
        ("Clarity", "4"),
        ("Design", "4"),
        ("Presentation", "5"),
    ):
        item.get_by_role("group", name=criterion).get_by_label(mark, exact=True).check()
    item.get_by_label("Comment for the organizers (optional)").fill("Convincing knock-out data.")
    item.get_by_role("button", name=f"Save my score of board {board}").click()
    saved = judge.locator(f'[data-testid="judging-item"][data-board="{board}"]')
    expect(saved.get_by_test_id("score-saved")).to_have_text("Your score is saved.")
    expect(saved.get_by_test_id("my-total")).to_have_text("Your total: 18 of 20.")

    organizer.goto("/console/judging")
    expect(organizer.get_by_role("heading", level=1)).to_have_text("Judging")
    row = organizer.locator(f'[data-testid="ranking-row"][data-board="{board}"]')
    expect(row.get_by_test_id("mean-total")).to_have_text("18.00")
    expect(row).to_contain_text("content 5, clarity 4, design 4, presentation 5 (total 18)")
    expect(row).to_contain_text("Convincing knock-out data.")
    assert people.errors == []
