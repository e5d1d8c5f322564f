"""The one websocket endpoint, /ws: authenticate, then subscribe and act on channels.

:class:`RealtimeMiddleware` (the outermost of the app's own middleware, see
``conference.main``) takes /ws handshakes before FastAPI's routing and middleware stack
and serves them as a bare ASGI app. A connection lives for hours, and whatever the stack
keeps per request is kept for that long for every connected client: FastAPI's exit stacks
and dependency state, Starlette's exception wrapper with its own ``WebSocket`` object, a
suspended frame for each middleware, and a ``send`` wrapper that every frame then goes
through. Here the gateway reads the ASGI messages itself and hands the server's ``send``
straight to the :class:`Connection`'s writer. No other middleware has anything to do for
a websocket (they all pass them through); the gateway checks the Origin itself, which is
the websocket's CSRF protection. docs/PERFORMANCE.md measures what each layer costs per
connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Collection
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from conference.accounts.models import User, UserSession
from conference.context import AppContext
from conference.db.types import utcnow
from conference.deps import signed_in
from conference.errors import ServiceError, Unauthenticated
from conference.jsonlimits import TooDeep
from conference.realtime import events
from conference.realtime.connection import Connection
from conference.realtime.protocol import (
    CLOSE_ORIGIN,
    CLOSE_UNAUTHENTICATED,
    MAX_CLIENT_DEPTH,
    MAX_CLIENT_FRAME,
    PROTOCOL_VERSION,
    ClientMessage,
    encode,
    error,
    parse_client_frame,
)
from conference.realtime.registry import ActionContext
from conference.realtime.schemas import ErrorData, Subscribed, UserRef, Welcome
from conference.settings import Settings

logger = logging.getLogger(__name__)

PATH = "/ws"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _is_loopback(hostname: str | None) -> bool:
    if hostname is None:
        return False
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def origin_allowed(origin: str, *, host_header: str, settings: Settings) -> bool:
    """Whether a websocket handshake's Origin is this site's own.

    Production accepts the configured base URL's origin only. A development server on
    loopback is reached as http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT
    alike, so there the address the browser actually used is accepted too: an http Origin
    on a loopback name that equals the Host the request was sent to (a page served by
    another local port, or a rebound DNS name, has a different Origin and stays refused).
    """
    origin = origin.lower()
    if origin == _origin(settings.base_url):
        return True
    if settings.is_production or not _is_loopback(urlsplit(settings.base_url).hostname):
        return False
    parts = urlsplit(origin)
    return (
        parts.scheme == "http"
        and _is_loopback(parts.hostname)
        and origin == f"http://{host_header.lower()}"
    )


async def _authenticate(conn: HTTPConnection, ctx: AppContext) -> tuple[int, str, str] | None:
    """The signed-in user's id and name and the session's id (plain values: the ORM
    objects are not kept)."""
    async with ctx.db.session() as db:
        found = await signed_in(conn, ctx, db)
    return (found[1].id, found[1].name, found[0].id) if found else None


async def _refuse(send: Send, code: int, reason: str) -> None:
    """Close before accepting: the server answers the handshake with 403."""
    await send({"type": "websocket.close", "code": code, "reason": reason})


class RealtimeMiddleware:
    """Serves ``/ws`` itself; everything else goes on to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            path: str = scope["path"]
            root: str = scope.get("root_path", "")
            if path == root + PATH:
                await websocket_endpoint(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def websocket_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """One client, from the handshake to the close."""
    if (await receive())["type"] != "websocket.connect":
        return
    ctx: AppContext = scope["app"].state.ctx
    conn = HTTPConnection(scope)
    # A page on another site must not ride on the visitor's cookie (cross-site websocket
    # hijacking): the Origin must be our own.
    if not origin_allowed(
        conn.headers.get("origin") or "",
        host_header=conn.headers.get("host") or "",
        settings=ctx.settings,
    ):
        await _refuse(send, CLOSE_ORIGIN, "origin not allowed")
        return
    found = await _authenticate(conn, ctx)
    del conn  # its parsed headers and cookies need not live as long as the socket
    if found is None:
        await _refuse(send, CLOSE_UNAUTHENTICATED, "sign in first")
        return
    # Account changes must reach this socket from the moment it counts as connected.
    await ctx.realtime.hub.watch_control()
    await send({"type": "websocket.accept"})
    await _serve(ctx, receive, send, user_id=found[0], user_name=found[1], session_id=found[2])


async def _serve(
    ctx: AppContext, receive: Receive, send: Send, *, user_id: int, user_name: str, session_id: str
) -> None:
    hub = ctx.realtime.hub
    connection = Connection(
        send,
        user_id=user_id,
        user_name=user_name,
        queue_size=hub.queue_size,
        session_id=session_id,
    )
    connection.start()
    hub.register(connection)
    # A sign-out between the handshake's check and ``register`` published its control
    # event before this socket could be found: look again now that it can be.
    async with ctx.db.session() as db:
        with contextlib.suppress(ServiceError):
            await _current_user(db, connection)
    welcome = Welcome(protocol=PROTOCOL_VERSION, user=UserRef(id=user_id, name=user_name))
    connection.send(encode("welcome", data=welcome.wire()))
    connection.reader = asyncio.current_task()
    try:
        while not connection.closing:
            message = await receive()
            kind = message["type"]
            if kind == "websocket.disconnect":
                connection.disconnected = True
                break
            if kind != "websocket.receive":
                continue
            text = message.get("text")
            if text is None:
                connection.send(error("bad_message", "Send JSON in text frames."))
                continue
            try:
                await _handle(ctx, connection, text)
            except Exception:
                # A bug must cost one refused frame, not the connection (tests fuzz the
                # frames to keep this path unused).
                logger.exception("websocket frame failed")
                connection.send(error("internal_error", "The server could not handle that."))
    except asyncio.CancelledError:
        if not connection.dropped_slow:
            # Cancelled from outside: the server (or a test client) is going away and the
            # peer will read no close frame, so the writer must not wait to send one.
            connection.disconnected = True
            raise
        # Dropped for being too slow: the cancellation was ours; clean up normally.
        current = asyncio.current_task()
        if current is not None:
            current.uncancel()
    finally:
        await hub.unregister(connection)
        await connection.stop()


async def _handle(ctx: AppContext, connection: Connection, text: str) -> None:
    realtime = ctx.realtime
    if len(text) > MAX_CLIENT_FRAME:
        connection.send(error("too_big", f"Messages are limited to {MAX_CLIENT_FRAME} bytes."))
        return
    wait = realtime.limiter.check(connection.user_id, "frame")
    if wait:
        connection.send(error("rate_limited", f"Too many messages: wait {wait:.1f} s."))
        return
    try:
        message = parse_client_frame(text, channels=realtime.channel_pattern)
    except (ValueError, ValidationError) as exc:
        connection.send(error("bad_message", _describe(exc)))
        return
    if message.type == "ping":
        connection.send(encode("pong", ref=message.ref))
        return
    if message.type in ("subscribe", "unsubscribe"):
        await _subscription(ctx, connection, message)
        return
    action = realtime.actions.get(message.type)
    if action is None:
        connection.send(
            error("unknown_type", f"Unknown message type {message.type!r}.", ref=message.ref)
        )
        return
    wait = realtime.limiter.check(connection.user_id, action.limit)
    if wait:
        connection.send(
            error("rate_limited", f"Slow down: try again in {wait:.1f} s.", ref=message.ref)
        )
        return
    if message.channel is not None and message.channel not in connection.channels:
        connection.send(error("not_subscribed", "Subscribe to the channel first.", ref=message.ref))
        return
    try:
        async with ctx.db.session() as db:
            user = await _current_user(db, connection)
            result = await action.handler(
                ActionContext(app=ctx, db=db, connection=connection, user=user, message=message)
            )
    except ServiceError as exc:
        connection.send(
            error(exc.code, exc.detail, ref=message.ref, channel=message.channel, reason=exc.reason)
        )
        return
    connection.send(encode("ack", ref=message.ref, channel=message.channel, data=result.wire()))


async def _subscription(ctx: AppContext, connection: Connection, message: ClientMessage) -> None:
    hub = ctx.realtime.hub
    channel = message.channel
    if channel is None:
        connection.send(error("bad_message", "Name the channel.", ref=message.ref))
        return
    if message.type == "unsubscribe":
        await hub.leave(connection, channel)
        connection.send(encode("ack", ref=message.ref, channel=channel))
        return
    wait = ctx.realtime.limiter.check(connection.user_id, "subscribe")
    if wait:
        connection.send(error("rate_limited", f"Wait {wait:.1f} s.", ref=message.ref))
        return
    async with ctx.db.session() as db:
        try:
            user = await _current_user(db, connection)
        except ServiceError as exc:
            connection.send(error(exc.code, exc.detail, ref=message.ref))
            return
        if not await ctx.realtime.may_subscribe(ctx, db, user, channel):
            connection.send(
                error(
                    "forbidden",
                    "You may not subscribe to this channel.",
                    ref=message.ref,
                    channel=channel,
                )
            )
            return
        if channel in connection.channels:
            await hub.leave(connection, channel)
        # Hold live events while the missed ones are read, then release those the replay
        # did not cover: nothing lost, nothing twice.
        connection.hold(channel)
        await hub.join(connection, channel)
        replayed_up_to = 0
        truncated = False
        if message.since is not None:
            missed = await events.missed(db, channel=channel, since=message.since)
            for event in missed:
                connection.send(events.frame(event))
            replayed_up_to = missed[-1].id if missed else message.since
            truncated = len(missed) == events.REPLAY_PAGE
        latest = await events.last_id(db, channel=channel)
    connection.release(channel, replayed_up_to=replayed_up_to)
    data = Subscribed(last_id=latest, replayed_up_to=replayed_up_to, more=truncated)
    connection.send(encode("subscribed", ref=message.ref, channel=channel, data=data.wire()))


async def _current_user(db: AsyncSession, connection: Connection) -> User:
    """The connection's user as of now (roles may have changed since it connected).

    The socket's session is checked on every action too: the control event that closes
    sockets of an ended session travels by pub/sub, which may lose it (a Redis reconnect),
    and an action already being read when it arrives must not run as the user.
    """
    session = await db.get(UserSession, connection.session_id)
    if session is None or session.user_id != connection.user_id:
        connection.close(CLOSE_UNAUTHENTICATED, "session ended: sign in again")
        raise Unauthenticated("This session has ended: sign in again.")
    user = session.user
    if session.expires_at <= utcnow() or not user.is_active:
        connection.close(CLOSE_UNAUTHENTICATED, "account no longer active")
        raise Unauthenticated("This account is no longer active.")
    return user


async def reauthorize(ctx: AppContext, connections: Collection[Connection]) -> None:
    """Re-check every channel of these sockets against its policy (after a role change);
    a channel no longer allowed is left and the client told with ``unsubscribed``."""
    hub = ctx.realtime.hub
    async with ctx.db.session() as db:
        for connection in connections:
            if connection.closing:
                continue
            try:
                user = await _current_user(db, connection)
            except ServiceError:
                for channel in tuple(connection.channels):
                    await hub.leave(connection, channel)
                continue
            for channel in tuple(connection.channels):
                if await ctx.realtime.may_subscribe(ctx, db, user, channel):
                    continue
                await hub.leave(connection, channel)
                data = ErrorData(
                    code="forbidden",
                    message="Your roles changed: you may no longer follow this channel.",
                )
                connection.send(encode("unsubscribed", channel=channel, data=data.wire()))


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "message"
        return f"{where}: {first['msg']}"
    if isinstance(exc, TooDeep):
        return f"Messages may nest at most {MAX_CLIENT_DEPTH} levels deep."
    return "Messages must be JSON objects."
