"""Token buckets: every client action is rate limited per user, in this process.

Kept in memory, not in the hub: the "frame" bucket is checked on every client frame, where
a Redis round trip would cost every connection latency and tie every action to Redis being
up. With N processes a user reaching several of them gets up to N times the rates
(docs/PROTOCOL.md, "Limits", says so for operators).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from conference.errors import Throttled


@dataclass(slots=True)
class TokenBucket:
    capacity: float
    per_second: float
    tokens: float
    updated: float

    def take(self, now: float, cost: float = 1.0) -> float:
        """Spend ``cost`` tokens; 0.0 if allowed, else the seconds until it would be."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= cost:
            self.tokens -= cost
            return 0.0
        return (cost - self.tokens) / self.per_second


# (burst, sustained per second) per kind of action.
LIMITS: dict[str, tuple[float, float]] = {
    "frame": (40, 20),  # any frame at all
    "subscribe": (20, 5),
    "chat": (5, 1),
    "question": (3, 0.2),
    "vote": (20, 5),
    "reaction": (10, 5),
    "moderate": (30, 10),
    "heartbeat": (3, 0.2),  # a presenter's "I am here" (posters): one per 5 s after a burst
}


class RateLimiter:
    """Per (user, kind) buckets, shared by all of a user's connections in this process."""

    def __init__(self, limits: dict[str, tuple[float, float]] | None = None, size: int = 50_000):
        self.limits = limits or LIMITS
        self._size = size
        self._buckets: OrderedDict[tuple[int, str], TokenBucket] = OrderedDict()

    def check(self, user_id: int, kind: str, *, now: float | None = None) -> float:
        """0.0 if the user may act now, else how many seconds to wait."""
        now = time.monotonic() if now is None else now
        key = (user_id, kind)
        bucket = self._buckets.get(key)
        if bucket is None:
            burst, rate = self.limits.get(kind, self.limits["frame"])
            bucket = TokenBucket(capacity=burst, per_second=rate, tokens=burst, updated=now)
            self._buckets[key] = bucket
            if len(self._buckets) > self._size:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        return bucket.take(now)

    def enforce(self, user_id: int, kind: str, *, doing: str) -> None:
        """Refuse (``Throttled``, 429) when ``user_id`` has no token of ``kind`` left.

        For HTTP routes that share a /ws action's bucket, so a form is no way around it;
        ``doing`` names the action in the refusal ("commenting").
        """
        wait = self.check(user_id, kind)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise Throttled(
                f"You are {doing} too fast: try again in {seconds} s.", retry_after=seconds
            )

    def reset(self) -> None:
        """Forget every bucket: each user starts again with a full burst of every kind.

        For tests, which spend tokens setting up and then test something other than the
        limit (the running app's limiter is ``ctx.realtime.limiter``). Nothing calls it in
        production: a restart is the operator's reset.
        """
        self._buckets.clear()
