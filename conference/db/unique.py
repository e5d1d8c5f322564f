"""Inserting a row that a unique constraint may refuse because a concurrent request got there
first: checking beforehand narrows the window but cannot close it (both requests check, see
nothing, and insert), so the insert itself must be ready to lose."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.db.base import Base


async def add_unless_taken(db: AsyncSession, *rows: Base) -> bool:
    """Insert ``rows`` in a savepoint: True if they all went in; False, with none of them
    written and the transaction still usable, when a constraint refused one (typically the
    same row, committed by a concurrent request while this one was checking).

    On PostgreSQL the losing insert waits for the winner's transaction and then fails; on
    SQLite writers queue on the database lock and the loser fails the same way. The caller
    decides what losing means: the same outcome (idempotent) or a 409.
    """
    try:
        async with db.begin_nested():
            db.add_all(rows)
            await db.flush()
    except IntegrityError:
        return False
    return True
