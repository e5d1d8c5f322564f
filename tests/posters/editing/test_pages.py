"""The edit page: the presenter edits their own poster until the deadline, organizers edit
all, anyone else is refused, and bad input shows the form again and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conference.accounts.models import Role, User
from posters.models import Poster, PosterState
from posters.service import load_poster
from tests.factories import UserFactory, sign_in
from tests.posters.factories import PosterFactory

HTML = {"Accept": "text/html"}
# The fields whose hint the field's description names before its error.
HINTS = {
    "doi": "doi-hint",
    "keywords": "keywords-hint",
    "state": "state-hint",
    "author-0-position": "authors-hint",
}


async def stored(app: FastAPI, poster_id: int) -> Poster:
    async with app.state.ctx.db.session() as db:
        poster = await db.get(Poster, poster_id)
        assert poster is not None
        found = await load_poster(db, meeting_id=poster.meeting_id, poster_id=poster_id)
        assert found is not None
        return found


def snapshot(poster: Poster) -> tuple[Any, ...]:
    """Everything the form writes, to show a refusal changed nothing."""
    return (
        poster.board,
        poster.title,
        poster.abstract,
        poster.abstract_html,
        poster.topic,
        poster.doi,
        poster.links,
        poster.state,
        poster.presenter_id,
        poster.search_text,
        [(a.id, a.name, a.affiliation, a.presenting, a.user_id) for a in poster.authors],
        [(k.id, k.label) for k in poster.keywords],
    )


def form_of(poster: Poster, **changes: str) -> dict[str, str]:
    """The form as the page sends it back unchanged, with ``changes`` on top."""
    data: dict[str, str] = {
        "title": poster.title,
        "abstract": poster.abstract,
        "topic": poster.topic,
        "keywords": "\n".join(k.label for k in poster.keywords),
        "doi": poster.doi,
        "state": poster.state,
    }
    for i, a in enumerate(poster.authors):
        data |= {
            f"author-{i}-id": str(a.id),
            f"author-{i}-position": str(i + 1),
            f"author-{i}-name": a.name,
            f"author-{i}-affiliation": a.affiliation,
            f"author-{i}-email": "",
        }
        if a.presenting:
            data["presenting"] = str(i)
    for i, link in enumerate(poster.links):
        data |= {
            f"link-{i}-position": str(i + 1),
            f"link-{i}-label": link["label"],
            f"link-{i}-url": link["url"],
        }
    # The page's blank rows.
    n = len(poster.authors)
    data |= {f"author-{n}-position": str(n + 1), f"author-{n}-name": "", f"author-{n}-id": ""}
    data |= {f"link-{len(poster.links)}-label": "", f"link-{len(poster.links)}-url": ""}
    data.update(changes)
    return data


async def presenter_and_poster(
    users: UserFactory, posters: PosterFactory, **fields: Any
) -> tuple[User, Poster]:
    presenter = await users.create(email="presenter@example.org", name="Ken Tanaka")
    poster = await posters.create(
        presenter=presenter, state=fields.pop("state", PosterState.draft), **fields
    )
    return presenter, poster


async def test_the_presenter_edits_every_field_and_sees_the_rendered_abstract(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter, poster = await presenter_and_poster(users, posters)
    coauthor = await users.create(email="coauthor@example.org")
    await sign_in(client, presenter.email)
    page = await client.get(f"/posters/{poster.id}/edit", headers=HTML)
    assert page.status_code == 200
    assert f'action="/posters/{poster.id}/edit"' in page.text
    edit_form = page.text[page.text.index(f'action="/posters/{poster.id}/edit"') :]
    assert edit_form[: edit_form.index("</form>")].count('type="hidden" name="csrf_token"') == 1
    assert 'value="Ken Tanaka"' in page.text
    assert "presenter@example.org" not in page.text  # the linked address is never shown
    assert 'name="board"' not in page.text  # organizers move posters

    before = await stored(app, poster.id)
    assert len(before.authors) == 1
    form = form_of(
        before,
        title="  STAT3 in IL-6 trans-signalling  ",
        abstract="## Aim\r\n\r\nShow *IL-6* works.\r\n\r\n<script>alert(1)</script>",
        topic="IL-6 family",
        keywords="IL-6\ngp130\n\nil-6\nSTAT3",
        doi="https://doi.org/10.5555/abc.123",
        state="submitted",
    )
    # A second author goes first; the presenter stays linked without an address typed.
    form |= {
        "author-0-position": "2",
        "author-1-position": "1",
        "author-1-name": "Ada Lovelace",
        "author-1-affiliation": "Karolinska Institutet",
        "author-1-email": "coauthor@example.org",
        "author-1-id": "",
        "link-0-remove": "1",
        "link-1-position": "1",
        "link-1-label": "Data",
        "link-1-url": "https://example.org/data",
    }
    saved = await client.post(f"/posters/{poster.id}/edit", data=form)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/posters/{poster.id}/edit?saved=1"

    after = await stored(app, poster.id)
    assert after.title == "STAT3 in IL-6 trans-signalling"
    assert after.abstract == "## Aim\n\nShow *IL-6* works.\n\n<script>alert(1)</script>"
    assert after.abstract_html == (
        "<h3>Aim</h3>\n<p>Show <em>IL-6</em> works.</p>\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )
    assert (after.topic, after.doi, after.state) == ("IL-6 family", "10.5555/abc.123", "submitted")
    assert [k.label for k in after.keywords] == ["IL-6", "gp130", "STAT3"]
    assert after.links == [{"label": "Data", "url": "https://example.org/data"}]
    assert [(a.name, a.affiliation, a.presenting, a.user_id) for a in after.authors] == [
        ("Ada Lovelace", "Karolinska Institutet", False, coauthor.id),
        ("Ken Tanaka", "", True, presenter.id),
    ]
    assert after.presenter_id == presenter.id
    assert after.board == before.board

    shown = await client.get(f"/posters/{poster.id}/edit?saved=1", headers=HTML)
    assert 'data-testid="edit-saved"' in shown.text
    assert "<h3>Aim</h3>\n<p>Show <em>IL-6</em> works.</p>" in shown.text
    assert "<script>alert(1)" not in shown.text
    assert 'value="Ada Lovelace"' in shown.text


async def test_the_poster_page_links_to_the_edit_page_for_who_may_edit(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter, poster = await presenter_and_poster(users, posters, state=PosterState.published)
    organizer = await users.create(Role.organizer, Role.attendee)
    attendee = await users.create()
    link = f'<a href="/posters/{poster.id}/edit" data-testid="edit-poster">'
    await sign_in(client, presenter.email)
    assert link + "Edit your poster</a>" in (await client.get(f"/posters/{poster.id}")).text
    await sign_in(client, organizer.email)
    assert link + "Edit this poster</a>" in (await client.get(f"/posters/{poster.id}")).text
    await sign_in(client, attendee.email)
    assert 'data-testid="edit-poster"' not in (await client.get(f"/posters/{poster.id}")).text


async def test_another_attendee_is_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    _, poster = await presenter_and_poster(users, posters, state=PosterState.published)
    before = snapshot(await stored(app, poster.id))
    other = await users.create(Role.speaker, Role.attendee)
    await sign_in(client, other.email)
    assert (await client.get(f"/posters/{poster.id}/edit", headers=HTML)).status_code == 403
    form = form_of(await stored(app, poster.id), title="Mine now")
    refused = await client.post(f"/posters/{poster.id}/edit", data=form, headers=HTML)
    assert refused.status_code == 403
    assert snapshot(await stored(app, poster.id)) == before
    deleted = await client.post(f"/posters/{poster.id}/delete", data={"confirm": "1"})
    assert deleted.status_code == 403


async def test_after_the_deadline_the_page_is_read_only_and_saving_is_refused(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter, poster = await presenter_and_poster(users, posters, state=PosterState.published)
    organizer = await users.create(Role.organizer, Role.attendee)
    await sign_in(client, organizer.email)
    past = datetime.now(UTC) - timedelta(minutes=1)
    settings = await client.put(
        "/api/v1/posters/settings", json={"edit_deadline": past.isoformat()}
    )
    assert settings.status_code == 200
    # Organizers still edit it.
    form = form_of(await stored(app, poster.id), title="Retitled by the organizers")
    assert (await client.post(f"/posters/{poster.id}/edit", data=form)).status_code == 303
    before = snapshot(await stored(app, poster.id))
    assert before[1] == "Retitled by the organizers"

    await sign_in(client, presenter.email)
    page = await client.get(f"/posters/{poster.id}/edit", headers=HTML)
    assert page.status_code == 200
    assert 'data-testid="edit-closed"' in page.text
    assert "The deadline for editing posters has passed." in page.text
    assert '<fieldset class="plain" disabled>' in page.text
    assert "Save changes" not in page.text
    assert "data-pdf-upload" not in page.text  # the render is shown, the upload is not
    assert 'data-testid="edit-poster"' not in (await client.get(f"/posters/{poster.id}")).text

    form = form_of(await stored(app, poster.id), title="Too late")
    refused = await client.post(f"/posters/{poster.id}/edit", data=form, headers=HTML)
    assert refused.status_code == 403
    assert "The deadline for editing posters has passed." in refused.text
    assert snapshot(await stored(app, poster.id)) == before


async def test_organizers_edit_any_poster_its_board_and_state(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter, poster = await presenter_and_poster(users, posters, board="P77")
    organizer = await users.create(Role.organizer, Role.attendee)
    await sign_in(client, organizer.email)
    page = await client.get(f"/posters/{poster.id}/edit", headers=HTML)
    assert page.status_code == 200
    assert '<option value="published">Published</option>' in page.text
    assert 'name="board"' in page.text
    form = form_of(await stored(app, poster.id), board="P78", state="published", title="New")
    assert (await client.post(f"/posters/{poster.id}/edit", data=form)).status_code == 303
    after = await stored(app, poster.id)
    assert (after.board, after.board_order, after.state, after.title) == (
        "P78",
        78,
        "published",
        "New",
    )
    # The presenter's account stays linked although the form never showed its address.
    assert [(a.name, a.user_id) for a in after.authors] == [("Ken Tanaka", presenter.id)]
    assert after.presenter_id == presenter.id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "x" * 301}, "title", "String should have at most 300 characters."),
        ({"title": "IL-6\x07 bell"}, "title", "Control characters are not allowed."),
        ({"title": ""}, "title", "This cannot be empty."),
        ({"doi": "not a doi"}, "doi", "A DOI looks like 10.1234/abc.5678"),
        ({"link-0-url": "javascript:alert(1)"}, "link-0-url", "Only http:// and https://"),
        ({"link-0-url": "example dot org"}, "link-0-url", "Enter a full web address"),
        (
            {"author-0-name": "", "author-0-affiliation": "Nowhere"},
            "author-0-name",
            "This cannot be empty.",
        ),
        ({"author-0-position": "first"}, "author-0-position", "Write the position as a number."),
        ({"keywords": "ok\n" + "k" * 81}, "keywords", "Keyword 2: string should have at most"),
        ({"state": "published"}, "state", "Choose one of the states offered."),
    ],
)
async def test_bad_input_shows_the_form_again_with_a_message_and_changes_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: UserFactory,
    posters: PosterFactory,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    presenter, poster = await presenter_and_poster(users, posters)
    before = await stored(app, poster.id)
    await sign_in(client, presenter.email)
    form = form_of(before, abstract="A *new* abstract typed before the mistake.", **changes)
    refused = await client.post(f"/posters/{poster.id}/edit", data=form, headers=HTML)
    assert refused.status_code == 422
    hint = HINTS.get(field)
    described = f"{hint} {field}-error" if hint else f"{field}-error"
    assert f'aria-invalid="true" aria-describedby="{described}"' in refused.text
    assert f'<p class="field-error" id="{field}-error">{message}' in refused.text
    # What was typed is shown again.
    assert "A *new* abstract typed before the mistake." in refused.text
    assert snapshot(await stored(app, poster.id)) == snapshot(before)


async def test_a_board_taken_is_a_conflict_shown_beside_the_board(
    app: FastAPI, client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await posters.create(board="P5")
    poster = await posters.create(board="P6")
    before = snapshot(await stored(app, poster.id))
    organizer = await users.create(Role.organizer, Role.attendee)
    await sign_in(client, organizer.email)
    form = form_of(await stored(app, poster.id), board="P5", title="Changed")
    refused = await client.post(f"/posters/{poster.id}/edit", data=form, headers=HTML)
    assert refused.status_code == 409
    assert '<p class="field-error" id="form-error">Board P5 already has a poster.' in (refused.text)
    assert 'value="Changed"' in refused.text
    assert snapshot(await stored(app, poster.id)) == before


async def test_unknown_and_withdrawn_posters_are_not_found(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    presenter, poster = await presenter_and_poster(users, posters, state=PosterState.withdrawn)
    await sign_in(client, presenter.email)
    assert (await client.get(f"/posters/{poster.id}/edit", headers=HTML)).status_code == 404
    assert (await client.get("/posters/999999/edit", headers=HTML)).status_code == 404
