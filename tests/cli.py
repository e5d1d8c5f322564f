"""Running the ``conference`` command line as an operator runs it: a separate process, with
only the ``CONFERENCE_*`` settings a test gives it, on a SQLite file in its var directory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_cli(var_dir: Path, *args: str, **env_overrides: str) -> subprocess.CompletedProcess[str]:
    """``python -m conference <args>`` with only our CONFERENCE_* settings in its env."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("CONFERENCE_") and k != "PASSWORD"
    }
    env.update(
        # This checkout's code, whatever is installed.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        CONFERENCE_VAR_DIR=str(var_dir),
        # Cheap argon2id keeps each run around a second; production uses the defaults.
        CONFERENCE_ARGON2_TIME_COST="1",
        CONFERENCE_ARGON2_MEMORY_KIB="8",
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "conference", *args],
        env=env,
        cwd=var_dir.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def database(var_dir: Path) -> Path:
    """The SQLite file of ``var_dir``."""
    return var_dir / "conference.db"


def query(var_dir: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """The rows ``sql`` selects from the SQLite file of ``var_dir``."""
    with sqlite3.connect(database(var_dir)) as connection:
        return list(connection.execute(sql, params))
