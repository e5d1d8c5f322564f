"""The declarative base every model in every package derives from."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL
# and make batch (copy-and-move) migrations on SQLite possible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects a migration makes with dialect-specific DDL the models cannot describe (a
# full-text table with its shadow tables, an expression index): autogenerate and the
# model-vs-migration test leave them out. Packages add names here from their models module.
UNMANAGED_INFO_KEY = "unmanaged"


def unmanaged_names() -> set[str]:
    """Names (or name prefixes, followed by ``_``) of objects the models do not describe."""
    names: set[str] = Base.metadata.info.setdefault(UNMANAGED_INFO_KEY, set())
    return names


def is_unmanaged(name: str | None) -> bool:
    """Whether ``name`` is one of :func:`unmanaged_names` or one of its shadow objects."""
    if name is None:
        return False
    return any(name == known or name.startswith(f"{known}_") for known in unmanaged_names())


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: skip reflecting unmanaged objects."""
    return not is_unmanaged(name)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's ``include_object`` hook: an unmanaged object found in the database is
    neither dropped nor reported as a difference."""
    return not (reflected and is_unmanaged(name))
