"""The tiles' tests drive the render job themselves: no background worker, small caps."""

from __future__ import annotations

from pathlib import Path

import pytest

from conference.settings import Settings
from tests.posters.rendering import render_settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return render_settings(database_url, tmp_path / "var")
