"""Rate limits on mail-sending and account-creating requests, for the whole deployment.

Counted through the hub (:meth:`Hub.hit`: Redis with ``redis://``, so every process shares
the counts; in memory with the embedded single process), per client address and per target
email address, in fixed windows of ``ACCOUNT_LIMIT_WINDOW_MINUTES``. Counting by the email
typed, whether or not an account has it, keeps the limits from revealing accounts.
"""

from __future__ import annotations

import hashlib

from conference.context import AppContext
from conference.errors import Throttled

TOO_MANY = "Too many requests from this address. Please wait before trying again."


def _key(action: str, kind: str, value: str) -> str:
    # Hashed: Redis key names must not carry people's email addresses.
    return f"{action}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


async def check_address(ctx: AppContext, *, action: str, address: str, limit: int) -> None:
    """Count a request from ``address``; 429 (Retry-After) once over ``limit``."""
    window = ctx.settings.account_limit_window_minutes * 60
    count, left = await ctx.realtime.hub.hit(_key(action, "address", address), window)
    if count > limit:
        raise Throttled(TOO_MANY, retry_after=left)


async def email_allowed(ctx: AppContext, *, action: str, email: str, limit: int) -> bool:
    """Count a request for ``email``; False once over ``limit`` in the window."""
    window = ctx.settings.account_limit_window_minutes * 60
    count, _ = await ctx.realtime.hub.hit(_key(action, "email", email.strip().lower()), window)
    return count <= limit
