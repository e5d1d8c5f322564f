"""Errors that services raise; the app turns each into a clear 4xx answer.

Every refusal carries a stable machine-readable ``code`` on the wire, the same over HTTP
(``{"detail", "code"}``) and on the socket (``{"code", "message"}``): the family of the
refusal, set by its class. ``invalidinput`` and ``notfound`` keep the spelling the socket
has always sent. Where a client must tell refusals of one family apart (a vote refused
because it was cast already or because the poll is closed), a subclass adds a specific
``reason``. docs/PROTOCOL.md lists both, generated from these classes.
"""

from __future__ import annotations

from typing import ClassVar


class ServiceError(Exception):
    """A refusal no other family fits. Every refusal has an HTTP status and a ``code``;
    ``detail`` is shown to the user as it is."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    reason: ClassVar[str | None] = None

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class InvalidInput(ServiceError):
    """The input is malformed or breaks a rule; nothing changed."""

    status_code = 422
    code = "invalidinput"


class Unauthenticated(ServiceError):
    """Not signed in, or the session has ended."""

    status_code = 401
    code = "unauthenticated"


class Forbidden(ServiceError):
    """Signed in, but not allowed to do this."""

    status_code = 403
    code = "forbidden"


class NotFound(ServiceError):
    """No such thing (or none this user may know of)."""

    status_code = 404
    code = "notfound"


class Conflict(ServiceError):
    """The thing's current state does not allow this."""

    status_code = 409
    code = "conflict"


class Gone(ServiceError):
    """It existed once and is gone for good (an expired link)."""

    status_code = 410
    code = "gone"


class Throttled(ServiceError):
    """Too many attempts: try again after ``retry_after`` seconds."""

    status_code = 429
    # The socket's own rate-limit refusal has always said this: one word for "slow down".
    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


# Specific refusals -------------------------------------------------------------------


class TooLong(InvalidInput):
    """A text over its limit (a chat message, a question)."""

    reason = "too_long"


class Muted(Forbidden):
    """A moderator has muted this user in this chat for now."""

    reason = "muted"


class AlreadyVoted(Conflict):
    """This user has already voted (a poll) or upvoted (a question)."""

    reason = "already_voted"


class NotOpen(Conflict):
    """Votes are not taken now: a draft or closed poll, a pending or answered question."""

    reason = "not_open"
