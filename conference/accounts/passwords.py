"""argon2id password hashing, run off the event loop (a hash takes tens of milliseconds)."""

from __future__ import annotations

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256

# Verifying against this when the email is unknown keeps the response time the same as
# for a known email, so sign-in does not reveal who has an account.
_DUMMY_PASSWORD = "not-a-real-password-0000"  # noqa: S105 - never a user's


class Passwords:
    """Hashes and verifies passwords with one set of argon2id parameters."""

    def __init__(self, *, time_cost: int, memory_kib: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # Made on the first sign-in with an unknown email, not at start-up: every app and
        # every CLI command builds a Passwords, and a hash costs tens of milliseconds.
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True if ``password`` matches; a None hash is checked against a dummy."""
        target = password_hash or await self._dummy()

        def check() -> bool:
            try:
                return self._hasher.verify(target, password)
            except (VerificationError, InvalidHashError):
                return False

        matched = await anyio.to_thread.run_sync(check)
        return matched and password_hash is not None

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(_DUMMY_PASSWORD)
        return self._dummy_hash

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
