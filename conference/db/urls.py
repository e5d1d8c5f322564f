"""Database URL handling shared by the engine, migrations and the command line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url


def normalise_database_url(url: str) -> str:
    """Give a database URL the async driver this project uses.

    Operators write ``postgresql://`` or ``sqlite:///``; SQLAlchemy's async engine needs
    ``postgresql+asyncpg://`` and ``sqlite+aiosqlite:///``.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    else:
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for memory databases and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def display_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
