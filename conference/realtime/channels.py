"""Who may subscribe to the core's channels, and who moderates a session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from conference import limits
from conference.accounts.models import User
from conference.program import participation
from conference.program.published.program import SessionView

# A session's guid, as channels name it.
GUID = limits.GUID_PATTERN

if TYPE_CHECKING:
    from conference.context import AppContext
    from conference.realtime.registry import Realtime


async def published_session(ctx: AppContext, db: AsyncSession, guid: str) -> SessionView | None:
    """The published session with ``guid``, if any."""
    program = await ctx.programs.current(db)
    return program.by_guid.get(guid) if program else None


async def is_moderator(ctx: AppContext, db: AsyncSession, user: User, session: SessionView) -> bool:
    """Organizers (and admins) moderate every session; a chair moderates their own."""
    return (await participation.of_user(db, user=user)).may_moderate(session)


async def meeting_policy(ctx: AppContext, db: AsyncSession, user: User, argument: str) -> bool:
    return True  # every signed-in user hears announcements


async def user_policy(ctx: AppContext, db: AsyncSession, user: User, argument: str) -> bool:
    return argument == str(user.id)


async def session_policy(ctx: AppContext, db: AsyncSession, user: User, argument: str) -> bool:
    return await published_session(ctx, db, argument) is not None


async def moderation_policy(ctx: AppContext, db: AsyncSession, user: User, argument: str) -> bool:
    session = await published_session(ctx, db, argument)
    return session is not None and await is_moderator(ctx, db, user, session)


async def moderators_changed(ctx: AppContext) -> None:
    """Re-check every socket following a moderation channel, in every process: call it after
    a change to who chairs a session (publishing) or to the account a person is linked to,
    so a chair taken off a session stops hearing its moderation channel at once."""
    await ctx.realtime.hub.recheck_channels(prefix="moderation:")


def register_core_channels(realtime: Realtime) -> None:
    """The core's channel kinds: ``meeting``, ``session:<guid>``, ``moderation:<guid>``
    and ``user:<id>`` (docs/PROTOCOL.md)."""
    realtime.channel("meeting", argument=None, policy=meeting_policy)
    realtime.channel("session", argument=GUID, policy=session_policy, presence=True)
    realtime.channel("moderation", argument=GUID, policy=moderation_policy)
    realtime.channel("user", argument=limits.ID_PATTERN, policy=user_policy)
