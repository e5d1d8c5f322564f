"""The site navigation. main.py lists every area; an area shows once its page exists.

Each later issue adds a route with the name given here, and its link appears without
anyone editing the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conference.accounts.models import Role, User


@dataclass(frozen=True)
class NavItem:
    label: str
    route_name: str
    # None: everyone; otherwise the user must hold one of these roles.
    roles: frozenset[Role] | None = None
    signed_in_only: bool = False


def visible_items(
    items: tuple[NavItem, ...], path_for: Callable[[str], str | None], user: User | None
) -> list[tuple[str, str]]:
    """(label, path) for the items whose page exists (``path_for`` gives its path, None if
    there is no route of that name) and that ``user`` may open."""
    visible = []
    for item in items:
        if item.signed_in_only and user is None:
            continue
        if item.roles is not None and (user is None or not user.has_role(*item.roles)):
            continue
        path = path_for(item.route_name)
        if path is not None:
            visible.append((item.label, path))
    return visible
