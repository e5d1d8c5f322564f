"""A user's own data: everything the platform holds about them (export), and deleting the
account with what other packages keep under their name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts import cookies
from conference.accounts.models import ConsentRecord, SignInFailure, User, UserSession
from conference.accounts.passwords import Passwords
from conference.accounts.service import user_out
from conference.context import AppContext
from conference.errors import InvalidInput
from conference.realtime.durable import publish_committed

T = TypeVar("T")


async def export_user(db: AsyncSession, *, ctx: AppContext, user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``: the accounts package's part, then each
    registered package's under its name."""
    data = await _accounts_data(db, user=user)
    for name, exporter in ctx.extensions.user_data_exporters.items():
        data[name] = await exporter(db, user)
    return data


async def delete_account(db: AsyncSession, *, ctx: AppContext, user: User, password: str) -> None:
    """Delete ``user``'s account (erasing what other packages hold), then tell open pages
    and close the user's sockets in every process."""
    stored = await _erase(
        db,
        user=user,
        password=password,
        passwords=ctx.passwords,
        erasers=ctx.extensions.account_erasers,
    )
    # The deletion has committed (its erasers ran in its transaction).
    await publish_committed(ctx.realtime.hub, stored)
    await cookies.account_deleted(ctx, user_id=user.id)


async def _accounts_data(db: AsyncSession, *, user: User) -> dict[str, Any]:
    """What the accounts package holds about ``user``, as JSON-ready data."""
    consents = await db.scalars(
        select(ConsentRecord).where(ConsentRecord.user_id == user.id).order_by(ConsentRecord.id)
    )
    sessions = await db.scalars(select(UserSession).where(UserSession.user_id == user.id))
    return {
        "profile": (await user_out(db, user=user)).model_dump(mode="json"),
        "healthcare_professional_declared_at": (
            user.hcp_declared_at.isoformat() if user.hcp_declared_at else None
        ),
        "password_changed_at": user.password_changed_at.isoformat(),
        "consent_history": [
            {"kind": c.kind, "granted": c.granted, "recorded_at": c.recorded_at.isoformat()}
            for c in consents
        ],
        "signed_in_sessions": [
            {
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat(),
                "expires_at": s.expires_at.isoformat(),
                "ip_address": s.ip_address,
                "user_agent": s.user_agent,
            }
            for s in sessions
        ],
    }


async def _erase(
    db: AsyncSession,
    *,
    user: User,
    password: str,
    passwords: Passwords,
    erasers: Sequence[Callable[[AsyncSession, User], Awaitable[Sequence[T]]]] = (),
) -> list[T]:
    """Delete the account after checking the password; its rows go with it (cascade).

    ``erasers`` first anonymise what other packages keep under the user's name (chat,
    questions), in the same transaction; what they return (events to publish after the
    commit) is returned.
    """
    if not await passwords.verify(user.password_hash, password):
        raise InvalidInput("The password is not correct.", field="password")
    collected: list[T] = []
    for erase in erasers:
        collected.extend(await erase(db, user))
    await db.execute(delete(SignInFailure).where(SignInFailure.email == user.email))
    await db.delete(user)
    await db.commit()
    return collected
