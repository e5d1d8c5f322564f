"""Reading the gallery: search, filters with faceted counts, sorting, pages, related posters.

One gallery page costs a fixed number of statements whatever the number of posters: with
a search, the ids of the matching posters (``posters.gallery.search``); the facet counts
and the total (one statement: three grouped counts and one count joined by UNION ALL); the
page's posters; their authors. Each facet counts the posters matching the search and the
*other* filters, as faceted search does: choosing a topic does not hide the other topics'
counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    TextClause,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer, selectinload

from posters.gallery import search
from posters.models import Poster, PosterKeyword, PosterState

PER_PAGE = 48
MAX_PAGE = 10_000
# Keywords listed in the keyword filter (the most used; a chosen one is always listed).
KEYWORD_FACET_SIZE = 40
RELATED_COUNT = 6
# A card shows none of the long texts: they are not read (raiseload: a template that asked
# for one would fail its test rather than query per poster).
CARD_ONLY = (
    defer(Poster.abstract, raiseload=True),
    defer(Poster.abstract_html, raiseload=True),
    defer(Poster.search_text, raiseload=True),
)


class Sort(StrEnum):
    board = "board"
    alphabetical = "title"
    votes = "votes"
    recent = "recent"


SORT_LABELS: dict[Sort, str] = {
    Sort.board: "Board number",
    Sort.alphabetical: "Title",
    Sort.votes: "Most votes",
    Sort.recent: "Recent activity",
}


@dataclass(frozen=True)
class GalleryQuery:
    """What an attendee asked the gallery for (every part from the query string)."""

    q: str = ""
    topic: str | None = None
    session: str | None = None
    keyword: str | None = None
    sort: Sort = Sort.board
    page: int = 1


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass
class Facets:
    topics: list[FacetValue] = field(default_factory=list)
    sessions: list[FacetValue] = field(default_factory=list)
    keywords: list[FacetValue] = field(default_factory=list)
    # Keyword key -> its label as first written.
    keyword_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class GalleryPage:
    posters: list[Poster]
    total: int
    page: int
    pages: int
    facets: Facets


Condition = ColumnElement[bool] | TextClause


async def _conditions(
    db: AsyncSession, meeting_id: int, query: GalleryQuery
) -> tuple[list[Condition], dict[str, Condition]]:
    """The conditions every count shares, and those of each filter by name."""
    base: list[Condition] = [
        Poster.meeting_id == meeting_id,
        Poster.state == PosterState.published,
    ]
    words = search.query_words(query.q)
    if words:
        found = await search.matching_ids(db, meeting_id=meeting_id, words=words)
        base.append(search.among(db.get_bind().dialect.name, found))
    filters: dict[str, Condition] = {}
    if query.topic is not None:
        filters["topic"] = Poster.topic == query.topic
    if query.session is not None:
        filters["session"] = Poster.session_guid == query.session
    if query.keyword is not None:
        filters["keyword"] = Poster.id.in_(
            select(PosterKeyword.poster_id).where(PosterKeyword.keyword == query.keyword)
        )
    return base, filters


def _order(sort: Sort) -> list[Any]:
    tie = [Poster.board_order, Poster.board, Poster.id]
    if sort == Sort.alphabetical:
        return [func.lower(Poster.title), *tie]
    if sort == Sort.votes:
        return [Poster.vote_count.desc(), *tie]
    if sort == Sort.recent:
        return [Poster.active_at.desc(), Poster.id.desc()]
    return tie


def _facets_statement(base: list[Condition], filters: dict[str, Condition]) -> CompoundSelect[Any]:
    def others(name: str) -> list[Condition]:
        return [*base, *(cond for key, cond in filters.items() if key != name)]

    topics = (
        select(
            literal("topic").label("facet"),
            Poster.topic.label("value"),
            literal(None).label("label"),
            func.count().label("n"),
        )
        .where(*others("topic"), Poster.topic != "")
        .group_by(Poster.topic)
    )
    # The session as coalesce(), not the column: SQLite would otherwise walk the session
    # index to group, reading each poster's row; so it reads the covering gallery index.
    session = func.coalesce(Poster.session_guid, "")
    sessions = (
        select(
            literal("session").label("facet"),
            session.label("value"),
            literal(None).label("label"),
            func.count().label("n"),
        )
        .where(*others("session"), session != "")
        .group_by(session)
    )
    keywords = (
        select(
            literal("keyword").label("facet"),
            PosterKeyword.keyword.label("value"),
            func.min(PosterKeyword.label).label("label"),
            func.count().label("n"),
        )
        .join(Poster, Poster.id == PosterKeyword.poster_id)
        .where(*others("keyword"))
        .group_by(PosterKeyword.keyword)
    )
    total = select(
        literal("total").label("facet"),
        literal(None).label("value"),
        literal(None).label("label"),
        func.count().label("n"),
    ).where(*base, *filters.values())
    return union_all(topics, sessions, keywords, total)


async def gallery_page(
    db: AsyncSession, *, meeting_id: int, query: GalleryQuery, per_page: int = PER_PAGE
) -> GalleryPage:
    """One page of the meeting's published posters for ``query``, with the facet counts."""
    base, filters = await _conditions(db, meeting_id, query)
    facets = Facets()
    keyword_rows: list[FacetValue] = []
    total = 0
    rows: list[Any] = list((await db.execute(_facets_statement(base, filters))).all())
    for facet, value, label, count in rows:
        if facet == "total":
            total = count
        elif facet == "topic":
            facets.topics.append(FacetValue(value, count))
        elif facet == "session":
            facets.sessions.append(FacetValue(value, count))
        else:
            keyword_rows.append(FacetValue(value, count))
            facets.keyword_labels[value] = label or value
    facets.topics.sort(key=lambda f: f.value.casefold())
    keyword_rows.sort(key=lambda f: (-f.count, f.value))
    facets.keywords = keyword_rows[:KEYWORD_FACET_SIZE]
    if query.keyword is not None and query.keyword not in {f.value for f in facets.keywords}:
        chosen = next((f for f in keyword_rows if f.value == query.keyword), None)
        facets.keywords.append(chosen or FacetValue(query.keyword, 0))
    facets.keywords.sort(key=lambda f: facets.keyword_labels.get(f.value, f.value).casefold())

    every = [*base, *filters.values()]
    pages = max(1, -(-total // per_page))
    page = min(max(query.page, 1), MAX_PAGE)
    # The page's ids first (from the covering index), then only their rows: sorting every
    # matching row whole would read each long abstract's row.
    page_ids = (
        select(Poster.id)
        .where(*every)
        .order_by(*_order(query.sort))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    found = await db.scalars(
        select(Poster)
        .where(Poster.id.in_(page_ids.scalar_subquery()))
        .order_by(*_order(query.sort))
        .options(selectinload(Poster.authors), *CARD_ONLY)
    )
    return GalleryPage(posters=list(found), total=total, page=page, pages=pages, facets=facets)


async def published_posters(db: AsyncSession, *, meeting_id: int) -> list[Poster]:
    """The meeting's published posters with their authors, by board number."""
    rows = await db.scalars(
        select(Poster)
        .where(Poster.meeting_id == meeting_id, Poster.state == PosterState.published)
        .order_by(Poster.board_order, Poster.board)
        .options(selectinload(Poster.authors))
    )
    return list(rows)


async def related_posters(
    db: AsyncSession, *, poster: Poster, limit: int = RELATED_COUNT
) -> list[Poster]:
    """Published posters sharing keywords or the topic with ``poster`` (its keywords
    loaded): 2 points per shared keyword, 1 for the same topic; best first, then by board.
    Two statements, whatever the size of the gallery."""
    keys = [k.keyword for k in poster.keywords]
    # Counted per poster by a subquery rather than a join and GROUP BY: SQLite then reads
    # the posters' covering gallery index instead of each poster's (long) row.
    shared = (
        select(func.count())
        .select_from(PosterKeyword)
        .where(PosterKeyword.poster_id == Poster.id, PosterKeyword.keyword.in_(keys))
        .correlate(Poster)
        .scalar_subquery()
    )
    same_topic = case((Poster.topic == poster.topic, 1), else_=0) if poster.topic else literal(0)
    score = 2 * shared + same_topic
    ranked = (
        select(Poster.id)
        .where(
            Poster.meeting_id == poster.meeting_id,
            Poster.state == PosterState.published,
            Poster.id != poster.id,
            score > 0,
        )
        .order_by(score.desc(), Poster.board_order, Poster.board, Poster.id)
        .limit(limit)
    )
    order = [row[0] for row in (await db.execute(ranked)).all()]
    if not order:
        return []
    found = await db.scalars(
        select(Poster).where(Poster.id.in_(order)).options(selectinload(Poster.authors), *CARD_ONLY)
    )
    by_id = {p.id: p for p in found}
    return [by_id[i] for i in order if i in by_id]
