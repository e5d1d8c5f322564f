"""Waiting in tests for a condition, never for a fixed time.

A test that sleeps a fixed time hoping something has happened is slow where the machine is
fast and flaky where it is slow (the suite runs on shared machines). Wait for the thing
itself instead: an event or a queue when the code offers one, Playwright's auto-waiting
``expect`` in the browser, and these polls where only looking again tells (a file
appearing, a row changing, another process answering).

Each poll looks at once, then every ``interval`` seconds, and fails the test naming what
it waited for after ``within`` seconds. The timeouts are generous on purpose: a passing
test never waits for them, so they cost nothing but stop a hung test. A ``check`` may
raise to give up early (a subprocess that exited, say); ``what`` may be a function, for
a failure message that says what was seen (a server's log).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import pytest

T = TypeVar("T")

# Long enough for an encode, a transcode or a server start on a loaded machine.
TIMEOUT = 60.0
INTERVAL = 0.05

Description = str | Callable[[], str]


def _fail(what: Description, within: float) -> NoReturn:
    described = what() if callable(what) else what
    pytest.fail(f"timed out after {within:.0f} s waiting for {described}")


async def wait_until(
    check: Callable[[], T | None],
    what: Description,
    *,
    within: float = TIMEOUT,
    interval: float = INTERVAL,
) -> T:
    """Poll ``check`` from async code until it returns something true; that value."""
    deadline = time.monotonic() + within
    while not (found := check()):
        if time.monotonic() > deadline:
            _fail(what, within)
        await asyncio.sleep(interval)
    return found


async def wait_until_awaited(
    check: Callable[[], Awaitable[T | None]],
    what: Description,
    *,
    within: float = TIMEOUT,
    interval: float = INTERVAL,
) -> T:
    """Like :func:`wait_until` for a check that must be awaited (a query, a request)."""
    deadline = time.monotonic() + within
    while not (found := await check()):
        if time.monotonic() > deadline:
            _fail(what, within)
        await asyncio.sleep(interval)
    return found


def block_until(
    check: Callable[[], T | None],
    what: Description,
    *,
    within: float = TIMEOUT,
    interval: float = INTERVAL,
) -> T:
    """Like :func:`wait_until` for synchronous code (browser tests, subprocess servers)."""
    deadline = time.monotonic() + within
    while not (found := check()):
        if time.monotonic() > deadline:
            _fail(what, within)
        time.sleep(interval)
    return found
