"""Alembic migrations on SQLite and PostgreSQL: up, down, up again; models equal migrations;
every revision reversible one step at a time."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from conference.db import migrate
from conference.db.base import include_name, include_object, is_unmanaged
from conference.db.engine import create_engine
from conference.main import all_models_metadata

VERSIONS_DIR = migrate.MIGRATIONS_DIR / "versions"
VERSION_TABLE = "alembic_version"

# What one table looks like: reflected columns, keys, indexes and constraints.
TableShape = dict[str, Any]


def model_tables() -> set[str]:
    return set(all_models_metadata().tables)


def revisions_base_to_head() -> list[tuple[str, str | None]]:
    """(revision, down_revision) for every migration, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    scripts = list(script.walk_revisions("base", "heads"))
    pairs = []
    for item in reversed(scripts):
        down = item.down_revision
        assert down is None or isinstance(down, str), f"{item.revision} is a merge point"
        pairs.append((item.revision, down))
    return pairs


def _shape(connection: Connection) -> dict[str, TableShape]:
    inspector = inspect(connection)
    shape: dict[str, TableShape] = {}
    for table in sorted(inspector.get_table_names()):
        if table == VERSION_TABLE:
            continue
        shape[table] = {
            # By name, not position: a column dropped and added back (downgrading a
            # column drop) comes back last, which no query can tell.
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ),
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    (fk.get("options") or {}).get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"] or "", tuple(c or "" for c in i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
        }
    return shape


async def schema(url: str) -> dict[str, TableShape]:
    """Every table but Alembic's own, as the database reports it."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_shape)
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: inspect(c).get_table_names())
            return set(names)
    finally:
        await engine.dispose()


async def current_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return (await migrate.migration_state(engine)).current
    finally:
        await engine.dispose()


async def model_differences(url: str) -> list[Any]:
    """Alembic autogenerate's diff between the migrated database and the models."""

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": include_name,
                "include_object": include_object,
            },
        )
        return list(compare_metadata(context, all_models_metadata()))

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def test_migration_state_is_none_on_empty_then_head(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        state = await migrate.migration_state(engine)
        assert state.current is None
        assert state.head == migrate.head_revision()
        assert not state.up_to_date

        await migrate.upgrade(empty_database_url)

        state = await migrate.migration_state(engine)
        assert state.current == migrate.head_revision()
        assert state.up_to_date
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade(empty_database_url: str) -> None:
    url = empty_database_url
    assert await table_names(url) == set()

    await migrate.upgrade(url)
    first = await schema(url)
    assert first, "the migrations created no table"
    assert await table_names(url) == set(first) | {VERSION_TABLE}

    await migrate.downgrade(url, "base")
    # Alembic keeps its (now empty) version table; every table of ours is gone.
    assert await table_names(url) <= {VERSION_TABLE}
    assert await current_revision(url) is None

    await migrate.upgrade(url)
    assert await schema(url) == first
    assert await current_revision(url) == migrate.head_revision()


async def test_migrations_create_exactly_the_model_tables(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    # Less the full-text tables made by dialect-specific DDL (conference.db.base).
    made = {name for name in await table_names(empty_database_url) if not is_unmanaged(name)}
    assert made == model_tables() | {VERSION_TABLE}


async def test_models_equal_migrations(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    assert await model_differences(empty_database_url) == []


async def test_every_revision_reversible_one_step_at_a_time(empty_database_url: str) -> None:
    url = empty_database_url
    revisions = revisions_base_to_head()
    shapes: dict[str | None, dict[str, TableShape]] = {None: await schema(url)}
    assert shapes[None] == {}

    for revision, _ in revisions:
        await migrate.upgrade(url, revision)
        assert await current_revision(url) == revision
        shapes[revision] = await schema(url)
    assert revisions[-1][0] == migrate.head_revision()

    for revision, down_revision in reversed(revisions):
        await migrate.downgrade(url, down_revision or "base")
        assert await current_revision(url) == down_revision, f"downgrade of {revision}"
        assert await schema(url) == shapes[down_revision], f"downgrade of {revision}"

    for revision, _ in revisions:
        await migrate.upgrade(url, revision)
        assert await schema(url) == shapes[revision], f"upgrade to {revision} after downgrade"


def _is_placeholder(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def test_every_migration_file_has_upgrade_and_real_downgrade() -> None:
    files = sorted(VERSIONS_DIR.glob("*.py"))
    assert files, "no migration files"
    for path in files:
        functions = {
            node.name: node
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef)
        }
        assert "upgrade" in functions, path.name
        assert "downgrade" in functions, f"{path.name} has no downgrade()"
        body = functions["downgrade"].body
        assert not all(_is_placeholder(s) for s in body), f"{path.name}: downgrade() is empty"


def test_history_is_linear_and_covers_every_file() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.head_revision()]
    assert len(script.get_bases()) == 1
    files = {Path(p).resolve() for p in VERSIONS_DIR.glob("*.py")}
    walked = {Path(s.path).resolve() for s in script.walk_revisions()}
    assert walked == files
    assert len(revisions_base_to_head()) == len(files)
