"""The app and ``conference serve`` refuse to start on a database that is not migrated."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from conference.db.engine import create_engine
from conference.db.migrate import head_revision
from conference.main import DatabaseNotMigrated, create_app
from tests.app_settings import app_settings

ROOT = Path(__file__).resolve().parents[2]


async def test_app_refuses_to_start_on_unmigrated_database(
    empty_database_url: str, tmp_path: Path
) -> None:
    app = create_app(app_settings(empty_database_url, tmp_path / "var"))
    with pytest.raises(DatabaseNotMigrated) as refused:
        async with app.router.lifespan_context(app):
            pytest.fail("the app started on an unmigrated database")
    message = str(refused.value)
    assert "conference migrate" in message
    assert "is at migration none" in message


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_exits_on_unmigrated_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFERENCE_")}
    env["CONFERENCE_VAR_DIR"] = str(tmp_path / "var")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    port = _free_port()
    result = subprocess.run(
        [sys.executable, "-m", "conference", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "conference migrate" in result.stderr
    assert "Serving" not in result.stdout


async def test_database_ahead_of_the_code_is_named(database_url: str, tmp_path: Path) -> None:
    # The PostgreSQL database is shared by the run: put the real revision back afterwards.
    engine = create_engine(database_url)
    set_version = text("UPDATE alembic_version SET version_num = :v")
    try:
        async with engine.begin() as connection:
            await connection.execute(set_version, {"v": "9999_future"})
        app = create_app(app_settings(database_url, tmp_path / "var"))
        with pytest.raises(DatabaseNotMigrated, match="which this code does not know"):
            async with app.router.lifespan_context(app):
                pass
    finally:
        async with engine.begin() as connection:
            await connection.execute(set_version, {"v": head_revision()})
        await engine.dispose()
