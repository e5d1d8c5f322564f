"""The /ws wire protocol: JSON envelopes ``{"v", "type", "channel", "id", "ref", "data"}``.

docs/PROTOCOL.md documents every type. The server serialises each event once
(:func:`encode`) and hands the same string to every subscriber.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from conference.jsonlimits import loads_bounded
from conference.limits import MAX_ID
from conference.realtime.schemas import ErrorData

PROTOCOL_VERSION = 1
# A client frame larger than this is refused (error envelope); the connection stays.
MAX_CLIENT_FRAME = 16_384
# Deepest nesting of arrays and objects a client frame may have: no action needs more than
# a few levels, and a deep frame under the size cap could exhaust the parser's recursion.
MAX_CLIENT_DEPTH = 16
# Event ids are database integers: a larger ``since`` is bad input, not a database error.
MAX_EVENT_ID = MAX_ID

# Close codes (4000-4999 are ours).
CLOSE_UNAUTHENTICATED = 4001
CLOSE_ORIGIN = 4003
CLOSE_TOO_SLOW = 4008  # reconnect, subscribing with since=<last id seen>
CLOSE_GOING_AWAY = 1001


class ClientMessage(BaseModel):
    """What a client sends. ``ref`` is echoed in the ack or error that answers it.

    ``channel`` must name a channel of a kind the app registered, its argument well formed
    (``channels``, the registry's pattern, is given by :func:`parse_client_frame`).
    """

    model_config = ConfigDict(extra="forbid")

    type: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_.]{0,39}$")]
    channel: str | None = None
    ref: Annotated[str, StringConstraints(max_length=64)] | None = None
    since: Annotated[int, Field(ge=0, le=MAX_EVENT_ID)] | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("channel")
    @classmethod
    def _registered_channel(cls, value: str | None, info: ValidationInfo) -> str | None:
        channels: re.Pattern[str] | None = (info.context or {}).get("channels")
        if value is None or (channels is not None and channels.fullmatch(value)):
            return value
        # The refusal a constrained string gives, as when the pattern was fixed here.
        raise PydanticCustomError(
            "string_pattern_mismatch",
            "String should match pattern '{pattern}'",
            {"pattern": channels.pattern if channels is not None else ""},
        )


def parse_client_frame(text: str, *, channels: re.Pattern[str]) -> ClientMessage:
    """A client frame as a :class:`ClientMessage`, its channel one that ``channels`` (the
    app's registered channel kinds, :attr:`Realtime.channel_pattern`) matches.

    Raises ``ValueError`` for what is not JSON (``TooDeep`` for what nests deeper
    than :data:`MAX_CLIENT_DEPTH`), ``ValidationError`` for a JSON value of the wrong shape.
    """
    return ClientMessage.model_validate(
        loads_bounded(text, limit=MAX_CLIENT_DEPTH), context={"channels": channels}
    )


def encode(
    type: str,
    *,
    channel: str | None = None,
    id: int | None = None,
    data: dict[str, Any] | None = None,
    ref: str | None = None,
) -> str:
    """One server envelope as compact JSON."""
    envelope: dict[str, Any] = {"v": PROTOCOL_VERSION, "type": type}
    if channel is not None:
        envelope["channel"] = channel
    if id is not None:
        envelope["id"] = id
    if ref is not None:
        envelope["ref"] = ref
    envelope["data"] = data or {}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def error(
    code: str,
    message: str,
    *,
    ref: str | None = None,
    channel: str | None = None,
    reason: str | None = None,
) -> str:
    """An error envelope: the action was refused, the connection stays open.

    ``code`` is the kind of refusal; ``reason``, when given, the specific one.
    """
    # Left unset, ``reason`` stays out of the frame.
    specific = {"reason": reason} if reason else {}
    data = ErrorData(code=code, message=message, **specific)
    return encode("error", channel=channel, ref=ref, data=data.wire())


def channel_kind(channel: str) -> tuple[str, str]:
    """``("session", "<guid>")`` for ``session:<guid>``; ``("meeting", "")`` for ``meeting``."""
    kind, _, argument = channel.partition(":")
    return kind, argument
