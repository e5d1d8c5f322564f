"""Fixtures of the program tests."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import UserFactory
from tests.program.factories import ProgramBuilder, organizer_client


@pytest.fixture
async def builder(
    client: httpx.AsyncClient, users: UserFactory, demo_meeting: None
) -> ProgramBuilder:
    """Builds a draft program of the demo meeting through the API, as its organizer."""
    return ProgramBuilder(await organizer_client(client, users))
