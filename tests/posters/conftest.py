from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conference.settings import Settings
from tests.posters.factories import PosterFactory
from tests.posters.talk_helpers import seed
from tests.realtime.live_session import live_client


@pytest.fixture
def posters(app: FastAPI, demo_meeting: None) -> PosterFactory:
    """Makes posters in the demo meeting."""
    return PosterFactory(app)


@pytest.fixture
def live(settings: Settings) -> Iterator[TestClient]:
    """The app in a TestClient (lifespan running, demo meeting seeded), for /ws tests."""
    with live_client(settings) as client:
        seed(client)
        yield client


@pytest.fixture
def sockets(live: TestClient) -> Iterator[ExitStack]:
    """Closes the test's websockets before the app stops, even when the test fails."""
    with ExitStack() as stack:
        yield stack
