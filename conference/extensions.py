"""Hooks through which domain packages add to core features without the core importing them.

main.py fills one :class:`Extensions` per app; the core only iterates what is there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from conference.accounts.models import User
from conference.program.published.program import SessionView
from conference.realtime.models import ChannelEvent

# Seeds a domain's part of the demo meeting; returns lines for the operator to read,
# given the server's base URL (the addresses in them must be the ones actually served).
DemoSeeder = Callable[[AsyncSession, str], Awaitable[list[str]]]
# Renders a block of the home page for a viewer (signed in or not).
HomeSection = Callable[[Request, AsyncSession, User | None], Awaitable[Markup]]
# Renders a block of My agenda (/agenda) for the signed-in user, given the meeting's id
# (e.g. their bookmarked posters).
AgendaSection = Callable[[Request, AsyncSession, User, int], Awaitable[Markup]]
# Adds a domain's data about a user to "export my data".
UserDataExporter = Callable[[AsyncSession, User], Awaitable[Any]]
# Erases or anonymises what a package holds about a user whose account is being deleted,
# in the deletion's transaction (before the user row goes); returns the durable events to
# publish once it commits.
AccountEraser = Callable[[AsyncSession, User], Awaitable[Sequence[ChannelEvent]]]
# Says where to watch a published session (a stage player, a recording) for a viewer;
# None when it has nothing for that session. The session page lists what these return.
# Hooks run inside the request and read through the request's session they are given:
# opening another one there is refused (conference/db/engine.py).
SessionWatchLink = Callable[
    [Request, AsyncSession, SessionView, User | None], Awaitable[Markup | None]
]
# Adds a section to a published session's page (a poster session's posters and their live
# slots); None when it has nothing for that session. Same rules as SessionWatchLink.
SessionSection = Callable[
    [Request, AsyncSession, SessionView, User | None], Awaitable[Markup | None]
]


@dataclass(frozen=True)
class VideoRoomAccess:
    """What one signed-in user may do now in the small video room of one object of a
    domain (a poster during its live slot), as the domain owning the object says."""

    # May take a seat now.
    join: bool
    # May remove others from the room (the object's owner, organizers).
    host: bool
    # At most this many people in the room at once.
    capacity: int
    # Why ``join`` is False, in words the user reads ("The room opens during a live slot.").
    refusal: str = ""
    # When the room closes (the live slot's end): seats taken now are given up then.
    closes_at: datetime | None = None


# Given the request's session, the signed-in user and the object's id, that user's rights
# in the object's video room. Raises NotFound when the user may not see the object or the
# object has no room (a draft or withdrawn poster), as the object's own pages do. Same
# rules as SessionWatchLink: it reads through the session it is given.
VideoRoomPolicy = Callable[[AsyncSession, User, int], Awaitable[VideoRoomAccess]]


@dataclass
class VideoRooms:
    """Small WebRTC rooms attached to domain objects, keyed ``<kind>:<id>``.

    Domains owning objects register a policy per kind (``policies["poster"]``); the domain
    hosting the rooms (streaming's panel) reads it on every join and sets ``address``, the
    signaling address of a room, which pages hand to their script. ``address`` is None when
    no package hosts rooms: pages then offer none.
    """

    policies: dict[str, VideoRoomPolicy] = field(default_factory=dict)
    address: Callable[[str, int], str] | None = None

    def url(self, kind: str, object_id: int) -> str | None:
        """The signaling address of ``kind``'s room for ``object_id``, if rooms are hosted
        and ``kind`` has a policy."""
        if self.address is None or kind not in self.policies:
            return None
        return self.address(kind, object_id)


@dataclass(frozen=True)
class ConsoleSection:
    """An entry of the organizer console's menu (``templates/console/_base.html``)."""

    # What the section's pages pass to conference.console.web.render as ``section``, so
    # the menu marks the entry as the current page.
    key: str
    label: str
    path: str
    # Place in the menu, lowest first: the core's sections are 100, 200, ... so a package
    # can put its own between two of them.
    order: int


@dataclass
class Extensions:
    demo_seeders: list[DemoSeeder] = field(default_factory=list)
    home_sections: list[HomeSection] = field(default_factory=list)
    agenda_sections: list[AgendaSection] = field(default_factory=list)
    user_data_exporters: dict[str, UserDataExporter] = field(default_factory=dict)
    account_erasers: list[AccountEraser] = field(default_factory=list)
    session_watch_links: list[SessionWatchLink] = field(default_factory=list)
    session_sections: list[SessionSection] = field(default_factory=list)
    console_sections: list[ConsoleSection] = field(default_factory=list)
    video_rooms: VideoRooms = field(default_factory=VideoRooms)

    def console_menu(self) -> list[ConsoleSection]:
        """The console's menu entries, in order."""
        return sorted(self.console_sections, key=lambda section: section.order)
