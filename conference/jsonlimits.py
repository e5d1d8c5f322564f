"""Bounds on parsed JSON from clients: how deeply it may nest.

``json.loads`` recurses once per level: a body of a few kilobytes of ``[`` exhausts the
interpreter's recursion limit (``RecursionError``, not a ``ValueError``), and a value just
under that limit can still exhaust what walks it afterwards. Readers of client JSON parse
with :func:`loads_bounded` and refuse anything deeper than they need.
"""

from __future__ import annotations

import json
from typing import Any


class TooDeep(ValueError):
    """A JSON value nests deeper than its reader allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested more than {limit} levels deep")
        self.limit = limit


def depth(value: Any, *, limit: int) -> int:
    """How deeply ``value`` nests (a scalar is 0), walked without recursion; stops counting
    past ``limit``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        if level > limit:
            return level
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children)
    return deepest


def loads_bounded(text: str | bytes, *, limit: int) -> Any:
    """``json.loads`` that raises :class:`TooDeep` (a ``ValueError``) past ``limit`` levels."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep(limit) from None
    if depth(value, limit=limit) > limit:
        raise TooDeep(limit)
    return value
