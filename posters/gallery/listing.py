"""The gallery's query string, both ways: reading it (with a message per bad value) and
writing the shareable addresses of its links; and its page as the JSON API answers it.

The page and the API take the same parameters (``q``, ``topic``, ``session``, ``keyword``,
``sort``, ``page``). A bad value is ignored with a message on the page, and refused with a
422 by the API; neither answers a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from conference.limits import CONTROL_CHARACTERS
from conference.program.models import SessionType
from conference.program.published.program import PublishedProgram
from posters import content
from posters.content import MAX_KEYWORD_LENGTH
from posters.gallery.search import MAX_QUERY_LENGTH
from posters.gallery.service import MAX_PAGE, PER_PAGE, Facets, GalleryPage, GalleryQuery, Sort
from posters.models import Poster
from posters.schemas import FacetOut, FacetsOut, GalleryOut, PosterCardOut
from posters.tiles import files as tiles

MAX_TOPIC_LENGTH = 100


def poster_sessions(program: PublishedProgram | None) -> dict[str, str]:
    """The published program's poster sessions: GUID -> title, in program order."""
    if program is None:
        return {}
    return {s.guid: s.title for s in program.sessions if s.type == SessionType.poster_session}


def parse_query(
    raw: Mapping[str, str], *, sessions: Mapping[str, str]
) -> tuple[GalleryQuery, dict[str, str]]:
    """The query the parameters ask for, and a message for each value left out (a search
    too long is cut, not left out)."""
    errors: dict[str, str] = {}
    q = " ".join(raw.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = f"Searches are at most {MAX_QUERY_LENGTH} characters; the rest was left out."
        q = q[:MAX_QUERY_LENGTH]
    topic: str | None = raw.get("topic", "").strip() or None
    if topic is not None and (len(topic) > MAX_TOPIC_LENGTH or CONTROL_CHARACTERS.search(topic)):
        errors["topic"] = "There is no such topic."
        topic = None
    session: str | None = raw.get("session", "").strip() or None
    if session is not None and session not in sessions:
        errors["session"] = "There is no such poster session in the program."
        session = None
    keyword: str | None = content.keyword_key(raw.get("keyword", "")) or None
    if keyword is not None and (
        len(keyword) > MAX_KEYWORD_LENGTH or CONTROL_CHARACTERS.search(keyword)
    ):
        errors["keyword"] = "There is no such keyword."
        keyword = None
    sort = Sort.board
    if raw.get("sort"):
        try:
            sort = Sort(raw["sort"])
        except ValueError:
            errors["sort"] = "The gallery cannot be sorted that way; it is sorted by board."
    page = 1
    if raw.get("page"):
        text = raw["page"].strip()
        if text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= MAX_PAGE:
            page = int(text)
        else:
            errors["page"] = "There is no such page; this is the first."
    query = GalleryQuery(q=q, topic=topic, session=session, keyword=keyword, sort=sort, page=page)
    return query, errors


def query_string(query: GalleryQuery, **changes: Any) -> str:
    """The gallery's address for ``query`` with ``changes`` (a filter or sort change goes
    back to page 1); default values are left out, so addresses stay short."""
    if changes and "page" not in changes:
        changes["page"] = 1
    changed = replace(query, **changes)
    params: list[tuple[str, str]] = []
    if changed.q:
        params.append(("q", changed.q))
    for name in ("topic", "session", "keyword"):
        value = getattr(changed, name)
        if value is not None:
            params.append((name, value))
    if changed.sort != Sort.board:
        params.append(("sort", changed.sort.value))
    if changed.page != 1:
        params.append(("page", str(changed.page)))
    return "/posters" + (f"?{urlencode(params)}" if params else "")


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    # The gallery's query and this filter's name, for ``href``.
    query: GalleryQuery
    name: str

    @property
    def href(self) -> str:
        """Choosing it, or (selected) clearing it. Made when a page asks: the JSON API
        answers the values alone, and ~50 addresses cost a search request about 1 ms."""
        return query_string(self.query, **{self.name: None if self.selected else self.value})


def facet_links(
    query: GalleryQuery, facets: Facets, sessions: Mapping[str, str]
) -> dict[str, list[FacetLink]]:
    """Each filter's values as links that choose (or clear) them, keeping the rest."""

    def links(name: str, values: list[tuple[str, str, int]]) -> list[FacetLink]:
        chosen = getattr(query, name)
        return [
            FacetLink(
                value=value,
                label=label,
                count=count,
                selected=value == chosen,
                query=query,
                name=name,
            )
            for value, label, count in values
        ]

    session_counts = {f.value: f.count for f in facets.sessions}
    return {
        "topic": links("topic", [(f.value, f.value, f.count) for f in facets.topics]),
        # Every poster session of the program, in program order, even those with none.
        "session": links(
            "session",
            [(guid, title, session_counts.get(guid, 0)) for guid, title in sessions.items()],
        ),
        "keyword": links(
            "keyword",
            [
                (f.value, facets.keyword_labels.get(f.value, f.value), f.count)
                for f in facets.keywords
            ],
        ),
    }


def card_out(poster: Poster, *, bookmarked: bool) -> PosterCardOut:
    """A poster (its authors loaded) as a card of the grid."""
    presenting = poster.presenting_author
    return PosterCardOut(
        id=poster.id,
        board=poster.board,
        title=poster.title,
        presenting_author=presenting.name if presenting else None,
        topic=poster.topic,
        vote_count=poster.vote_count,
        comment_count=poster.comment_count,
        url=f"/posters/{poster.id}",
        thumbnail_url=tiles.thumbnail_url(poster),
        bookmarked=bookmarked,
    )


def gallery_out(
    query: GalleryQuery,
    found: GalleryPage,
    *,
    sessions: Mapping[str, str],
    bookmarked: set[int],
) -> GalleryOut:
    """The JSON API's answer for a page of the gallery."""
    facets = {
        name: [
            FacetOut(value=f.value, label=f.label, count=f.count, selected=f.selected)
            for f in values
        ]
        for name, values in facet_links(query, found.facets, sessions).items()
    }
    return GalleryOut(
        total=found.total,
        page=found.page,
        pages=found.pages,
        per_page=PER_PAGE,
        posters=[card_out(p, bookmarked=p.id in bookmarked) for p in found.posters],
        facets=FacetsOut(
            topics=facets["topic"], sessions=facets["session"], keywords=facets["keyword"]
        ),
    )
