"""The shapes of a poster's comments, votes, relayed messages and statistics: /ws event
payloads and JSON bodies alike (one model per payload, as in conference.realtime.schemas)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from conference.limits import NoControlCharacters
from conference.realtime.protocol import MAX_CLIENT_FRAME
from conference.realtime.schemas import Author, IsoDatetime, Payload

# A comment's exact limit is checked by the service (after stripping); these bound input.
MAX_COMMENT = 1_000
MAX_CONTACT = 3_000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# /ws events and acks --------------------------------------------------------------------


class PosterCommentEvent(Payload):
    """A new comment on the poster (replayed with ``since`` until it is removed)."""

    comment_id: int
    author: Author
    body: str
    created_at: IsoDatetime
    comment_count: int = Field(description="the poster's visible comments, this one included")


class PosterCommentRemoved(Payload):
    """A comment was removed (by its author, the presenter or an organizer): drop it."""

    comment_id: int
    comment_count: int


class PosterVotes(Payload):
    """The poster's people's-choice vote count changed (ephemeral: not replayed)."""

    poster_id: int
    vote_count: int


class CommentAck(Payload):
    comment_id: int
    event_id: int


# /ws action data -------------------------------------------------------------------------


class CommentData(_In):
    # Bounded by the frame; the service checks the exact limit after stripping.
    body: Annotated[str, Field(max_length=MAX_CLIENT_FRAME)]


class RemoveData(_In):
    comment_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


# JSON API --------------------------------------------------------------------------------


class CommentIn(_In):
    body: Annotated[str, Field(min_length=1, max_length=MAX_COMMENT * 2), NoControlCharacters]


class CommentOut(Payload):
    comment_id: int
    author: Author
    body: str
    created_at: IsoDatetime
    may_remove: bool = Field(description="whether the viewer may remove it")


class CommentsOut(Payload):
    """A poster's visible comments, oldest first, and the event id to subscribe ``since``."""

    comments: list[CommentOut]
    comment_count: int
    last_event_id: int


class VoteOut(Payload):
    """The viewer's people's-choice vote in the meeting (``poster_id`` None: none given)."""

    poster_id: int | None
    # The count of the poster the request was about, after the change.
    vote_count: int | None = None


class PeopleChoiceEntry(Payload):
    rank: int
    poster_id: int
    board: str
    title: str
    vote_count: int


class PeopleChoiceOut(Payload):
    """Published posters by votes, most first (ties share a rank, board order among them)."""

    posters: list[PeopleChoiceEntry]
    total_votes: int


class ContactIn(_In):
    body: Annotated[str, Field(min_length=1, max_length=MAX_CONTACT * 2), NoControlCharacters]
    share_email: bool = Field(
        default=False, description="include the sender's email address so the author can reply"
    )


class ContactOut(Payload):
    sent: bool
    shared_email: bool


class DayStats(Payload):
    day: date
    views: int
    unique_viewers: int
    votes: int
    comments: int


class PosterStatsOut(Payload):
    """Counts only: never who viewed, voted or commented."""

    poster_id: int
    views: int
    unique_viewers: int = Field(description="sum of each day's distinct viewers")
    vote_count: int
    comment_count: int
    days: list[DayStats]
