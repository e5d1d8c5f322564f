"""The shapes the server sends: every /ws event's ``data`` and the HTTP answers alike.

One model per payload. Services build payloads through these models and the HTTP routes
that answer with the same shapes name them as ``response_model``, so a chat message, a
question or a poll reads the same on the socket, in a page's first load and in OpenAPI.
Features register which event types carry which model (:meth:`Realtime.event`); the
event reference in docs/PROTOCOL.md is generated from that registry
(``conference protocol-doc``) and a test fails when it is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

# Times go out as ``datetime.isoformat()`` has always written them ("+00:00", not "Z"):
# clients and stored events already hold that spelling.
IsoDatetime = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Payload(BaseModel):
    """Base of every payload the server sends."""

    model_config = ConfigDict(extra="forbid")

    def wire(self) -> dict[str, Any]:
        """The payload as event ``data``. A field left unset is left out, so an optional
        key (``deleted`` on a replayed ``chat.message``) appears only when it was given."""
        return self.model_dump(mode="json", exclude_unset=True)


@dataclass(frozen=True)
class EventSpec:
    """One server-to-client frame type: what its ``data`` is and where it travels."""

    name: str
    model: type[Payload]
    # Where it is sent, as docs/PROTOCOL.md names channels ("session", "stage", "-" for
    # connection-level frames).
    channel: str
    # Durable events carry an ``id`` and are replayed to a subscribe with ``since``.
    durable: bool = False


# Connection ---------------------------------------------------------------------------


class Empty(Payload):
    """No data: ``{}``."""


class UserRef(Payload):
    id: int
    name: str


class Welcome(Payload):
    """The first frame on every connection."""

    protocol: int
    user: UserRef


class Subscribed(Payload):
    """Sent after any replayed events of the subscribe it answers."""

    last_id: int = Field(description="the channel's newest event id")
    replayed_up_to: int = Field(description="the last id replayed (``since`` if none)")
    more: bool = Field(description="the replay was cut at 500: subscribe again from its end")


class ErrorData(Payload):
    """A refusal; the connection stays open."""

    code: str = Field(description="the kind of refusal (see Error codes)")
    message: str = Field(description="for people, in the meeting's language")
    reason: str = Field(
        default="", description="the specific refusal, when a client must tell it apart"
    )


# Refusals the gateway makes itself, before any service runs: code and when.
GATEWAY_ERRORS = {
    "bad_message": "a binary frame, not JSON, or not a valid envelope",
    "too_big": "a frame over 16 KiB",
    "rate_limited": "over a token bucket (see Limits)",
    "unknown_type": "no such action",
    "not_subscribed": "an action on a channel the client has not subscribed to",
    "internal_error": "the server failed (a bug): the frame was not handled",
}


# Chat ---------------------------------------------------------------------------------


class Author(Payload):
    """Who wrote a message or asked a question (``id`` null for a deleted account)."""

    id: int | None
    name: str


class ChatMessageView(Payload):
    message_id: int
    author: Author
    body: str | None = Field(description="null once the message is deleted")
    created_at: IsoDatetime | None


class ChatMessageEvent(ChatMessageView):
    """A new message. Replayed after its deletion, it says ``deleted: true``."""

    deleted: bool = Field(default=False, description="present (true) only once deleted")


class ChatHistoryMessage(ChatMessageView):
    """A message as history shows it: a deleted one keeps its place, not its body."""

    edited_at: IsoDatetime | None
    deleted: bool


class ChatHistory(Payload):
    messages: list[ChatHistoryMessage] = Field(description="oldest first")
    last_event_id: int = Field(description="subscribe to the session with this ``since``")
    more: bool = Field(description="older messages exist (ask with ``before``)")


class ChatEdited(Payload):
    message_id: int
    body: str | None = Field(description="null once the message is deleted")
    edited_at: IsoDatetime | None


class ChatDeleted(Payload):
    message_id: int
    by_moderator: bool


class ChatMuted(Payload):
    """Sent to the muted user's ``user:<id>`` channel."""

    channel: str
    until: IsoDatetime


class ChatAck(Payload):
    message_id: int
    event_id: int


class MuteAck(Payload):
    user_id: int
    until: IsoDatetime


# Q&A ----------------------------------------------------------------------------------


class QuestionView(Payload):
    """A question; ``author`` is null when anonymous, except for moderators."""

    question_id: int
    body: str
    author: Author | None
    status: Literal["pending", "approved", "answered", "dismissed"]
    pinned: bool
    votes: int
    created_at: IsoDatetime


class QuestionEvent(Payload):
    question: QuestionView


class QuestionRemoved(Payload):
    question_id: int


class QuestionVotes(Payload):
    question_id: int
    votes: int


class QuestionList(Payload):
    questions: list[QuestionView] = Field(description="pinned first, then by votes")
    last_event_id: int = Field(description="subscribe to session:<guid> with this ``since``")
    moderation_last_event_id: int | None = Field(
        default=None, description="with ``queue``: subscribe to moderation:<guid> with it"
    )
    voted: list[int] = Field(description="the questions this user has upvoted")


# Polls --------------------------------------------------------------------------------


class PollOptionView(Payload):
    option_id: int
    label: str
    votes: int


class PollView(Payload):
    poll_id: int
    question: str
    kind: Literal["single", "multiple"]
    status: Literal["draft", "open", "closed"]
    options: list[PollOptionView]


class PollEvent(Payload):
    poll: PollView


class PollResults(Payload):
    """Live tallies, at most once a second per poll."""

    poll_id: int
    counts: dict[str, int] = Field(description="votes per option id")
    total: int = Field(description="people who voted")


class PollWithChoices(PollView):
    my_option_ids: list[int] = Field(description="what the caller chose")


class PollList(Payload):
    polls: list[PollWithChoices] = Field(description="oldest first; drafts for moderators")


class PollVoteAck(Payload):
    poll_id: int
    option_ids: list[int]


# Reactions and presence ---------------------------------------------------------------


class ReactionCounts(Payload):
    """Reactions since the last tally, at most once a second per process."""

    counts: dict[str, int] = Field(description="clicks per emoji")


class Presence(Payload):
    """Viewers of the channel, summed over all processes, when the number changes."""

    viewers: int


# What the gateway and the hub send themselves, whatever features are registered.
CORE_EVENTS = (
    EventSpec("welcome", Welcome, "-"),
    EventSpec("pong", Empty, "-"),
    EventSpec("subscribed", Subscribed, "any"),
    EventSpec("unsubscribed", ErrorData, "any"),
    EventSpec("error", ErrorData, "-"),
    EventSpec("presence", Presence, "session, stage, poster, booth"),
)


def core_events() -> dict[str, EventSpec]:
    """The core's own frames (every Realtime starts with these)."""
    return {spec.name: spec for spec in CORE_EVENTS}


# Announcements ------------------------------------------------------------------------


class AnnouncementEvent(Payload):
    announcement_id: int
    message: str
    level: Literal["info", "important"]
    ends_at: IsoDatetime


class AnnouncementEnded(Payload):
    announcement_id: int


class AnnouncementView(AnnouncementEvent):
    """An announcement as the API lists it: the event's data, its start and where it
    stands."""

    starts_at: IsoDatetime
    status: Literal["scheduled", "active", "ended"]


class AnnouncementList(Payload):
    announcements: list[AnnouncementView]
