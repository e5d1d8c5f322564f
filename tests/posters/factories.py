"""Posters made in one call (the service, as an import would), and request bodies."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi import FastAPI

from conference.accounts.models import Role, User
from conference.context import AppContext
from conference.program.service import current_meeting
from posters import service
from posters.models import Poster, PosterState
from posters.schemas import PosterIn
from tests.factories import UserFactory

_boards = itertools.count(1)


def poster_body(board: str | None = None, **fields: Any) -> dict[str, Any]:
    """A valid ``POST /api/v1/posters`` body; ``fields`` override its parts."""
    body: dict[str, Any] = {
        "board": f"P{next(_boards)}" if board is None else board,
        "title": "STAT1 phosphorylation kinetics after IFN-γ priming",
        "abstract": "**Background.** Interferon-γ primes macrophages.\n\n- one\n- two",
        "authors": [
            {"name": "Ada Lovelace", "affiliation": "Karolinska Institutet"},
            {"name": "Ken Tanaka", "affiliation": "Osaka University", "presenting": True},
        ],
        "topic": "IFN signalling",
        "keywords": ["JAK-STAT", "Macrophages"],
        "doi": "10.1000/xyz123",
        "links": [{"label": "Lab", "url": "https://example.org/lab"}],
    }
    body.update(fields)
    return body


class PosterFactory:
    """Creates posters in the current meeting (seed it first: ``demo_meeting``), as an
    organizer of its own would through the service."""

    def __init__(self, app: FastAPI) -> None:
        self.ctx: AppContext = app.state.ctx
        self.users = UserFactory(app)
        self._organizer: User | None = None

    async def create(
        self,
        *,
        presenter: User | None = None,
        state: PosterState = PosterState.published,
        **fields: Any,
    ) -> Poster:
        if self._organizer is None:
            self._organizer = await self.users.create(Role.organizer)
        body = poster_body(**fields)
        if presenter is not None:
            body["authors"] = [
                {"name": presenter.name, "email": presenter.email, "presenting": True}
            ]
        body["state"] = state
        async with self.ctx.db.session() as db:
            meeting = await current_meeting(db)
            assert meeting is not None, "seed the meeting first (demo_meeting)"
            poster = await service.create_poster(
                db,
                meeting_id=meeting.id,
                actor=self._organizer,
                data=PosterIn.model_validate(body),
                program=None,
            )
            await db.commit()
            return poster
