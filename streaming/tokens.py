"""Short-lived media access tokens, checkable by the app and by nginx's secure_link module.

A token admits its holder to one scope: a stage's live output (``streams/<stage>``) or one
recording (``vod/<id>``), until it expires. It travels as the ``media_token`` cookie, whose
Path is the scope's URL prefix, so HLS players (hls.js and native) send it with every
playlist and segment request without rewriting playlists. ``?token=`` works as well, for
players that keep no cookies (ffprobe, VLC, smart TVs): a playlist fetched so lists its
URIs with the same ``?token=`` (``carry``), in the app and in nginx alike.

The format is nginx's: ``<expires>-<base64url(md5("<expires><scope> <secret>"))>``, so in
production nginx checks it with ``secure_link``/``secure_link_md5`` and serves segment bytes
from disk without asking the app (see docs/PRODUCTION.md). MD5 is what secure_link offers;
the secret is derived from the app's secret key and never leaves the server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

from starlette.requests import HTTPConnection

COOKIE = "media_token"
# What ``issue`` writes, in ASCII only: ``str.isdigit`` and ``int`` also accept other
# scripts' digits (and ``isdigit`` even "²", which ``int`` refuses), and
# ``hmac.compare_digest`` raises on non-ASCII text; nginx's map admits the same form.
_TOKEN = re.compile(r"(?P<expires>[0-9]{1,12})-(?P<digest>[A-Za-z0-9_-]{22})")


def media_secret(secret_key: str) -> str:
    """The secret shared with nginx, derived so the app's own key is never written out."""
    return hmac.new(secret_key.encode(), b"media-token", hashlib.sha256).hexdigest()


def stage_scope(stage_slug: str) -> str:
    return f"streams/{stage_slug}"


def recording_scope(recording_id: int) -> str:
    return f"vod/{recording_id}"


def _digest(secret: str, scope: str, expires: int) -> str:
    raw = hashlib.md5(f"{expires}{scope} {secret}".encode(), usedforsecurity=False).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def issue(secret: str, scope: str, *, ttl_seconds: int, now: float | None = None) -> str:
    """A token for ``scope`` valid for ``ttl_seconds`` from ``now``."""
    expires = int(now if now is not None else time.time()) + ttl_seconds
    return f"{expires}-{_digest(secret, scope, expires)}"


def verify(secret: str, scope: str, token: str | None, *, now: float | None = None) -> bool:
    """Whether ``token`` admits to ``scope`` now; False for anything malformed."""
    found = _TOKEN.fullmatch(token or "")
    if found is None:
        return False
    expires = int(found["expires"])
    if expires < (now if now is not None else time.time()):
        return False
    expected = _digest(secret, scope, expires).encode()
    return hmac.compare_digest(found["digest"].encode(), expected)


def presented(conn: HTTPConnection) -> tuple[str | None, bool]:
    """The token a request presents, and whether it came as ``?token=`` (which then wins,
    as in the nginx configuration, and generated playlists carry it on)."""
    query = conn.query_params.get("token")
    if query:
        return query, True
    return conn.cookies.get(COOKIE), False


# A URI in a playlist: a line of its own, or a quoted URI attribute (EXT-X-MAP, EXT-X-MEDIA,
# EXT-X-I-FRAME-STREAM-INF, EXT-X-KEY...).
_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')
# A scheme ("https:", "data:") or "//host": the token stays with our own relative URIs.
_ELSEWHERE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


def carry(playlist: str, token: str) -> str:
    """``playlist`` with ``token`` added to each relative URI it lists, so a player given a
    token URL can open the variant playlists, init segments, segments and captions it
    names. ``token`` must have been verified (it is written into the text as it is)."""

    def with_token(uri: str) -> str:
        if not uri or _ELSEWHERE.match(uri):
            return uri
        return f"{uri}{'&' if '?' in uri else '?'}token={token}"

    lines = []
    for line in playlist.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            line = with_token(stripped)
        elif stripped.startswith("#EXT"):
            line = _URI_ATTRIBUTE.sub(lambda m: f'URI="{with_token(m.group(1))}"', line)
        lines.append(line)
    return "\n".join(lines) + "\n"
