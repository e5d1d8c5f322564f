"""Sessions in the console: create and edit by form, warnings while editing, bulk moves,
duplicates and deletion. The demo meeting's zone is Europe/London (BST, UTC+1, in October).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.console.pages import DASH, Console, field_error, page_text, text_of
from tests.program.factories import API, ProgramBuilder


def session_form(title: str, starts: str, ends: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "session_type": "symposium",
        "starts_at": starts,
        "ends_at": ends,
        "stage_id": "",
        "track_id": "",
        "chairs": "",
        "description": "",
        "cme_minutes": "0",
        "may_be_recorded": "on",
        **extra,
    }


async def create(console: Console, **form: Any) -> int:
    response = await console.post("/console/sessions/new", form)
    assert response.status_code == 303, page_text(response.text)
    location = response.headers["location"]
    assert location.endswith("?done=created")
    return int(location.removeprefix("/console/sessions/").split("?")[0])


async def draft(console: Console, session_id: int) -> dict[str, Any]:
    response = await console.client.get(f"{API}/draft/sessions/{session_id}")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


async def all_drafts(console: Console) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = (await console.client.get(f"{API}/draft/sessions")).json()
    return data


def warnings_box(html: str) -> str:
    box = text_of(html, "session-warnings")
    assert box is not None
    return box


async def test_create_a_session_with_every_field(console: Console, builder: ProgramBuilder) -> None:
    stage = await builder.stage("Hall 1")
    track = await builder.track("Interferons")
    chair_a = await builder.person("Chair Alpha")
    chair_b = await builder.person("Chair Beta")
    session_id = await create(
        console,
        **session_form(
            "Interferons I",
            "2021-10-18T09:00",
            "2021-10-18T10:30",
            session_type="plenary",
            stage_id=str(stage["id"]),
            track_id=str(track["id"]),
            description="Type I interferons.",
            chairs=f"chair beta\n#{chair_a['id']}",
            cme_accredited="on",
            cme_minutes="90",
        ),
    )
    saved = await draft(console, session_id)
    assert {k: v for k, v in saved.items() if k not in {"id", "guid"}} == {
        "title": "Interferons I",
        "description": "Type I interferons.",
        "session_type": "plenary",
        "track_id": track["id"],
        "stage_id": stage["id"],
        "starts_at": "2021-10-18T08:00:00Z",
        "ends_at": "2021-10-18T09:30:00Z",
        "chairs": [
            {"person_id": chair_b["id"], "name": "Chair Beta", "affiliation": ""},
            {"person_id": chair_a["id"], "name": "Chair Alpha", "affiliation": ""},
        ],
        "cme_accredited": True,
        "cme_minutes": 90,
        "may_be_recorded": True,
        "talks": [],
    }
    page = await console.get(f"/console/sessions/{session_id}", done="created")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "Session created." in text
    assert f"Mon 18 Oct, 09:00{DASH}10:30 (Europe/London) · Hall 1" in text
    assert warnings_box(page.text) == "No warnings for this session"
    # The form shows the times back in the meeting's zone and the chairs in order.
    assert 'value="2021-10-18T09:00"' in page.text
    assert f"Chair Beta (#{chair_b['id']})\nChair Alpha (#{chair_a['id']})" in page.text


async def test_overlap_is_warned_then_fixed(console: Console, builder: ProgramBuilder) -> None:
    stage = await builder.stage("Hall 1")
    first = await create(
        console,
        **session_form("Cytokines A", "2021-10-18T09:00", "2021-10-18T10:00", stage_id=stage["id"]),
    )
    second = await create(
        console,
        **session_form("Cytokines B", "2021-10-18T09:30", "2021-10-18T10:30", stage_id=stage["id"]),
    )
    page = await console.get(f"/console/sessions/{second}")
    assert warnings_box(page.text) == (
        '1 warning for this session Overlap on a stage "Cytokines A" and "Cytokines B" overlap '
        "on Hall 1. Open: Cytokines A Warnings never stop you saving; the program can be "
        "published with them once you confirm."
    )
    assert f'<a href="/console/sessions/{first}">Cytokines A</a>' in page.text
    listing = await console.get("/console/sessions")
    assert page_text(listing.text).count("1 warning for") == 2

    # Saving the fix (a later start) is what makes the warning go.
    fixed = await console.post(
        f"/console/sessions/{second}",
        session_form("Cytokines B", "2021-10-18T10:00", "2021-10-18T11:00", stage_id=stage["id"]),
    )
    assert fixed.status_code == 303
    assert fixed.headers["location"] == f"/console/sessions/{second}?done=saved"
    page = await console.get(fixed.headers["location"])
    assert "Session saved." in page_text(page.text)
    assert warnings_box(page.text) == "No warnings for this session"
    assert "warning for" not in page_text((await console.get("/console/sessions")).text)
    assert (await draft(console, second))["starts_at"] == "2021-10-18T09:00:00Z"


async def test_no_stage_warning_shows_after_saving(console: Console) -> None:
    session_id = await create(
        console, **session_form("Floating", "2021-10-18T09:00", "2021-10-18T10:00")
    )
    page = await console.get(f"/console/sessions/{session_id}", done="created")
    assert "Session created." in page_text(page.text)
    assert warnings_box(page.text).startswith(
        '1 warning for this session No stage "Floating" has no stage.'
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": "2021-10-18T08:00"}, "ends_at", "A session must end after it starts"),
        (
            {"starts_at": "18/10/2021 9am"},
            "starts_at",
            "Enter the start as YYYY-MM-DD HH:MM (Europe/London time).",
        ),
        ({"starts_at": ""}, "starts_at", "Enter the start."),
        (
            {"starts_at": "2021-03-28T01:30", "ends_at": "2021-03-28T03:00"},
            "starts_at",
            "01:30 on 28 Mar 2021 does not exist in Europe/London (the clocks go forward then).",
        ),
        ({"title": "  "}, "title", "String should have at least 1 character"),
        ({"cme_minutes": "lots"}, "cme_minutes", "Enter the CME minutes as a whole number."),
        ({"session_type": "party"}, "session_type", None),
        ({"stage_id": "999999"}, "stage_id", "No stage with id 999999."),
        ({"stage_id": "99999999999999"}, "stage_id", "Choose a stage from the list."),
        ({"track_id": "\u00b2"}, "track_id", "Choose a track from the list."),
        ({"cme_minutes": "9" * 5000}, "cme_minutes", "Enter the CME minutes as a whole number."),
        (
            {"chairs": "#99999999999"},
            "chairs",
            'No person is named "#99999999999". Add them on the People page first, '
            "or write their number as #id.",
        ),
        (
            {"chairs": "#9999999999"},
            "chairs",
            "Nobody has the number #9999999999; see the People page.",
        ),
        (
            {"chairs": "Nobody Known"},
            "chairs",
            'No person is named "Nobody Known". Add them on the People page first, '
            "or write their number as #id.",
        ),
        ({"chairs": "#999999"}, "chairs", "Nobody has the number #999999; see the People page."),
        (
            {"starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:30"},
            "starts_at",
            "Enter the start near the meeting's dates.",
        ),
        (
            {"starts_at": "0001-01-01T00:00"},
            "starts_at",
            "Enter the start near the meeting's dates.",
        ),
        # The window's end follows today's date, so the exact wording is not pinned here.
        ({"starts_at": "2090-10-18T09:00", "ends_at": "2090-10-18T10:00"}, "starts_at", None),
        (
            {"starts_at": "2019-10-18T09:00", "ends_at": "2019-10-18T10:00"},
            "starts_at",
            None,
        ),
        (
            {"ends_at": "2021-10-19T09:01"},
            "ends_at",
            "A session must not last over 24 hours.",
        ),
    ],
)
async def test_bad_input_rerenders_the_form_and_saves_nothing(
    console: Console, change: dict[str, str], field: str, message: str | None
) -> None:
    form = {**session_form("Bad", "2021-10-18T09:00", "2021-10-18T10:00"), **change}
    response = await console.post("/console/sessions/new", form)
    assert response.status_code == 422
    error = field_error(response.text, field)
    assert error is not None
    if message is not None:
        assert error == message
    # The field is marked invalid and points at its message.
    assert re.search(
        rf'id="{field}"[^>]* aria-invalid="true" aria-describedby="([\w-]+ )?{field}-error"',
        response.text,
    )
    assert "Nothing was saved." in page_text(response.text)
    assert f'value="{form["title"]}"' in response.text  # what was typed is kept
    assert await all_drafts(console) == []


async def test_editing_with_errors_changes_nothing(
    console: Console, builder: ProgramBuilder
) -> None:
    session_id = await create(
        console, **session_form("Original", "2021-10-18T09:00", "2021-10-18T10:00")
    )
    before = await draft(console, session_id)
    response = await console.post(
        f"/console/sessions/{session_id}",
        session_form("Renamed", "2021-10-18T11:00", "2021-10-18T10:00"),
    )
    assert response.status_code == 422
    assert field_error(response.text, "ends_at") == "A session must end after it starts"
    assert 'value="Renamed"' in response.text
    assert await draft(console, session_id) == before


async def test_two_people_of_one_name_need_an_id(console: Console, builder: ProgramBuilder) -> None:
    first = await builder.person("Li Wei")
    second = await builder.person("Li Wei")
    form = session_form("Chaired", "2021-10-18T09:00", "2021-10-18T10:00", chairs="Li Wei")
    response = await console.post("/console/sessions/new", form)
    assert response.status_code == 422
    assert field_error(response.text, "chairs") == (
        f'2 people are named "Li Wei" (#{first["id"]}, #{second["id"]}): write one number.'
    )
    session_id = await create(console, **{**form, "chairs": f"Li Wei (#{second['id']})"})
    assert [c["person_id"] for c in (await draft(console, session_id))["chairs"]] == [second["id"]]


async def test_chairs_can_be_reordered_and_changed(
    console: Console, builder: ProgramBuilder
) -> None:
    a, b, c = [await builder.person(name) for name in ("Ann Alpha", "Ben Beta", "Cai Gamma")]
    session_id = await create(
        console,
        **session_form(
            "Chaired", "2021-10-18T09:00", "2021-10-18T10:00", chairs="Ann Alpha\nBen Beta"
        ),
    )

    async def chairs() -> list[int]:
        return [c["person_id"] for c in (await draft(console, session_id))["chairs"]]

    for typed, expected in [
        ("Ben Beta\nAnn Alpha", [b["id"], a["id"]]),  # the same people, reordered
        (f"#{c['id']}\nBen Beta", [c["id"], b["id"]]),  # one replaced, one kept
        ("", []),
    ]:
        form = session_form("Chaired", "2021-10-18T09:00", "2021-10-18T10:00", chairs=typed)
        response = await console.post(f"/console/sessions/{session_id}", form)
        assert response.status_code == 303, page_text(response.text)
        assert await chairs() == expected
    twice = session_form(
        "Chaired", "2021-10-18T09:00", "2021-10-18T10:00", chairs="Ann Alpha\nann alpha"
    )
    response = await console.post(f"/console/sessions/{session_id}", twice)
    assert response.status_code == 422
    assert field_error(response.text, "chairs") == '"ann alpha" is listed twice.'


async def test_list_filters(console: Console, builder: ProgramBuilder) -> None:
    hall = await builder.stage("Hall 1")
    other = await builder.stage("Hall 2")
    track = await builder.track("Chemokines")
    await builder.session(
        "Monday in Hall 1",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=hall["id"],
        track_id=track["id"],
    )
    await builder.session(
        "Tuesday in Hall 2",
        "2021-10-19T09:00:00+01:00",
        "2021-10-19T10:00:00+01:00",
        stage_id=other["id"],
    )
    # 23:30 on Monday in London is Monday, though it is 22:30 UTC.
    await builder.session(
        "Late Monday nowhere", "2021-10-18T23:30:00+01:00", "2021-10-19T00:30:00+01:00"
    )

    async def titles(**params: str) -> list[str]:
        html = (await console.get("/console/sessions", **params)).text
        return [
            t
            for t in ("Monday in Hall 1", "Tuesday in Hall 2", "Late Monday nowhere")
            if f">{t}</a>" in html
        ]

    assert await titles() == ["Monday in Hall 1", "Tuesday in Hall 2", "Late Monday nowhere"]
    assert await titles(day="2021-10-18") == ["Monday in Hall 1", "Late Monday nowhere"]
    assert await titles(stage=str(other["id"])) == ["Tuesday in Hall 2"]
    assert await titles(stage="none") == ["Late Monday nowhere"]
    assert await titles(track=str(track["id"])) == ["Monday in Hall 1"]
    assert await titles(q="tuesday") == ["Tuesday in Hall 2"]
    assert await titles(q="%") == []
    assert await titles(day="not-a-day") == await titles()
    page = await console.get("/console/sessions", day="2021-10-18")
    assert "Sessions (2 shown)" in page_text(page.text)
    assert f"Mon 18 Oct, 23:30{DASH}Tue 19 Oct, 00:30" in page_text(page.text)


async def test_bulk_shift_and_move(console: Console, builder: ProgramBuilder) -> None:
    hall = await builder.stage("Hall 1")
    annex = await builder.stage("Annex")
    a = await builder.session(
        "A", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00", stage_id=hall["id"]
    )
    b = await builder.session(
        "B", "2021-10-18T10:00:00+01:00", "2021-10-18T11:00:00+01:00", stage_id=hall["id"]
    )
    c = await builder.session(
        "C", "2021-10-18T11:00:00+01:00", "2021-10-18T12:00:00+01:00", stage_id=hall["id"]
    )
    await builder.talk(b["id"], "B's talk", "2021-10-18T10:00:00+01:00", 20)

    response = await console.post(
        "/console/sessions/bulk",
        {
            "session_ids": [str(a["id"]), str(b["id"])],
            "shift_minutes": "-30",
            "move_stage": str(annex["id"]),
            "day": "2021-10-18",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console/sessions?day=2021-10-18&done=shifted&n=2"
    assert "Moved 2 sessions." in page_text((await console.get(response.headers["location"])).text)
    moved = {s["title"]: s for s in await all_drafts(console)}
    assert [(moved[t]["starts_at"], moved[t]["ends_at"], moved[t]["stage_id"]) for t in "ABC"] == [
        ("2021-10-18T07:30:00Z", "2021-10-18T08:30:00Z", annex["id"]),
        ("2021-10-18T08:30:00Z", "2021-10-18T09:30:00Z", annex["id"]),
        ("2021-10-18T10:00:00Z", "2021-10-18T11:00:00Z", hall["id"]),
    ]
    assert moved["B"]["talks"][0]["starts_at"] == "2021-10-18T08:30:00Z"
    assert c["id"] == moved["C"]["id"]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"shift_minutes": "30"}, "session_ids", "Tick at least one session to move."),
        (
            {"session_ids": "SELF"},
            "shift_minutes",
            "Enter minutes to shift by, or choose a stage to move to.",
        ),
        (
            {"session_ids": "SELF", "shift_minutes": "half an hour"},
            "shift_minutes",
            "Enter the shift as a whole number.",
        ),
        (
            {"session_ids": "SELF", "shift_minutes": "99999"},
            "shift_minutes",
            "Input should be less than or equal to 10080",
        ),
        (
            {"session_ids": ["99999999999999999", "\u00b2"], "shift_minutes": "5"},
            "session_ids",
            "Tick at least one session to move.",
        ),
    ],
)
async def test_bulk_refusals_move_nothing(
    console: Console, builder: ProgramBuilder, form: dict[str, Any], field: str, message: str
) -> None:
    session = await builder.session(
        "Stay", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00"
    )
    if form.get("session_ids") == "SELF":
        form = {**form, "session_ids": str(session["id"])}
    response = await console.post("/console/sessions/bulk", form)
    assert response.status_code == 422
    assert field_error(response.text, f"bulk-{field}") == message
    if form.get("session_ids") == str(session["id"]):  # the ticks are kept for another try
        assert f'value="{session["id"]}" id="pick-{session["id"]}" checked' in response.text
    assert (await draft(console, session["id"]))["starts_at"] == "2021-10-18T08:00:00Z"


async def test_duplicate_to_another_time_and_stage(
    console: Console, builder: ProgramBuilder
) -> None:
    hall = await builder.stage("Hall 1")
    annex = await builder.stage("Annex")
    chair = await builder.person("Chair Person")
    original = await builder.session(
        "Workshop",
        "2021-10-18T09:00:00+01:00",
        "2021-10-18T10:00:00+01:00",
        stage_id=hall["id"],
        chair_ids=[chair["id"]],
    )
    await builder.talk(original["id"], "Hands on", "2021-10-18T09:15:00+01:00", 30)
    response = await console.post(
        f"/console/sessions/{original['id']}/duplicate",
        {"starts_at": "2021-10-19T14:00", "stage_id": str(annex["id"])},
    )
    assert response.status_code == 303
    copy_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    assert response.headers["location"] == f"/console/sessions/{copy_id}?done=duplicated"
    copy = await draft(console, copy_id)
    assert copy["guid"] != original["guid"]
    assert (copy["title"], copy["starts_at"], copy["ends_at"], copy["stage_id"]) == (
        "Workshop",
        "2021-10-19T13:00:00Z",
        "2021-10-19T14:00:00Z",
        annex["id"],
    )
    assert [c["person_id"] for c in copy["chairs"]] == [chair["id"]]
    assert [(t["title"], t["starts_at"]) for t in copy["talks"]] == [
        ("Hands on", "2021-10-19T13:15:00Z")
    ]
    assert (await draft(console, original["id"]))["starts_at"] == "2021-10-18T08:00:00Z"
    page = await console.get(response.headers["location"])
    assert "This is the new copy of the session" in page_text(page.text)

    # Same time, same stage: allowed, and the overlap is then warned.
    response = await console.post(
        f"/console/sessions/{original['id']}/duplicate",
        {"starts_at": "2021-10-18T09:00", "stage_id": ""},
    )
    assert response.status_code == 303
    page = await console.get(response.headers["location"])
    assert '"Workshop" and "Workshop" overlap on Hall 1.' in warnings_box(page.text)

    refused = await console.post(
        f"/console/sessions/{original['id']}/duplicate", {"starts_at": "soon", "stage_id": ""}
    )
    assert refused.status_code == 422
    assert field_error(refused.text, "dup-starts_at") == (
        "Enter the new start as YYYY-MM-DD HH:MM (Europe/London time)."
    )
    assert len(await all_drafts(console)) == 3


async def test_delete_asks_first(console: Console, builder: ProgramBuilder) -> None:
    session = await builder.session(
        "Doomed", "2021-10-18T09:00:00+01:00", "2021-10-18T10:00:00+01:00"
    )
    await builder.talk(session["id"], "Last words", "2021-10-18T09:00:00+01:00", 10)
    confirm = await console.get(f"/console/sessions/{session['id']}/delete")
    assert confirm.status_code == 200
    text = page_text(confirm.text)
    assert f"Delete this session? Doomed Mon 18 Oct, 09:00{DASH}10:00" in text
    assert "Its 1 talk will be deleted with it." in text
    response = await console.post(f"/console/sessions/{session['id']}/delete", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/console/sessions?done=deleted"
    listing = await console.get("/console/sessions", done="deleted")
    assert "Session deleted." in page_text(listing.text)
    assert ">Doomed</a>" not in listing.text
    assert (await console.client.get(f"{API}/draft/sessions/{session['id']}")).status_code == 404
