"""Helpers shared by the organizer editing operations."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conference.db.base import Base
from conference.errors import Conflict, InvalidInput, NotFound
from conference.program.models import Meeting, Person

M = TypeVar("M", bound=Base)


async def owned(db: AsyncSession, model: type[M], item_id: int, meeting: Meeting, what: str) -> M:
    item = await db.get(model, item_id)
    if item is None or getattr(item, "meeting_id", meeting.id) != meeting.id:
        raise NotFound(f"No {what} with id {item_id}.")
    return item


async def commit_unique(db: AsyncSession, message: str, field: str) -> None:
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict(message, field=field) from exc


async def people_in_order(db: AsyncSession, ids: list[int], field: str) -> list[Person]:
    """The people with ``ids`` in that order; an unknown id refuses the edit (422)."""
    if not ids:
        return []
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"{field} lists a person twice.", field=field)
    found = {p.id: p for p in await db.scalars(select(Person).where(Person.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"{field}: no person with id {missing[0]}.", field=field)
    return [found[i] for i in ids]
