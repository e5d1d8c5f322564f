"""How refusals are answered: JSON for the API, an error page (or sign-in) for browsers."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import inspect
from starlette.exceptions import HTTPException as StarletteHTTPException

from conference.accounts import service as accounts
from conference.accounts.models import User
from conference.context import AppContext
from conference.deps import session_token
from conference.errors import InvalidInput, ServiceError, Throttled, Unauthenticated

_UNRESOLVED = object()


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the JSON API)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(target, safe='/')}", status_code=303)


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
        found = await accounts.session_user(db, token=token)
    return found[1] if found else None


async def error_page(
    request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None
) -> Response:
    ctx: AppContext = request.app.state.ctx
    response = ctx.pages.render(
        request,
        "errors/error.html",
        {"status": status, "detail": detail},
        user=await _viewer(request, ctx),
        status_code=status,
    )
    response.headers.update(headers or {})
    return response


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

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        if wants_html(request):
            names = ", ".join(str(e["loc"][-1]) for e in errors if e["loc"])
            return await error_page(request, 422, f"This address has an invalid value: {names}.")
        return JSONResponse({"detail": errors, "code": InvalidInput.code}, status_code=422)
