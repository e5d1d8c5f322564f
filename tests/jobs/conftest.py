"""Fixtures for the job system: the app with no runner of its own and the sample kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from conference.settings import Settings
from tests.app_settings import app_settings
from tests.jobs.sample import Outcomes, ctx_of, sample_kind


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """No runner in the app: the tests drive their own (as worker processes would)."""
    return app_settings(database_url, tmp_path / "var", inline_worker=False)


@pytest.fixture
def outcomes(app: FastAPI) -> Outcomes:
    """The sample kind, registered on the app; what its hooks are told."""
    found = Outcomes()
    ctx_of(app).jobs.register(sample_kind(found))
    return found
