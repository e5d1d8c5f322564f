"""What features plug into the gateway: channel kinds, client actions, server events and
per-app parts.

The core knows no channel by name: each package registers the kinds of channel it owns
(:meth:`Realtime.channel`), and the envelope's ``channel`` is checked against what is
registered (:attr:`Realtime.channel_pattern`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.realtime.connection import Connection
from conference.realtime.hub import CONTROL_CHANNEL, Hub
from conference.realtime.protocol import ClientMessage, channel_kind
from conference.realtime.ratelimit import RateLimiter
from conference.realtime.schemas import EventSpec, Payload, core_events

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


@dataclass(frozen=True)
class ChannelKind:
    """A kind of channel clients may name: ``name`` alone, or ``name:<argument>``."""

    name: str
    # The argument's syntax (a regular expression); None for a channel without one.
    argument: str | None
    # Who may subscribe; None: the name is taken, but no one may subscribe yet.
    policy: ChannelPolicy | None
    # Viewers are counted and shown ("12 watching") on channels of this kind.
    presence: bool

    @property
    def pattern(self) -> str:
        return self.name if self.argument is None else f"{self.name}:{self.argument}"


_KIND_NAME = re.compile(r"[a-z][a-z_]{0,31}")
# Matches no channel: the pattern while no kind is registered.
_NOTHING = re.compile(r"(?!)")


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
    # Every frame type the server sends, with the model of its ``data``.
    events: dict[str, EventSpec] = field(default_factory=core_events)
    channels: dict[str, ChannelKind] = field(default_factory=dict)
    # One part per class, started in registration order and closed in reverse.
    parts: dict[type[Any], Part] = field(default_factory=dict)
    channel_pattern: re.Pattern[str] = field(default=_NOTHING, init=False)

    def action(self, type: str, handler: ActionHandler, *, limit: str, ack: type[Payload]) -> None:
        """Add a client action: its handler, rate-limit bucket and the model of its ack."""
        self.actions[type] = Action(handler=handler, limit=limit, ack=ack)

    def event(self, type: str, model: type[Payload], *, channel: str, durable: bool) -> None:
        """Declare a frame type the server sends on ``channel`` and the model of its data.

        Declaring a type again with the same model and durability adds ``channel`` to where
        it travels (a domain's chat on its own channel kind reuses the core's frames);
        another model or durability under a taken name is a mistake, refused.
        """
        known = self.events.get(type)
        if known is not None:
            if known.model is not model or known.durable != durable:
                raise ValueError(f"event {type!r} is already registered with another shape")
            if channel in known.channel.split(", "):
                return
            channel = f"{known.channel}, {channel}"
        self.events[type] = EventSpec(type, model, channel, durable)

    def channel(
        self,
        name: str,
        *,
        argument: str | None,
        policy: ChannelPolicy | None,
        presence: bool = False,
    ) -> None:
        """Register a kind of channel (call it from a package's ``register``).

        ``argument`` is the regular expression a channel's argument must match in full
        (one alternative: no top-level ``|``); ``policy`` None takes the name without
        letting anyone subscribe (a subscribe is refused as ``forbidden``).
        """
        if not _KIND_NAME.fullmatch(name) or name == CONTROL_CHANNEL.partition(":")[0]:
            raise ValueError(f"{name!r} cannot name a channel kind")
        if name in self.channels:
            raise ValueError(f"channel kind {name!r} is already registered")
        if argument is not None:
            re.compile(argument)
            if "|" in argument:
                raise ValueError(f"the argument of {name!r} must be one alternative")
        kind = ChannelKind(name=name, argument=argument, policy=policy, presence=presence)
        self.channels[name] = kind
        self.channel_pattern = re.compile(
            "^(" + "|".join(k.pattern for k in self.channels.values()) + ")$"
        )
        if presence:
            self.hub.presence_kinds.add(name)

    async def may_subscribe(
        self, ctx: AppContext, db: AsyncSession, user: User, channel: str
    ) -> bool:
        """Whether ``user`` may follow ``channel`` (its kind's policy says so)."""
        name, argument = channel_kind(channel)
        kind = self.channels.get(name)
        if kind is None or kind.policy is None:
            return False
        return await kind.policy(ctx, db, user, argument)

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
