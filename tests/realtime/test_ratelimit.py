"""The token buckets: a burst, then refusals naming the wait, refilled by time or reset()."""

from __future__ import annotations

import pytest

from conference.errors import Throttled
from conference.realtime.ratelimit import RateLimiter

LIMITS = {"frame": (40.0, 20.0), "chat": (3.0, 1.0)}


def test_a_burst_then_the_wait_until_a_token_is_back() -> None:
    limiter = RateLimiter(LIMITS)
    assert [limiter.check(1, "chat", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.check(1, "chat", now=100.0) == pytest.approx(1.0)
    # Half a second later half a token is back: half a second more to wait.
    assert limiter.check(1, "chat", now=100.5) == pytest.approx(0.5)
    assert limiter.check(1, "chat", now=101.0) == 0.0
    # Each user and each kind has a bucket of its own.
    assert limiter.check(2, "chat", now=101.0) == 0.0
    assert limiter.check(1, "frame", now=101.0) == 0.0


def test_reset_gives_every_user_a_full_burst_again() -> None:
    limiter = RateLimiter(LIMITS)
    for user in (1, 2):
        for _ in range(3):
            limiter.check(user, "chat", now=100.0)
        assert limiter.check(user, "chat", now=100.0) > 0
    limiter.reset()
    for user in (1, 2):
        assert [limiter.check(user, "chat", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
        assert limiter.check(user, "chat", now=100.0) > 0


def test_enforce_refuses_with_the_wait_once_the_bucket_is_empty() -> None:
    limiter = RateLimiter(LIMITS)
    for _ in range(3):
        limiter.enforce(1, "chat", doing="chatting")
    with pytest.raises(Throttled) as refused:
        limiter.enforce(1, "chat", doing="chatting")
    assert refused.value.retry_after == 1
    assert refused.value.detail == "You are chatting too fast: try again in 1 s."
