"""Account operations. Every rule about users, sessions and passwords lives here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import (
    ConsentKind,
    ConsentRecord,
    Role,
    SignInFailure,
    User,
    UserRole,
    UserSession,
)
from conference.accounts.passwords import Passwords
from conference.accounts.schemas import ProfileUpdate, Registration, UserOut
from conference.accounts.tokens import Tokens, digest, new_secret
from conference.db.types import utcnow
from conference.errors import Conflict, InvalidInput

T = TypeVar("T")

# A session's last_seen_at is written at most this often, not on every request.
_TOUCH_INTERVAL = timedelta(minutes=5)


async def get_user_by_email(db: AsyncSession, *, email: str) -> User | None:
    return await db.scalar(select(User).where(User.email == email.strip().lower()))


async def register_user(
    db: AsyncSession,
    *,
    registration: Registration,
    passwords: Passwords,
    roles: Iterable[Role] = (Role.attendee,),
) -> User:
    """Create an account; a taken email is refused and nothing is written.

    The password is hashed first, taken email or not, so both take as long.
    """
    password_hash = await passwords.hash(registration.password)
    return await create_user(
        db,
        registration=registration.model_dump(exclude={"password", "consents"}),
        password_hash=password_hash,
        consents=registration.consents,
        roles=roles,
    )


async def create_user(
    db: AsyncSession,
    *,
    registration: Mapping[str, Any],
    password_hash: str,
    consents: Mapping[ConsentKind, bool],
    roles: Iterable[Role] = (Role.attendee,),
) -> User:
    """Create an account from validated profile fields (email, name, affiliation, country,
    time_zone, is_healthcare_professional) and a password hash, recording the consents and
    the declaration with the time; a taken email is a Conflict and nothing is written."""
    taken = Conflict("An account with this email address already exists.", field="email")
    if await get_user_by_email(db, email=registration["email"]) is not None:
        raise taken
    now = utcnow()
    declared = bool(registration["is_healthcare_professional"])
    user = User(
        email=registration["email"],
        name=registration["name"],
        affiliation=registration["affiliation"],
        country=registration["country"],
        time_zone=registration["time_zone"],
        password_hash=password_hash,
        is_healthcare_professional=declared,
        hcp_declared_at=now if declared else None,
        created_at=now,
        password_changed_at=now,
        roles=[UserRole(role=role.value) for role in dict.fromkeys(roles)],
    )
    db.add(user)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent registration won the race
        await db.rollback()
        raise taken from exc
    _record_consents(db, user=user, choices=consents, at=now)
    await db.commit()
    return user


def _record_consents(
    db: AsyncSession, *, user: User, choices: Mapping[ConsentKind, bool], at: datetime
) -> None:
    for kind, granted in choices.items():
        db.add(ConsentRecord(user_id=user.id, kind=kind.value, granted=granted, recorded_at=at))


async def current_consents(db: AsyncSession, *, user_id: int) -> dict[ConsentKind, bool]:
    """The consent in force per kind: the newest record, or not granted if none."""
    records = await db.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.user_id == user_id)
        .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
    )
    state = dict.fromkeys(ConsentKind, False)
    for record in records:
        if record.kind in ConsentKind.__members__:
            state[ConsentKind(record.kind)] = record.granted
    return state


async def user_out(db: AsyncSession, *, user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        affiliation=user.affiliation,
        country=user.country,
        time_zone=user.time_zone,
        is_healthcare_professional=user.is_healthcare_professional,
        roles=sorted(user.role_set),
        consents=await current_consents(db, user_id=user.id),
        created_at=user.created_at,
    )


# Signed-in sessions -------------------------------------------------------------------


async def start_session(
    db: AsyncSession, *, user: User, ip_address: str, user_agent: str, lifetime: timedelta
) -> str:
    """Open a signed-in session and return its secret token (for the cookie)."""
    token = new_secret()
    now = utcnow()
    db.add(
        UserSession(
            id=digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            ip_address=ip_address[:45],
            user_agent=user_agent[:300],
        )
    )
    await db.commit()
    return token


async def session_user(db: AsyncSession, *, token: str) -> tuple[UserSession, User] | None:
    """The session and user behind a cookie token, if the session is alive."""
    session = await db.get(UserSession, digest(token))
    now = utcnow()
    if session is None:
        return None
    if session.expires_at <= now or not session.user.is_active:
        await db.delete(session)
        await db.commit()
        return None
    if now - session.last_seen_at > _TOUCH_INTERVAL:
        session.last_seen_at = now
        await db.commit()
    return session, session.user


async def end_session(db: AsyncSession, *, token: str) -> int | None:
    """End the session behind ``token``; returns its user's id (None if there was none).

    Its sockets are the caller's to close (``Hub.end_sessions`` with ``digest(token)``).
    """
    user_id = await db.scalar(
        delete(UserSession).where(UserSession.id == digest(token)).returning(UserSession.user_id)
    )
    await db.commit()
    return user_id


async def end_other_sessions(
    db: AsyncSession, *, user_id: int, keep_token: str | None
) -> list[str]:
    """End the user's sessions but the one behind ``keep_token``; returns the ended ids."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_token is not None:
        query = query.where(UserSession.id != digest(keep_token))
    return list(await db.scalars(query.returning(UserSession.id)))


# Profile and password ----------------------------------------------------------------


async def update_profile(db: AsyncSession, *, user: User, update: ProfileUpdate) -> User:
    """Apply the fields given; consent changes are recorded with their time."""
    now = utcnow()
    fields = update.model_dump(exclude_unset=True, exclude={"consents"})
    for name, value in fields.items():
        if value is not None:
            setattr(user, name, value)
    if update.is_healthcare_professional is not None:
        user.hcp_declared_at = now if update.is_healthcare_professional else None
    if update.consents:
        before = await current_consents(db, user_id=user.id)
        changed = {k: v for k, v in update.consents.items() if before.get(k) != v}
        _record_consents(db, user=user, choices=changed, at=now)
    await db.commit()
    return user


async def change_password(
    db: AsyncSession,
    *,
    user: User,
    current_password: str,
    new_password: str,
    passwords: Passwords,
    keep_token: str | None,
) -> list[str]:
    """Change the password and sign out every other browser; returns the ended sessions."""
    if not await passwords.verify(user.password_hash, current_password):
        raise InvalidInput("The current password is not correct.", field="current_password")
    user.password_hash = await passwords.hash(new_password)
    user.password_changed_at = utcnow()
    ended = await end_other_sessions(db, user_id=user.id, keep_token=keep_token)
    await db.commit()
    return ended


async def password_reset_token(
    db: AsyncSession, *, email: str, tokens: Tokens
) -> tuple[User, str] | None:
    """A reset link token for the account with ``email``, or None if there is none."""
    user = await get_user_by_email(db, email=email)
    if user is None or not user.is_active:
        return None
    return user, tokens.password_reset(user.id, user.password_hash)


async def reset_password(
    db: AsyncSession,
    *,
    token: str,
    new_password: str,
    tokens: Tokens,
    passwords: Passwords,
    max_age: timedelta,
) -> User:
    """Set a new password from a reset link; the link then stops working."""
    invalid = InvalidInput("This password reset link is invalid or has expired.", field="token")
    read = tokens.read_password_reset(token, max_age_seconds=int(max_age.total_seconds()))
    if read is None:
        raise invalid
    user = await db.get(User, read[0])
    if user is None or not user.is_active or not tokens.reset_matches(user.password_hash, read[1]):
        raise invalid
    user.password_hash = await passwords.hash(new_password)
    user.password_changed_at = utcnow()
    await end_other_sessions(db, user_id=user.id, keep_token=None)
    await db.execute(delete(SignInFailure).where(SignInFailure.email == user.email))
    await db.commit()
    return user


# Roles, listing, seeding -------------------------------------------------------------


async def set_roles(db: AsyncSession, *, user: User, roles: Iterable[Role]) -> User:
    wanted = set(roles)
    for held in list(user.roles):
        if Role(held.role) not in wanted:
            user.roles.remove(held)
    for role in wanted - user.role_set:
        user.roles.append(UserRole(role=role.value))
    await db.commit()
    await db.refresh(user, ["roles"])
    return user


async def list_users(db: AsyncSession, *, limit: int, offset: int) -> tuple[list[User], int]:
    total = await db.scalar(select(func.count()).select_from(User)) or 0
    users = await db.scalars(select(User).order_by(User.id).limit(limit).offset(offset))
    return list(users), total


async def ensure_user(
    db: AsyncSession,
    *,
    email: str,
    name: str,
    password: str,
    roles: Iterable[Role],
    passwords: Passwords,
    affiliation: str = "",
    country: str = "",
    time_zone: str = "Europe/London",
    is_healthcare_professional: bool = False,
) -> tuple[User, bool]:
    """Create the user if missing, else add the roles; returns (user, created)."""
    existing = await get_user_by_email(db, email=email)
    if existing is not None:
        await set_roles(db, user=existing, roles=existing.role_set | set(roles))
        return existing, False
    registration = Registration(
        name=name,
        email=email,
        password=password,
        affiliation=affiliation,
        country=country,
        time_zone=time_zone,
        is_healthcare_professional=is_healthcare_professional,
    )
    user = await register_user(db, registration=registration, passwords=passwords, roles=roles)
    return user, True
