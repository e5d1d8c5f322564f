"""(Being built.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference.settings import Settings

if TYPE_CHECKING:
    from conference.context import AppContext


class JobWorker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def start(self, ctx: AppContext) -> None:
        """Start with the app."""

    async def stop(self) -> None:
        """Stop with the app; must not raise."""
