"""The dashboard and the publish page: warnings, confirmation, versions and changelogs."""

from __future__ import annotations

import re

from tests.console.pages import Console, field_error, page_text, text_of
from tests.program.factories import API, ProgramBuilder

CONFIRM = "I have reviewed the 1 warning and want to publish anyway"


async def versions(console: Console) -> list[int]:
    return [v["number"] for v in (await console.client.get(f"{API}/versions")).json()]


async def test_publish_with_a_warning_needs_the_box_ticked(
    console: Console, builder: ProgramBuilder
) -> None:
    await builder.session("Nowhere", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00")
    page = await console.get("/console/publish")
    text = page_text(page.text)
    assert (
        text_of(page.text, "all-warnings")
        == '1 warning No stage "Nowhere" has no stage. Open: Nowhere'
    )
    assert CONFIRM in text
    assert "Publishing now would list: 1 added, 0 moved, 0 changed, 0 cancelled." in text
    assert "Publish version 1" in text

    refused = await console.post("/console/publish", {"note": "First", "warnings_reviewed": "1"})
    assert refused.status_code == 409
    assert field_error(refused.text, "confirm_warnings") == (
        "The draft has 1 warning: tick the box to confirm you have reviewed them, "
        "or fix them first. Nothing was published."
    )
    assert 'value="First"' in refused.text  # the note is kept
    assert await versions(console) == []

    response = await console.post(
        "/console/publish",
        {"note": "First", "warnings_reviewed": "1", "confirm_warnings": "on"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console/publish?published=1"
    page = await console.get(response.headers["location"])
    assert text_of(page.text, "published") == (
        "Version 1 published. 1 added, 0 moved, 0 changed, 0 cancelled. "
        "Attendees now see this version."
    )
    assert "The draft has no changes since the last version." in page_text(page.text)
    # The versions table, with the time in the meeting's zone.
    assert re.search(
        r"Added Moved Changed Cancelled Version 1 "
        r"\w{3} \d+ \w{3} \d{4}, \d\d:\d\d (GMT|BST) First 1 0 0 0",
        page_text(page.text),
    )
    assert "Publish version 2" in page_text(page.text)
    assert await versions(console) == [1]


async def test_more_warnings_than_reviewed_need_a_new_look(
    console: Console, builder: ProgramBuilder
) -> None:
    await builder.session("One", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00")
    await builder.session("Two", "2021-10-18T13:00:00+01:00", "2021-10-18T14:00:00+01:00")
    refused = await console.post(
        "/console/publish", {"warnings_reviewed": "1", "confirm_warnings": "on"}
    )
    assert refused.status_code == 409
    assert field_error(refused.text, "confirm_warnings") == (
        "The draft now has 2 warnings, more than the 1 you reviewed. "
        "Review them and confirm again. Nothing was published."
    )
    assert "I have reviewed the 2 warnings and want to publish anyway" in page_text(refused.text)
    assert await versions(console) == []


async def test_publish_without_warnings_and_the_changelog(
    console: Console, builder: ProgramBuilder
) -> None:
    stage = await builder.stage("Hall 1")
    session = await builder.session(
        "Keynote", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=stage["id"]
    )
    page = await console.get("/console/publish")
    assert text_of(page.text, "all-warnings", "data-testid") is not None
    assert "No warnings" in page_text(page.text)
    assert "I have reviewed" not in page.text
    response = await console.post("/console/publish", {"note": ""})
    assert response.status_code == 303
    assert await versions(console) == [1]

    # Move it: the next publication lists it as moved.
    await console.client.patch(
        f"{API}/draft/sessions/{session['id']}",
        json={"starts_at": "2021-10-18T10:00:00+01:00", "ends_at": "2021-10-18T11:00:00+01:00"},
    )
    dashboard = await console.get("/console")
    assert text_of(dashboard.text, "publication") == (
        "Publication Version 1 was published "
        + page_text(dashboard.text).split("Version 1 was published ", 1)[1].split(".", 1)[0]
        + ". The draft has unpublished changes: 0 added, 1 moved, 0 changed, 0 cancelled. "
        "Review and publish"
    )
    response = await console.post("/console/publish", {"note": "Keynote moved"})
    assert response.status_code == 303
    page = await console.get(response.headers["location"])
    assert text_of(page.text, "published") == (
        "Version 2 published. 0 added, 1 moved, 0 changed, 0 cancelled. "
        "Attendees now see this version."
    )
    assert await versions(console) == [2, 1]


async def test_note_too_long_is_refused(console: Console) -> None:
    response = await console.post("/console/publish", {"note": "x" * 501})
    assert response.status_code == 422
    assert field_error(response.text, "note") == "String should have at most 500 characters"
    assert await versions(console) == []


async def test_dashboard_counts(console: Console, builder: ProgramBuilder) -> None:
    people_before = int(text_of((await console.get("/console")).text, "count-people") or "0")
    stage = await builder.stage("Hall 1")
    await builder.track("Chemokines")
    speaker = await builder.person("Speaker")
    a = await builder.session(
        "A", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=stage["id"]
    )
    await builder.session(
        "B", "2021-10-18T09:30:00+01:00", "2021-10-18T10:30:00+01:00", stage_id=stage["id"]
    )
    await builder.talk(a["id"], "T", "2021-10-18T09:00:00+01:00", 20, speaker_ids=[speaker["id"]])
    page = await console.get("/console")
    assert page.status_code == 200
    counts = {
        key: text_of(page.text, f"count-{key}")
        for key in ("sessions", "talks", "stages", "tracks", "people", "warnings")
    }
    assert counts == {
        "sessions": "2",
        "talks": "1",
        "stages": "1",
        "tracks": "1",
        "people": str(people_before + 1),
        "warnings": "1",
    }
    assert text_of(page.text, "publication") == (
        "Publication Nothing has been published yet: attendees see no program. "
        "The draft has unpublished changes: 2 added, 0 moved, 0 changed, 0 cancelled. "
        "Review and publish"
    )
    for link in (
        "/console/sessions",
        "/console/stages",
        "/console/tracks",
        "/console/people",
        "/console/import",
        "/console/publish",
        "/console/sessions/new",
    ):
        assert f'href="{link}"' in page.text
