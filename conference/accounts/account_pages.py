"""The signed-in user's account page: profile, password, their data, deleting the account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from conference.accounts import cookies, personal_data, service
from conference.accounts.models import ConsentKind, User
from conference.accounts.pages import form_choices
from conference.accounts.schemas import AccountDeletion, PasswordChange, ProfileUpdate
from conference.deps import Context, DbSession, OptionalUser
from conference.errors import ServiceError
from conference.web.errors import to_sign_in
from conference.web.forms import checked, read_form, validate

router = APIRouter(include_in_schema=False)


async def _account_page(
    request: Request,
    ctx: Context,
    db: DbSession,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "account": user,
        "consents": await service.current_consents(db, user_id=user.id),
        "errors": errors or {},
        "notice": notice,
        **form_choices(),
    }
    return ctx.pages.render(
        request, "accounts/account.html", context, user=user, status_code=status_code
    )


@router.get("/account", response_class=HTMLResponse, name="account")
async def account_page(
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    saved: Annotated[str | None, Query()] = None,
) -> Response:
    if user is None:
        return to_sign_in("/account")
    notices = {"profile": "Your profile has been saved.", "password": "Password changed."}
    return await _account_page(request, ctx, db, user, notice=notices.get(saved or ""))


@router.post("/account/profile", response_class=HTMLResponse)
async def account_profile_submit(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    if user is None:
        return to_sign_in("/account")
    form = await read_form(request)
    data = {
        "name": form.get("name", ""),
        "affiliation": form.get("affiliation", ""),
        "country": form.get("country", ""),
        "time_zone": form.get("time_zone", ""),
        "is_healthcare_professional": checked(form, "is_healthcare_professional"),
        "consents": {kind.value: checked(form, f"consent_{kind.value}") for kind in ConsentKind},
    }
    update, errors = validate(ProfileUpdate, data)
    if update is None:
        return await _account_page(request, ctx, db, user, errors=errors, status_code=422)
    if update.is_healthcare_professional == user.is_healthcare_professional:
        update.is_healthcare_professional = None  # keep the original declaration time
    await service.update_profile(db, user=user, update=update)
    return RedirectResponse("/account?saved=profile", status_code=303)


@router.post("/account/password", response_class=HTMLResponse)
async def account_password_submit(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    if user is None:
        return to_sign_in("/account")
    change, errors = validate(PasswordChange, await read_form(request))
    if change is not None:
        try:
            ended = await service.change_password(
                db,
                user=user,
                current_password=change.current_password,
                new_password=change.new_password,
                passwords=ctx.passwords,
                keep_token=None,
            )
        except ServiceError as exc:
            errors = {exc.field or "form": exc.detail}
        else:
            await cookies.sessions_ended(ctx, user_id=user.id, session_ids=ended)
            # Every session ended with the password change; this browser gets a new one.
            response = RedirectResponse("/account?saved=password", status_code=303)
            await cookies.sign_in(response, request, db, ctx, user)
            return response
    return await _account_page(request, ctx, db, user, errors=errors, status_code=422)


@router.get("/account/export", name="account_export")
async def account_export(ctx: Context, db: DbSession, user: OptionalUser) -> Response:
    if user is None:
        return to_sign_in("/account")
    return JSONResponse(
        await personal_data.export_user(db, ctx=ctx, user=user),
        headers={"Content-Disposition": 'attachment; filename="my-cytokines-data.json"'},
    )


@router.post("/account/delete", response_class=HTMLResponse)
async def account_delete_submit(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    if user is None:
        return to_sign_in("/account")
    deletion, errors = validate(AccountDeletion, await read_form(request))
    if deletion is not None:
        try:
            await personal_data.delete_account(db, ctx=ctx, user=user, password=deletion.password)
        except ServiceError as exc:
            errors = {"delete_password": exc.detail}
        else:
            response = RedirectResponse("/?deleted=1", status_code=303)
            await cookies.sign_out(response, request, db, ctx)
            return response
    errors = {"delete_password": errors.get("password", errors.get("delete_password", ""))}
    return await _account_page(request, ctx, db, user, errors=errors, status_code=422)
