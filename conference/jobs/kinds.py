"""What a domain tells the core about one kind of job, and the registry main.py fills.

A kind is a child program and a few hooks. The core claims, beats, retries and records;
the kind says what command runs a job and what its success or final failure means for its
own tables (a recording becomes ready or failed). Hooks that change rows run inside the
transaction that settles the job, so the two never disagree; ``cleanup`` runs after that
commit, in a thread, for files.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker holds (state running, this attempt already counted)."""

    id: int
    kind: str
    payload: Mapping[str, Any]
    subject: str
    attempts: int
    max_attempts: int


# The child's command line for a job (argv, the program first).
Command = Callable[[ClaimedJob], list[str]]
# The job ran to the end: record its result (the child's last ``result`` report).
Succeeded = Callable[[AsyncSession, ClaimedJob, dict[str, Any]], Awaitable[None]]
# The job failed for good (attempts spent or input it can never handle): record why.
Failed = Callable[[AsyncSession, ClaimedJob, str], Awaitable[None]]
# An organizer queues a failed job again: put the domain's rows back to "in progress".
Retried = Callable[[AsyncSession, ClaimedJob], Awaitable[None]]
# The child reported progress (0-100), about once a second with the heartbeat: let the
# domain show it on its own rows (in the heartbeat's transaction).
Progressed = Callable[[AsyncSession, ClaimedJob, float], Awaitable[None]]
# After the outcome is committed: tidy files (blocking; run in a thread). True on success.
Cleanup = Callable[[ClaimedJob, bool], None]
# A short text for organizers saying what the job is about ("Recording #12").
Describe = Callable[[Mapping[str, Any], str], str]


async def _record_nothing(*_: Any) -> None:
    return None


def _subject_only(_payload: Mapping[str, Any], subject: str) -> str:
    return subject


@dataclass(frozen=True)
class JobKind:
    """One kind of background work, registered by its domain."""

    name: str
    # For organizers: "Video transcode".
    label: str
    command: Command
    succeeded: Succeeded = _record_nothing
    failed: Failed = _record_nothing
    retried: Retried = _record_nothing
    progressed: Progressed = _record_nothing
    cleanup: Cleanup | None = None
    describe: Describe = _subject_only
    # Names the child in error texts: "The transcoder was killed by signal 9."
    program: str = "job's program"
    max_attempts: int = 3
    # May an organizer queue a failed job again? Not when failing removed its input.
    retryable: bool = True
    # Why not, for the page.
    not_retryable_because: str = ""
    # A child that reports nothing for this long is presumed hung and killed.
    stall_seconds: float = 600.0


class UnknownKind(KeyError):
    """No kind of this name is registered in this process."""


class JobKinds:
    """The kinds the domains registered; the runner claims only jobs of these kinds."""

    def __init__(self) -> None:
        self._kinds: dict[str, JobKind] = {}

    def register(self, kind: JobKind) -> None:
        """Add ``kind``; a second kind of the same name is a wiring mistake."""
        if kind.name in self._kinds:
            raise ValueError(f"the job kind {kind.name!r} is registered twice")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> JobKind:
        """The kind called ``name`` (:class:`UnknownKind` if none is registered)."""
        try:
            return self._kinds[name]
        except KeyError:
            raise UnknownKind(name) from None

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[JobKind]:
        return iter(self._kinds.values())
