from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.posters.factories import PosterFactory


@pytest.fixture
def posters(app: FastAPI, demo_meeting: None) -> PosterFactory:
    """Makes posters in the demo meeting."""
    return PosterFactory(app)
