"""What a domain package adds to the app, as one value the app factory lists.

Each domain (``streaming``, ``posters``, ``exhibitors``, ...) describes itself in its own
``domain.py``: its tables, its routes in the order they must be matched, its realtime
channels and actions, the core hooks it fills, its job kinds, the larger request bodies it
accepts, the npm browser libraries it serves and its command group. ``conference/main.py``
lists the domains and applies each description the same way, so adding a domain is one
line there and the core still never names a domain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

from fastapi import APIRouter

from conference.context import AppContext
from conference.extensions import Extensions
from conference.jobs.kinds import JobKind, JobKinds
from conference.realtime.registry import Realtime
from conference.settings import Settings

if TYPE_CHECKING:
    import typer

# Opens the app's context for a command (migrated database, disposed of at the end).
OpenContext = Callable[[], AbstractAsyncContextManager[AppContext]]


@dataclass(frozen=True)
class VendorLibrary:
    """A browser library from npm served from our own origin: ``node_modules/<folder>`` at
    ``/static/vendor/<name>`` (missing until ``npm ci`` has run: then 404s)."""

    name: str
    folder: str


@dataclass(frozen=True)
class BodyLimits:
    """Request bodies a domain accepts above the app's ``max_request_bytes``: by exact path,
    and by path pattern (a full match)."""

    paths: Mapping[str, int] = field(default_factory=dict)
    patterns: Mapping[str, int] = field(default_factory=dict)


def _no_job_kinds(settings: Settings) -> Sequence[JobKind]:
    return ()


def _no_body_limits(settings: Settings) -> BodyLimits:
    return BodyLimits()


@dataclass(frozen=True)
class Domain:
    """One domain package's additions to the app (see the module's docstring)."""

    name: str
    # The modules defining the domain's tables (for the metadata Alembic and tests read).
    models: tuple[ModuleType, ...] = ()
    # Matched in this order: a fixed path must come before a route with a parameter there.
    routers: tuple[APIRouter, ...] = ()
    # Registers channel kinds, client actions and server events.
    realtime: Callable[[Realtime], None] | None = None
    # Fills the core's hooks (home and agenda sections, exporters, erasers, console menu...).
    extend: Callable[[Extensions, Settings, JobKinds], None] | None = None
    job_kinds: Callable[[Settings], Sequence[JobKind]] = _no_job_kinds
    body_limits: Callable[[Settings], BodyLimits] = _no_body_limits
    vendor: tuple[VendorLibrary, ...] = ()
    # The domain's ``conference <name> ...`` command group.
    cli: Callable[[OpenContext], typer.Typer] | None = None
