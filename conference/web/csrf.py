"""CSRF protection for every state-changing request.

A random secret lives in an HttpOnly cookie; forms carry ``csrf_token`` and the JSON API
sends ``X-CSRF-Token``, both holding an HMAC of that secret (``GET /api/v1/auth/csrf``
returns it). The one exemption is exact: the WHIP ingest routes (``/whip/...``) without a
session cookie, whose only credential is the stream key as a bearer token (a header a
forged cross-site request cannot set). Any other ``Authorization`` header proves nothing: a
Basic-auth proxy in front of the site adds one to every browser request, and skipping the
check then would reopen login CSRF.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from conference.accounts.tokens import Tokens, new_secret
from conference.errors import Forbidden

CSRF_COOKIE = "cytokines_csrf"
SESSION_COOKIE = "cytokines_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Endpoints for non-browser clients that authenticate with a bearer token (WHIP ingest).
BEARER_ONLY_PREFIXES = ("/whip/",)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_secret(conn: HTTPConnection) -> str:
    """The browser's CSRF secret; a new one is made (and later set) if it has none."""
    existing = conn.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    state = conn.scope.setdefault("state", {})
    if "csrf_new_secret" not in state:
        state["csrf_new_secret"] = new_secret()
    return str(state["csrf_new_secret"])


def csrf_token(conn: HTTPConnection, tokens: Tokens) -> str:
    return tokens.csrf_token(csrf_secret(conn))


async def verify_csrf(conn: HTTPConnection) -> None:
    """App-wide dependency: refuse an unsafe request without a valid token (403)."""
    if conn.scope["type"] != "http" or conn.scope["method"] in SAFE_METHODS:
        return
    if conn.url.path.startswith(BEARER_ONLY_PREFIXES) and SESSION_COOKIE not in conn.cookies:
        # WHIP clients without any credential must get the protocol's 401 challenge, not
        # a CSRF refusal; with no cookie there is nothing for a forged request to ride on.
        return
    tokens: Tokens = conn.app.state.ctx.tokens
    token = conn.headers.get(CSRF_HEADER)
    content_type = conn.headers.get("content-type", "")
    if token is None and content_type.startswith(_FORM_TYPES) and isinstance(conn, Request):
        # Starlette caches the parsed form on the request, so the route reads it again
        # without a second pass over the body.
        value = (await conn.form()).get(CSRF_FORM_FIELD)
        token = value if isinstance(value, str) else None
    if not tokens.csrf_valid(conn.cookies.get(CSRF_COOKIE), token):
        raise Forbidden(
            "CSRF token missing or invalid: reload the page, or send the X-CSRF-Token "
            "header from GET /api/v1/auth/csrf."
        )


class CsrfCookieMiddleware:
    """Sets the CSRF cookie on any response for which a new secret was made."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                secret = scope.get("state", {}).get("csrf_new_secret")
                if secret:
                    headers = MutableHeaders(scope=message)
                    attributes = "Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000"
                    if self.secure:
                        attributes += "; Secure"
                    headers.append("set-cookie", f"{CSRF_COOKIE}={secret}; {attributes}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
