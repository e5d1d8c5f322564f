"""How refusals are answered: JSON for the API, an error page (or sign-in) for browsers."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import session_token, viewer
from conference.errors import InvalidInput, ServiceError, Throttled, Unauthenticated

_UNRESOLVED = object()


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the JSON API)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def sign_in_url(next_path: str) -> str:
    """The sign-in page, coming back to ``next_path`` afterwards."""
    return "/signin?next=" + quote(next_path, safe="/")


def to_sign_in(next_path: str) -> RedirectResponse:
    """Off to sign in, and back to ``next_path`` afterwards."""
    return RedirectResponse(sign_in_url(next_path), status_code=303)


def sign_in_redirect(request: Request) -> RedirectResponse:
    """Off to sign in, and back to this page afterwards: with its query for a GET; a form
    post's query names no page to come back to (the browser comes back with a GET)."""
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    return to_sign_in(target)


async def _viewer(request: Request, ctx: AppContext) -> User | None:
    """The signed-in user, so an error page keeps the navigation they had.

    The one the request already resolved when it did (no database); else it is read here.
    FastAPI closes the request's session before its error handler runs, so this session is
    the only one the request holds (the database refuses a second one).
    """
    token = session_token(request, ctx)
    if token is None:
        return None
    resolved = getattr(request.state, "viewer", _UNRESOLVED)
    if resolved is None:
        return None
    # A rollback before the refusal expires it, and its session is closed: read it again.
    if isinstance(resolved, User) and not inspect(resolved).expired_attributes:
        return resolved
    async with ctx.db.session() as db:
        return await viewer(request, ctx, db)


def render_error_page(
    request: Request,
    status: int,
    detail: str,
    *,
    user: User | None,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The site's error page, with ``user``'s navigation (None: a visitor's)."""
    ctx: AppContext = request.app.state.ctx
    response = ctx.pages.render(
        request,
        "errors/error.html",
        {"status": status, "detail": detail},
        user=user,
        status_code=status,
    )
    response.headers.update(headers or {})
    return response


async def error_page(
    request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None
) -> Response:
    """The error page from the app-wide handlers, for whoever is signed in."""
    ctx: AppContext = request.app.state.ctx
    user = await _viewer(request, ctx)
    return render_error_page(request, status, detail, user=user, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else {}
        if wants_html(request):
            if isinstance(exc, Unauthenticated):
                return sign_in_redirect(request)
            return await error_page(request, exc.status_code, exc.detail, headers)
        body: dict[str, object] = {"detail": exc.detail, "code": exc.code}
        if exc.reason:
            body["reason"] = exc.reason
        if exc.field:
            body["field"] = exc.field
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            return await error_page(request, exc.status_code, str(exc.detail), exc.headers)
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(DBAPIError)
    async def database_refused_text(request: Request, exc: DBAPIError) -> Response:
        # PostgreSQL refuses NUL in text (SQLSTATE 22021, character_not_in_repertoire).
        # Schemas refuse control characters where people type text; this answers any
        # other path a NUL reaches the database by (a form, an imported file) with the
        # 422 it deserves rather than a 500. Every other database error stays a 500.
        if getattr(exc.orig, "sqlstate", None) != "22021":
            raise exc
        refusal = InvalidInput("Text may not contain a NUL character.")
        return await service_error(request, refusal)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        if wants_html(request):
            names = ", ".join(str(e["loc"][-1]) for e in errors if e["loc"])
            return await error_page(request, 422, f"This address has an invalid value: {names}.")
        return JSONResponse({"detail": errors, "code": InvalidInput.code}, status_code=422)
