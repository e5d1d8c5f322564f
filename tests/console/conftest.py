"""Fixtures for the console pages: a signed-in organizer posting HTML forms."""

from __future__ import annotations

import httpx
import pytest

from tests.console.pages import Console
from tests.factories import UserFactory
from tests.program.factories import ProgramBuilder, organizer_client


@pytest.fixture
async def console(client: httpx.AsyncClient, users: UserFactory, demo_meeting: None) -> Console:
    """The demo meeting, and an organizer signed in on ``client``."""
    return Console(await organizer_client(client, users))


@pytest.fixture
def builder(console: Console) -> ProgramBuilder:
    """Sets up program data through the JSON API, as the same organizer."""
    return ProgramBuilder(console.client)
