"""The app as ``conference serve`` builds it, plus the tests' sample job kind, for the
browser journey through the Jobs page (``uvicorn --factory tests.e2e.jobs_app:create_app``).
"""

from __future__ import annotations

from fastapi import FastAPI

from conference.main import create_app_from_env
from tests.jobs.sample import Outcomes, sample_kind


def create_app() -> FastAPI:
    app = create_app_from_env()
    app.state.ctx.jobs.register(sample_kind(Outcomes()))
    return app
