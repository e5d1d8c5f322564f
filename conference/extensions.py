"""Hooks through which domain packages add to core features without the core importing them.

main.py fills one :class:`Extensions` per app; the core only iterates what is there.
"""

from __future__ import annotations

import re
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
# Renders the player of what an owner key names (a poster's narration) for a viewer; None
# when there is nothing ready they may watch. Same rules as SessionWatchLink.
RecordingPlayer = Callable[[Request, AsyncSession, str, User | None], Awaitable[Markup | None]]
# Forgets what a package holds for an owner key whose thing is being deleted (a deleted
# poster's narration), in the deletion's transaction; returns what to do once that has
# committed (remove its files): a rollback must not leave rows without their files.
AfterCommit = Callable[[], Awaitable[None]]
OwnerEraser = Callable[[AsyncSession, str], Awaitable[AfterCommit]]

# An owner key: "<kind>:<id>", the kind one of Extensions.recording_owners.
_OWNER_KEY = re.compile(r"^([a-z][a-z_]{0,30}):([1-9][0-9]{0,17})$")


def owner_key(kind: str, owner_id: int) -> str:
    """The key a recording owned by ``kind`` number ``owner_id`` carries ("poster:17")."""
    key = f"{kind}:{owner_id}"
    if _OWNER_KEY.fullmatch(key) is None:
        raise ValueError(f"not an owner key: {key!r}")
    return key


def parse_owner_key(key: str) -> tuple[str, int] | None:
    """``("poster", 17)`` for ``"poster:17"``; None for anything that is not a key."""
    found = _OWNER_KEY.fullmatch(key)
    return (found[1], int(found[2])) if found else None


@dataclass(frozen=True)
class OwnerGrant:
    """What an owning domain says about media ``user`` attaches to one of its things."""

    # What the recording is called (the library's list, the player's label).
    title: str
    # Shown to viewers as soon as it is ready (else it waits for an organizer to publish it).
    published: bool


@dataclass(frozen=True)
class RecordingOwner:
    """A domain whose things may own a recording (a poster's narration).

    The streaming domain asks it, never the domain itself: ``manage`` answers whether
    ``user`` may attach, replace or remove the media of thing ``owner_id`` (raising
    NotFound when they may not even see it, Forbidden when they see it but may not change
    it); ``watch`` whether a viewer may play it (False: 404). Both read through the
    request's session they are given.
    """

    manage: Callable[[AsyncSession, User, int], Awaitable[OwnerGrant]]
    watch: Callable[[AsyncSession, User | None, int], Awaitable[bool]]
    # Audio-only media is accepted (a narration may be a voice alone; a talk is a video).
    audio_only: bool = False


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
    # Things other than talks that own recordings, by kind ("poster"), and who renders
    # their players (the streaming domain).
    recording_owners: dict[str, RecordingOwner] = field(default_factory=dict)
    recording_players: list[RecordingPlayer] = field(default_factory=list)
    owner_erasers: list[OwnerEraser] = field(default_factory=list)
    console_sections: list[ConsoleSection] = field(default_factory=list)
    video_rooms: VideoRooms = field(default_factory=VideoRooms)

    def console_menu(self) -> list[ConsoleSection]:
        """The console's menu entries, in order."""
        return sorted(self.console_sections, key=lambda section: section.order)

    async def recording_player(
        self, request: Request, db: AsyncSession, owner: str, viewer: User | None
    ) -> Markup | None:
        """The first player a hook renders for ``owner`` (an owner key), else None."""
        for hook in self.recording_players:
            found = await hook(request, db, owner, viewer)
            if found is not None:
                return found
        return None
