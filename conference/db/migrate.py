"""Apply and inspect Alembic migrations from code (the command line and tests use these)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from conference.db.engine import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at our migrations; the URL comes with the connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest migration the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


@dataclass(frozen=True)
class MigrationState:
    current: str | None
    head: str
    # False when the database was migrated by newer code than this (an unknown revision).
    known: bool = True

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


async def migration_state(engine: AsyncEngine) -> MigrationState:
    """Which revision the database is at, against the code's head."""

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        current = await connection.run_sync(read)
    scripts = ScriptDirectory.from_config(alembic_config())
    known = current is None or current in {script.revision for script in scripts.walk_revisions()}
    return MigrationState(current=current, head=head_revision(), known=known)


async def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision``."""
    await _run(url, lambda cfg: command.upgrade(cfg, revision))


async def downgrade(url: str, revision: str) -> None:
    """Migrate the database at ``url`` down to ``revision`` (``base`` empties it)."""
    await _run(url, lambda cfg: command.downgrade(cfg, revision))


async def _run(url: str, action: object) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:

            def apply(sync_connection: Connection) -> None:
                config = alembic_config()
                config.attributes["connection"] = sync_connection
                action(config)  # type: ignore[operator]

            await connection.run_sync(apply)
    finally:
        await engine.dispose()
