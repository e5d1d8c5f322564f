"""Account pages for signing in and out, registering and resetting a password.

The signed-in user's own account page is :mod:`conference.accounts.account_pages`.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Annotated, Any

import pycountry
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from conference.accounts import cookies, flows, pending, service
from conference.accounts.flows import REGISTRATION_MAILED, RESET_ACCEPTED
from conference.accounts.models import CONSENT_LABELS, ConsentKind, PendingRegistration, User
from conference.accounts.passwords import MIN_PASSWORD_LENGTH
from conference.accounts.schemas import (
    PasswordResetConfirm,
    PasswordResetRequest,
    Registration,
    RegistrationConfirm,
    SignIn,
)
from conference.deps import Context, DbSession, OptionalUser
from conference.errors import ServiceError, Throttled
from conference.timezones import zone_names
from conference.web.forms import checked, read_form, safe_next, validate

router = APIRouter(include_in_schema=False)


@cache
def countries() -> tuple[tuple[str, str], ...]:
    """(ISO code, name) of every country, by name, for country pickers."""
    return tuple(sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1]))


def form_choices() -> dict[str, Any]:
    """The choices the registration and profile forms offer."""
    return {
        "countries": countries(),
        "zones": zone_names(),
        "consent_labels": CONSENT_LABELS,
        "min_password": MIN_PASSWORD_LENGTH,
    }


# Sign in / out -----------------------------------------------------------------------


@router.get("/signin", response_class=HTMLResponse, name="signin")
async def signin_page(
    request: Request, ctx: Context, user: OptionalUser, next: Annotated[str, Query()] = "/"
) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return ctx.pages.render(
        request, "accounts/signin.html", {"next": safe_next(next), "form": {}}, user=None
    )


@router.post("/signin", response_class=HTMLResponse)
async def signin_submit(request: Request, db: DbSession, ctx: Context) -> Response:
    form = await read_form(request)
    target = safe_next(form.get("next"))
    credentials, _ = validate(
        SignIn, {"email": form.get("email", ""), "password": form.get("password", "")}
    )
    context: dict[str, Any] = {"next": target, "form": {"email": form.get("email", "")}}
    if credentials is None:
        context["error"] = "Enter your email address and password."
        return ctx.pages.render(
            request, "accounts/signin.html", context, user=None, status_code=422
        )
    try:
        user = await cookies.check_credentials(
            request, db, ctx, email=credentials.email, password=credentials.password
        )
    except Throttled as exc:
        context["error"] = f"{exc.detail} (about {max(1, exc.retry_after // 60)} min)"
        response = ctx.pages.render(
            request, "accounts/signin.html", context, user=None, status_code=429
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except ServiceError as exc:
        context["error"] = exc.detail
        return ctx.pages.render(
            request, "accounts/signin.html", context, user=None, status_code=exc.status_code
        )
    redirect = RedirectResponse(target, status_code=303)
    await cookies.sign_in(redirect, request, db, ctx, user)
    return redirect


@router.post("/signout", name="signout")
async def signout(request: Request, db: DbSession, ctx: Context) -> Response:
    response = RedirectResponse("/", status_code=303)
    await cookies.sign_out(response, request, db, ctx)
    return response


# Registration ------------------------------------------------------------------------


@router.get("/register", response_class=HTMLResponse, name="register")
async def register_page(
    request: Request, ctx: Context, user: OptionalUser, next: Annotated[str, Query()] = "/"
) -> Response:
    if user is not None:
        return RedirectResponse("/account", status_code=303)
    context = {
        "form": {"time_zone": ""},
        "errors": {},
        "next": safe_next(next),
        **form_choices(),
    }
    return ctx.pages.render(request, "accounts/register.html", context, user=None)


def _sent_page(request: Request, ctx: Context) -> Response:
    """The one answer to every accepted registration, new email or taken."""
    settings = ctx.settings
    # A developer without SMTP reads the link in the outbox; production never says where
    # mail goes. The same for every address, so it reveals nothing either.
    to_outbox = not settings.is_production and not ctx.mailer.uses_smtp
    outbox = settings.outbox_dir if to_outbox else None
    context = {"notice": REGISTRATION_MAILED, "outbox": outbox}
    return ctx.pages.render(
        request, "accounts/register_sent.html", context, user=None, status_code=202
    )


@router.post("/register", response_class=HTMLResponse)
async def register_submit(request: Request, db: DbSession, ctx: Context) -> Response:
    form = await read_form(request)
    target = safe_next(form.get("next"))
    data: dict[str, Any] = {
        "name": form.get("name", ""),
        "email": form.get("email", ""),
        "password": form.get("password", ""),
        "affiliation": form.get("affiliation", ""),
        "country": form.get("country", ""),
        "time_zone": form.get("time_zone", ""),
        "is_healthcare_professional": checked(form, "is_healthcare_professional"),
        "consents": {kind.value: checked(form, f"consent_{kind.value}") for kind in ConsentKind},
    }
    registration, errors = validate(Registration, data)
    status = 422
    if registration is not None:
        try:
            await flows.register(request, db, ctx, registration=registration, next_path=target)
        except Throttled as exc:
            errors, status = {"form": exc.detail}, 429
        else:
            return _sent_page(request, ctx)
    data.pop("password")
    context = {"form": data, "errors": errors, "next": target, **form_choices()}
    return ctx.pages.render(
        request, "accounts/register.html", context, user=None, status_code=status
    )


@router.get("/register/confirm", response_class=HTMLResponse, name="register_confirm")
async def register_confirm_page(
    request: Request,
    ctx: Context,
    db: DbSession,
    user: OptionalUser,
    token: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    """Show the registration and a button: only the POST creates the account, so a mail
    scanner fetching the link does not use it up."""
    try:
        registration = await pending.find(db, token=token)
    except ServiceError as exc:
        return _confirm_error(request, ctx, user, exc)
    return _confirm_form(request, ctx, user, registration, token, None)


def _confirm_form(
    request: Request,
    ctx: Context,
    user: User | None,
    registration: PendingRegistration,
    token: str,
    error: str | None,
) -> Response:
    """The confirm page's form; with ``error`` (a wrong password) it answers 400."""
    context = {
        "token": token,
        "name": registration.name,
        "email": registration.email,
        "password_error": error,
    }
    return ctx.pages.render(
        request,
        "accounts/register_confirm.html",
        context,
        user=user,
        status_code=400 if error else 200,
    )


@router.post("/register/confirm", response_class=HTMLResponse)
async def register_confirm_submit(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    form = await read_form(request)
    token = form.get("token", "")
    try:
        body = RegistrationConfirm(token=token, password=form.get("password", ""))
    except ValidationError:
        body = None
    try:
        if body is None:
            waiting = await pending.find(db, token=token)
            return _confirm_form(request, ctx, user, waiting, token, pending.WRONG_PASSWORD)
        account, target = await pending.confirm(
            db, token=body.token, password=body.password, passwords=ctx.passwords
        )
    except ServiceError as exc:
        if exc.field != "password":
            return _confirm_error(request, ctx, user, exc)
        waiting = await pending.find(db, token=token)
        return _confirm_form(request, ctx, user, waiting, token, exc.detail)
    response = RedirectResponse(safe_next(target), status_code=303)
    await cookies.sign_in(response, request, db, ctx, account)
    return response


def _confirm_error(
    request: Request, ctx: Context, user: User | None, exc: ServiceError
) -> Response:
    context = {"error": exc.detail, "status": exc.status_code}
    return ctx.pages.render(
        request,
        "accounts/register_confirm.html",
        context,
        user=user,
        status_code=exc.status_code,
    )


# Password reset ----------------------------------------------------------------------


@router.get("/password/forgot", response_class=HTMLResponse, name="password_forgot")
async def forgot_page(request: Request, ctx: Context, user: OptionalUser) -> Response:
    return ctx.pages.render(request, "accounts/forgot.html", {"errors": {}}, user=user)


@router.post("/password/forgot", response_class=HTMLResponse)
async def forgot_submit(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    body, errors = validate(PasswordResetRequest, await read_form(request))
    if body is None:
        return ctx.pages.render(
            request, "accounts/forgot.html", {"errors": errors}, user=user, status_code=422
        )
    try:
        await flows.request_password_reset(request, db, ctx, email=body.email)
    except Throttled as exc:
        response = ctx.pages.render(
            request,
            "accounts/forgot.html",
            {"errors": {"email": exc.detail}},
            user=user,
            status_code=429,
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return ctx.pages.render(
        request, "accounts/forgot.html", {"errors": {}, "notice": RESET_ACCEPTED}, user=user
    )


@router.get("/password/reset", response_class=HTMLResponse, name="password_reset")
async def reset_page(
    request: Request, ctx: Context, user: OptionalUser, token: Annotated[str, Query()] = ""
) -> Response:
    context = {"token": token, "errors": {}, "min_password": MIN_PASSWORD_LENGTH}
    return ctx.pages.render(request, "accounts/reset.html", context, user=user)


@router.post("/password/reset", response_class=HTMLResponse)
async def reset_submit(
    request: Request, ctx: Context, db: DbSession, user: OptionalUser
) -> Response:
    form = await read_form(request)
    body, errors = validate(PasswordResetConfirm, form)
    if body is not None:
        try:
            account = await service.reset_password(
                db,
                token=body.token,
                new_password=body.new_password,
                tokens=ctx.tokens,
                passwords=ctx.passwords,
                max_age=timedelta(minutes=ctx.settings.password_reset_minutes),
            )
        except ServiceError as exc:
            errors = {exc.field or "form": exc.detail}
        else:
            await cookies.sessions_ended(ctx, user_id=account.id, session_ids=None)
            return RedirectResponse("/signin?reset=1", status_code=303)
    context = {
        "token": form.get("token", ""),
        "errors": errors,
        "min_password": MIN_PASSWORD_LENGTH,
    }
    return ctx.pages.render(request, "accounts/reset.html", context, user=user, status_code=422)
