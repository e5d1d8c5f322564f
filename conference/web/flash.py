"""One-time confirmation messages after a POST (post/redirect/get), never from the URL.

A page used to show ``?notice=<text>`` from its address, so anyone could make a console
page say whatever they liked by sending an organizer a link. Now the action that succeeded
sets a short-lived cookie signed with the secret key, holding only the key of a message
registered here (plus the few values the server filled in, such as a recording number);
the next console page rendered shows it once and deletes the cookie. A cookie rather than
the server-side session row: no schema change, it works for any page, and the signature
makes it as unforgeable as the session itself; its content is no secret.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse, Response

FLASH_COOKIE = "cytokines_flash"
# Only the console shows flash messages: other pages neither see nor consume them.
FLASH_PATH = "/console"
MAX_AGE_SECONDS = 120
_MESSAGES: dict[str, str] = {}


def message(key: str, text: str) -> str:
    """Register a message (``str.format`` fields for server-filled values); its key."""
    _MESSAGES[key] = text
    return key


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="conference.flash")


def redirect(
    url: str, *, secret_key: str, key: str, secure: bool, **values: str | int
) -> RedirectResponse:
    """303 to ``url`` carrying the registered message ``key`` for the next console page."""
    if key not in _MESSAGES:
        raise KeyError(f"unregistered flash message {key!r}")
    response = RedirectResponse(url, status_code=303)
    payload = _serializer(secret_key).dumps({"k": key, "v": values})
    response.set_cookie(
        FLASH_COOKIE,
        payload,
        max_age=MAX_AGE_SECONDS,
        path=FLASH_PATH,
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    return response


def read(conn: HTTPConnection, *, secret_key: str) -> str | None:
    """The message the flash cookie carries, if valid and fresh."""
    cookie = conn.cookies.get(FLASH_COOKIE)
    if not cookie or len(cookie) > 1000:
        return None
    try:
        data: Any = _serializer(secret_key).loads(cookie, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in _MESSAGES:
        return None
    raw = data.get("v")
    values: dict[str, Any] = raw if isinstance(raw, dict) else {}
    try:
        return _MESSAGES[data["k"]].format(**values)
    except (KeyError, IndexError, ValueError):
        return None


def consume(conn: HTTPConnection, response: Response, *, secure: bool) -> None:
    """Delete the flash cookie once its page is rendered: shown once."""
    if FLASH_COOKIE in conn.cookies:
        response.delete_cookie(
            FLASH_COOKIE, path=FLASH_PATH, httponly=True, samesite="lax", secure=secure
        )
