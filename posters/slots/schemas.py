"""The shapes of the live slot's chat: the JSON history page and the HTTP message body.

A message, its ack and its events are the core chat's own models
(``conference.realtime.schemas``): the slot chat is the session chat on ``poster:<id>``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from conference.limits import NoControlCharacters
from conference.realtime.chat_service import MAX_BODY
from conference.realtime.schemas import ChatHistoryMessage, IsoDatetime, Payload


class SlotChatIn(BaseModel):
    """A message to the slot's chat (plain text; the exact limit is checked after stripping)."""

    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, Field(min_length=1, max_length=MAX_BODY * 2), NoControlCharacters]


class SlotChatOut(Payload):
    """A page of a poster's slot chat, oldest first, and whether it is open now."""

    messages: list[ChatHistoryMessage] = Field(description="oldest first")
    last_event_id: int = Field(description="subscribe to poster:<id> with this ``since``")
    more: bool = Field(description="older messages exist (ask with ``before``)")
    live: bool = Field(description="a slot of the poster is on: the chat takes messages")
    slot_ends_at: IsoDatetime | None = Field(description="the end of the live slot, if any")
    may_moderate: bool = Field(description="the viewer deletes anyone's messages")
    may_mute: bool = Field(description="the viewer mutes people in this chat (organizers)")
