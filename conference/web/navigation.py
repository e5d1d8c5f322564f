"""The site navigation. main.py lists every area; an area shows once its page exists.

Each later issue adds a route with the name given here, and its link appears without
anyone editing the layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.routing import NoMatchFound, Router

from conference.accounts.models import Role, User


@dataclass(frozen=True)
class NavItem:
    label: str
    route_name: str
    # None: everyone; otherwise the user must hold one of these roles.
    roles: frozenset[Role] | None = None
    signed_in_only: bool = False


def visible_items(
    items: tuple[NavItem, ...], router: Router, user: User | None
) -> list[tuple[str, str]]:
    """(label, path) for the items whose page exists and that ``user`` may open."""
    visible = []
    for item in items:
        if item.signed_in_only and user is None:
            continue
        if item.roles is not None and (user is None or not user.has_role(*item.roles)):
            continue
        try:
            path = router.url_path_for(item.route_name)
        except NoMatchFound:
            continue
        visible.append((item.label, str(path)))
    return visible
