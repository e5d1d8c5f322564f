"""SQL statements per poster page: bounded, and the same for 10 or 1,000 posters.

Counting statements (SQLAlchemy's ``before_cursor_execute``, tests/bench/measure.py)
catches a query per poster that timing on a small gallery would hide. Each page is asked
for once before counting (the published-program cache is warm, as in production).
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from conference.program.service import current_meeting
from tests.bench.measure import counting
from tests.factories import UserFactory, sign_in
from tests.posters.bulk import KEYWORDS, clear_posters, insert_posters

pytestmark = pytest.mark.usefixtures("demo_meeting")

SMALL, LARGE = 10, 1_000
# The user's session and account, the meeting, the program version, then the page's own:
# facets, total, posters, authors, bookmarks (gallery); poster, authors, keywords, related
# ranking, related posters and their authors, bookmark, awards, slots, the view counted
# (one insert), the comments, their last event id and the viewer's vote (poster page).
BOUND = 20
PAGES = {
    "gallery": "/posters",
    "gallery search": "/posters?q=interleukin%20cyto",
    "gallery filtered": "/posters?topic=JAK-STAT&keyword={keyword}&sort=votes&page=2",
    "poster page": "/posters/{poster}",
    "JSON API": "/api/v1/posters?q=stat&sort=recent",
    "bookmarks JSON": "/api/v1/posters/bookmarks",
    "my agenda": "/agenda",
}


async def statements_for(
    app: FastAPI, client: httpx.AsyncClient, path: str, count: int
) -> list[str]:
    ctx = app.state.ctx
    async with ctx.db.session() as db:
        meeting = await current_meeting(db)
        assert meeting is not None
        await clear_posters(db, meeting_id=meeting.id)
        ids = await insert_posters(db, meeting_id=meeting.id, count=count, words=30)
    middle = ids[len(ids) // 2]
    for poster_id in (ids[0], middle, ids[-1]):
        assert (await client.put(f"/api/v1/posters/{poster_id}/bookmark")).status_code == 200
    url = path.format(poster=middle, keyword=KEYWORDS[8].lower())
    warm = await client.get(url)
    assert warm.status_code == 200, (url, warm.status_code, warm.text[:300])
    with counting(ctx.db.engine) as statements:
        response = await client.get(url)
    assert response.status_code == 200, url
    return statements


def shown(statements: list[str]) -> str:
    return "\n".join(" ".join(statement.split())[:110] for statement in statements)


@pytest.mark.parametrize("page", list(PAGES))
async def test_statements_are_bounded_and_independent_of_the_gallery_size(
    page: str, app: FastAPI, client: httpx.AsyncClient, users: UserFactory
) -> None:
    attendee = await users.create()
    await sign_in(client, attendee.email)
    small = await statements_for(app, client, PAGES[page], SMALL)
    large = await statements_for(app, client, PAGES[page], LARGE)
    assert len(large) <= BOUND, shown(large)
    assert len(large) == len(small), (
        f"{page}: {len(small)} statements for {SMALL} posters, {len(large)} for {LARGE}:\n"
        f"{shown(large)}"
    )
