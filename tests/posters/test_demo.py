"""The demo meeting's posters, as ``conference demo`` seeds them."""

from __future__ import annotations

from typing import Any

import httpx
import pypdfium2  # type: ignore[import-untyped,unused-ignore]
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from conference.accounts.models import User
from conference.demo import DEMO_PASSWORD, seed_demo
from conference.program.demo.meeting import DEMO_SLUG
from conference.program.models import Meeting, ProgramVersion, SessionType
from posters import content
from posters.demo.figures import latin
from posters.demo.listing import TOPICS, parse_posters
from posters.demo.pdf import PAGE_SIZE_POINTS, PosterSheet, render_poster
from posters.models import Poster, PosterState
from tests.factories import sign_in

# The topics issue #11 names for the demo's posters.
ISSUE_TOPICS = {
    "Interferon signalling",
    "IL-6 family",
    "JAK-STAT signalling",
    "Inflammasomes",
    "Cytokine storms",
    "Therapeutics: biologics and JAK inhibitors",
    "IL-17 and IL-23",
    "Chemokines",
    "Type III interferons",
    "TNF superfamily",
    "IL-1 family",
    "Viral evasion of interferon",
}


async def seed(app: FastAPI) -> list[str]:
    ctx = app.state.ctx
    return await seed_demo(ctx.db, ctx.passwords, ctx.extensions, base_url=ctx.settings.base_url)


async def demo_posters(app: FastAPI) -> list[Poster]:
    async with app.state.ctx.db.session() as db:
        meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
        assert meeting is not None
        found = await db.scalars(
            select(Poster)
            .where(Poster.meeting_id == meeting.id)
            .options(selectinload(Poster.authors), selectinload(Poster.keywords))
            .order_by(Poster.board_order)
        )
        return list(found)


async def published_sessions(app: FastAPI) -> dict[str, str]:
    """GUID -> type of each session in the demo's latest published program."""
    async with app.state.ctx.db.session() as db:
        version = await db.scalar(
            select(ProgramVersion).order_by(ProgramVersion.number.desc()).limit(1)
        )
        assert version is not None
        return {s["guid"]: s["type"] for s in version.snapshot["sessions"]}


def state_of(posters: list[Poster]) -> list[tuple[Any, ...]]:
    """Everything seeding writes about the posters, to compare two runs."""
    return [
        (
            p.id,
            p.board,
            p.title,
            p.abstract,
            p.abstract_html,
            p.topic,
            p.session_guid,
            p.state,
            p.presenter_id,
            p.pdf_path,
            p.pdf_sha256,
            p.render_state,
            p.updated_at,
            [(a.id, a.name, a.affiliation, a.presenting, a.user_id) for a in p.authors],
            [(k.id, k.keyword) for k in p.keywords],
        )
        for p in posters
    ]


async def test_the_demo_seeds_sixty_realistic_published_posters(app: FastAPI) -> None:
    lines = await seed(app)
    posters = await demo_posters(app)
    sessions = await published_sessions(app)
    var_dir = app.state.ctx.settings.var_dir

    published = [p for p in posters if p.state == PosterState.published]
    assert len(published) >= 60
    assert {p.state for p in posters} - {PosterState.published} == {
        PosterState.draft,
        PosterState.submitted,
    }
    assert len({p.board for p in posters}) == len(posters) == len(parse_posters())
    assert {p.topic for p in posters} == ISSUE_TOPICS == set(TOPICS.values())
    assert any(line.startswith(f"Posters: {len(posters)} ") for line in lines)
    for poster in posters:
        assert poster.authors, poster.board
        assert all(a.name and a.affiliation for a in poster.authors), poster.board
        assert [a.presenting for a in poster.authors].count(True) == 1, poster.board
        assert 3 <= len(poster.keywords) <= 6, poster.board
        assert sessions[poster.session_guid or ""] == SessionType.poster_session.value
        words = len(content.plain_text(poster.abstract).split())
        assert 110 <= words <= 250, (poster.board, words)
        assert poster.abstract_html == content.abstract_html(poster.abstract)
        assert poster.abstract_html.startswith("<h3>Background</h3>"), poster.board
        assert "<h3>Conclusions</h3>" in poster.abstract_html
        assert not poster.doi or poster.doi.startswith("10.5555/")
        document = pypdfium2.PdfDocument(var_dir / poster.pdf_path)
        try:
            assert len(document) == 1
            assert document[0].get_size() == pytest.approx(PAGE_SIZE_POINTS, abs=0.5)
        finally:
            document.close()
    # Every poster session of the program shows posters.
    poster_sessions = {g for g, kind in sessions.items() if kind == "poster_session"}
    assert {p.session_guid for p in posters} == poster_sessions
    assert any(p.links for p in posters)


async def test_the_speaker_account_presents_some_demo_posters(app: FastAPI) -> None:
    await seed(app)
    async with app.state.ctx.db.session() as db:
        speaker = await db.scalar(select(User).where(User.email == "speaker@demo.test"))
    assert speaker is not None
    theirs = [p for p in await demo_posters(app) if p.presenter_id == speaker.id]
    assert [p.board for p in theirs] == ["P104", "P212", "P401", "P407"]
    assert {p.state for p in theirs} == {PosterState.published, PosterState.draft}
    assert all(p.presenting_author and p.presenting_author.user_id == speaker.id for p in theirs)


async def test_seeding_the_demo_twice_changes_no_poster(app: FastAPI) -> None:
    await seed(app)
    before = state_of(await demo_posters(app))
    lines = await seed(app)
    assert state_of(await demo_posters(app)) == before
    assert any("0 new this run" in line for line in lines)


async def test_a_demo_poster_page_renders_for_the_demo_attendee(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await seed(app)
    poster = next(p for p in await demo_posters(app) if p.board == "P104")
    await sign_in(client, "attendee@demo.test", DEMO_PASSWORD)
    page = await client.get(f"/posters/{poster.id}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<h3>Results</h3>" in page.text
    gallery = await client.get("/posters", headers={"Accept": "text/html"})
    assert gallery.status_code == 200
    assert "P104" in gallery.text


def test_a_demo_pdf_is_the_same_bytes_every_time() -> None:
    poster = parse_posters()[0]
    sheet = PosterSheet(poster=poster, meeting_name="Cytokines 2021", session_title="Session")
    assert render_poster(sheet) == render_poster(sheet)


def test_text_outside_latin_1_is_spelled_for_the_pdf_font() -> None:
    assert latin("IL-1β, IFN-γ, NF-κB, γδ T cells") == (
        "IL-1beta, IFN-gamma, NF-kappaB, gamma-delta T cells"
    )
    assert latin("Wójcik, Łukasz, Şahin, Dvořák, O₂, K⁺") == "Wójcik, Lukasz, Sahin, Dvorák, O2, K+"
