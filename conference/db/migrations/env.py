"""Alembic environment.

Called two ways: from :mod:`conference.db.migrate`, which hands over an open connection in
``config.attributes["connection"]``, or from the ``alembic`` command line (developers
writing a migration), which reads the database URL from the settings.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from conference.db.base import include_name, include_object
from conference.main import all_models_metadata

target_metadata = all_models_metadata()


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    from conference.db.engine import create_engine
    from conference.settings import Settings

    engine = create_engine(Settings().database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_configure_and_run)
    finally:
        await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _configure_and_run(connection)
else:
    asyncio.run(_run_from_settings())
