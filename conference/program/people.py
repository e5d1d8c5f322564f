"""Organizer operations on the people of the program."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.errors import NotFound
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


async def create_person(db: AsyncSession, *, data: PersonIn) -> Person:
    person = Person(**data.model_dump())
    person.country = person.country.upper()
    db.add(person)
    await db.commit()
    return person


async def update_person(db: AsyncSession, *, person_id: int, data: PersonUpdate) -> Person:
    person = await db.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id}.")
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
