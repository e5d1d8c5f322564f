"""Accounts JSON API under /api/v1."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from conference.accounts import cookies, flows, pending, personal_data, service
from conference.accounts.models import User
from conference.accounts.schemas import (
    AccountDeletion,
    CsrfOut,
    Message,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    ProfileUpdate,
    Registration,
    RegistrationConfirm,
    RolesUpdate,
    SignIn,
    UserOut,
    UserPage,
    UserSummary,
)
from conference.deps import (
    Admin,
    Context,
    CurrentUser,
    DbSession,
    Offset,
    Organizer,
    PathId,
    session_token,
)
from conference.errors import NotFound
from conference.web.csrf import csrf_token

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.get("/auth/csrf", response_model=CsrfOut)
async def get_csrf_token(request: Request, ctx: Context) -> CsrfOut:
    """The token to send as ``X-CSRF-Token`` on every POST, PUT, PATCH and DELETE."""
    return CsrfOut(csrf_token=csrf_token(request, ctx.tokens))


@router.post("/auth/register", response_model=Message, status_code=status.HTTP_202_ACCEPTED)
async def register(
    registration: Registration, request: Request, db: DbSession, ctx: Context
) -> Message:
    """Mail a confirmation link; the account is created when it is followed
    (``/auth/register/confirm``). Limited per address and per email.

    A taken email gets the same answer, and its holder a notice by email instead: the
    answer says nothing about which addresses have accounts.
    """
    await flows.register(request, db, ctx, registration=registration)
    return Message(detail=flows.REGISTRATION_MAILED)


@router.post("/auth/register/confirm", response_model=UserOut)
async def confirm_registration(
    body: RegistrationConfirm, request: Request, response: Response, db: DbSession, ctx: Context
) -> UserOut:
    """Create the account from a registration's emailed token and the password chosen when
    registering, and sign it in (once; only the newest registration's token works; 400
    unknown or used token or wrong password, 410 expired)."""
    user, _ = await pending.confirm(
        db, token=body.token, password=body.password, passwords=ctx.passwords
    )
    await cookies.sign_in(response, request, db, ctx, user)
    return await service.user_out(db, user=user)


@router.post("/auth/login", response_model=UserOut)
async def login(
    credentials: SignIn, request: Request, response: Response, db: DbSession, ctx: Context
) -> UserOut:
    """Sign in with email and password; sets the session cookie."""
    user = await cookies.check_credentials(
        request, db, ctx, email=credentials.email, password=credentials.password
    )
    await cookies.sign_in(response, request, db, ctx, user)
    return await service.user_out(db, user=user)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(request: Request, db: DbSession, ctx: Context) -> Response:
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    await cookies.sign_out(response, request, db, ctx)
    return response


@router.post("/auth/password-reset", response_model=Message, status_code=202)
async def request_password_reset(
    body: PasswordResetRequest, request: Request, db: DbSession, ctx: Context
) -> Message:
    """Email a reset link. The answer is the same whether or not the account exists
    (limited per address, 429; and per email, silently)."""
    await flows.request_password_reset(request, db, ctx, email=body.email)
    return Message(detail=flows.RESET_ACCEPTED)


@router.post("/auth/password-reset/confirm", response_model=Message)
async def confirm_password_reset(
    body: PasswordResetConfirm, db: DbSession, ctx: Context
) -> Message:
    user = await service.reset_password(
        db,
        token=body.token,
        new_password=body.new_password,
        tokens=ctx.tokens,
        passwords=ctx.passwords,
        max_age=timedelta(minutes=ctx.settings.password_reset_minutes),
    )
    await cookies.sessions_ended(ctx, user_id=user.id, session_ids=None)
    return Message(detail="Your password has been changed. Please sign in.")


@router.get("/me", response_model=UserOut)
async def me(user: CurrentUser, db: DbSession) -> UserOut:
    """The signed-in user."""
    return await service.user_out(db, user=user)


@router.patch("/me", response_model=UserOut)
async def update_me(update: ProfileUpdate, user: CurrentUser, db: DbSession) -> UserOut:
    await service.update_profile(db, user=user, update=update)
    return await service.user_out(db, user=user)


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_my_password(
    body: PasswordChange, request: Request, user: CurrentUser, db: DbSession, ctx: Context
) -> Response:
    """Change the password; other signed-in browsers are signed out."""
    ended = await service.change_password(
        db,
        user=user,
        current_password=body.current_password,
        new_password=body.new_password,
        passwords=ctx.passwords,
        keep_token=session_token(request, ctx),
    )
    await cookies.sessions_ended(ctx, user_id=user.id, session_ids=ended)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/export")
async def export_my_data(user: CurrentUser, db: DbSession, ctx: Context) -> JSONResponse:
    """Everything the platform holds about me, as a JSON download."""
    data = await personal_data.export_user(db, ctx=ctx, user=user)
    return JSONResponse(
        data, headers={"Content-Disposition": 'attachment; filename="my-cytokines-data.json"'}
    )


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
async def delete_me(
    body: AccountDeletion, request: Request, user: CurrentUser, db: DbSession, ctx: Context
) -> Response:
    """Delete my account for good (the password confirms it)."""
    await personal_data.delete_account(db, ctx=ctx, user=user, password=body.password)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    await cookies.sign_out(response, request, db, ctx)
    return response


@router.get("/users", response_model=UserPage)
async def list_users(
    _: Organizer,
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> UserPage:
    """Accounts, for organizers and admins."""
    users, total = await service.list_users(db, limit=limit, offset=offset)
    return UserPage(items=[UserSummary.from_user(u) for u in users], total=total)


@router.put("/users/{user_id}/roles", response_model=UserOut)
async def set_user_roles(
    user_id: PathId, body: RolesUpdate, _: Admin, db: DbSession, ctx: Context
) -> UserOut:
    """Replace a user's roles (admins only); their open sockets are re-authorized at once."""
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    await service.set_roles(db, user=user, roles=body.roles)
    await ctx.realtime.hub.roles_changed(user_id=user.id)
    return await service.user_out(db, user=user)
