"""Signed tokens: session cookies, CSRF tokens and password-reset links."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What is stored for a bearer secret: its SHA-256, so a database leak grants nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class Tokens:
    """All the signing the accounts package does, with one secret key."""

    def __init__(self, secret_key: str) -> None:
        self._secret = secret_key.encode()
        self._session_signer = Signer(secret_key, salt="conference.session")
        self._reset = URLSafeTimedSerializer(secret_key, salt="conference.password-reset")

    # Session cookie -----------------------------------------------------------------
    def sign_session(self, token: str) -> str:
        return self._session_signer.sign(token).decode()

    def unsign_session(self, cookie: str) -> str | None:
        try:
            return self._session_signer.unsign(cookie).decode()
        except BadSignature:
            return None

    # CSRF: the cookie holds a random secret; forms and the X-CSRF-Token header carry
    # an HMAC of it, which a page on another site can neither read nor forge.
    def csrf_token(self, csrf_secret: str) -> str:
        return hmac.new(self._secret, b"csrf:" + csrf_secret.encode(), hashlib.sha256).hexdigest()

    def csrf_valid(self, csrf_secret: str | None, token: str | None) -> bool:
        if not csrf_secret or not token:
            return False
        # As bytes: compare_digest raises TypeError on non-ASCII text, and the token is
        # whatever the client sent.
        return hmac.compare_digest(self.csrf_token(csrf_secret).encode(), token.encode())

    # Password reset: the link names the user and a fingerprint of the current password
    # hash, so it stops working once used (the hash changes) and after max_age.
    def password_reset(self, user_id: int, password_hash: str) -> str:
        return self._reset.dumps({"u": user_id, "p": _fingerprint(password_hash)})

    def read_password_reset(self, token: str, *, max_age_seconds: int) -> tuple[int, str] | None:
        try:
            data = self._reset.loads(token, max_age=max_age_seconds)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            return None
        return data["u"], str(data.get("p", ""))

    @staticmethod
    def reset_matches(password_hash: str, fingerprint: str) -> bool:
        return hmac.compare_digest(_fingerprint(password_hash).encode(), fingerprint.encode())


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]
