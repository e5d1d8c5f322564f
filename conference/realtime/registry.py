"""What features plug into the gateway: channel policies, client actions and per-app parts."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.realtime.connection import Connection
from conference.realtime.hub import Hub
from conference.realtime.protocol import ClientMessage
from conference.realtime.ratelimit import RateLimiter

if TYPE_CHECKING:
    from conference.context import AppContext

logger = logging.getLogger(__name__)


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


class Part(Protocol):
    """State a feature keeps for one app (a results coalescer, a scheduler and its board).

    A part is made when its feature registers and kept here, on the app's registry, never
    in a module-level dictionary: it lives exactly as long as the app, and the app's
    lifespan starts it (with the context, once the hub runs) and closes it. ``close`` drops
    what ``start`` was given, and must be safe on a part that never started.
    """

    async def start(self, ctx: AppContext) -> None: ...

    async def close(self) -> None: ...


P = TypeVar("P", bound=Part)


@dataclass
class Realtime:
    hub: Hub
    limiter: RateLimiter = field(default_factory=RateLimiter)
    actions: dict[str, Action] = field(default_factory=dict)
    policies: dict[str, ChannelPolicy] = field(default_factory=dict)
    # One part per class, started in registration order and closed in reverse.
    parts: dict[type[Any], Part] = field(default_factory=dict)

    def action(self, type: str, handler: ActionHandler, *, limit: str) -> None:
        self.actions[type] = Action(handler=handler, limit=limit)

    def add_part(self, part: P) -> P:
        """Keep ``part`` for the app's lifetime (call it from a feature's ``register``)."""
        if type(part) in self.parts:
            raise ValueError(f"a {type(part).__name__} is already registered")
        self.parts[type(part)] = part
        return part

    def part(self, kind: type[P]) -> P:
        """The app's part of class ``kind``."""
        found = self.parts[kind]
        assert isinstance(found, kind)
        return found

    async def start(self, ctx: AppContext) -> None:
        """Start the hub, then every part (the app's lifespan, once)."""
        await self.hub.start()
        for part in self.parts.values():
            await part.start(ctx)

    async def close(self) -> None:
        """Close every part, newest first, then the hub; safe after a partial start."""
        for part in reversed(self.parts.values()):
            try:
                await part.close()
            except Exception:  # one part failing to close must not keep the others open
                logger.exception("closing %s failed", type(part).__name__)
        await self.hub.close()
