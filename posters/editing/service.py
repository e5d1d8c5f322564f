"""What the edit page needs beyond the poster's own rules (``posters.service``), and
deleting a poster with everything it owns (the API and the edit page alike)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.context import AppContext
from conference.extensions import owner_key
from posters import narration, service
from posters.models import Poster
from posters.tiles.grants import forget_poster
from posters.tiles.pdfs import remove_poster_files


async def remove_poster(
    ctx: AppContext, db: AsyncSession, *, meeting_id: int, poster_id: int, actor: User
) -> None:
    """Delete a poster (organizers) with its rows, its narration and, once that has
    committed, its PDF, tiles and media files; its file grants are forgotten at once."""
    await service.delete_poster(db, meeting_id=meeting_id, poster_id=poster_id, actor=actor)
    key = owner_key(narration.KIND, poster_id)
    afterwards = [await erase(db, key) for erase in ctx.extensions.owner_erasers]
    await db.commit()
    forget_poster(ctx, poster_id)
    settings = ctx.settings
    await asyncio.to_thread(
        remove_poster_files,
        var_dir=settings.var_dir,
        media_root=settings.media_root,
        poster_id=poster_id,
    )
    for after in afterwards:
        await after()


async def linked_addresses(db: AsyncSession, *, poster: Poster) -> dict[int, str]:
    """Author id → the address of the account the author is linked to (authors loaded).

    The form never shows these; saving puts them back so a link survives an edit."""
    ids = {a.user_id for a in poster.authors if a.user_id is not None}
    if not ids:
        return {}
    emails = dict((await db.execute(select(User.id, User.email).where(User.id.in_(ids)))).all())
    return {a.id: emails[a.user_id] for a in poster.authors if a.user_id in emails}
