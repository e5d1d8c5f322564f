"""Rendered program pages, shared between viewers: rendered once per published version.

The published program is the same for every viewer of one day, zone and filter; only a
signed-in viewer's stars and CSRF token differ. A shared render (:class:`PersonalParts`
collects them) leaves a marker where each of those goes; :meth:`SharedRender.personal`
fills the markers in for one viewer with a single pass over the text, so a cached page
costs a dictionary lookup and a substitution instead of selecting, building the grid and
rendering a few hundred sessions.

Entries are keyed by the version (number and publication time) and everything else the
output depends on; publishing a new version empties the cache, and it holds at most
``size`` entries (least recently used go first), so odd query strings cannot grow it.
"""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


@dataclass
class PersonalParts:
    """What a shared render left for each viewer: markers and what replaces them."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(8))
    # Per marker index: the session's guid and the HTML for starred / not starred.
    parts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def csrf_marker(self) -> Markup:
        return Markup(f"\x00{self.nonce}:csrf\x00")  # noqa: S704 - a fixed marker

    def mark(self, guid: str, on: str, off: str) -> Markup:
        self.parts.append((guid, on, off))
        return Markup(f"\x00{self.nonce}:{len(self.parts) - 1}\x00")  # noqa: S704

    def freeze(self, html: str) -> SharedRender:
        return SharedRender(html=html, nonce=self.nonce, parts=tuple(self.parts))


@dataclass(frozen=True)
class SharedRender:
    """A page fragment rendered once, with markers for each viewer's own parts."""

    html: str
    nonce: str
    parts: tuple[tuple[str, str, str], ...]

    def personal(self, *, starred: frozenset[str], csrf_input: str) -> Markup:
        """The fragment as this viewer sees it (their stars, their CSRF token)."""
        pattern = re.compile(f"\x00{self.nonce}:([0-9]+)\x00")

        def fill(match: re.Match[str]) -> str:
            guid, on, off = self.parts[int(match.group(1))]
            return on if guid in starred else off

        # The star forms carry the CSRF field: their marker is filled in after them.
        html = pattern.sub(fill, self.html).replace(f"\x00{self.nonce}:csrf\x00", csrf_input)
        return Markup(html)  # noqa: S704 - our rendered template


@pass_context
def starred_part(context: Context, guid: str, on: str, off: str = "") -> Markup:
    """Template helper: ``on`` if the viewer starred ``guid``, else ``off`` (both HTML the
    template itself wrote); a marker in a shared render."""
    collector = context.get("personal_parts")
    if isinstance(collector, PersonalParts):
        return collector.mark(guid, str(on), str(off))
    starred = context.get("starred") or ()
    return Markup(on if guid in starred else off)  # noqa: S704 - template literals


class RenderCache:
    """A bounded LRU of shared renders for the newest published version."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._version: Hashable = None
        self._entries: OrderedDict[Hashable, SharedRender] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _for_version(self, version: Hashable) -> None:
        if version != self._version:
            # A new version was published: nothing rendered for an older one is shown again.
            self._entries.clear()
            self._version = version

    def get(self, version: Hashable, key: Hashable) -> SharedRender | None:
        """The render for ``key`` under ``version``, if cached."""
        self._for_version(version)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, version: Hashable, key: Hashable, render: SharedRender) -> None:
        self._for_version(version)
        self._entries[key] = render
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
