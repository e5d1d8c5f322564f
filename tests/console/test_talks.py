"""Talks, added and edited on the session's pages, with their warnings."""

from __future__ import annotations

from typing import Any

from tests.console.pages import Console, field_error, page_text, text_of
from tests.program.factories import API, ProgramBuilder


async def session_with_stage(builder: ProgramBuilder) -> dict[str, Any]:
    stage = await builder.stage("Hall 1")
    return await builder.session(
        "Chemokines I",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=stage["id"],
    )


def talk_form(title: str, starts: str, minutes: str, speakers: str = "") -> dict[str, str]:
    return {
        "title": title,
        "starts_at": starts,
        "duration_minutes": minutes,
        "speakers": speakers,
        "abstract": "",
    }


async def talks_of(console: Console, session_id: int) -> list[dict[str, Any]]:
    data = (await console.client.get(f"{API}/draft/sessions/{session_id}")).json()
    talks: list[dict[str, Any]] = data["talks"]
    return talks


async def test_add_edit_and_delete_a_talk(console: Console, builder: ProgramBuilder) -> None:
    session = await session_with_stage(builder)
    first = await builder.person("Speaker One", affiliation="Cardiff University")
    second = await builder.person("Speaker Two")
    page = await console.get(f"/console/sessions/{session['id']}")
    # A new talk is offered at the session's start, 20 minutes long.
    offered = 'type="datetime-local" required value="2021-10-18T09:00"'
    assert f'id="talk-starts_at" name="starts_at" {offered}' in page.text

    response = await console.post(
        f"/console/sessions/{session['id']}/talks",
        talk_form("CXCL12 gradients", "2021-10-18T09:00", "25", f"Speaker Two\n#{first['id']}"),
    )
    assert response.status_code == 303
    assert (
        response.headers["location"] == f"/console/sessions/{session['id']}?done=talk_added#talks"
    )
    [talk] = await talks_of(console, session["id"])
    assert (talk["title"], talk["starts_at"], talk["duration_minutes"]) == (
        "CXCL12 gradients",
        "2021-10-18T08:00:00Z",
        25,
    )
    assert [s["person_id"] for s in talk["speakers"]] == [second["id"], first["id"]]
    page = await console.get(f"/console/sessions/{session['id']}")
    assert "09:00, 25 min CXCL12 gradients Speaker Two, Speaker One" in page_text(page.text)
    assert 'value="2021-10-18T09:25"' in page.text  # the next talk follows this one

    edit = await console.get(f"/console/talks/{talk['id']}")
    assert edit.status_code == 200
    assert f"Speaker Two (#{second['id']})\nSpeaker One (#{first['id']})" in edit.text
    response = await console.post(
        f"/console/talks/{talk['id']}",
        talk_form("CXCL12 gradients in vivo", "2021-10-18T09:10", "30", "Speaker One"),
    )
    assert response.status_code == 303
    [talk] = await talks_of(console, session["id"])
    assert (talk["title"], talk["starts_at"], talk["duration_minutes"]) == (
        "CXCL12 gradients in vivo",
        "2021-10-18T08:10:00Z",
        30,
    )
    assert [s["person_id"] for s in talk["speakers"]] == [first["id"]]

    confirm = await console.get(f"/console/talks/{talk['id']}/delete")
    assert "Delete this talk? CXCL12 gradients in vivo" in page_text(confirm.text)
    response = await console.post(f"/console/talks/{talk['id']}/delete", {})
    assert response.status_code == 303
    assert (
        response.headers["location"] == f"/console/sessions/{session['id']}?done=talk_deleted#talks"
    )
    assert await talks_of(console, session["id"]) == []


async def test_a_talk_outside_its_session_is_warned(
    console: Console, builder: ProgramBuilder
) -> None:
    session = await session_with_stage(builder)
    response = await console.post(
        f"/console/sessions/{session['id']}/talks",
        talk_form("Overrun", "2021-10-18T09:50", "20"),
    )
    assert response.status_code == 303  # saved all the same
    page = await console.get(f"/console/sessions/{session['id']}", done="talk_added")
    assert "Talk added." in page_text(page.text)
    assert text_of(page.text, "session-warnings", "data-testid") is not None
    assert 'The talk "Overrun" runs outside its session "Chemokines I".' in page_text(page.text)
    [talk] = await talks_of(console, session["id"])
    edit = await console.get(f"/console/talks/{talk['id']}")
    assert 'The talk "Overrun" runs outside its session "Chemokines I".' in page_text(edit.text)
    await console.post(
        f"/console/talks/{talk['id']}", talk_form("Overrun", "2021-10-18T09:40", "20")
    )
    page = await console.get(f"/console/sessions/{session['id']}")
    assert text_of(page.text, "session-warnings") == "No warnings for this session"


async def test_bad_talks_are_refused_with_the_form_kept(
    console: Console, builder: ProgramBuilder
) -> None:
    session = await session_with_stage(builder)
    response = await console.post(
        f"/console/sessions/{session['id']}/talks",
        talk_form("Keep me", "2021-10-18T09:00", "0", "Nobody"),
    )
    assert response.status_code == 422
    assert field_error(response.text, "talk-duration_minutes") == (
        "Input should be greater than or equal to 1"
    )
    assert field_error(response.text, "talk-speakers") == (
        'No person is named "Nobody". Add them on the People page first, '
        "or write their number as #id."
    )
    assert 'id="talk-title" name="title" required maxlength="300" value="Keep me"' in response.text
    assert await talks_of(console, session["id"]) == []

    await builder.talk(session["id"], "Fine", "2021-10-18T09:00:00+01:00", 20)
    [talk] = await talks_of(console, session["id"])
    response = await console.post(f"/console/talks/{talk['id']}", talk_form("", "tomorrow", "20"))
    assert response.status_code == 422
    assert field_error(response.text, "title") == "String should have at least 1 character"
    assert field_error(response.text, "starts_at") == (
        "Enter the start as YYYY-MM-DD HH:MM (Europe/London time)."
    )
    assert (await talks_of(console, session["id"]))[0]["title"] == "Fine"


async def test_a_talk_marked_do_not_record(console: Console, builder: ProgramBuilder) -> None:
    session = await session_with_stage(builder)
    page = await console.get(f"/console/sessions/{session['id']}")
    assert 'name="may_be_recorded" id="talk-may_be_recorded" checked' in page.text
    recorded = {**talk_form("Open", "2021-10-18T09:00", "20"), "may_be_recorded": "on"}
    response = await console.post(f"/console/sessions/{session['id']}/talks", recorded)
    assert response.status_code == 303
    response = await console.post(  # an unticked box is not sent at all
        f"/console/sessions/{session['id']}/talks", talk_form("Secret", "2021-10-18T09:20", "20")
    )
    assert response.status_code == 303
    talks = await talks_of(console, session["id"])
    assert [(t["title"], t["may_be_recorded"]) for t in talks] == [
        ("Open", True),
        ("Secret", False),
    ]
    edit = await console.get(f"/console/talks/{talks[1]['id']}")
    assert 'id="may_be_recorded">' in edit.text  # unticked
    await console.post(
        f"/console/talks/{talks[0]['id']}", talk_form("Open", "2021-10-18T09:00", "20")
    )
    assert [t["may_be_recorded"] for t in await talks_of(console, session["id"])] == [False, False]
