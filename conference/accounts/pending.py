"""Registrations waiting for their email link (the rules; flows.py does the mail).

No account exists until the link is followed, so registering reveals nothing about the
address: a new one and a taken one are answered alike. The newest registration for an
address replaces any earlier one, so only the newest link works: nobody can register
someone else's address with a password of their own and take the account over later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts import service
from conference.accounts.models import ConsentKind, PendingRegistration, User
from conference.accounts.passwords import Passwords
from conference.accounts.schemas import Registration
from conference.accounts.tokens import digest, new_secret
from conference.db.types import utcnow
from conference.errors import Conflict, Gone, ServiceError

UNKNOWN_LINK = (
    "This confirmation link is not valid or has already been used. If you registered more "
    "than once, only the newest link works; or register again."
)
EXPIRED_LINK = "This confirmation link has expired. Please register again."
ALREADY_REGISTERED = "This address already has an account: please sign in."
WRONG_PASSWORD = "That is not the password chosen when registering."  # noqa: S105


@dataclass(frozen=True)
class Started:
    """What registering did: a new link to mail, or the account already holding the email."""

    token: str | None
    existing: User | None


async def purge_expired(db: AsyncSession) -> int:
    """Delete the registrations whose link has expired (their personal data goes too)."""
    result = await db.execute(
        delete(PendingRegistration).where(PendingRegistration.expires_at <= utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def start(
    db: AsyncSession,
    *,
    registration: Registration,
    passwords: Passwords,
    lifetime: timedelta,
    next_path: str = "/",
) -> Started:
    """Keep ``registration`` until its link is followed, replacing any earlier one for the
    email; a taken email keeps nothing and returns its account instead.

    The password is hashed in both cases, so both take as long.
    """
    password_hash = await passwords.hash(registration.password)
    await purge_expired(db)
    existing = await service.get_user_by_email(db, email=registration.email)
    if existing is not None:
        await db.commit()
        return Started(token=None, existing=existing)
    await db.execute(
        delete(PendingRegistration).where(PendingRegistration.email == registration.email)
    )
    token = new_secret()
    now = utcnow()
    db.add(
        PendingRegistration(
            token_hash=digest(token),
            email=registration.email,
            name=registration.name,
            affiliation=registration.affiliation,
            country=registration.country,
            time_zone=registration.time_zone,
            password_hash=password_hash,
            is_healthcare_professional=registration.is_healthcare_professional,
            consents=json.dumps({kind.value: on for kind, on in registration.consents.items()}),
            next_path=next_path,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    await db.commit()
    return Started(token=token, existing=None)


async def find(db: AsyncSession, *, token: str) -> PendingRegistration:
    """The live registration behind a link, without using it (the confirm page's GET)."""
    row = await db.scalar(
        select(PendingRegistration).where(PendingRegistration.token_hash == digest(token))
    )
    if row is None:
        raise ServiceError(UNKNOWN_LINK, field="token")
    if row.expires_at <= utcnow():
        raise Gone(EXPIRED_LINK, field="token")
    return row


async def confirm(
    db: AsyncSession, *, token: str, password: str, passwords: Passwords
) -> tuple[User, str]:
    """Create the account from the registration behind ``token``; returns it and the path
    the person was going to. The link works once: the row is claimed by deleting it, so
    two concurrent confirmations cannot both succeed.

    The password chosen when registering must be given again: someone who registers
    another person's address cannot have that person confirm an account whose password
    the registrant knows (they would not know it). A wrong password uses nothing up.
    """
    try:
        waiting = await find(db, token=token)
    except Gone:
        expired = PendingRegistration.token_hash == digest(token)
        await db.execute(delete(PendingRegistration).where(expired))
        await db.commit()  # an expired registration is kept no longer
        raise
    if not await passwords.verify(waiting.password_hash, password):
        raise ServiceError(WRONG_PASSWORD, field="password")
    claimed = await db.scalar(
        delete(PendingRegistration)
        .where(PendingRegistration.token_hash == digest(token))
        .returning(PendingRegistration)
    )
    if claimed is None:  # nothing was deleted: nothing to undo
        raise ServiceError(UNKNOWN_LINK, field="token")
    if claimed.expires_at <= utcnow():
        await db.commit()  # an expired registration is kept no longer
        raise Gone(EXPIRED_LINK, field="token")
    await db.execute(delete(PendingRegistration).where(PendingRegistration.email == claimed.email))
    consents = {
        ConsentKind(kind): bool(granted)
        for kind, granted in json.loads(claimed.consents).items()
        if kind in ConsentKind.__members__
    }
    fields = {
        "email": claimed.email,
        "name": claimed.name,
        "affiliation": claimed.affiliation,
        "country": claimed.country,
        "time_zone": claimed.time_zone,
        "is_healthcare_professional": claimed.is_healthcare_professional,
    }
    next_path = claimed.next_path
    try:
        user = await service.create_user(
            db, registration=fields, password_hash=claimed.password_hash, consents=consents
        )
    except Conflict:
        # The address got an account meanwhile (an organizer's import, say): the pending
        # rows are dropped all the same.
        await db.execute(
            delete(PendingRegistration).where(PendingRegistration.email == fields["email"])
        )
        await db.commit()
        raise ServiceError(ALREADY_REGISTERED, field="token") from None
    return user, next_path
