"""The OpenAPI document and its browsable docs, served from our own origin.

``/api/docs`` is Swagger UI from npm (``swagger-ui-dist``, mounted at
``/static/vendor/swagger-ui`` by ``conference.main``) started by our own script, so it works
under the site's Content-Security-Policy (``script-src 'self'``), which FastAPI's default
page (scripts from a CDN and an inline script) cannot. In production both the page and
``/openapi.json`` are for signed-in organizers and admins only: they map every route, which
is the operators' business, not the public's. In development both are open.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from conference.accounts.models import Role, User
from conference.deps import Context, OptionalUser
from conference.errors import Forbidden, Unauthenticated
from conference.web.errors import to_sign_in

router = APIRouter(include_in_schema=False)

_PAGE = Markup("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}: API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body>
</html>
""")


def _allowed(ctx: Context, user: User | None) -> None:
    """In production, only organizers and admins; raises 401/403 otherwise."""
    if not ctx.settings.is_production:
        return
    if user is None:
        raise Unauthenticated("Please sign in.")
    if not user.has_role(Role.organizer):
        raise Forbidden("The API documentation is for organizers in production.")


@router.get("/openapi.json")
async def openapi(request: Request, ctx: Context, user: OptionalUser) -> JSONResponse:
    """The OpenAPI document of every JSON route."""
    _allowed(ctx, user)
    schema: dict[str, Any] = request.app.openapi()
    return JSONResponse(schema)


@router.get("/api/docs")
async def docs(ctx: Context, user: OptionalUser) -> Response:
    """Swagger UI for the OpenAPI document."""
    if ctx.settings.is_production and user is None:
        return to_sign_in("/api/docs")
    _allowed(ctx, user)
    return HTMLResponse(_PAGE.format(title=ctx.settings.site_name))
