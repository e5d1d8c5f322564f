"""What features plug into the gateway: channel policies, client actions, server events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.realtime.connection import Connection
from conference.realtime.hub import Hub
from conference.realtime.protocol import ClientMessage
from conference.realtime.ratelimit import RateLimiter
from conference.realtime.schemas import EventSpec, Payload, core_events

if TYPE_CHECKING:
    from conference.context import AppContext


@dataclass
class ActionContext:
    """Everything an action handler gets: it runs inside one database session."""

    app: AppContext
    db: AsyncSession
    connection: Connection
    user: User
    message: ClientMessage

    @property
    def hub(self) -> Hub:
        return self.app.realtime.hub


# Answers the client with ``{"type": "ack", "ref", "data"}``, ``data`` being the returned
# payload; raise a ServiceError to refuse.
ActionHandler = Callable[[ActionContext], Awaitable[Payload]]
# May ``user`` subscribe to a channel of this kind with this argument?
ChannelPolicy = Callable[["AppContext", AsyncSession, User, str], Awaitable[bool]]


@dataclass(frozen=True)
class Action:
    handler: ActionHandler
    # The rate-limit bucket (see ratelimit.LIMITS).
    limit: str
    # The model of the ack's ``data`` (docs/PROTOCOL.md).
    ack: type[Payload]


@dataclass
class Realtime:
    hub: Hub
    limiter: RateLimiter = field(default_factory=RateLimiter)
    actions: dict[str, Action] = field(default_factory=dict)
    policies: dict[str, ChannelPolicy] = field(default_factory=dict)
    # Every frame type the server sends, with the model of its ``data``.
    events: dict[str, EventSpec] = field(default_factory=core_events)

    def action(self, type: str, handler: ActionHandler, *, limit: str, ack: type[Payload]) -> None:
        """Add a client action: its handler, rate-limit bucket and the model of its ack."""
        self.actions[type] = Action(handler=handler, limit=limit, ack=ack)

    def event(self, type: str, model: type[Payload], *, channel: str, durable: bool) -> None:
        """Declare a frame type the server sends on ``channel`` and the model of its data."""
        self.events[type] = EventSpec(type, model, channel, durable)
