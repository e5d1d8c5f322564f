"""Who was let in to which poster render lately, so a zooming viewer's tiles cost no query.

A viewer zooming fetches dozens of tiles a second: once a viewer (their session cookie) has
been let in to a render, further files of it are served for :data:`GRANT_SECONDS` without
asking the database. The grants are the app's (a realtime part, on ``ctx.realtime``), never
a module's; a change to a poster that may change who sees it forgets that poster's grants
in this process (:func:`forget_poster`), and the others' lapse within the grant's time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conference.context import AppContext
    from conference.realtime.registry import Realtime

# How long a viewer let in to a poster's render is served its files without a new check:
# a poster withdrawn in another process (or a session ended) stops its tiles within this.
GRANT_SECONDS = 30.0
MAX_GRANTS = 20_000

# (session cookie, poster id, render version)
GrantKey = tuple[str, int, int]


class TileGrants:
    """The app's grants: (session cookie, poster, version) → until (``clock`` seconds)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._until: dict[GrantKey, float] = {}

    async def start(self, ctx: AppContext) -> None:
        """Nothing to start: grants are made as viewers are let in."""

    async def close(self) -> None:
        self._until.clear()

    def allows(self, key: GrantKey) -> bool:
        """Whether ``key`` was let in less than :data:`GRANT_SECONDS` ago."""
        until = self._until.get(key)
        return until is not None and until > self.clock()

    def grant(self, key: GrantKey) -> None:
        """Let ``key`` in for :data:`GRANT_SECONDS`."""
        if len(self._until) >= MAX_GRANTS:
            # Crude but bounded: everyone asks the database once more.
            self._until.clear()
        self._until[key] = self.clock() + GRANT_SECONDS

    def forget(self, poster_id: int) -> None:
        """Drop every grant to the poster's renders (its visibility may have changed)."""
        for key in [key for key in self._until if key[1] == poster_id]:
            del self._until[key]

    def forget_all(self) -> None:
        """Drop every grant (many posters may have changed at once, as by an import)."""
        self._until.clear()


def register(realtime: Realtime) -> None:
    """Keep one :class:`TileGrants` for the app."""
    realtime.add_part(TileGrants())


def tile_grants(ctx: AppContext) -> TileGrants:
    """The app's tile grants."""
    return ctx.realtime.part(TileGrants)


def forget_poster(ctx: AppContext, poster_id: int) -> None:
    """Call once a change to the poster is committed that may change who may see it
    (its state, its presenter, its deletion)."""
    tile_grants(ctx).forget(poster_id)
