"""What the edit page needs beyond the poster's own rules (``posters.service``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from posters.models import Poster


async def linked_addresses(db: AsyncSession, *, poster: Poster) -> dict[int, str]:
    """Author id → the address of the account the author is linked to (authors loaded).

    The form never shows these; saving puts them back so a link survives an edit."""
    ids = {a.user_id for a in poster.authors if a.user_id is not None}
    if not ids:
        return {}
    emails = dict((await db.execute(select(User.id, User.email).where(User.id.in_(ids)))).all())
    return {a.id: emails[a.user_id] for a in poster.authors if a.user_id in emails}
