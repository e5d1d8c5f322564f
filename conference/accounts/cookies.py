"""The session cookie: signed, HttpOnly, SameSite=Lax, Secure in production."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection
from starlette.responses import Response

from conference.accounts import service, signin
from conference.accounts.models import User
from conference.accounts.tokens import digest
from conference.context import AppContext
from conference.deps import client_address, session_token
from conference.errors import ServiceError, Throttled
from conference.web.csrf import SESSION_COOKIE


async def sign_in(
    response: Response, conn: HTTPConnection, db: AsyncSession, ctx: AppContext, user: User
) -> None:
    """Open a session for ``user`` and set its cookie on ``response``.

    Any session the browser already had is ended first, so a session id fixed by someone
    else before sign-in is never carried over.
    """
    old = session_token(conn, ctx)
    if old is not None:
        await end_session(ctx, db, token=old, reason="signed in again")
    lifetime = timedelta(days=ctx.settings.session_days)
    token = await service.start_session(
        db,
        user=user,
        ip_address=client_address(conn),
        user_agent=conn.headers.get("user-agent", ""),
        lifetime=lifetime,
    )
    response.set_cookie(
        SESSION_COOKIE,
        ctx.tokens.sign_session(token),
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=ctx.settings.is_production,
        path="/",
    )


def sign_in_limits(ctx: AppContext) -> signin.SignInLimits:
    settings = ctx.settings
    return signin.SignInLimits(
        free_failures=settings.sign_in_max_failures,
        address_failures=settings.sign_in_max_failures_per_address,
        delay=timedelta(seconds=settings.sign_in_delay_seconds),
        max_delay=timedelta(seconds=settings.sign_in_max_delay_seconds),
        window=timedelta(minutes=settings.sign_in_window_minutes),
    )


async def check_credentials(
    conn: HTTPConnection, db: AsyncSession, ctx: AppContext, *, email: str, password: str
) -> User:
    """Authenticate with the configured throttling, counting the outcome in the metrics."""
    try:
        user = await signin.authenticate(
            db,
            email=email,
            password=password,
            ip_address=client_address(conn),
            passwords=ctx.passwords,
            limits=sign_in_limits(ctx),
        )
    except Throttled:
        ctx.metrics.sign_ins.labels("throttled").inc()
        raise
    except ServiceError:
        ctx.metrics.sign_ins.labels("failed").inc()
        raise
    ctx.metrics.sign_ins.labels("ok").inc()
    return user


async def sign_out(
    response: Response, conn: HTTPConnection, db: AsyncSession, ctx: AppContext
) -> None:
    token = session_token(conn, ctx)
    if token is not None:
        await end_session(ctx, db, token=token, reason="signed out")
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=ctx.settings.is_production
    )


async def end_session(ctx: AppContext, db: AsyncSession, *, token: str, reason: str) -> None:
    """End the session behind ``token`` and close its sockets in every process."""
    user_id = await service.end_session(db, token=token)
    if user_id is not None:
        await ctx.realtime.hub.end_sessions(
            user_id=user_id, session_ids=[digest(token)], reason=reason
        )


async def sessions_ended(ctx: AppContext, *, user_id: int, session_ids: list[str] | None) -> None:
    """Close the sockets of sessions a password change or reset ended (None: all)."""
    await ctx.realtime.hub.end_sessions(
        user_id=user_id, session_ids=session_ids, reason="password changed: sign in again"
    )


async def account_deleted(ctx: AppContext, *, user_id: int) -> None:
    """Close every socket of a deleted account, in every process."""
    await ctx.realtime.hub.end_sessions(user_id=user_id, session_ids=None, reason="account deleted")


def reset_link(ctx: AppContext, token: str) -> str:
    return f"{ctx.settings.base_url}/password/reset?token={token}"


def reset_mail_text(ctx: AppContext, user: User, link: str) -> str:
    minutes = ctx.settings.password_reset_minutes
    return (
        f"Dear {user.name},\n\n"
        f"Someone asked to reset the password of your {ctx.settings.site_name} account.\n"
        f"To choose a new password, open this link within {minutes} minutes:\n\n"
        f"{link}\n\n"
        "If it was not you, ignore this message; your password stays as it is.\n"
    )
