"""FastAPI dependencies shared by every router, as ``Annotated`` aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Path, Query
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from conference.accounts import service as accounts
from conference.accounts.models import Role, User, UserSession
from conference.context import AppContext
from conference.errors import Forbidden, NotFound, Unauthenticated
from conference.limits import MAX_ID, MAX_SLUG_LENGTH
from conference.program import service as program
from conference.program.models import Meeting
from conference.web.csrf import SESSION_COOKIE

# A row id in a URL: out-of-range ids are a 422, never a database error.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
# A list's offset: past the row ids' range nothing is there, and PostgreSQL's OFFSET takes
# at most a 64-bit integer; refused as input (422), never a database error.
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
# A slug, or another short name of that size, in a URL path: longer than its column is no
# such thing (422).
PathSlug = Annotated[str, Path(min_length=1, max_length=MAX_SLUG_LENGTH)]


def get_context(conn: HTTPConnection) -> AppContext:
    ctx: AppContext = conn.app.state.ctx
    return ctx


Context = Annotated[AppContext, Depends(get_context)]


async def get_db(ctx: Context) -> AsyncIterator[AsyncSession]:
    """The request's one session: whatever the request calls (page hooks included) takes it
    as an argument; opening another one here is refused (conference/db/engine.py)."""
    async with ctx.db.request_session() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_db)]


def session_token(conn: HTTPConnection, ctx: AppContext) -> str | None:
    """The session token from the signed cookie, or None if absent or tampered with."""
    cookie = conn.cookies.get(SESSION_COOKIE)
    if not cookie or len(cookie) > 200:
        return None
    return ctx.tokens.unsign_session(cookie)


async def signed_in(
    conn: HTTPConnection, ctx: AppContext, db: AsyncSession
) -> tuple[UserSession, User] | None:
    """Who is signed in: the live session behind the request's cookie and its user, read
    through ``db``; None for a missing, tampered or ended session. Every way of asking
    (routes, the websocket handshake, error pages, media files) goes through here."""
    token = session_token(conn, ctx)
    if token is None:
        return None
    return await accounts.session_user(db, token=token)


async def viewer(conn: HTTPConnection, ctx: AppContext, db: AsyncSession) -> User | None:
    """The signed-in user read through ``db``: for the few routes that hold no request
    session because they wait on something long (going live) and read in short sessions."""
    found = await signed_in(conn, ctx, db)
    return found[1] if found else None


async def get_optional_user(conn: HTTPConnection, ctx: Context, db: DbSession) -> User | None:
    user = await viewer(conn, ctx, db)
    # Kept for the error page, which then needs no database (conference/web/errors.py).
    conn.state.viewer = user
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthenticated("Please sign in.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that admits a signed-in user holding any of ``roles`` (or admin)."""
    names = " or ".join(role.value for role in roles)

    async def check(user: CurrentUser) -> User:
        if not user.has_role(*roles):
            raise Forbidden(f"This needs the {names} role.")
        return user

    return check


Organizer = Annotated[User, Depends(require_role(Role.organizer))]
Admin = Annotated[User, Depends(require_role(Role.admin))]


async def get_meeting(db: DbSession) -> Meeting:
    meeting = await program.current_meeting(db)
    if meeting is None:
        raise NotFound("No meeting has been set up yet.")
    return meeting


CurrentMeeting = Annotated[Meeting, Depends(get_meeting)]


def client_address(conn: HTTPConnection) -> str:
    """The peer address (behind nginx, uvicorn's --proxy-headers puts the real one here)."""
    return conn.client.host if conn.client else "unknown"
