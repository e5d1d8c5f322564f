"""Password-reset requests and registrations: limited, uniform, mail off the request path.

Both answer the same whether or not an account has the email: a reset request always says
a link is on its way (and mails only a real account, through the mailer's queue, so the
answer takes no longer for it); a registration with a taken email hashes the password like
a new one would, keeps nothing, and mails the account's holder a notice instead, while a
new email is kept as a pending registration (conference.accounts.pending) and mailed a
confirmation link: no account exists until that link is followed.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from conference.accounts import cookies, limits, pending, service
from conference.accounts.models import User
from conference.accounts.schemas import Registration
from conference.context import AppContext
from conference.deps import client_address
from conference.errors import Throttled

RESET_ACCEPTED = "If an account exists for that address, a reset link is on its way."
REGISTRATION_MAILED = (
    "Check your inbox: we have sent a message to this address. Follow the link in it to "
    "finish registering (if the address already has an account, the message says how to "
    "sign in instead)."
)


async def request_password_reset(
    conn: HTTPConnection, db: AsyncSession, ctx: AppContext, *, email: str
) -> None:
    """Queue a reset link for ``email``'s account, if any and if its limit allows."""
    settings = ctx.settings
    await limits.check_address(
        ctx, action="reset", address=client_address(conn), limit=settings.reset_limit_per_address
    )
    # Over the per-email limit the answer stays the same and nothing more is mailed: a
    # mailbox cannot be flooded, and the limit reveals nothing.
    if not await limits.email_allowed(
        ctx, action="reset", email=email, limit=settings.reset_limit_per_email
    ):
        return
    found = await service.password_reset_token(db, email=email, tokens=ctx.tokens)
    if found is not None:
        user, token = found
        ctx.mailer.enqueue(
            to=user.email,
            subject=f"Reset your {settings.site_name} password",
            text=cookies.reset_mail_text(ctx, user, cookies.reset_link(ctx, token)),
        )


async def register(
    conn: HTTPConnection,
    db: AsyncSession,
    ctx: AppContext,
    *,
    registration: Registration,
    next_path: str = "/",
) -> None:
    """Keep the registration and mail its confirmation link, or, if the email is taken,
    mail the account's holder a notice; either way the caller answers the same."""
    settings = ctx.settings
    await limits.check_address(
        ctx,
        action="register",
        address=client_address(conn),
        limit=settings.register_limit_per_address,
    )
    if not await limits.email_allowed(
        ctx, action="register", email=registration.email, limit=settings.register_limit_per_email
    ):
        raise Throttled(limits.TOO_MANY, retry_after=settings.account_limit_window_minutes * 60)
    started = await pending.start(
        db,
        registration=registration,
        passwords=ctx.passwords,
        lifetime=timedelta(hours=settings.registration_confirm_hours),
        next_path=next_path,
    )
    if started.existing is not None:
        ctx.mailer.enqueue(
            to=started.existing.email,
            subject=f"Your {settings.site_name} account",
            text=_existing_account_text(ctx, started.existing),
        )
    elif started.token is not None:
        ctx.mailer.enqueue(
            to=registration.email,
            subject=f"Confirm your {settings.site_name} registration",
            text=_confirm_text(ctx, registration.name, confirm_link(ctx, started.token)),
        )


def confirm_link(ctx: AppContext, token: str) -> str:
    return f"{ctx.settings.base_url}/register/confirm?token={token}"


def _confirm_text(ctx: AppContext, name: str, link: str) -> str:
    hours = ctx.settings.registration_confirm_hours
    return (
        f"Dear {name},\n\n"
        f"To finish registering for {ctx.settings.site_name}, open this link within "
        f"{hours} hours and confirm with the password you chose:\n\n"
        f"{link}\n\n"
        "If you did not register, ignore this message: no account is created.\n"
    )


def _existing_account_text(ctx: AppContext, user: User) -> str:
    base = ctx.settings.base_url
    return (
        f"Dear {user.name},\n\n"
        f"Someone tried to register a new {ctx.settings.site_name} account with this "
        "address, which already has one. If it was you, sign in:\n\n"
        f"{base}/signin\n\n"
        "or, if you have forgotten your password, choose a new one:\n\n"
        f"{base}/password/forgot\n\n"
        "If it was not you, ignore this message; nothing has changed.\n"
    )
