"""Organizer operations on the people of the program."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.accounts.models import User
from conference.errors import InvalidInput, NotFound
from conference.program.models import Person
from conference.program.schemas import PersonIn, PersonUpdate


async def list_people(
    db: AsyncSession, *, query: str = "", limit: int = 100, offset: int = 0
) -> tuple[Sequence[Person], int]:
    statement = select(Person)
    if query:
        statement = statement.where(Person.name.ilike(f"%{query}%"))
    total = await db.scalar(select(func.count()).select_from(statement.subquery())) or 0
    people = await db.scalars(statement.order_by(Person.name).limit(limit).offset(offset))
    return people.all(), total


async def _refuse_unknown_user(db: AsyncSession, user_id: int | None) -> None:
    # Checked here rather than left to the foreign key: a clear 422, not a database error.
    if user_id is not None and await db.get(User, user_id) is None:
        raise InvalidInput(f"No account with id {user_id}.", field="user_id")


async def create_person(db: AsyncSession, *, data: PersonIn) -> Person:
    await _refuse_unknown_user(db, data.user_id)
    person = Person(**data.model_dump())
    person.country = person.country.upper()
    db.add(person)
    await db.commit()
    return person


async def update_person(db: AsyncSession, *, person_id: int, data: PersonUpdate) -> Person:
    person = await db.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id}.")
    await _refuse_unknown_user(db, data.user_id)
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is not None or key == "user_id":
            setattr(person, key, value)
    await db.commit()
    return person


async def delete_person(db: AsyncSession, *, person_id: int) -> None:
    person = await db.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id}.")
    await db.delete(person)
    await db.commit()
