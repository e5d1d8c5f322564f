"""What the posters API accepts and answers."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from conference import limits
from conference.limits import NoControlCharacters
from posters import content
from posters.content import MAX_KEYWORD_LENGTH, MAX_KEYWORDS
from posters.models import PosterState

MAX_AUTHORS = 60
MAX_LINKS = 10
MAX_ABSTRACT = 20_000


def _doi(value: str) -> str:
    if value and not re.fullmatch(content.DOI_PATTERN, value):
        raise ValueError("a DOI looks like 10.1234/abc.5678 (10., a number, /, the rest)")
    return value


Board = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=16, pattern=r"^\S+$"),
    NoControlCharacters,
]


Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), NoControlCharacters
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControlCharacters
]
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), NoControlCharacters
]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), NoControlCharacters]
Topic = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100), NoControlCharacters
]
# Empty (no DOI) or a DOI; a pasted resolver address or "doi:" is taken off first.
Doi = Annotated[
    str,
    BeforeValidator(content.clean_doi),
    NoControlCharacters,
    StringConstraints(max_length=200),
    AfterValidator(_doi),
]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), NoControlCharacters
]
Keyword = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_KEYWORD_LENGTH),
    NoControlCharacters,
]
Abstract = Annotated[str, StringConstraints(max_length=MAX_ABSTRACT), NoControlCharacters]
SessionGuid = Annotated[str, StringConstraints(pattern=f"^{limits.GUID_PATTERN}$")]


class AuthorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    affiliation: Line = ""
    presenting: bool = False
    # The author's account, matched by this address when one exists (never shown).
    email: Email = ""


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Label
    url: AnyHttpUrl


class PosterIn(BaseModel):
    """A whole poster, as organizers create it (the PDF comes separately)."""

    model_config = ConfigDict(extra="forbid")

    board: Board
    title: Title
    abstract: Abstract = ""
    authors: list[AuthorIn] = Field(default_factory=list, max_length=MAX_AUTHORS)
    topic: Topic = ""
    keywords: list[Keyword] = Field(default_factory=list, max_length=MAX_KEYWORDS)
    session_guid: SessionGuid | None = None
    doi: Doi = ""
    links: list[LinkIn] = Field(default_factory=list, max_length=MAX_LINKS)
    state: PosterState = PosterState.draft


class PosterChanges(BaseModel):
    """Some fields of a poster; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    board: Board | None = None
    title: Title | None = None
    abstract: Abstract | None = None
    authors: list[AuthorIn] | None = Field(default=None, max_length=MAX_AUTHORS)
    topic: Topic | None = None
    keywords: list[Keyword] | None = Field(default=None, max_length=MAX_KEYWORDS)
    session_guid: SessionGuid | None = None
    doi: Doi | None = None
    links: list[LinkIn] | None = Field(default=None, max_length=MAX_LINKS)
    state: PosterState | None = None


class AuthorOut(BaseModel):
    name: str
    affiliation: str
    presenting: bool
    has_account: bool


class LinkOut(BaseModel):
    label: str
    url: str


class PosterOut(BaseModel):
    """A poster as its page and the API show it."""

    id: int
    board: str
    title: str
    abstract: str
    abstract_html: str
    authors: list[AuthorOut]
    topic: str
    keywords: list[str]
    session_guid: str | None
    doi: str
    links: list[LinkOut]
    state: PosterState
    render_state: str
    render_progress: float
    render_error: str
    has_pdf: bool
    updated_at: datetime


class PosterSettingsOut(BaseModel):
    edit_deadline: datetime | None


class PosterSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    edit_deadline: datetime | None


class PosterCardOut(BaseModel):
    """A poster as the gallery's grid shows it."""

    id: int
    board: str
    title: str
    presenting_author: str | None
    topic: str
    vote_count: int
    comment_count: int
    url: str
    thumbnail_url: str | None
    bookmarked: bool


class FacetOut(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(BaseModel):
    topics: list[FacetOut]
    sessions: list[FacetOut]
    keywords: list[FacetOut]


class GalleryOut(BaseModel):
    """A page of the gallery for the query string's search, filters and sort."""

    total: int
    page: int
    pages: int
    per_page: int
    posters: list[PosterCardOut]
    facets: FacetsOut


class BookmarkOut(BaseModel):
    poster_id: int
    bookmarked: bool
