"""What features plug into the gateway: channel policies and client actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.realtime.connection import Connection
from conference.realtime.hub import Hub
from conference.realtime.protocol import ClientMessage
from conference.realtime.ratelimit import RateLimiter

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


# Answers the client with ``{"type": "ack", "ref", "data"}``; raise a ServiceError to refuse.
ActionHandler = Callable[[ActionContext], Awaitable[dict[str, Any] | None]]
# May ``user`` subscribe to a channel of this kind with this argument?
ChannelPolicy = Callable[["AppContext", AsyncSession, User, str], Awaitable[bool]]


@dataclass(frozen=True)
class Action:
    handler: ActionHandler
    # The rate-limit bucket (see ratelimit.LIMITS).
    limit: str


@dataclass
class Realtime:
    hub: Hub
    limiter: RateLimiter = field(default_factory=RateLimiter)
    actions: dict[str, Action] = field(default_factory=dict)
    policies: dict[str, ChannelPolicy] = field(default_factory=dict)

    def action(self, type: str, handler: ActionHandler, *, limit: str) -> None:
        self.actions[type] = Action(handler=handler, limit=limit)
