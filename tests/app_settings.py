"""Settings for an app under test: a given database, a fixed key, cheap password hashing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conference.settings import Settings


def app_settings(database_url: str, var_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test app on ``database_url``; argon2id is cheap so tests stay fast
    (production uses the defaults)."""
    values: dict[str, Any] = {
        "var_dir": var_dir,
        "database_url": database_url,
        "secret_key": "test-secret-key-" + "x" * 32,
        "base_url": "http://testserver",
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
    }
    values.update(overrides)
    return Settings(**values)
