"""The edit page's form: a poster as form values, and submitted values as ``PosterChanges``.

Authors and links are numbered rows (``author-<n>-name``, ``link-<n>-url``, ...) so the
form needs no JavaScript: the page shows the current rows and a few blank ones; a row
left blank is ignored, a row ticked "remove" is dropped, and rows are ordered by the
position number written in them (ties keep the page's order). The presenting author is
a radio button (``presenting`` = the row's number), so at most one is chosen.

An author linked to an account keeps its link: the row carries its id, and the account's
address, never shown in the page, is filled in here from ``linked`` (author id → address).
Validation errors come back keyed by the form's field names, for the page to show next to
each field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from conference import limits
from posters.models import Poster, PosterState
from posters.schemas import MAX_AUTHORS, MAX_LINKS, PosterChanges

# Blank rows offered under the current ones.
BLANK_AUTHORS = 3
BLANK_LINKS = 2
# Rows read from a submitted form at most (a form with more is refused, not read).
MAX_AUTHOR_ROWS = MAX_AUTHORS + BLANK_AUTHORS
MAX_LINK_ROWS = MAX_LINKS + BLANK_LINKS
AUTHOR_FIELDS = ("name", "affiliation", "email")
FRIENDLY = {
    "url_parsing": "Enter a full web address, such as https://example.org/lab.",
    "url_scheme": "Only http:// and https:// addresses are allowed.",
    "string_too_short": "This cannot be empty.",
    "missing": "This cannot be empty.",
}


@dataclass
class AuthorRow:
    number: int
    position: str = ""
    name: str = ""
    affiliation: str = ""
    email: str = ""
    author_id: str = ""
    linked: bool = False
    presenting: bool = False
    remove: bool = False

    @property
    def blank(self) -> bool:
        return not (self.name or self.affiliation or self.email)


@dataclass
class LinkRow:
    number: int
    position: str = ""
    label: str = ""
    url: str = ""
    remove: bool = False

    @property
    def blank(self) -> bool:
        return not (self.label or self.url)


@dataclass
class EditForm:
    """What the form shows: the values and, after a refused save, the messages."""

    title: str = ""
    board: str = ""
    abstract: str = ""
    topic: str = ""
    keywords: str = ""
    doi: str = ""
    state: str = ""
    session_guid: str = ""
    authors: list[AuthorRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def with_blanks(form: EditForm) -> EditForm:
    """The form with a few blank rows to add authors and links (within the limits)."""
    blank = sum(a.blank for a in form.authors)
    after = max((a.number for a in form.authors), default=-1) + 1
    for i in range(min(BLANK_AUTHORS - blank, MAX_AUTHOR_ROWS - len(form.authors))):
        form.authors.append(AuthorRow(after + i, position=str(len(form.authors) + 1)))
    blank = sum(k.blank for k in form.links)
    after = max((k.number for k in form.links), default=-1) + 1
    for i in range(min(BLANK_LINKS - blank, MAX_LINK_ROWS - len(form.links))):
        form.links.append(LinkRow(after + i, position=str(len(form.links) + 1)))
    return form


def from_poster(poster: Poster) -> EditForm:
    """The form filled with the poster as stored (authors and keywords loaded)."""
    authors = [
        AuthorRow(
            i,
            position=str(i + 1),
            name=a.name,
            affiliation=a.affiliation,
            author_id=str(a.id),
            linked=a.user_id is not None,
            presenting=a.presenting,
        )
        for i, a in enumerate(poster.authors)
    ]
    links = [
        LinkRow(i, position=str(i + 1), label=link["label"], url=link["url"])
        for i, link in enumerate(poster.links)
    ]
    return with_blanks(
        EditForm(
            title=poster.title,
            board=poster.board,
            abstract=poster.abstract,
            topic=poster.topic,
            keywords="\n".join(k.label for k in poster.keywords),
            doi=poster.doi,
            state=poster.state,
            session_guid=poster.session_guid or "",
            authors=authors,
            links=links,
        )
    )


def _rows(form: Mapping[str, str], prefix: str, limit: int) -> list[int]:
    """The row numbers the submitted form has for ``prefix`` ("author", "link")."""
    numbers: set[int] = set()
    for key in form:
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdigit() and len(parts[1]) < 4:
            numbers.add(int(parts[1]))
    return sorted(n for n in numbers if n < limit)


def _ordered(rows: Sequence[Any], errors: dict[str, str], prefix: str) -> list[Any]:
    """Rows by the positions written in them; a position that is no number is an error."""
    keyed: list[tuple[int, int, Any]] = []
    for i, row in enumerate(rows):
        text = row.position.strip()
        if not text:
            keyed.append((len(rows) + i + 1, i, row))
        elif text.isdigit() and len(text) < 5:
            keyed.append((int(text), i, row))
        else:
            errors[f"{prefix}-{row.number}-position"] = "Write the position as a number."
            keyed.append((len(rows) + i + 1, i, row))
    return [row for _, _, row in sorted(keyed, key=lambda k: (k[0], k[1]))]


def parse(
    submitted: Mapping[str, str],
    *,
    poster: Poster,
    linked: Mapping[int, str],
    states: Sequence[PosterState],
    organizer: bool,
) -> tuple[EditForm, PosterChanges | None]:
    """The submitted form as the page shows it again, and the changes when they are valid
    (None and ``form.errors`` filled otherwise). ``states`` are those the editor may set;
    the board and the session are written by organizers only."""
    get = submitted.get
    form = EditForm(
        title=get("title", ""),
        board=get("board", poster.board) if organizer else poster.board,
        abstract=get("abstract", "").replace("\r\n", "\n"),
        topic=get("topic", ""),
        keywords=get("keywords", "").replace("\r\n", "\n"),
        doi=get("doi", ""),
        state=get("state", poster.state) if states else poster.state,
        session_guid=get("session_guid", poster.session_guid or "")
        if organizer
        else (poster.session_guid or ""),
    )
    known = {a.id: a for a in poster.authors}
    for n in _rows(submitted, "author", MAX_AUTHOR_ROWS):
        author_id = limits.parse_id(get(f"author-{n}-id", ""))
        own = known.get(author_id) if author_id is not None else None
        form.authors.append(
            AuthorRow(
                n,
                position=get(f"author-{n}-position", ""),
                name=get(f"author-{n}-name", "").strip(),
                affiliation=get(f"author-{n}-affiliation", "").strip(),
                email=get(f"author-{n}-email", "").strip(),
                author_id=str(own.id) if own else "",
                linked=own is not None and own.user_id is not None,
                presenting=get("presenting") == str(n),
                remove=get(f"author-{n}-remove") == "1",
            )
        )
    for n in _rows(submitted, "link", MAX_LINK_ROWS):
        form.links.append(
            LinkRow(
                n,
                position=get(f"link-{n}-position", ""),
                label=get(f"link-{n}-label", "").strip(),
                url=get(f"link-{n}-url", "").strip(),
                remove=get(f"link-{n}-remove") == "1",
            )
        )
    authors = _ordered(
        [a for a in form.authors if not (a.blank or a.remove)], form.errors, "author"
    )
    links = _ordered([k for k in form.links if not (k.blank or k.remove)], form.errors, "link")
    data: dict[str, Any] = {
        "title": form.title,
        "abstract": form.abstract,
        "topic": form.topic,
        "keywords": [k for k in form.keywords.split("\n") if k.strip()],
        "doi": form.doi,
        "authors": [
            {
                "name": a.name,
                "affiliation": a.affiliation,
                "presenting": a.presenting,
                # An author linked to an account stays linked unless another address is given.
                "email": a.email or (linked.get(int(a.author_id), "") if a.author_id else ""),
            }
            for a in authors
        ],
        "links": [{"label": k.label, "url": k.url} for k in links],
    }
    if states:
        if form.state not in {s.value for s in states}:
            form.errors["state"] = "Choose one of the states offered."
        data["state"] = form.state
    if organizer:
        data["board"] = form.board
        data["session_guid"] = form.session_guid or None
    try:
        changes = PosterChanges.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            name, message = _field_error(error, authors, links)
            form.errors.setdefault(name, message)
        return with_blanks(form), None
    if form.errors:
        return with_blanks(form), None
    return form, changes


def _field_error(
    error: Any, authors: Sequence[AuthorRow], links: Sequence[LinkRow]
) -> tuple[str, str]:
    """The form field a pydantic error belongs to, and its message for a person."""
    loc = error["loc"]
    message = FRIENDLY.get(error["type"]) or error["msg"].removeprefix("Value error, ")
    message = message[0].upper() + message[1:]
    if not message.endswith("."):
        message += "."
    head = str(loc[0]) if loc else "form"
    if head == "authors" and len(loc) >= 2 and isinstance(loc[1], int):
        if len(loc) >= 3 and loc[2] in AUTHOR_FIELDS:
            return f"author-{authors[loc[1]].number}-{loc[2]}", message
        return "authors", message
    if head == "links" and len(loc) >= 2 and isinstance(loc[1], int):
        part = "url" if len(loc) >= 3 and loc[2] == "url" else "label"
        return f"link-{links[loc[1]].number}-{part}", message
    if head == "keywords" and len(loc) >= 2 and isinstance(loc[1], int):
        return "keywords", f"Keyword {loc[1] + 1}: {message[0].lower()}{message[1:]}"
    return head, message
