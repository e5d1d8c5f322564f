"""Checking a sign-in: the password, and throttling per account+address and per address."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import SignInFailure, User
from conference.accounts.passwords import Passwords
from conference.accounts.service import get_user_by_email
from conference.db.types import utcnow
from conference.errors import Throttled, Unauthenticated


@dataclass(frozen=True)
class SignInLimits:
    """Sign-in throttling (README: ``SIGN_IN_*``).

    - per account and address: ``free_failures`` wrong passwords, then each further attempt
      from that address for that account must wait ``delay`` after the latest failure,
      doubling with every failure up to ``max_delay``. Another address is not slowed, so
      nobody can lock an account out from elsewhere, and the owner's correct password from
      their own address gets in;
    - per address: ``address_failures`` failures (any accounts) within ``window`` stop the
      address until the oldest of them leaves the window; high, because a venue or campus
      network shares one address.

    An unknown email is throttled exactly like a known one, so the answers reveal nothing.
    """

    free_failures: int
    address_failures: int
    delay: timedelta
    max_delay: timedelta
    window: timedelta


async def authenticate(
    db: AsyncSession,
    *,
    email: str,
    password: str,
    ip_address: str,
    passwords: Passwords,
    limits: SignInLimits,
) -> User:
    """Check a sign-in, throttled per account+address and per address (:class:`SignInLimits`)."""
    email = email.strip().lower()
    now = utcnow()
    await _refuse_if_throttled(db, email=email, ip_address=ip_address, limits=limits, now=now)
    user = await get_user_by_email(db, email=email)
    ok = await passwords.verify(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        db.add(SignInFailure(email=email, ip_address=ip_address, failed_at=now))
        await db.commit()
        raise Unauthenticated("The email address or password is not correct.")
    # Only this address's failures are forgiven: a success elsewhere must not reset the
    # delay of someone guessing from another address.
    await db.execute(
        delete(SignInFailure).where(
            SignInFailure.email == email, SignInFailure.ip_address == ip_address
        )
    )
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = await passwords.hash(password)
    await db.commit()
    return user


def _aware(value: datetime) -> datetime:
    """Aggregates lose nothing on PostgreSQL; on SQLite a bare max() may come back naive."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def pair_delay(failures: int, limits: SignInLimits) -> timedelta:
    """How long after its latest failure an account+address pair waits (0: free)."""
    over = failures - limits.free_failures
    if over < 0:
        return timedelta(0)
    # The shift is bounded so a long run of failures cannot build a huge integer.
    return min(limits.delay * (1 << min(over, 30)), limits.max_delay)


async def _refuse_if_throttled(
    db: AsyncSession, *, email: str, ip_address: str, limits: SignInLimits, now: datetime
) -> None:
    since = now - limits.window
    await db.execute(delete(SignInFailure).where(SignInFailure.failed_at < since))
    retry_after = 0.0
    pair_count, pair_latest = (
        await db.execute(
            select(func.count(), func.max(SignInFailure.failed_at)).where(
                SignInFailure.email == email,
                SignInFailure.ip_address == ip_address,
                SignInFailure.failed_at >= since,
            )
        )
    ).one()
    if pair_latest is not None:
        latest = _aware(pair_latest)
        retry_after = (latest + pair_delay(pair_count, limits) - now).total_seconds()
    address_rows = (
        await db.scalars(
            select(SignInFailure.failed_at)
            .where(SignInFailure.ip_address == ip_address, SignInFailure.failed_at >= since)
            .order_by(SignInFailure.failed_at.desc())
            .limit(limits.address_failures)
        )
    ).all()
    if len(address_rows) >= limits.address_failures:
        # Free again when the oldest of the newest ``address_failures`` leaves the window.
        oldest = _aware(address_rows[-1])
        retry_after = max(retry_after, (oldest + limits.window - now).total_seconds())
    if retry_after > 0:
        await db.commit()
        raise Throttled(
            "Too many failed sign-ins. Please wait before trying again.",
            retry_after=max(1, math.ceil(retry_after)),
        )
